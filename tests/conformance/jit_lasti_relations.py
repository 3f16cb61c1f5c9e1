# f_lasti and tb_lasti of compiled activations: only relations are printed (offsets differ
# between implementations): monotonic within straight-line code, equal for the same point,
# a held frame's f_lasti frozen after return, tb_lasti against tb_frame.f_lasti.
import sys

def caller_lasti():
    return sys._getframe(1).f_lasti

def straight(n):
    a = caller_lasti()
    b = caller_lasti()
    x = n + 1
    c = caller_lasti()
    return a < b < c, a == caller_lasti() - 0, isinstance(a, int)

res = []
for i in range(25):
    res.append(straight(i))
print(res[0], res.count(res[0]))

def same_site_in_loop(n):
    vals = []
    for i in range(n):
        vals.append(caller_lasti())
    return len(set(vals)), vals[0] > 0

res = []
for i in range(25):
    res.append(same_site_in_loop(4))
print(res[0], res.count(res[0]))

held = []

def freeze():
    f = sys._getframe()
    held.append(f)
    x = 1
    return f.f_lasti

res = []
for i in range(25):
    during = freeze()
    res.append((held[-1].f_lasti > during, held[-1].f_lasti == held[-1].f_lasti))
print(res[0], res.count(res[0]))

def thrower(n):
    if n == 0:
        raise ValueError("x")
    return thrower(n - 1)

res = []
for i in range(25):
    try:
        thrower(4)
    except ValueError as e:
        tb = e.__traceback__.tb_next
        rel = []
        sites = []
        while tb is not None:
            rel.append(tb.tb_lasti == tb.tb_frame.f_lasti)
            sites.append(tb.tb_lasti)
            tb = tb.tb_next
        res.append((rel, len(set(sites[:-1])), sites[-1] != sites[0]))
print(res[0], res.count(res[0]))
