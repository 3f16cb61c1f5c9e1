# Rebinding globals (the module's own loop variables, `global` statements in functions) replaces
# values in place: the dict's order stays the insertion order, a deleted name comes back at the
# end, and every cached read of the name sees each new value.
a = 1
b = 2
c = 3


def read_b():
    return b


def bump(n):
    global b
    for _ in range(n):
        b = b + 1
    return b


seen = []
for i in range(5):
    b = i * 10
    seen.append(read_b())
print(seen, b)
print(bump(3), read_b())
print([k for k in globals() if len(k) == 1])
del a
print([k for k in globals() if len(k) == 1])
a = "back"
print([k for k in globals() if len(k) == 1], a)
for a in ["x", "y"]:
    c = a * 2
print(a, c, read_b())
globals()["b"] = "via dict"
print(read_b())
b = None
print(read_b(), [k for k in globals() if len(k) == 1])
del b
try:
    read_b()
except NameError as e:
    print("NameError:", e)
b = 7
print(read_b())
