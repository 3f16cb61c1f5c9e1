d = {}
d["b"] = 2
d["a"] = 1
d["c"] = 3
print(d, list(d), list(d.keys()), list(d.values()), list(d.items()))
d["b"] = 20
print(d)
del d["b"]
d["b"] = 200
print(d)
print(d.get("a"), d.get("z"), d.get("z", 0), "a" in d, "z" not in d, len(d))
print(d.setdefault("a", 100), d.setdefault("e", 5), d)
d.update({"a": -1, "f": 6})
print(d)
d.update([("g", 7)])
print(d.pop("g"), d.pop("nope", None), d)
counts = {}
for w in "the cat and the hat and the bat".split():
    counts[w] = counts.get(w, 0) + 1
print(counts)
print(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
print(dict(zip("abc", range(3))), dict([("x", 1), ("y", 2)]), dict(a=1, b=2))
copy = dict(d)
copy["new"] = 1
print("new" in d, "new" in copy)
nested = {"outer": {"inner": [1, 2]}}
nested["outer"]["inner"].append(3)
print(nested)
print({1: "int", True: "bool?", 1 == 1: "x"})
print({(1, 2): "tuple key", None: "none key"})
keys = []
for k in d:
    keys.append(k)
print(keys)
e = {"one": 1}
print(e == {"one": 1}, e != {"one": 2}, {} == {}, {"a": 1, "b": 2} == {"b": 2, "a": 1})
print(d.popitem(), d)
print(list({}.items()), bool({}), bool({0: 0}))
snap = list(d.items())
d.clear()
print(snap, d)
