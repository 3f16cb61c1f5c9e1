def order(kind):
    log = []
    try:
        log.append("try")
        if kind == "raise":
            raise ValueError("v")
        if kind == "return":
            return log
    except ValueError:
        log.append("except")
    else:
        log.append("else")
    finally:
        log.append("finally")
    log.append("after")
    return log

print(order("raise"))
print(order("ok"))
print(order("return"))

def finally_overrides_return():
    try:
        return "try"
    finally:
        print("finally sees the pending return")

print(finally_overrides_return())

def value_after_finally():
    x = 1
    try:
        return x
    finally:
        x = 2

print(value_after_finally())

def loop_with_try():
    out = []
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        except Exception:
            out.append("never")
        finally:
            out.append("f%d" % i)
    else:
        out.append("no else")
    return out

print(loop_with_try())

def handler_raises_new():
    try:
        try:
            raise KeyError("k")
        except KeyError:
            raise ValueError("from handler")
    except ValueError as e:
        return repr(e), repr(e.__context__)

print(handler_raises_new())

def nested_handlers():
    out = []
    try:
        try:
            [][1]
        except KeyError:
            out.append("wrong handler")
        finally:
            out.append("inner finally")
    except IndexError as e:
        out.append("outer caught %s" % e)
    return out

print(nested_handlers())

def reraise_with_except_else():
    try:
        pass
    except Exception:
        return "except"
    else:
        try:
            raise TypeError("in else")
        except TypeError as e:
            return "else handled %s" % e

print(reraise_with_except_else())

def exception_var_scope():
    results = []
    for i in range(2):
        try:
            raise ValueError(i)
        except ValueError as err:
            results.append(err.args[0])
    return results

print(exception_var_scope())

def while_try_break():
    n = 0
    while True:
        try:
            n += 1
            if n > 3:
                raise StopIteration
        except StopIteration:
            break
    return n

print(while_try_break())

def raise_from_except_in_loop():
    errors = []
    for v in ["1", "x", "3", "y"]:
        try:
            int(v)
        except ValueError as e:
            errors.append(str(e))
    return errors

print(raise_from_except_in_loop())
