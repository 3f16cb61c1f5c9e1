# yield in the middle of expressions: the partial results on the value stack survive the
# suspension in every JIT mode.
def calc():
    a = 10 + (yield "a") * 2
    b = [a, (yield "b"), a + 1]
    c = {"k": (yield "c"), "j": b}
    d = (yield "d"), (yield "e")
    s = f"{a}-{(yield 'f')}"
    return a, b, c, d, s

g = calc()
print(next(g))
for v in [1, 2, 3, 4, 5, 6]:
    try:
        print(g.send(v))
    except StopIteration as e:
        print("done", e.value)

def big():
    x = 2 ** 70
    y = yield x
    z = yield x * y
    return x + z

g = big()
print(next(g), g.send(3))
try:
    g.send(-(2 ** 70))
except StopIteration as e:
    print(e.value)

def cond(n):
    while n:
        n = yield (n if n % 2 else -n)

g = cond(5)
print(next(g), g.send(4), g.send(3))
g.close()
print(sum(x for x in range(100) if x % 3), max((y * y for y in range(-5, 3)), default=None))
