def unpack_many():
    a, b = [1, 2, 3]
    return a

def unpack_few():
    a, b, c = (1, 2)
    return a

def unpack_int():
    a, b = 5
    return a

def attempt(label, fn):
    try:
        r = fn()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "->", type(e).__name__ + ":", e)

attempt("int abc", lambda: int("abc"))
attempt("int empty", lambda: int(""))
attempt("int spaces", lambda: int("  42  "))
attempt("int underscore", lambda: int("1_000"))
attempt("int plus", lambda: int("+7"))
attempt("int float str", lambda: int("1.5"))
attempt("int base 16", lambda: int("ff", 16))
attempt("int base 2 bad", lambda: int("102", 2))
attempt("int base 0", lambda: int("0x1f", 0))
attempt("int base 99", lambda: int("1", 99))
attempt("int none", lambda: int(None))
attempt("int bool", lambda: int(True))
attempt("chr big", lambda: chr(1114112))
attempt("chr neg", lambda: chr(-1))
attempt("ord long", lambda: ord("ab"))
attempt("ord empty", lambda: ord(""))
attempt("unpack many", lambda: unpack_many())
attempt("unpack few", lambda: unpack_few())
attempt("unpack int", lambda: unpack_int())
attempt("range step 0", lambda: range(1, 5, 0))
attempt("split empty sep", lambda: "a b".split(""))
attempt("dict from list", lambda: dict([1, 2]))
attempt("dict seq len", lambda: dict([(1, 2, 3)]))
attempt("huge str", lambda: len(str(10 ** 5000)))
attempt("pow mod inverse none", lambda: pow(2, -1, 4))
attempt("hex str", lambda: hex("1"))

