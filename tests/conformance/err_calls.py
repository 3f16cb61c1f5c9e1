def one(x):
    return x

def two(x, y):
    return x + y

def with_default(a, b=2):
    return a + b

def none_():
    return 0

def three(a, b, c):
    return a

try:
    one()
    print("missing 1", "-> ok")
except TypeError as e:
    print("missing 1", "->", e)
try:
    two()
    print("missing 2", "-> ok")
except TypeError as e:
    print("missing 2", "->", e)
try:
    three()
    print("missing 3", "-> ok")
except TypeError as e:
    print("missing 3", "->", e)
try:
    three(1)
    print("missing 2 of 3", "-> ok")
except TypeError as e:
    print("missing 2 of 3", "->", e)
try:
    two(1, 2, 3)
    print("too many", "-> ok")
except TypeError as e:
    print("too many", "->", e)
try:
    with_default(1, 2, 3)
    print("too many default", "-> ok")
except TypeError as e:
    print("too many default", "->", e)
try:
    none_(1)
    print("zero params", "-> ok")
except TypeError as e:
    print("zero params", "->", e)
try:
    none_(1, 2)
    print("zero params 2", "-> ok")
except TypeError as e:
    print("zero params 2", "->", e)
try:
    one(1, z=2)
    print("unexpected kw", "-> ok")
except TypeError as e:
    print("unexpected kw", "->", e)
try:
    none_(q=1)
    print("unexpected kw only", "-> ok")
except TypeError as e:
    print("unexpected kw only", "->", e)
try:
    with_default(1, bb=5)
    print("kw typo", "-> ok")
except TypeError as e:
    print("kw typo", "->", e)
try:
    two(1, yy=2)
    print("kw typo 2", "-> ok")
except TypeError as e:
    print("kw typo 2", "->", e)
try:
    two(x=1, zzz=2)
    print("kw far", "-> ok")
except TypeError as e:
    print("kw far", "->", e)
try:
    two(1, 2, w=3)
    print("kw extra", "-> ok")
except TypeError as e:
    print("kw extra", "->", e)
try:
    two(1, x=2)
    print("multiple values", "-> ok")
except TypeError as e:
    print("multiple values", "->", e)
try:
    two(y=1, x=2)
    print("kw ok", "-> ok")
except TypeError as e:
    print("kw ok", "->", e)
try:
    with_default(1, b=5)
    print("default kw", "-> ok")
except TypeError as e:
    print("default kw", "->", e)
try:
    three(1, c=3)
    print("missing with kw", "-> ok")
except TypeError as e:
    print("missing with kw", "->", e)
try:
    len()
    print("len no args", "-> ok")
except TypeError as e:
    print("len no args", "->", e)
try:
    len([], [])
    print("len two args", "-> ok")
except TypeError as e:
    print("len two args", "->", e)
try:
    abs()
    print("abs no args", "-> ok")
except TypeError as e:
    print("abs no args", "->", e)
try:
    divmod(1)
    print("divmod one arg", "-> ok")
except TypeError as e:
    print("divmod one arg", "->", e)
try:
    int(x=1)
    print("int kw", "-> ok")
except TypeError as e:
    print("int kw", "->", e)
try:
    sorted()
    print("sorted no args", "-> ok")
except TypeError as e:
    print("sorted no args", "->", e)
try:
    [].append()
    print("list.append none", "-> ok")
except TypeError as e:
    print("list.append none", "->", e)
try:
    [].append(1, 2)
    print("list.append two", "-> ok")
except TypeError as e:
    print("list.append two", "->", e)
try:
    {}.get()
    print("dict.get none", "-> ok")
except TypeError as e:
    print("dict.get none", "->", e)
try:
    ord()
    print("ord none", "-> ok")
except TypeError as e:
    print("ord none", "->", e)
try:
    print("x", bogus=1)
    print("print kw", "-> ok")
except TypeError as e:
    print("print kw", "->", e)
try:
    isinstance(1, 2)
    print("isinstance bad", "-> ok")
except TypeError as e:
    print("isinstance bad", "->", e)
try:
    range()
    print("range none", "-> ok")
except TypeError as e:
    print("range none", "->", e)
try:
    range("3")
    print("range str", "-> ok")
except TypeError as e:
    print("range str", "->", e)
try:
    zip(1, [2])
    print("zip non iter", "-> ok")
except TypeError as e:
    print("zip non iter", "->", e)
try:
    enumerate(5)
    print("enumerate int", "-> ok")
except TypeError as e:
    print("enumerate int", "->", e)
