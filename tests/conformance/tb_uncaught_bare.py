def fail(kind):
    if kind == 1:
        raise ValueError
    raise KeyError("a", "b")

try:
    fail(2)
except KeyError as e:
    print(repr(e), str(e))
try:
    fail(1)
except ValueError as e:
    print(repr(e), repr(str(e)))
raise RuntimeError("")
