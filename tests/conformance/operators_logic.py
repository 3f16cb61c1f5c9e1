x = 5
print(1 < x < 10, 1 < x > 10, x == 5 == x, 0 <= x <= 5 < 6)
print(1 < 2 < 3 < 4, 4 > 3 > 3, 1 == 1 != 2, 3 >= 3 > 2)

def loud(v):
    print("eval", v)
    return v

print(loud(0) and loud(1))
print(loud(2) and loud(3))
print(loud(0) or loud(4))
print(loud(5) or loud(6))
print(loud(1) < loud(0) < loud(99))
print(None or [] or "last", 1 and "and-last", "" and 1, not 0, not "x", not None)
v = None
print(v is None, v is not None, v == None, [] is not None)
print(3 in [1, 2, 3], 4 not in [1, 2, 3], "a" in "cat", "k" in {"k": 1}, 1 in {"k": 1}, (1, 2) in [(1, 2)])
n = 10
n += 5
n -= 3
n *= 2
n //= 5
n %= 3
n **= 3
print(n)
s = "a"
s += "b"
s *= 2
print(s)
lst = [1]
alias = lst
lst += [2]
print(lst, alias, lst is alias)
t = (1,)
tt = t
t += (2,)
print(t, tt, t is tt)
b = 6
b &= 3
b |= 8
b ^= 1
b <<= 2
b >>= 1
print(b)
print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3, 2 ** 10, -2 ** 2, (-2) ** 2, 2 ** 3 ** 2)
print(1 + 2 * 3 - 4, (1 + 2) * 3, 10 - 3 - 2, 100 // 10 // 3, -x, +x, ~x)
print(True + True, True * 3, False - 1, 1 if x > 3 else 0, "yes" if [] else "no")
print([1, 2] == [1, 2], [1, 2] < [1, 3], (1, 2) < (1, 2, 0), "b" > "abc")
a = b = [0]
a.append(1)
print(b, a is b)
i, j = 1, 2
i, j = j, i
print(i, j)
