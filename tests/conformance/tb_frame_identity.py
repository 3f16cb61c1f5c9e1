import sys

captured = {}

def leaf(n):
    captured["leaf"] = sys._getframe()
    local_value = n * 2
    raise ValueError("boom %d" % local_value)

def mid(n):
    captured["mid"] = sys._getframe()
    leaf(n + 1)

def untouched(n):
    mid(n)

captured["mod"] = sys._getframe()
try:
    untouched(1)
except ValueError as e:
    tb = e.__traceback__
    frames = []
    t = tb
    while t is not None:
        frames.append(t.tb_frame)
        t = t.tb_next
    print(len(frames))
    print(frames[0] is captured["mod"], frames[2] is captured["mid"], frames[3] is captured["leaf"])
    print(frames[1].f_code.co_name, frames[1] is frames[2].f_back, frames[3].f_back is frames[2])
    print(frames[1].f_back is frames[0], frames[0] is sys._getframe())
    print(frames[3].f_locals["local_value"], frames[3].f_lineno, frames[1].f_locals)
    print(tb.tb_next.tb_frame is frames[1], tb.tb_next.tb_frame is tb.tb_next.tb_frame)

def rethrow():
    try:
        untouched(5)
    except ValueError as e:
        return e, sys._getframe()

err, rf = rethrow()
t = err.__traceback__
print(t.tb_frame is rf, t.tb_lineno, rf.f_lineno)
print(t.tb_next.tb_next.tb_next.tb_frame.f_locals["n"])
