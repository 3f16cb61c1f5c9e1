def attempt(label, fn):
    try:
        r = fn()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "->", type(e).__name__ + ":", e, repr(e.args))

d = {"a": 1}
lst = [1, 2, 3]
tup = (1, 2)
s = "xyz"

attempt("dict missing", lambda: d["b"])
attempt("dict int key", lambda: d[5])
attempt("dict tuple key", lambda: d[(1, 2)])
attempt("dict pop missing", lambda: d.pop("zz"))
attempt("dict pop default", lambda: d.pop("zz", "dflt"))
attempt("empty dict popitem", lambda: {}.popitem())
attempt("list index", lambda: lst[3])
attempt("list neg index", lambda: lst[-4])
attempt("tuple index", lambda: tup[2])
attempt("str index", lambda: s[10])
attempt("list pop empty", lambda: [].pop())
attempt("list pop index", lambda: lst.pop(10))
attempt("list index str", lambda: lst["0"])
attempt("tuple index none", lambda: tup[None])
attempt("str index str", lambda: s["a"])
attempt("slice ok", lambda: lst[1:100])
attempt("next exhausted", lambda: next(iter([])))
attempt("next default", lambda: next(iter([]), "dflt"))
attempt("set remove", lambda: set([1]).remove(2))
attempt("list remove", lambda: [1, 2].remove(3))
attempt("list index value", lambda: [1, 2].index(3))
attempt("str index value", lambda: "abc".index("z"))
attempt("tuple index value", lambda: (1, 2).index(5))

def list_assign():
    items = [1]
    items[5] = 2

def list_del():
    items = [1]
    del items[3]

def dict_del():
    m = {}
    del m["gone"]

attempt("list assign", list_assign)
attempt("list del", list_del)
attempt("dict del", dict_del)
print(d.get("b"), d.get("b", 0), d.setdefault("c", 3), d)
