# Loads of globals rebound more often than a load site records (a module-level loop's
# variables): every load still sees the current value, a deleted global falls back to the
# builtin of that name or raises NameError, and a value seen before is found again.
def read_x():
    return x


def read_len():
    return len


seen = []
for i in range(300):
    x = i * 3
    seen.append(read_x())
print(seen[:3], seen[-3:], sum(seen) == 3 * sum(range(300)))

for i in range(200):
    len = i
    assert read_len() == i
print(read_len())
del len
print(read_len()("abc"), read_len() is len)

x = "first"
print(read_x())
for i in range(100):
    x = i
x = "first"
print(read_x())
del x
try:
    read_x()
except NameError as e:
    print("NameError:", e)
x = None
print(read_x())

total = 0
for i in range(1000):
    total += i
    last = total
print(total, last, i)
