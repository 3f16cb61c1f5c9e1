counter = 0
names = []

def incr():
    global counter
    counter += 1
    return counter

def read_only():
    return counter * 10

def shadow():
    counter = "local"
    return counter

def create_global():
    global created
    created = "made in function"

incr()
incr()
print(counter, read_only(), shadow(), counter)
create_global()
print(created)

def mutate_without_global():
    names.append("appended")

mutate_without_global()
print(names)

temp = 5
del temp
try:
    print(temp)
except NameError as e:
    print("NameError:", e)

lst = [0, 1, 2, 3, 4]
del lst[1]
print(lst)
del lst[-1]
print(lst)
d = {"a": 1, "b": 2}
del d["a"]
print(d)

def delete_local():
    x = 1
    y = 2
    del x
    return y, "x" in sys_frame_locals_keys()

import sys

def sys_frame_locals_keys():
    return list(sys._getframe(1).f_locals)

print(delete_local())

def delete_global():
    global counter
    del counter

delete_global()
try:
    counter
except NameError as e:
    print("NameError:", e)

a, b = 1, 2
del a, b
print("a" in globals(), "b" in globals())

def reassign_after_del():
    v = 1
    del v
    v = 2
    return v

print(reassign_after_del())
