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

def attempt(label, fn):
    try:
        r = fn()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "->", type(e).__name__ + ":", e)

attempt("int+str", lambda: 1 + "a")
attempt("str+int", lambda: "a" + 1)
attempt("str*str", lambda: "a" * "b")
attempt("list-list", lambda: [1] - [1])
attempt("none+int", lambda: None + 1)
attempt("dict|int", lambda: {} | 1)
attempt("tuple+list", lambda: (1,) + [2])
attempt("list+tuple", lambda: [1] + (2,))
attempt("neg str", lambda: -"a")
attempt("invert list", lambda: ~[1])
attempt("lt int str", lambda: 1 < "a")
attempt("ge list int", lambda: [1] >= 1)
attempt("lt none none", lambda: None < None)
five = 5
nothing = None
attempt("call int", lambda: five())
attempt("call str", lambda: s_abc(1))
attempt("subscript int", lambda: five[0])
attempt("subscript none", lambda: nothing["k"])
attempt("tuple item assign", lambda: tuple_assign())
attempt("len int", lambda: len(5))
attempt("iter int", lambda: list(7))
attempt("in int", lambda: 1 in 5)
attempt("floordiv zero", lambda: 7 // 0)
attempt("mod zero", lambda: 7 % 0)
attempt("divmod zero", lambda: divmod(7, 0))
attempt("pow neg mod zero", lambda: pow(2, 3, 0))
attempt("shift neg", lambda: 1 << -1)
attempt("str mod int", lambda: "x" % 5)
attempt("unhashable key", lambda: {[1]: 2})
attempt("set of lists", lambda: set([[1]]))
attempt("hash dict key", lambda: {}.get({}))
attempt("sorted mixed", lambda: sorted([3, "a", 1]))
attempt("max empty", lambda: max([]))
attempt("min empty", lambda: min([]))
attempt("sum strs", lambda: sum(["a", "b"]))
attempt("int list", lambda: int([1]))
attempt("str join ints", lambda: ",".join([1, 2]))
attempt("bool + bool", lambda: True + True)
attempt("str * neg", lambda: "ab" * -2)
attempt("list * bool", lambda: [0] * True)
attempt("str item assign", lambda: str_assign())
attempt("del str item", lambda: del_str_item())
