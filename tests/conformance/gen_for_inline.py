# Generators resumed by `for` loops (the interpreter runs their frames inline, above the loop):
# yields, returns, errors and their tracebacks, PEP 479, exception state, frames, finalizers,
# delegation and re-entrance, each as CPython shows them.
import sys
import traceback


def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
    return "done"


def evens(it):
    for x in it:
        if x % 2 == 0:
            yield x


print([x for x in evens(count(10))], sum(x * x for x in evens(count(7))))


def failing(n):
    for i in range(n):
        yield i
    raise KeyError("gen failed")


def consume(g):
    total = 0
    for v in g:
        total += v
    return total


try:
    consume(failing(3))
except KeyError:
    traceback.print_exc(file=sys.stdout)


def stops():
    yield 1
    raise StopIteration("inner")


try:
    for v in stops():
        print("got", v)
except RuntimeError as e:
    print(type(e).__name__, e, repr(e.__cause__), e.__context__ is e.__cause__, e.__suppress_context__)
    traceback.print_exc(file=sys.stdout)


def handled_state():
    try:
        raise ValueError("inside gen")
    except ValueError:
        yield sys.exc_info()[1]
        yield sys.exc_info()[1]
    yield sys.exc_info()[1]


try:
    raise TypeError("outer")
except TypeError:
    for seen in handled_state():
        print(repr(seen), repr(sys.exc_info()[1]))
print(repr(sys.exc_info()[1]))


def frames_of():
    me = sys._getframe()
    yield me.f_back.f_code.co_name, me.f_lineno
    yield g.gi_running, g.gi_frame is me
    yield me.f_lineno


def runner():
    out = []
    for item in g:
        out.append(item)
    return out


g = frames_of()
print(runner(), g.gi_frame, g.gi_running)


def finalizing():
    try:
        yield 1
        yield 2
    finally:
        print("finally ran")


for v in finalizing():
    print("first", v)
    break
print("after break")
keep = finalizing()
for v in keep:
    break
for v in keep:
    print("continued", v)


def delegate():
    r = yield from count(3)
    yield r
    yield from failing(1)


try:
    for v in delegate():
        print("delegated", v)
except KeyError as e:
    print("delegate raised", e)
    tb = e.__traceback__
    while tb is not None:
        print(" ", tb.tb_frame.f_code.co_name, tb.tb_lineno)
        tb = tb.tb_next


def reenter():
    yield 1
    next(r)
    yield 2


r = reenter()
try:
    for v in r:
        print("reenter", v)
except ValueError as e:
    print(e)


def tree(n):
    if n:
        for x in tree(n - 1):
            yield x
    yield n


print(list(tree(30)))
sys.setrecursionlimit(200)
try:
    print(len(list(tree(500))))
except RecursionError as e:
    print("RecursionError", e)
sys.setrecursionlimit(1000)


def held():
    f = sys._getframe()
    yield f
    yield f.f_lineno


hg = held()
frame = None
for item in hg:
    if frame is None:
        frame = item
        print(frame.f_lineno, frame.f_code.co_name, frame.f_back)
    else:
        print("line", item, frame.f_lineno)
print(frame.f_back.f_code.co_name, frame.f_back.f_lineno, hg.gi_frame)
for v in failing(2):
    print("last", v)
