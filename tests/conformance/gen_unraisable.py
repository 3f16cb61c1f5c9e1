import sys

def hook(args):
    print("hook:", args.exc_type.__name__, args.exc_value, repr(args.err_msg), type(args.object).__name__, args.object.__name__)
    tb = args.exc_traceback
    while tb is not None:
        print("  tb", tb.tb_frame.f_code.co_name, tb.tb_lineno)
        tb = tb.tb_next

sys.unraisablehook = hook

def noisy():
    try:
        yield 1
    finally:
        raise ValueError("in finally")

g = noisy()
next(g)
del g
print("after del")

def ignores():
    try:
        yield 1
    except GeneratorExit:
        yield 2

g = ignores()
next(g)
g = None
print("after ignore")

def fine():
    try:
        yield 1
    finally:
        print("clean finally")

def user():
    h = fine()
    next(h)
    n = noisy()
    next(n)
    return "returned"

print(user())
sys.unraisablehook = sys.__unraisablehook__
print("done")
