import sys

def show(frame):
    p = frame.f_locals
    print(type(p).__name__)
    print("a" in p, "zzz" in p, "later" in p)
    print(len(p))
    print(list(p.keys()))
    print(list(p.values()))
    print(list(p.items()))
    print(p.get("a"), p.get("nope"), p.get("nope", "dflt"), p["b"])
    try:
        p["nope"]
    except KeyError as e:
        print(type(e).__name__, len(e.args))
    print(dict(p))
    print(repr(p))
    print(sorted(p))
    print([k for k in p])

def subject(a, b="two"):
    c = None
    d = [a, b]
    show(sys._getframe())
    later = 1
    return later

subject(1)

def proxy_identity():
    f = sys._getframe()
    p1 = f.f_locals
    p2 = f.f_locals
    x = 3
    return p1 is p2, p1["x"], p2["x"], type(p1).__name__

print(proxy_identity())

def proxy_delete():
    x = 1
    p = sys._getframe().f_locals
    try:
        del p["x"]
    except Exception as e:
        print(type(e).__name__ + ":", e)
    print(x)
    p["extra"] = 5
    print("extra" in p, p["extra"], len(p))

proxy_delete()

def proxy_update():
    x = 1
    y = 2
    p = sys._getframe().f_locals
    p.update({"x": 10, "y": 20})
    print(x, y)
    print(p.setdefault("x", 99), p.setdefault("zz", 7), p["zz"])
    print(p == {"x": 10, "y": 20, "p": p, "zz": 7})

proxy_update()
