# A traceback taken inside a generator keeps naming the generator's frame after the generator
# yields, resumes and finishes: tb_frame is one frame object with the final locals.
def g():
    x = 1
    try:
        raise ValueError("inside")
    except ValueError as e:
        tb = e.__traceback__
    yield tb
    x = 2
    yield "second"
    x = 3

gen = g()
tb = next(gen)
f1 = tb.tb_frame
print(f1.f_locals["x"], f1 is gen.gi_frame)
print(next(gen), f1.f_locals["x"], f1.f_lineno)
for _ in gen:
    pass
f2 = tb.tb_frame
print(f2 is f1, f2.f_locals["x"], f2.f_lineno, gen.gi_frame)

def h():
    y = "a"
    try:
        raise KeyError("k")
    except KeyError as e:
        t = e.__traceback__
    yield t
    y = "b"
    yield 0

gen = h()
t = next(gen)
next(gen)
for _ in gen:
    pass
print(t.tb_frame.f_locals["y"], t.tb_frame.f_code.co_name, t.tb_lineno)
