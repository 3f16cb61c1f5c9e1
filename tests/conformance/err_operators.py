s_abc = "abc"

def tuple_assign():
    t = (1, 2)
    t[0] = 5

def str_assign():
    s = "abc"
    s[0] = "x"

def del_str_item():
    s = "abc"
    del s[0]

try:
    print("int+str", "->", repr(1 + "a"))
except Exception as e:
    print("int+str", "->", type(e).__name__ + ":", e)
try:
    print("str+int", "->", repr("a" + 1))
except Exception as e:
    print("str+int", "->", type(e).__name__ + ":", e)
try:
    print("str*str", "->", repr("a" * "b"))
except Exception as e:
    print("str*str", "->", type(e).__name__ + ":", e)
try:
    print("list-list", "->", repr([1] - [1]))
except Exception as e:
    print("list-list", "->", type(e).__name__ + ":", e)
try:
    print("none+int", "->", repr(None + 1))
except Exception as e:
    print("none+int", "->", type(e).__name__ + ":", e)
try:
    print("dict|int", "->", repr({} | 1))
except Exception as e:
    print("dict|int", "->", type(e).__name__ + ":", e)
try:
    print("tuple+list", "->", repr((1,) + [2]))
except Exception as e:
    print("tuple+list", "->", type(e).__name__ + ":", e)
try:
    print("list+tuple", "->", repr([1] + (2,)))
except Exception as e:
    print("list+tuple", "->", type(e).__name__ + ":", e)
try:
    print("neg str", "->", repr(-"a"))
except Exception as e:
    print("neg str", "->", type(e).__name__ + ":", e)
try:
    print("invert list", "->", repr(~[1]))
except Exception as e:
    print("invert list", "->", type(e).__name__ + ":", e)
try:
    print("lt int str", "->", repr(1 < "a"))
except Exception as e:
    print("lt int str", "->", type(e).__name__ + ":", e)
try:
    print("ge list int", "->", repr([1] >= 1))
except Exception as e:
    print("ge list int", "->", type(e).__name__ + ":", e)
try:
    print("lt none none", "->", repr(None < None))
except Exception as e:
    print("lt none none", "->", type(e).__name__ + ":", e)
five = 5
nothing = None
try:
    print("call int", "->", repr(five()))
except Exception as e:
    print("call int", "->", type(e).__name__ + ":", e)
try:
    print("call str", "->", repr(s_abc(1)))
except Exception as e:
    print("call str", "->", type(e).__name__ + ":", e)
try:
    print("subscript int", "->", repr(five[0]))
except Exception as e:
    print("subscript int", "->", type(e).__name__ + ":", e)
try:
    print("subscript none", "->", repr(nothing["k"]))
except Exception as e:
    print("subscript none", "->", type(e).__name__ + ":", e)
try:
    print("tuple item assign", "->", repr(tuple_assign()))
except Exception as e:
    print("tuple item assign", "->", type(e).__name__ + ":", e)
try:
    print("len int", "->", repr(len(5)))
except Exception as e:
    print("len int", "->", type(e).__name__ + ":", e)
try:
    print("iter int", "->", repr(list(7)))
except Exception as e:
    print("iter int", "->", type(e).__name__ + ":", e)
try:
    print("in int", "->", repr(1 in 5))
except Exception as e:
    print("in int", "->", type(e).__name__ + ":", e)
try:
    print("floordiv zero", "->", repr(7 // 0))
except Exception as e:
    print("floordiv zero", "->", type(e).__name__ + ":", e)
try:
    print("mod zero", "->", repr(7 % 0))
except Exception as e:
    print("mod zero", "->", type(e).__name__ + ":", e)
try:
    print("divmod zero", "->", repr(divmod(7, 0)))
except Exception as e:
    print("divmod zero", "->", type(e).__name__ + ":", e)
try:
    print("pow neg mod zero", "->", repr(pow(2, 3, 0)))
except Exception as e:
    print("pow neg mod zero", "->", type(e).__name__ + ":", e)
try:
    print("shift neg", "->", repr(1 << -1))
except Exception as e:
    print("shift neg", "->", type(e).__name__ + ":", e)
try:
    print("str mod int", "->", repr("x" % 5))
except Exception as e:
    print("str mod int", "->", type(e).__name__ + ":", e)
try:
    print("unhashable key", "->", repr({[1]: 2}))
except Exception as e:
    print("unhashable key", "->", type(e).__name__ + ":", e)
try:
    print("set of lists", "->", repr(set([[1]])))
except Exception as e:
    print("set of lists", "->", type(e).__name__ + ":", e)
try:
    print("hash dict key", "->", repr({}.get({})))
except Exception as e:
    print("hash dict key", "->", type(e).__name__ + ":", e)
try:
    print("sorted mixed", "->", repr(sorted([3, "a", 1])))
except Exception as e:
    print("sorted mixed", "->", type(e).__name__ + ":", e)
try:
    print("max empty", "->", repr(max([])))
except Exception as e:
    print("max empty", "->", type(e).__name__ + ":", e)
try:
    print("min empty", "->", repr(min([])))
except Exception as e:
    print("min empty", "->", type(e).__name__ + ":", e)
try:
    print("sum strs", "->", repr(sum(["a", "b"])))
except Exception as e:
    print("sum strs", "->", type(e).__name__ + ":", e)
try:
    print("int list", "->", repr(int([1])))
except Exception as e:
    print("int list", "->", type(e).__name__ + ":", e)
try:
    print("str join ints", "->", repr(",".join([1, 2])))
except Exception as e:
    print("str join ints", "->", type(e).__name__ + ":", e)
try:
    print("bool + bool", "->", repr(True + True))
except Exception as e:
    print("bool + bool", "->", type(e).__name__ + ":", e)
try:
    print("str * neg", "->", repr("ab" * -2))
except Exception as e:
    print("str * neg", "->", type(e).__name__ + ":", e)
try:
    print("list * bool", "->", repr([0] * True))
except Exception as e:
    print("list * bool", "->", type(e).__name__ + ":", e)
try:
    print("str item assign", "->", repr(str_assign()))
except Exception as e:
    print("str item assign", "->", type(e).__name__ + ":", e)
try:
    print("del str item", "->", repr(del_str_item()))
except Exception as e:
    print("del str item", "->", type(e).__name__ + ":", e)
