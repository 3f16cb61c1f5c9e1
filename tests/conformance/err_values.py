def unpack_many():
    a, b = [1, 2, 3]
    return a

def unpack_few():
    a, b, c = (1, 2)
    return a

def unpack_int():
    a, b = 5
    return a

try:
    print("int abc", "->", repr(int("abc")))
except Exception as e:
    print("int abc", "->", type(e).__name__ + ":", e)
try:
    print("int empty", "->", repr(int("")))
except Exception as e:
    print("int empty", "->", type(e).__name__ + ":", e)
try:
    print("int spaces", "->", repr(int("  42  ")))
except Exception as e:
    print("int spaces", "->", type(e).__name__ + ":", e)
try:
    print("int underscore", "->", repr(int("1_000")))
except Exception as e:
    print("int underscore", "->", type(e).__name__ + ":", e)
try:
    print("int plus", "->", repr(int("+7")))
except Exception as e:
    print("int plus", "->", type(e).__name__ + ":", e)
try:
    print("int float str", "->", repr(int("1.5")))
except Exception as e:
    print("int float str", "->", type(e).__name__ + ":", e)
try:
    print("int base 16", "->", repr(int("ff", 16)))
except Exception as e:
    print("int base 16", "->", type(e).__name__ + ":", e)
try:
    print("int base 2 bad", "->", repr(int("102", 2)))
except Exception as e:
    print("int base 2 bad", "->", type(e).__name__ + ":", e)
try:
    print("int base 0", "->", repr(int("0x1f", 0)))
except Exception as e:
    print("int base 0", "->", type(e).__name__ + ":", e)
try:
    print("int base 99", "->", repr(int("1", 99)))
except Exception as e:
    print("int base 99", "->", type(e).__name__ + ":", e)
try:
    print("int none", "->", repr(int(None)))
except Exception as e:
    print("int none", "->", type(e).__name__ + ":", e)
try:
    print("int bool", "->", repr(int(True)))
except Exception as e:
    print("int bool", "->", type(e).__name__ + ":", e)
try:
    print("chr big", "->", repr(chr(1114112)))
except Exception as e:
    print("chr big", "->", type(e).__name__ + ":", e)
try:
    print("chr neg", "->", repr(chr(-1)))
except Exception as e:
    print("chr neg", "->", type(e).__name__ + ":", e)
try:
    print("ord long", "->", repr(ord("ab")))
except Exception as e:
    print("ord long", "->", type(e).__name__ + ":", e)
try:
    print("ord empty", "->", repr(ord("")))
except Exception as e:
    print("ord empty", "->", type(e).__name__ + ":", e)
try:
    print("unpack many", "->", repr(unpack_many()))
except Exception as e:
    print("unpack many", "->", type(e).__name__ + ":", e)
try:
    print("unpack few", "->", repr(unpack_few()))
except Exception as e:
    print("unpack few", "->", type(e).__name__ + ":", e)
try:
    print("unpack int", "->", repr(unpack_int()))
except Exception as e:
    print("unpack int", "->", type(e).__name__ + ":", e)
try:
    print("range step 0", "->", repr(range(1, 5, 0)))
except Exception as e:
    print("range step 0", "->", type(e).__name__ + ":", e)
try:
    print("split empty sep", "->", repr("a b".split("")))
except Exception as e:
    print("split empty sep", "->", type(e).__name__ + ":", e)
try:
    print("dict from list", "->", repr(dict([1, 2])))
except Exception as e:
    print("dict from list", "->", type(e).__name__ + ":", e)
try:
    print("dict seq len", "->", repr(dict([(1, 2, 3)])))
except Exception as e:
    print("dict seq len", "->", type(e).__name__ + ":", e)
try:
    print("huge str", "->", repr(len(str(10 ** 5000))))
except Exception as e:
    print("huge str", "->", type(e).__name__ + ":", e)
try:
    print("pow mod inverse none", "->", repr(pow(2, -1, 4)))
except Exception as e:
    print("pow mod inverse none", "->", type(e).__name__ + ":", e)
try:
    print("hex str", "->", repr(hex("1")))
except Exception as e:
    print("hex str", "->", type(e).__name__ + ":", e)

