# Frames that end by an exception get their f_back from their caller late (JIT unwinding
# settles it when the caller records its own traceback entry, or when anything else looks at
# or ends the caller first). Every shape must give CPython's frames and links.
import sys


def names(tb):
    out = []
    while tb is not None:
        out.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    return out


def backs(tb):
    out = []
    while tb is not None:
        b = tb.tb_frame.f_back
        out.append(None if b is None else b.f_code.co_name)
        tb = tb.tb_next
    return out


def linked(tb):
    # Each entry's frame is the f_back of the next entry's frame.
    ok = True
    while tb is not None and tb.tb_next is not None:
        ok = ok and tb.tb_next.tb_frame.f_back is tb.tb_frame
        tb = tb.tb_next
    return ok


def down(n):
    if n == 0:
        raise KeyError("k")
    return down(n - 1)


def chain():
    try:
        down(3)
    except KeyError as e:
        tb = e.__traceback__
        print("chain", names(tb), backs(tb), linked(tb))
        f = tb.tb_next.tb_next.tb_next.tb_next.tb_frame
        depth = 0
        while f is not None:
            depth += 1
            f = f.f_back
        print("walk", depth, tb.tb_frame is sys._getframe())


def looks(n):
    # The caller is observed (its frame object built) while its callee's claim is pending
    # in no way Python can see; then it catches.
    try:
        return down(n)
    except KeyError as e:
        me = sys._getframe()
        return e, me


def observed():
    e, me = looks(2)
    tb = e.__traceback__
    print("observed", names(tb), backs(tb), linked(tb), tb.tb_frame is me)
    print("ended caller", me.f_back.f_code.co_name, me.f_lineno)


def middle(n):
    try:
        down(n)
    finally:
        print("finally in middle", sys._getframe().f_code.co_name)


def through_finally():
    try:
        middle(2)
    except KeyError as e:
        tb = e.__traceback__
        print("finally", names(tb), backs(tb), linked(tb))


def again(n):
    try:
        down(n)
    except KeyError as e:
        raise ValueError("again") from e


def reraised():
    try:
        again(1)
    except ValueError as e:
        print("reraised", names(e.__traceback__), backs(e.__traceback__), linked(e.__traceback__))
        c = e.__cause__
        print("cause", names(c.__traceback__), backs(c.__traceback__), linked(c.__traceback__))


def gen_body(n):
    yield n
    yield n + 1


def dropped():
    # Dropping a started generator closes it: GeneratorExit leaves its frame, unwinding
    # through the JIT while this frame runs on, and the close swallows it.
    for i in range(20):
        g = gen_body(i)
        next(g)
        g = None
    f = sys._getframe()
    print("dropped", f.f_code.co_name, f.f_back.f_code.co_name)


def gen_raises(n):
    yield 1
    down(n)


def in_gen():
    g = gen_raises(2)
    next(g)
    try:
        next(g)
    except KeyError as e:
        tb = e.__traceback__
        print("gen", names(tb), backs(tb), linked(tb))


def kept_frames():
    # The frames outlive the unwind: their locals are the final ones.
    try:
        down(3)
    except KeyError as e:
        tb = e.__traceback__.tb_next
        out = []
        while tb is not None:
            out.append(tb.tb_frame.f_locals["n"])
            tb = tb.tb_next
        return out


def uncaught_inner(n):
    return down(n)


for _ in range(3):
    chain()
    observed()
    through_finally()
    reraised()
    dropped()
    in_gen()
    print("locals", kept_frames())
uncaught_inner(2)
