import sys

squares = [i * i for i in range(6)]
print(squares)
evens = [i for i in range(10) if i % 2 == 0]
print(evens)
pairs = [(i, j) for i in range(3) for j in range(i)]
print(pairs)
print({k: len(k) for k in ["a", "bb", "ccc"]})
print(sorted({i % 3 for i in range(10)}))
print([[j for j in range(i)] for i in range(4)])
print([c.upper() for c in "hey" if c != "e"])
print({v: k for k, v in {"a": 1, "b": 2}.items()})

def in_function(n):
    local_factor = 3
    data = [x * local_factor for x in range(n)]
    names = [sys._getframe().f_code.co_name for _ in range(2)]
    return data, names

print(in_function(4))
print([sys._getframe().f_code.co_name for _ in range(1)])

def frame_inside():
    frames = [sys._getframe() for _ in range(2)]
    return frames[0] is frames[1], frames[0] is sys._getframe(), frames[0].f_back.f_code.co_name

print(frame_inside())

def comp_var_isolated():
    x = "outer"
    result = [x for x in range(3)]
    return x, result

print(comp_var_isolated())
x = "module x"
print([x for x in "ab"], x)

def lines_in_comp():
    return [sys._getframe().f_lineno
            for i in range(2)]

print(lines_in_comp())

def uses_global():
    return [g * 2 for g in GLOBAL_LIST]

GLOBAL_LIST = [5, 6]
print(uses_global())

def comp_locals():
    a = 1
    return [sorted(sys._getframe().f_locals) for i in range(1)]

print(comp_locals())

def comp_raises():
    return [10 // v for v in [1, 0]]

try:
    comp_raises()
except ZeroDivisionError as e:
    tb = e.__traceback__
    names = []
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    print(names)
nested = {i: [j * i for j in range(3)] for i in range(3)}
print(nested)
print([i for i in range(20) if i % 2 if i % 3])
