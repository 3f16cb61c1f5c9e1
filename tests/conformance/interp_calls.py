# Calls the interpreter makes without leaving its loop: Python functions whose arguments move
# from the caller's stack into the callee, builtins and types called with arguments read in
# place, methods with and without a receiver; their errors, and what frames see meanwhile.
import sys
import traceback


def add(a, b):
    return a + b


def defaults(a, b=10, c=5):
    return a + b + c


def deep(n):
    return deep(n + 1) + 1


def show_caller():
    f = sys._getframe(1)
    return f.f_code.co_name, f.f_lineno, sorted(k for k in f.f_locals if not k.startswith("_"))


def caller(x, y):
    z = x * y
    return show_caller(), z


print(add(1, 2), add("a", "b"), defaults(1), defaults(1, 2), defaults(1, c=0))
print(caller(3, 4))
print(len([1, 2, 3]), str(42), int("7"), list((1, 2)), tuple([3]), max(3, 9, 4))
parts = []
for i in range(5):
    parts.append(str(i))
d = {"k": 4}
print(",".join(parts), "a-b".split("-"), "x".upper(), d.get("k"), d.get("z", 2))
m = [7, 7, 1].count
print(m(7), m(1), str.upper("q"), dict.get(d, "k"))
print([abs(v) for v in (-1, 2, -3)], sorted([3, 1, 2], key=abs))

for call in (
    lambda: add(1),
    lambda: add(1, 2, 3),
    lambda: defaults(),
    lambda: len(5),
    lambda: int("x"),
    lambda: "a".upper(1),
    lambda: [].append(),
    lambda: d.nope(),
    lambda: d.get(1, 2, 3),
    lambda: m(),
    lambda: str.upper(5),
    lambda: add(1, None),
):
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)

try:
    deep(0)
except RecursionError as e:
    print("RecursionError", e)
    tb = traceback.extract_tb(e.__traceback__)
    print(len(tb) > 100, tb[0].name, tb[-1].name, tb[-1].line)


def fails_in_builtin(seq):
    total = 0
    for v in seq:
        total += len(v)
    return total


try:
    fails_in_builtin(["ab", "c", 3])
except TypeError:
    traceback.print_exc(file=sys.stdout)


def gen():
    try:
        yield 1
        yield 2
    finally:
        print("gen closed at", sys._getframe(1).f_code.co_name)


def drops_generator():
    g = gen()
    next(g)
    n = len([g, 1])
    del g
    return n


print(drops_generator())
sys.setrecursionlimit(60)
try:
    deep(0)
except RecursionError as e:
    print("limit 60:", len(traceback.extract_tb(e.__traceback__)) < 60)
