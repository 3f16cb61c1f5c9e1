import sys
import traceback

def low(x):
    return 10 // x

def mid(x):
    try:
        return low(x)
    except ZeroDivisionError as e:
        raise ValueError("bad x: %d" % x) from e

def top():
    return mid(0)

try:
    top()
except ValueError as e:
    err = e

lines = traceback.format_exception(err)
print(type(lines).__name__, len(lines))
print("".join(lines), end="")
print("====")
print("".join(traceback.format_exception(err, limit=1)), end="")
print("====")
print("".join(traceback.format_exception(err, chain=False)), end="")
print("====")
print("".join(traceback.format_exception(type(err), err, err.__traceback__, limit=2, chain=False)), end="")
print("====")
print(traceback.format_exception_only(err))
print(traceback.format_exception_only(type(err), err))
print(traceback.format_exception_only(err.__cause__))
print(traceback.format_exception_only(KeyError("k")), traceback.format_exception_only(ValueError()))
print("====")
traceback.print_exception(err, file=sys.stdout)
print("====")
traceback.print_exception(err, limit=-1, chain=False, file=sys.stdout)
traceback.print_exception(err.__cause__)
print("====")
print(traceback.format_exception(RuntimeError("never raised")))
