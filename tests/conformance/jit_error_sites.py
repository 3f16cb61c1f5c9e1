# Errors raised at many kinds of instructions inside compiled functions: message, tb_lineno
# and the source line with its carets, as traceback formats them.
import sys
import traceback

TUPLE = (1, 2)
EMPTY = dict()

def site(k, v):
    if k == 0:
        for x in v:
            pass
    if k == 1:
        a, b, c = v
    if k == 2:
        a, b = [v, v, v]
    if k == 3:
        TUPLE[0] = v
    if k == 4:
        return v.missing_attr
    if k == 5:
        return EMPTY[v]
    if k == 6:
        return -"neg"
    if k == 7:
        assert v == 0, "v was %r" % (v,)
    if k == 8:
        assert v == 0
    if k == 9:
        raise ValueError
    if k == 10:
        raise 42
    if k == 11:
        raise ValueError("x") from 5
    if k == 12:
        return v()
    if k == 13:
        return (v +
                "s")
    if k == 14:
        return [1, 2,
                3][v]
    if k == 15:
        return v < "a"
    if k == 16:
        del EMPTY[v]
    if k == 17:
        return v.append(1)
    if k == 18:
        return "abc".index(v)
    if k == 19:
        return int(v)
    if k == 20:
        return v in 5
    if k == 21:
        x = 1
        return x.real.imag.nothing
    return None

ARGS = [5, (1, 2), 0, 1, 7, "key", 0, 3, 3, 0, 0, 0, 5, 7, 10, 3, "k", 4, "z", "12x", 1, 0]

def run_all():
    out = []
    for k in range(len(ARGS)):
        try:
            site(k, ARGS[k])
            out.append((k, "no error"))
        except Exception as e:
            out.append((k, type(e).__name__, str(e), e.__traceback__.tb_next.tb_lineno, traceback.format_exc().splitlines()[-4:]))
    return out

first = None
for rep in range(25):
    r = run_all()
    if first is None:
        first = r
        for entry in r:
            print(entry)
    elif r != first:
        print("rep", rep, "differs")
        for i in range(len(r)):
            if r[i] != first[i]:
                print("  ", r[i])
print("done")
