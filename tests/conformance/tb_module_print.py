import sys
import traceback

def fail(n):
    if n == 0:
        raise LookupError("depth reached")
    return fail(n - 1)

print(repr(traceback.format_exc()))
traceback.print_exc(file=sys.stdout)

try:
    fail(2)
except LookupError:
    traceback.print_exc()
    traceback.print_exc(file=sys.stdout)
    traceback.print_exc(limit=1, file=sys.stdout)
    traceback.print_exc(limit=-1, file=sys.stdout)
    text = traceback.format_exc()
    print(text.count("\n"), text.splitlines()[-1])
    print(traceback.format_exc(limit=2) == traceback.format_exc(2))
    print(traceback.format_exc(limit=0), end="")
print(traceback.format_exc(), end="")

def handler():
    try:
        {}["k"]
    except KeyError:
        return traceback.format_exc()

print(handler(), end="")
