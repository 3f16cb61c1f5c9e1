def risky(kind):
    if kind == "key":
        return {}["x"]
    if kind == "index":
        return [][0]
    if kind == "zero":
        return 1 // 0
    if kind == "type":
        return 1 + "a"
    return "fine"

for kind in ["key", "index", "zero", "type", "none"]:
    try:
        result = risky(kind)
    except (KeyError, IndexError) as e:
        print("lookup error:", type(e).__name__, e)
    except ZeroDivisionError:
        print("zero")
    except Exception as e:
        print("other:", type(e).__name__, e)
    else:
        print("no error:", result)
    finally:
        print("finally for", kind)

try:
    risky("key")
except LookupError as e:
    print("LookupError catches", type(e).__name__, isinstance(e, KeyError), isinstance(e, LookupError))

def deleted_after():
    e = "before"
    try:
        raise ValueError("x")
    except ValueError as e:
        pass
    try:
        return e
    except UnboundLocalError as err:
        return "UnboundLocalError: %s" % err

print(deleted_after())

try:
    raise KeyError("module level")
except KeyError as exc:
    print(repr(exc))
try:
    exc
except NameError as err:
    print("NameError:", err)

types = (ValueError, TypeError)
try:
    int("x")
except types as e:
    print("tuple variable:", type(e).__name__)

try:
    try:
        raise TypeError("inner")
    except ValueError:
        print("not here")
except TypeError as e:
    print("outer got", e)

def except_returns():
    try:
        raise ValueError("v")
    except ValueError:
        return "from except"
    finally:
        print("finally before return")

print(except_returns())
print(isinstance(KeyError("a"), Exception), isinstance(KeyError("a"), (IndexError, LookupError)))
try:
    raise StopIteration
except Exception as e:
    print(type(e).__name__, isinstance(e, Exception))
try:
    raise ValueError("a", 2)
except ValueError as e:
    print(e.args, str(e), repr(e))
