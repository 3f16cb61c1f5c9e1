import traceback

counter = 10

def typo_global():
    return countr + 1

def typo_local():
    total_value = 5
    return total_valu

def no_suggestion():
    return qqqqqqqqqq

def unbound():
    if False:
        late = 1
    return late

def unbound_before_assign():
    x = y_later + 1
    y_later = 2
    return x

def global_missing():
    global never_defined
    return never_defined

def builtin_typo():
    return lenn([1])

def module_hint():
    return time.time()

def deleted():
    gone = 1
    del gone
    return gone

for fn in [typo_global, typo_local, no_suggestion, unbound, unbound_before_assign,
           global_missing, builtin_typo, module_hint, deleted]:
    try:
        fn()
    except NameError as e:
        print(type(e).__name__, "|", e, "|", e.name)
        print(traceback.format_exception_only(e), isinstance(e, UnboundLocalError))
        print(traceback.format_exception(e)[-1], end="")

try:
    del undefined_at_module
except NameError as e:
    print(e)
