# Binary operations and comparisons whose right operand is a small-int constant compile with the
# constant as an immediate: every type on the left still gets CPython's answer or error, small
# ints at the edge of the small range overflow into big ints, and jumps into the instruction
# (a conditional expression's result) read the stack slot, not the constant.
def ops(x):
    out = []
    for f in range(6):
        try:
            if f == 0:
                out.append(x + 1)
            elif f == 1:
                out.append(x - 2)
            elif f == 2:
                out.append(x * 3)
            elif f == 3:
                out.append(x < 2)
            elif f == 4:
                out.append(x >= -4611686018427387904)
            else:
                out.append(x % 5 if x else -7 // 2)
        except TypeError as e:
            out.append("TypeError: " + str(e))
    return out


def joined(c, y):
    return (y if c else 10) - 1


values = [0, 1, -1, 4611686018427387903, -4611686018427387904, 2**70, True, 2.5, "s", [1], None]
for _ in range(20):
    rows = [ops(v) for v in values]
for v, row in zip(values, rows):
    print(repr(v), row)
print([joined(c, y) for c in (0, 1) for y in (5, 2**63)])
x = "text"
print(ops(x)[3])
