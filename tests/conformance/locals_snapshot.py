def snap():
    x = 1
    d = locals()
    x = 2
    print(type(d).__name__, d["x"], x)
    d["x"] = 100
    print(x)
    d2 = locals()
    print(d2 is d, d2["x"], sorted(d2))
    d2["new"] = 1
    print("new" in locals())
    return d

r = snap()
print(sorted(r))

def with_args(a, b=5):
    c = a + b
    return locals()

print(with_args(1))
print(with_args(2, b=3))

def unbound_missing():
    before = locals()
    value = 10
    after = locals()
    return sorted(before), sorted(after)

print(unbound_missing())
print(locals() is globals())

def in_comprehension():
    base = 10
    inside = [sorted(locals()) for item in range(2)]
    return inside, sorted(locals())

print(in_comprehension())
