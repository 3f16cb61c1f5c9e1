import sys

records = [("a", 3), ("b", 1), ("c",)]
print(sorted(records[:2], key=lambda r: r[1]))

def key_name():
    return sorted([1], key=lambda v: sys._getframe().f_code.co_name)

print(key_name())
print(sorted([2, 1], key=lambda v: sys._getframe(1).f_code.co_name + str(v)))
ordered = sorted(records, key=lambda r: r[1])
