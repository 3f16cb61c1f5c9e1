# sys.unraisablehook and sys.__unraisablehook__: identity, rebinding, and a user hook reading
# every field of the UnraisableHookArgs it receives (the report of an exception raised by an
# audit hook of the sys.excepthook event), then delegating to the default hook.
import sys

print(sys.unraisablehook is sys.__unraisablehook__)
print(sys.unraisablehook)
print(sys.excepthook is sys.__excepthook__, sys.excepthook)
try:
    sys.__unraisablehook__(1)
except TypeError as e:
    print("TypeError:", e)
try:
    sys.__unraisablehook__()
except TypeError as e:
    print("TypeError:", e)


def unraisable(args):
    print("hook called with", type(args).__name__, len(args))
    print("exc_type:", args.exc_type)
    print("exc_value:", repr(args.exc_value))
    tb = args.exc_traceback
    print("traceback:", tb.tb_frame.f_code.co_name, tb.tb_lineno, tb.tb_next.tb_frame.f_code.co_name)
    print("err_msg:", args.err_msg)
    print("object:", args.object)
    print("items:", args[0], repr(args[1]), args[3], args[-1])
    try:
        args.err_msg = "x"
    except AttributeError as e:
        print("AttributeError:", e)
    try:
        args[5]
    except IndexError as e:
        print("IndexError:", e)
    sys.__unraisablehook__(args)


sys.unraisablehook = unraisable
print(sys.unraisablehook is unraisable, sys.__unraisablehook__ is unraisable)


def check(value):
    raise ValueError("audit hook says no to " + value)


def audit_hook(event, args):
    if event == "sys.excepthook":
        print("audit:", event, args[0] is sys.excepthook, args[1], repr(args[2]), args[3].tb_lineno)
        check(args[1].__name__)


sys.addaudithook(audit_hook)


def work(n):
    if n == 0:
        return {}["missing"]
    return work(n - 1)


for i in range(20):
    try:
        work(2)
    except KeyError:
        pass
work(2)
