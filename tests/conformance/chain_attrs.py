def implicit():
    try:
        raise KeyError("first")
    except KeyError:
        raise ValueError("second")

def explicit():
    try:
        raise KeyError("first")
    except KeyError as e:
        raise ValueError("second") from e

def suppressed():
    try:
        raise KeyError("first")
    except KeyError:
        raise ValueError("second") from None

def cause_other():
    try:
        raise KeyError("first")
    except KeyError:
        raise ValueError("second") from IndexError("other")

def describe(label, fn):
    try:
        fn()
    except ValueError as e:
        print(label, repr(e.__cause__), repr(e.__context__), e.__suppress_context__)

describe("implicit", implicit)
describe("explicit", explicit)
describe("suppressed", suppressed)
describe("cause_other", cause_other)

e = ValueError("fresh")
print(e.__cause__, e.__context__, e.__suppress_context__, e.__traceback__)
e.__cause__ = KeyError("set by hand")
print(repr(e.__cause__), e.__suppress_context__)
e.__suppress_context__ = False
print(e.__suppress_context__)

def three_deep():
    try:
        try:
            raise KeyError("a")
        except KeyError:
            raise IndexError("b")
    except IndexError:
        raise ValueError("c")

try:
    three_deep()
except ValueError as e:
    chain = []
    cur = e
    while cur is not None:
        chain.append(repr(cur))
        cur = cur.__context__
    print(chain)

def same_object():
    err = KeyError("again")
    try:
        raise err
    except KeyError:
        raise err

try:
    same_object()
except KeyError as e:
    print(repr(e), e.__context__)

try:
    try:
        raise KeyError("inner")
    except KeyError as e:
        raise e
except KeyError as outer:
    print(repr(outer), outer.__context__)

try:
    raise ValueError("with cause") from KeyError("c")
except ValueError as e:
    print(repr(e.__cause__), e.__context__, e.__suppress_context__)
