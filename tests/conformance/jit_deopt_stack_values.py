# Compiled code leaving its fast path while values sit on its value stack: loop iterators,
# pending call arguments, method-call receivers, tuple and list displays being built.
import sys

BIG = 4611686018427387903

def in_for(n):
    acc = 0
    for i in range(n):
        acc = acc + BIG
    return acc

def nested_for(n):
    acc = 0
    for i in range(n):
        for j in [1, 2, 3]:
            acc = acc + BIG * 0 + j
            acc = acc + BIG
    return acc, i, j

def pair(a, b, c):
    return (a, b, c)

def in_call_args(x):
    return pair(x, "mid", x + BIG)

def in_method_call(x):
    lst = [x]
    lst.append(x + BIG)
    lst.append(lst[-1] + BIG)
    return lst

def in_display(x):
    t = (x, x * 2, x + BIG, [x, x + BIG])
    return t

def in_subscript(x):
    d = dict()
    d[x + BIG] = x
    d[x] = x + BIG
    return sorted(d.items())

def in_compare(x):
    return x < x + BIG, x + BIG > BIG, (x + BIG == BIG + x)

def in_unpack(x):
    a, b = x + BIG, x - BIG
    c, d = [a + BIG, b - BIG]
    return a, b, c, d

def in_str_loop(words):
    out = ""
    for w in words:
        out = out + w
    return out

def chained_iter(n):
    total = 0
    for a in range(n):
        for b in range(a):
            total = total + a * b
    return total

funcs = [in_for, nested_for, in_call_args, in_method_call, in_display, in_subscript, in_compare, in_unpack]
results = []
for rep in range(30):
    row = []
    row.append(in_for(rep % 4))
    row.append(nested_for(1 + rep % 3))
    row.append(in_call_args(rep))
    row.append(in_method_call(rep))
    row.append(in_display(rep))
    row.append(in_subscript(rep))
    row.append(in_compare(rep))
    row.append(in_unpack(rep))
    row.append(in_str_loop(["a", "b", str(rep)]))
    row.append(chained_iter(rep % 7))
    results.append(row)
for i in (0, 1, 15, 16, 17, 29):
    print(i, results[i])

# Big mixed loop: ints fast, then overflow, then back to small ints in the same activation.
def up_and_down(n):
    acc = 0
    trace = []
    for i in range(n):
        acc = acc + BIG
        trace.append(acc > BIG)
        acc = acc - BIG
        acc = acc - BIG
        acc = acc + BIG
        acc = acc + i
    return acc, trace.count(True), sys._getframe().f_lineno

res = []
for rep in range(30):
    res.append(up_and_down(rep))
print(res[0], res[15], res[16], res[29])

# After the switch, a callee reads the caller's locals and loop iterator state.
def peek_loop():
    f = sys._getframe(1)
    return f.f_locals["i"], f.f_locals["acc"] > BIG, f.f_lineno

def loop_with_peek(n):
    acc = 0
    seen = []
    for i in range(n):
        acc = acc + BIG
        seen.append(peek_loop())
    return seen

res = []
for rep in range(25):
    res.append(loop_with_peek(4))
print(res[0])
print(res[24], res.count(res[0]))
