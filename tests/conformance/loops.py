def find(items, target):
    for i in range(len(items)):
        if items[i] == target:
            print("found", target, "at", i)
            break
    else:
        print(target, "not found")

find([3, 5, 7], 5)
find([3, 5, 7], 4)

n = 0
while n < 5:
    n += 1
    if n == 2:
        continue
    if n == 4:
        break
    print("while body", n)
else:
    print("while else not reached")

m = 0
while m < 3:
    m += 1
else:
    print("while else reached", m)

for ch in "abc":
    print(ch, end=" ")
print()
for key in {"x": 1, "y": 2}:
    print("key", key)
for k, v in {"x": 1, "y": 2}.items():
    print(k, "=", v)
for item in (10, 20):
    print("tuple item", item)
for i in range(10, 0, -3):
    print("down", i)
for i in range(0):
    print("never")
else:
    print("empty range else")

total = 0
for i in range(4):
    for j in range(4):
        if j > i:
            break
        if (i + j) % 2:
            continue
        total += i * j
print("total", total)

pairs = []
for i, ch in enumerate("xyz"):
    pairs.append((i, ch))
print(pairs)
for a, b in zip([1, 2, 3], "ab"):
    print(a, b)
for a, (b, c) in [(1, (2, 3)), (4, (5, 6))]:
    print(a + b + c)

def loop_return():
    for i in range(100):
        if i * i > 50:
            return i
    return -1

print(loop_return())
count = 0
while True:
    count += 1
    if count >= 1000:
        break
print(count)
lst = [1, 2, 3]
for x in lst:
    if x == 1:
        lst.append(4)
print(lst)
print(list(range(5)), list(range(2, 8, 2)), list(range(5, 0, -2)), len(range(0, 100, 7)))
print(range(3)[1], range(10)[-1], 5 in range(10), list(reversed(range(3))))
