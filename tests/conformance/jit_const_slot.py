# A small-int constant right operand is an immediate in compiled code and its LoadConst stores
# nothing: every path that reads the value stack instead (the runtime helper, a deoptimization,
# an error) must still see the constant.
def arith(x):
    out = [x + 1, x - 2, x * 3, x // 4, x % 5, x ** 2, x / 2]
    if not isinstance(x, float):
        out += [x & 6, x | 7, x ^ 8, x << 1, x >> 1]
    return out


def cmp(x):
    return [x < 2, x <= 2, x > 2, x >= 2, x == 2, x != 2]


def in_loop(values):
    out = []
    for v in values:
        out.append(v + 1)
        out.append(v * 2 if v < 10 else v - 3)
    return out


def gen(values):
    for v in values:
        yield v + 1
        yield v % 3


def fails(x):
    try:
        return x // 0
    except ZeroDivisionError as e:
        return "zde " + str(e)


def fails_mod(x):
    try:
        return x % 0
    except ZeroDivisionError as e:
        return "zde " + str(e)


def wrong(x):
    try:
        return x + 1
    except TypeError as e:
        return "te " + str(e)


for x in [5, -7, 2**62, -2**62, 2**70, 2.5, True, 0]:
    print(arith(x))
    print(cmp(x))
print(in_loop([1, 2, 2.5, 10**30, 12, -3]))
print(list(gen([1, 2.5, 10**20, -4])))
print(fails(3), fails(2.0), fails_mod(7))
print(wrong("s"), wrong([1]), wrong(None))
print("%d items" % 3, "%s" % 2, "x%dy" % -1)
s = 0
for i in range(300):
    s = s + i % 7 - 2 * (i > 150)
print(s)
print(2**62 // -1, -2**62 // -1, (2**62 - 1) * 2, -(2**62) - 1)
