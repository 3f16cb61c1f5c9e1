d = {"a": 1}
lst = [1, 2, 3]
tup = (1, 2)
s = "xyz"

try:
    print("dict missing", "->", repr(d["b"]))
except Exception as e:
    print("dict missing", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("dict int key", "->", repr(d[5]))
except Exception as e:
    print("dict int key", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("dict tuple key", "->", repr(d[(1, 2)]))
except Exception as e:
    print("dict tuple key", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("dict pop missing", "->", repr(d.pop("zz")))
except Exception as e:
    print("dict pop missing", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("dict pop default", "->", repr(d.pop("zz", "dflt")))
except Exception as e:
    print("dict pop default", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("empty dict popitem", "->", repr({}.popitem()))
except Exception as e:
    print("empty dict popitem", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("list index", "->", repr(lst[3]))
except Exception as e:
    print("list index", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("list neg index", "->", repr(lst[-4]))
except Exception as e:
    print("list neg index", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("tuple index", "->", repr(tup[2]))
except Exception as e:
    print("tuple index", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("str index", "->", repr(s[10]))
except Exception as e:
    print("str index", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("list pop empty", "->", repr([].pop()))
except Exception as e:
    print("list pop empty", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("list pop index", "->", repr(lst.pop(10)))
except Exception as e:
    print("list pop index", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("list index str", "->", repr(lst["0"]))
except Exception as e:
    print("list index str", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("tuple index none", "->", repr(tup[None]))
except Exception as e:
    print("tuple index none", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("str index str", "->", repr(s["a"]))
except Exception as e:
    print("str index str", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("slice ok", "->", repr(lst[1:100]))
except Exception as e:
    print("slice ok", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("next exhausted", "->", repr(next(iter([]))))
except Exception as e:
    print("next exhausted", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("next default", "->", repr(next(iter([]), "dflt")))
except Exception as e:
    print("next default", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("set remove", "->", repr(set([1]).remove(2)))
except Exception as e:
    print("set remove", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("list remove", "->", repr([1, 2].remove(3)))
except Exception as e:
    print("list remove", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("list index value", "->", repr([1, 2].index(3)))
except Exception as e:
    print("list index value", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("str index value", "->", repr("abc".index("z")))
except Exception as e:
    print("str index value", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("tuple index value", "->", repr((1, 2).index(5)))
except Exception as e:
    print("tuple index value", "->", type(e).__name__ + ":", e, repr(e.args))

def list_assign():
    items = [1]
    items[5] = 2

def list_del():
    items = [1]
    del items[3]

def dict_del():
    m = {}
    del m["gone"]

try:
    print("list assign", "->", repr(list_assign()))
except Exception as e:
    print("list assign", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("list del", "->", repr(list_del()))
except Exception as e:
    print("list del", "->", type(e).__name__ + ":", e, repr(e.args))
try:
    print("dict del", "->", repr(dict_del()))
except Exception as e:
    print("dict del", "->", type(e).__name__ + ":", e, repr(e.args))
print(d.get("b"), d.get("b", 0), d.setdefault("c", 3), d)
