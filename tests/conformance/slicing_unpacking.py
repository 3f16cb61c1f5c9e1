lst = list(range(10))
print(lst[2:5], lst[:3], lst[7:], lst[-3:], lst[:-7], lst[::3], lst[::-1], lst[8:2:-2], lst[5:5], lst[20:30])
s = "abcdefgh"
print(s[1:4], s[::-1], s[-2:], s[:100], s[3:1], s[::2], s[-100:2])
t = (0, 1, 2, 3, 4)
print(t[1:3], t[::-2], t[-1], t[:0], type(t[1:3]).__name__)
copy = lst[:]
copy[0] = 99
print(lst[0], copy[0])
lst[2:4] = ["a", "b", "c"]
print(lst)
del lst[0:3]
print(lst)
lst[:] = [1, 2]
print(lst)
a, b = 1, 2
print(a, b)
(c, d), e = (3, 4), 5
print(c, d, e)
[f, g] = "xy"
print(f, g)
h, i, j = range(3)
print(h, i, j)
k, l = {"p": 1, "q": 2}
print(k, l)
m = n = o = 7
print(m, n, o)
pairs = [(1, "one"), (2, "two")]
for num, word in pairs:
    print(num, word)
x, y = y_x = (8, 9)
print(x, y, y_x)
data = {"a": [1, 2, 3]}
data["a"][1:] = [7]
print(data)
nested = [[1, 2], [3, 4]]
nested[1][0] = 30
print(nested, nested[0][-1], nested[-1][::-1])

def pair():
    return "first", "second"

p1, p2 = pair()
print(p1, p2)
