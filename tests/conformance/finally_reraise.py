log = []

def inner():
    try:
        log.append("inner try")
        raise ValueError("v")
    finally:
        log.append("inner finally")

def middle():
    try:
        inner()
    except ValueError:
        log.append("middle except")
        raise
    finally:
        log.append("middle finally")

try:
    middle()
except ValueError as e:
    log.append("top caught %s" % e)
print(log)

def return_in_finally():
    try:
        raise KeyError("lost")
    finally:
        return "finally wins"

print(return_in_finally())

def raise_in_finally():
    try:
        raise KeyError("original")
    finally:
        raise IndexError("from finally")

try:
    raise_in_finally()
except IndexError as e:
    print(repr(e), repr(e.__context__))

def bare_raise_later():
    try:
        raise ValueError("saved")
    except ValueError:
        try:
            raise KeyError("temporary")
        except KeyError:
            pass
        raise

try:
    bare_raise_later()
except ValueError as e:
    print("bare raise re-raised:", repr(e), e.__context__)

def finally_order():
    out = []
    for i in range(3):
        try:
            if i == 1:
                continue
            out.append("body %d" % i)
        finally:
            out.append("finally %d" % i)
    return out

print(finally_order())

def break_in_try():
    out = []
    while True:
        try:
            out.append("try")
            break
        finally:
            out.append("finally")
    out.append("after")
    return out

print(break_in_try())

def nested_finally_exception():
    try:
        try:
            1 // 0
        finally:
            print("first finally runs")
    finally:
        print("second finally runs")

try:
    nested_finally_exception()
except ZeroDivisionError as e:
    print("caught", e)

try:
    raise
except RuntimeError as e:
    print("RuntimeError:", e)
