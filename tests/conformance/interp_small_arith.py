# Small-int arithmetic the eval loop does inline (sums, products, bit operations, floor division
# and modulo by a positive divisor) must agree with the general path at every edge: signs,
# zero, the ends of the small range, products that overflow it.
vals = [0, 1, -1, 7, -7, 3, -3, 2**62 - 1, -(2**62), 2**31, -(2**31) - 5]
out = []
for x in vals:
    for y in vals:
        out.append((x + y, x - y, x * y, x & y, x | y, x ^ y))
        if y:
            out.append((x // y, x % y))
        a = x
        a *= y
        b = x
        b %= (y or 1)
        c = x
        c //= (y or 1)
        out.append((a, b, c))
print(len(out), hash(tuple(out)) % 1000003)
print(out[:5], out[-5:])
