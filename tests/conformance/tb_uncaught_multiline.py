def pick(table, key):
    return table[key]

def combine(a,
            b):
    return (a
            + b)

config = {"alpha": 1, "name": "x"}
print(combine(pick(config, "alpha"), 2))
total = (
    pick(config, "alpha")
    + combine(pick(config,
                   "name"),
              3)
)
