def attempt(label, fn):
    try:
        fn()
        print(label, "-> ok")
    except TypeError as e:
        print(label, "->", e)

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

attempt("missing 1", lambda: one())
attempt("missing 2", lambda: two())
attempt("missing 3", lambda: three())
attempt("missing 2 of 3", lambda: three(1))
attempt("too many", lambda: two(1, 2, 3))
attempt("too many default", lambda: with_default(1, 2, 3))
attempt("zero params", lambda: none_(1))
attempt("zero params 2", lambda: none_(1, 2))
attempt("unexpected kw", lambda: one(1, z=2))
attempt("unexpected kw only", lambda: none_(q=1))
attempt("kw typo", lambda: with_default(1, bb=5))
attempt("kw typo 2", lambda: two(1, yy=2))
attempt("kw far", lambda: two(x=1, zzz=2))
attempt("kw extra", lambda: two(1, 2, w=3))
attempt("multiple values", lambda: two(1, x=2))
attempt("kw ok", lambda: two(y=1, x=2))
attempt("default kw", lambda: with_default(1, b=5))
attempt("missing with kw", lambda: three(1, c=3))
attempt("len no args", lambda: len())
attempt("len two args", lambda: len([], []))
attempt("abs no args", lambda: abs())
attempt("divmod one arg", lambda: divmod(1))
attempt("int kw", lambda: int(x=1))
attempt("sorted no args", lambda: sorted())
attempt("list.append none", lambda: [].append())
attempt("list.append two", lambda: [].append(1, 2))
attempt("dict.get none", lambda: {}.get())
attempt("ord none", lambda: ord())
attempt("print kw", lambda: print("x", bogus=1))
attempt("isinstance bad", lambda: isinstance(1, 2))
attempt("range none", lambda: range())
attempt("range str", lambda: range("3"))
attempt("zip non iter", lambda: zip(1, [2]))
attempt("enumerate int", lambda: enumerate(5))
