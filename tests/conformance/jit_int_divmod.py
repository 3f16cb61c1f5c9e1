# Small-int floor division, modulo and bitwise operators compiled inline: signs, zero divisors,
# the edges of the small range (63-bit ints) and big ints, in binary and in-place forms.
vals = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 4611686018427387903, -4611686018427387904, 4611686018427387904, -4611686018427387905, 2**64, -(2**64) + 3]
def ops(a, b):
    out = []
    for op in range(5):
        try:
            if op == 0: out.append(a // b)
            elif op == 1: out.append(a % b)
            elif op == 2: out.append(a & b)
            elif op == 3: out.append(a | b)
            else: out.append(a ^ b)
        except ZeroDivisionError as e:
            out.append(str(e))
    return out
def inplace(a, b):
    x = a
    x //= b if b else 1
    y = a
    y %= b if b else 1
    z = a
    z &= b
    z |= 5
    z ^= b
    return x, y, z
acc = []
for k in range(3):
    for a in vals:
        for b in vals:
            acc.append(ops(a, b))
            acc.append(inplace(a, b))
print(len(acc))
for row in acc[: len(acc) // 3]:
    print(row)
import sys
print(sum(len(str(x)) for x in acc))
print(acc[-1], acc[len(acc)//2])
print([-7 // 2, -7 % 2, 7 // -2, 7 % -2, -7 // -2, -7 % -2, 0 % 5, -4611686018427387904 // -1])
