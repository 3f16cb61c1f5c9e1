# When sys.unraisablehook itself raises, CPython reports that new exception with the default
# hook ("Exception ignored in sys.unraisablehook: <hook>"), with no second audit event; the
# uncaught exception is still printed afterwards.
import sys

count = []


def audit(event, args):
    if event == "sys.excepthook":
        raise ValueError("first report")
    if event == "sys.unraisablehook":
        count.append(event)
        print("audit saw", event, len(count), args[0], type(args[1]).__name__, repr(args[1].err_msg))


sys.addaudithook(audit)
# A builtin that fails on UnraisableHookArgs: its repr has no address to print.
sys.unraisablehook = abs
print(sys.unraisablehook)


def main():
    raise OSError("uncaught")


main()
