# `for` over range iterators: steps, empty and reversed ranges, ints past the small-int range
# (up to the ends of a C ssize_t), an iterator shared with the loop body (which advances it
# too), and exhausted iterators.
import sys

out = []
for i in range(5):
    out.append(i)
for i in range(10, 0, -3):
    out.append(i)
for i in range(0):
    out.append("never")
for i in range(5, 5):
    out.append("never")
print(out)

big = sys.maxsize
print([i for i in range(big - 3, big)])
print([i for i in range(-big - 1, -big + 2)])
print([i for i in range(big - 1, -big - 1, -big)])
print(sum(i for i in range(-(2**62), -(2**62) + 4)))

it = iter(range(10))
pairs = []
for a in it:
    pairs.append((a, next(it, None)))
print(pairs)
print(list(it), next(it, "done"))

total = 0
for i in range(100):
    if i % 7 == 0:
        continue
    if i > 50:
        break
    total += i
print(total, i)

def nested(n):
    acc = []
    for i in range(n):
        for j in range(i, n, 2):
            acc.append(i * 10 + j)
    return acc

print(nested(4))
r = range(3)
print([(x, y) for x in r for y in r if x != y])
for i in range(3):
    pass
print(i)
try:
    for i in range(3):
        1 / (i - 2)
except ZeroDivisionError as e:
    print("ZeroDivisionError", e, i)
