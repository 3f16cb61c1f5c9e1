# Writes into a running compiled caller's locals that change the local's type or magnitude
# just before the caller uses it in arithmetic, comparisons and loop conditions; and a write
# landing while the old value is already on the caller's value stack.
import sys

BIG = 4611686018427387903

def setp(name, value):
    sys._getframe(1).f_locals[name] = value
    return 0

def set_and_give(name, value, give):
    sys._getframe(1).f_locals[name] = value
    return give

def then_add(kind):
    acc = 1
    if kind == 0:
        setp("acc", 2.5)
    elif kind == 1:
        setp("acc", BIG)
    elif kind == 2:
        setp("acc", "s")
    elif kind == 3:
        setp("acc", [1])
    elif kind == 4:
        setp("acc", True)
    try_it = acc
    acc = acc + acc
    return try_it, acc

res = []
errors = []
for rep in range(30):
    for kind in range(6):
        res.append(then_add(kind))
print(res[:6])
print(res[-6:] == res[:6])

def then_compare(kind):
    v = 5
    if kind == 0:
        setp("v", 5.5)
    if kind == 1:
        setp("v", 2 ** 70)
    if kind == 2:
        setp("v", -BIG - 1)
    if v < 6:
        return "small", v
    return "large", v

res = []
for rep in range(30):
    for kind in range(4):
        res.append(then_compare(kind))
print(res[:4], res[-4:] == res[:4])

def then_type_error():
    n = 1
    setp("n", "text")
    return n - 1

msgs = []
for rep in range(25):
    try:
        then_type_error()
    except TypeError as e:
        msgs.append((str(e), e.__traceback__.tb_next.tb_lineno))
print(msgs[0], msgs.count(msgs[0]))

def old_value_on_stack():
    x = 10
    r = x + set_and_give("x", 100, 1)
    return r, x

def old_value_in_call(x):
    t = (x, set_and_give("x", "new", "given"), x)
    return t

def old_value_in_method():
    lst = [0]
    other = [9]
    lst.append(set_and_give("lst", other, 5))
    return lst, other

res = []
for rep in range(25):
    res.append((old_value_on_stack(), old_value_in_call(rep), old_value_in_method()))
print(res[0], res[24])

def loop_condition():
    limit = 3
    i = 0
    seen = []
    while i < limit:
        seen.append(i)
        if i == 1:
            setp("limit", 2 ** 65)
        if i == 5:
            setp("limit", 0)
        i = i + 1
    return seen, limit

res = []
for rep in range(25):
    res.append(loop_condition())
print(res[0], res.count(res[0]))

def overflow_then_write(n):
    a = BIG
    a = a + n
    setp("a", 7)
    a = a + n
    return a, sys._getframe().f_locals["a"]

res = []
for rep in range(25):
    res.append(overflow_then_write(rep))
print(res[0], res[1], res[24])

def counter_loop(n):
    count = 0
    for i in range(n):
        count = count + 1
        if i == 2:
            setp("count", BIG)
    return count

res = []
for rep in range(25):
    res.append(counter_loop(5))
print(res[0], res.count(res[0]))
