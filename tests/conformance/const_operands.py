# A small-int constant right operand: the interpreter runs the operation on the top of the
# stack without pushing the constant. Results at the edges of the small-int range, errors
# (their traceback entries and handlers), in-place forms and comparisons feeding jumps must be
# CPython's.
import sys
import traceback

edge = 2 ** 62
values = [0, 1, -1, 7, -7, edge - 1, -edge, edge, 2 ** 80]
for x in values:
    print(x, x + 1, x - 1, x * 3, x // 2, x % 3, x // -2, x % -3, x << 2, x >> 1, x & 5,
          x | 8, x ^ 3, x / 4, x ** 2, x < 0, x == 7, x >= -7)


def divide(x):
    try:
        return x // 0
    except ZeroDivisionError as e:
        return ("caught", str(e), e.__traceback__.tb_lineno)


print(divide(5), divide(2 ** 70))


def fails(x):
    y = x + 1
    return y % 0


for x in (3, edge):
    try:
        fails(x)
    except ZeroDivisionError:
        tb = sys.exc_info()[2]
        print("fails", [(f.name, f.lineno, f.colno, f.end_colno) for f in traceback.extract_tb(tb)],
              tb.tb_next.tb_lasti > 0)


def shifts(x):
    try:
        return x << -1
    except ValueError as e:
        return str(e)


print(shifts(3))


def accumulate(n):
    total = 0
    i = 0
    while i < n:
        total += 3
        total -= 1
        i += 1
    return total, i


print(accumulate(10), accumulate(0))


def count_big():
    x = edge - 3
    steps = 0
    while x < edge + 2:
        x += 1
        steps += 1
    return x, steps


print(count_big())


def branches(x):
    out = []
    if x < 10:
        out.append("lt10")
    if x == 3:
        out.append("eq3")
    if not x > -1:
        out.append("not gt-1")
    flag = x != 5
    out.append(flag)
    return out


print([branches(v) for v in (3, 5, 20, -4, True, 2.5)])
