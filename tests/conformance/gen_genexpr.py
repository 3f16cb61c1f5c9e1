import sys
squares = (x * x for x in range(5))
print(type(squares).__name__, squares.__name__, squares.__qualname__)
print(sum(squares), list(squares))
print(list(x for x in "abc" if x != "b"))
print(list((a, b) for a in range(3) for b in range(a)))
print(sorted((len(w), w) for w in ["ccc", "a", "bb"]))
print(max(x % 7 for x in range(20)), any(x > 3 for x in [1, 2, 5]), all(x for x in []))

def f(data):
    g = (v * 2 for v in data)
    fr = g.gi_frame
    print(fr.f_code.co_name, sorted(fr.f_locals), fr.f_back)
    print(next(g), g.gi_frame.f_locals[".0"] is not None)
    return list(g)

print(f([1, 2, 3]))

def where():
    return list(sys._getframe(1).f_code.co_name for _ in range(2))

print(where())
try:
    list(1 / x for x in [1, 0])
except ZeroDivisionError as e:
    tb = e.__traceback__
    while tb is not None:
        print(tb.tb_frame.f_code.co_name, tb.tb_lineno)
        tb = tb.tb_next
try:
    (x for x in 5)
except TypeError as e:
    print("TypeError:", e)
print(dict((k, k * k) for k in range(3)), sorted(set(c for c in "hello")), tuple(i for i in range(3)))
