import sys

def gen(n):
    for i in range(n):
        yield (i, sys._getframe(1).f_code.co_name, sys._getframe(1).f_lineno)

def hot_consumer(n):
    out = 0
    for item in gen(n):
        out += item[0]
    return out

for _ in range(30):
    r = hot_consumer(5)
print(r)

def stepper(g):
    return next(g)

g = gen(100)
for _ in range(25):
    step = stepper(g)
print(step)

def deep(k, g):
    if k == 0:
        return next(g)
    return deep(k - 1, g)

def walker():
    names = []
    f = sys._getframe(1)
    while f is not None:
        names.append(f.f_code.co_name)
        f = f.f_back
    yield names

for _ in range(20):
    names = deep(4, walker())
print(names)

def failing():
    yield 1
    raise KeyError("from gen")

def catch_it():
    try:
        for x in failing():
            pass
    except KeyError as e:
        tb = e.__traceback__
        out = []
        while tb is not None:
            out.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
            tb = tb.tb_next
        return out

for _ in range(20):
    res = catch_it()
print(res)

async def coro(x):
    return x + 1

async def awaiter(n):
    total = 0
    for i in range(n):
        total += await coro(i)
    return total

def run(c):
    try:
        c.send(None)
    except StopIteration as e:
        return e.value

for _ in range(20):
    v = run(awaiter(10))
print(v)
