# sys.excepthook replaced by a Python function: it gets (type, value, traceback); when it
# raises, both exceptions are printed ("Error in sys.excepthook:" ... "Original exception
# was:"). The audit event still comes first, with the user's hook.
import sys

calls = []


def audit(event, args):
    if event == "sys.excepthook":
        print("audit:", args[0] is myhook, args[1], repr(args[2]))


def helper(value):
    raise RuntimeError("hook failed on " + repr(value))


def myhook(typ, value, tb):
    print("myhook:", typ, repr(value), tb.tb_frame.f_code.co_name, tb.tb_next.tb_lineno)
    helper(value)


sys.addaudithook(audit)
sys.excepthook = myhook


def fail():
    raise KeyError("original")


fail()
