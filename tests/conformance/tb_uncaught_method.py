def lookup(data, key):
    return data.get(key)

def collect(data, keys):
    result = []
    for k in keys:
        lookup(data, k).append(k)
    return result

store = {"a": [], "b": []}
print(collect(store, ["a", "b"]))
collect(store, ["a", "missing"])
