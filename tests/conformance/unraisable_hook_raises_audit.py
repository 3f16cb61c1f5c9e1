# An audit hook that refuses the sys.unraisablehook event: the report is replaced by the audit
# hook's exception ("Exception ignored in audit hook"), and sys.unraisablehook is not called.
import sys


def unraisable(args):
    print("never called")


def audit(event, args):
    if event == "sys.excepthook":
        raise ValueError("first report")
    if event == "sys.unraisablehook":
        print("audit saw", event, args[0] is unraisable, repr(args[1].exc_value))
        raise KeyError("audit hook refuses the report")


sys.unraisablehook = unraisable
sys.addaudithook(audit)
raise TypeError("uncaught")
