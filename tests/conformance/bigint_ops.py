def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r

print(2 ** 200)
print(-(2 ** 200), (-2) ** 201)
print(fact(50))
print(fact(100) // fact(98), fact(100) % 1000003)
print(len(str(fact(1000))), str(fact(1000))[:20], str(fact(1000))[-5:])
big = 3 ** 150
print(big)
print(big * big - big ** 2, (big + 1) * (big - 1) == big * big - 1)
for a in [7, -7]:
    for b in [2, -2]:
        print(a, b, a // b, a % b, divmod(a, b))
print((-2 ** 100) // 3, (-2 ** 100) % 3, divmod(-2 ** 100, 7))
print(divmod(10 ** 30, -(10 ** 12 + 39)))
print(pow(3, 200, 10 ** 9 + 7), pow(2, 10), pow(-3, 3), pow(3, -1, 7), pow(5, 0, 1))
print(pow(123456789, 10 ** 20, 998244353))
print(abs(-(10 ** 40)), abs(0), abs(-5))
print(hex(2 ** 100), hex(-255), hex(0))
print(int("123456789012345678901234567890") * 10, int("-" + "9" * 40) + 1)
print(int("ff" * 20, 16), int("-0"), int("0b101", 0), int("z", 36))
print(2 ** 64 > 2 ** 63, -2 ** 64 < -2 ** 63, 2 ** 100 == 2 ** 100, 2 ** 100 != 2 ** 100 + 1)
print(1 << 100, (1 << 100) >> 90, -1 >> 5, (2 ** 70) & (2 ** 70 - 1), (2 ** 70) | 1, (2 ** 70) ^ (2 ** 70))
print(~(2 ** 65), -(-(2 ** 65)))
x = 2 ** 62
x += x
print(x, x * 4, x - 2 ** 63 - 2 ** 63)
print(sum([2 ** 62, 2 ** 62, 2 ** 62]), max(2 ** 80, 3 ** 50), min(-(2 ** 80), -(3 ** 50)))
print(sorted([2 ** 70, -3, 10 ** 20, 0, -(2 ** 65)]))
print(True + 2 ** 64, bool(2 ** 100), bool(0), 0 == False, 10 ** 18 % 7)
print("%d %s %r" % (2 ** 70, 2 ** 70, -(2 ** 70)))
print(f"{2 ** 70} {-(3 ** 45)!r} {2 ** 65:>25}")
