# Functions the JIT tests (src/jit/tests/exc.rs) run both interpreted and compiled: try/except/
# finally/with, bare raise and re-raise, handlers in loops, exceptions crossing JIT segments
# (`call_jit(f, *args)` runs f compiled), and the container/format/function/import
# instructions. `log` records side effects; both runs must log the same.
import sys

log = []
gval = 5


def tb_lines(e):
    out = []
    tb = e.__traceback__
    while tb is not None:
        out.append(tb.tb_lineno)
        tb = tb.tb_next
    return out


def boom(n):
    if n == 0:
        raise ValueError("deep")
    return boom(n - 1)


def catch_simple(x):
    try:
        r = 10 // x
    except ZeroDivisionError as e:
        return ("caught", str(e), sys.exception() is e, tb_lines(e))
    return ("ok", r, sys.exception())


def finally_runs(x):
    out = []
    try:
        out.append(1)
        if x:
            raise KeyError(x)
        out.append(2)
    finally:
        out.append(3)
        log.append(out)
    return out


def nested(x):
    try:
        try:
            [1, 2][x]
        except KeyError:
            return "inner"
        finally:
            log.append("inner finally")
    except IndexError as e:
        return ("outer", repr(e), repr(sys.exception()), tb_lines(e))
    return "none"


def bare_raise(x):
    try:
        1 / x
    except ZeroDivisionError:
        log.append("re")
        raise


def bare_raise_no_active():
    raise


def reraise_in_finally(x):
    try:
        return 1 / x
    finally:
        log.append("f")


def context_chain():
    try:
        try:
            raise KeyError("a")
        except KeyError:
            raise ValueError("b")
    except ValueError as e:
        return (repr(e), repr(e.__context__), e.__suppress_context__, tb_lines(e))


def context_uncaught():
    try:
        {}["missing"]
    except KeyError:
        [][0]


def cause_chain():
    try:
        raise ValueError("x") from KeyError("y")
    except ValueError as e:
        return (repr(e.__cause__), e.__suppress_context__)


def level(n):
    if n == 0:
        raise ValueError("deep")
    return call_jit(level, n - 1)


def through_calls(n):
    try:
        call_jit(level, n)
    except ValueError as e:
        return ("through", str(e), tb_lines(e))


def through_calls_uncaught(n):
    try:
        return call_jit(level, n)
    finally:
        log.append(n)


def through_builtin(s):
    try:
        return int(s)
    except ValueError as e:
        return ("bad", str(e), tb_lines(e))


def match_tuple(x):
    try:
        {}[x]
    except (TypeError, KeyError) as e:
        return repr(e)


def no_match(x):
    try:
        {}[x]
    except TypeError:
        return "wrong"


def bad_clause():
    try:
        {}[1]
    except 5:
        return "no"


def loop_try(items):
    total = 0
    for x in items:
        try:
            total += 10 // x
        except ZeroDivisionError:
            total += 1000
            continue
        finally:
            total += 1
        if total > 100000:
            break
    return total


def deep_stack(lst, x):
    try:
        return (lst, lst, [lst, lst][x], lst)
    except IndexError:
        return len(lst)


def exc_info_nesting():
    out = []
    try:
        raise KeyError("outer")
    except KeyError:
        out.append(repr(sys.exception()))
        try:
            raise ValueError("inner")
        except ValueError:
            out.append(repr(sys.exception()))
        out.append(repr(sys.exception()))
    out.append(repr(sys.exception()))
    return out


def return_in_finally(x):
    try:
        raise KeyError(x)
    finally:
        return "swallowed"


def break_in_except(items):
    n = 0
    for x in items:
        try:
            n += 1 // x
        except ZeroDivisionError:
            break
    return n


def raiser():
    raise ValueError("fresh")


def enter():
    log.append("enter")
    return 7


def exit_true(t, e, tb):
    log.append(("exit", t, repr(e), tb is None))
    return True


def exit_false(t, e, tb):
    log.append(("exit", t, repr(e), tb is None))
    return False


def with_ok(cm):
    with cm as v:
        log.append(v)
    return "done"


def with_return(cm):
    with cm as v:
        return v * 2


def with_suppress(cm):
    with cm as v:
        raise KeyError(v)
    return ("suppressed", sys.exception())


def with_propagate(cm):
    with cm:
        raise KeyError("p")


def with_nested(cm, cm2):
    try:
        with cm as a, cm2 as b:
            [][a + b]
    except IndexError as e:
        return ("nested with", tb_lines(e))


def builders(a, b):
    d = {a: b, "k": [a, b]}
    s = {a, b, a}
    sl = [0, 1, 2, 3, 4][a:b]
    sl2 = [0, 1, 2, 3, 4][::b]
    f = f"{a}-{b!r}-{a:>5}-{b!s}-{'é'!a}-{d}"
    return (d, s, sl, sl2, f)


def bad_format(x):
    return f"{x:q}"


def bad_key(x):
    return {x: 1}


def comps(n):
    l = [i * i for i in range(n)]
    s = {i % 3 for i in range(n)}
    d = {i: i * 2 for i in range(n)}
    return (l, s, d)


def comp_error(items):
    return [10 // x for x in items]


def comp_caught(items):
    try:
        return {x: 10 // x for x in items}
    except ZeroDivisionError as e:
        return ("comp", tb_lines(e))


def make_fn(k):
    def inner(x, y=k):
        return x + y
    def plain():
        return gval
    return (inner(1), inner(1, 2), plain(), inner.__name__)


def imports():
    import sys
    from sys import exception
    return (sys.__name__, exception())


def import_missing():
    from sys import nope


def del_global():
    global gtemp
    gtemp = 1
    del gtemp
    try:
        gtemp
    except NameError as e:
        return str(e)


def del_global_missing():
    global never
    del never


def raise_with(x):
    raise ValueError(x)


def outer_jit(x):
    try:
        return call_jit(raise_with, x)
    except ValueError as e:
        return ("caught", str(e), tb_lines(e), repr(sys.exception()))


def outer_jit_uncaught(x):
    try:
        return call_jit(raise_with, x)
    except KeyError:
        return "wrong"


def raise_arg(e):
    try:
        raise e
    except ValueError:
        return sys.exception() is e


def raise_arg_uncaught(e, lst):
    try:
        raise e
    finally:
        lst.append(1)


def else_finally(x):
    out = []
    try:
        out.append(10 // x)
    except ZeroDivisionError:
        out.append("zero")
    else:
        out.append("else")
        return out
    finally:
        out.append(repr(sys.exception()))
    return out


def raise_in_finally(x):
    try:
        raise KeyError(x)
    finally:
        raise ValueError("from finally")


def bad_except_name():
    try:
        [][1]
    except undefined_name:
        return "no"


def as_name_unbound():
    try:
        raise KeyError(1)
    except KeyError as e:
        pass
    return e


def assert_caught(x):
    try:
        assert x, "msg"
        return "passed"
    except AssertionError as e:
        return ("assert", repr(e), tb_lines(e))


def loop_with(cm, n):
    out = []
    for i in range(n):
        try:
            with cm as v:
                if i % 2:
                    continue
                out.append(10 // (i - 2))
        finally:
            out.append(-i)
    return out
