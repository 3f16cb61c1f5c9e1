def get(d, k):
    return d[k]

table = {"one": 1}
print(get(table, "one"))
value = get(table, "two")
