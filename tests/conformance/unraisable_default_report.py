# The default unraisable hook's report: an audit hook of sys.excepthook raises, so the
# exception is "ignored in audit hook" (printed with its own traceback, no carets, no chained
# exceptions), and the uncaught exception is still printed after it.
import sys


def deeper(n):
    if n == 0:
        try:
            1 / 0
        except ZeroDivisionError:
            raise LookupError("from the hook")
    return deeper(n - 1)


def hook(event, args):
    if event == "sys.excepthook":
        print("sys.last_exc is the uncaught exception:", sys.last_exc is args[2])
        deeper(6)


sys.addaudithook(hook)


def main():
    values = [1, 2, 3]
    return values[10]


for i in range(20):
    try:
        main()
    except IndexError:
        pass
main()
