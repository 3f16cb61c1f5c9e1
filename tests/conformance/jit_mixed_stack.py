# Stacks mixing compiled functions with functions that stay interpreted (they contain
# try/except/finally): frame walks, exceptions crossing both kinds, recursion limits.
import sys

def walk():
    out = []
    f = sys._getframe(1)
    while f is not None:
        out.append((f.f_code.co_name, f.f_lineno))
        f = f.f_back
    return out

def compiled_leaf(n):
    v = n * 2
    return walk()

def interp_mid(n):
    try:
        r = compiled_leaf(n)
    finally:
        n = n + 1
    return r

def compiled_mid(n):
    r = interp_mid(n)
    return r

def interp_top(n):
    try:
        return compiled_mid(n)
    except KeyError:
        return None

res = []
for rep in range(25):
    res.append(interp_top(rep))
print(res[0])
print(res.count(res[0]))

# An exception from compiled code crossing interpreted frames with finally blocks.
log = []

def thrower(n):
    if n == 0:
        raise LookupError("bottom")
    return alternate(n - 1)

def alternate(n):
    try:
        return thrower(n)
    finally:
        log.append(n)

def catch_and_walk(n):
    try:
        alternate(n)
    except LookupError as e:
        tb = e.__traceback__
        names = []
        while tb is not None:
            names.append((tb.tb_frame.f_code.co_name, tb.tb_lineno, tb.tb_frame.f_locals.get("n")))
            tb = tb.tb_next
        return names

for rep in range(20):
    log.clear()
    r = catch_and_walk(5)
    if rep in (0, 19):
        print(r)
        print(log)

# Recursion limit with interpreted and compiled frames alternating.
reached = 0

def rec_c(n):
    global reached
    reached = n
    return rec_i(n + 1)

def rec_i(n):
    try:
        return rec_c(n + 1)
    finally:
        pass

for limit in (100, 250, 1000):
    sys.setrecursionlimit(limit)
    outs = []
    for rep in range(20):
        reached = 0
        try:
            rec_c(1)
        except RecursionError as e:
            outs.append((reached, str(e)))
    print(limit, outs[0], outs.count(outs[0]))
sys.setrecursionlimit(1000)

# Key functions called by builtins from compiled code.
def key_len(s):
    f = sys._getframe(1)
    key_log.append((f.f_code.co_name, f.f_lineno))
    return len(s)

key_log = []

def sort_words(words):
    return sorted(words, key=key_len)

for rep in range(20):
    key_log.clear()
    r = sort_words(["ccc", "a", "bb"])
print(r, key_log)

def bad_key(s):
    return 1 // len(s)

def sort_bad(words):
    return max(words, key=bad_key)

for rep in range(20):
    try:
        sort_bad(["x", ""])
    except ZeroDivisionError as e:
        tb = e.__traceback__
        names = []
        while tb is not None:
            back = tb.tb_frame.f_back
            names.append((tb.tb_frame.f_code.co_name, tb.tb_lineno, back.f_code.co_name if back is not None else None))
            tb = tb.tb_next
        if rep in (0, 19):
            print(names)
