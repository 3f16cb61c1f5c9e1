import traceback

def show(fn):
    try:
        fn()
    except Exception:
        print(traceback.format_exc(), end="")
    print("--")

def binop():
    a = 1
    b = "x"
    return a + b

def binop_nested():
    values = [1, 2, 0]
    return values[0] + values[1] // values[2]

def binop_spaces():
    left = 7
    right = 0
    return left    %    right

def subscript_dict():
    d = {"a": {"b": 1}}
    return d["a"]["c"]

def subscript_list():
    items = [1, 2, 3]
    idx = 7
    total = items[0] + items[idx]
    return total

def method_call():
    items = [3, 4]
    return items.index(99)

def method_chain():
    text = "a,b"
    return text.upper().split(",").index("z")

def nested_calls():
    return str(int("12") + int("zz"))

def attr_missing():
    value = 5
    return value.bogus

def call_none():
    f = None
    return f(1)

def aug_assign():
    n = 1
    n += "s"
    return n

def compare():
    return 1 < "2"

def unary():
    return -"x"

def assign_call():
    x = int("q")
    return x

def return_call():
    return int("q")

def assign_attr_call():
    d = {}
    d["k"] = int("q")
    return d

def tuple_target():
    a, b = divmod(1, 0)
    return a

def expr_statement():
    int("q")

def call_in_condition():
    if len(5) > 1:
        return 1

def raise_stmt():
    raise ValueError("plain raise")

def assert_stmt():
    x = 1
    assert x == 2, "x is %d" % x

def assert_no_msg():
    items = []
    assert len(items) > 0

def multiline_return_call():
    return int(
        "q"
    )

def multiline_method():
    parts = ["a", "b"]
    return parts.index(
        "c")

def multiline_subscript():
    table = {"k": 1}
    return table[
        "missing"
    ]

def multiline_binop():
    a = 1
    return (a +
            "s")

def multiline_dict_literal():
    return {
        "a": 1,
        "b": 1 // 0,
    }

def call_with_kwargs():
    return sorted([3, 1], reverse=int("x"))

for fn in [assert_no_msg, multiline_return_call, multiline_method, multiline_subscript,
           multiline_binop, multiline_dict_literal, call_with_kwargs, binop, binop_nested, binop_spaces, subscript_dict, subscript_list,
           method_call, method_chain, nested_calls, attr_missing, call_none,
           aug_assign, compare, unary, assign_call, return_call,
           assign_attr_call, tuple_target, expr_statement, call_in_condition,
           raise_stmt, assert_stmt]:
    show(fn)
