# Exceptions raised by compiled functions while another exception is being handled: implicit
# __context__, sys.exc_info()/sys.exception() seen from compiled code, re-raise, raise from.
import sys
import traceback

def inner_fail(k):
    return [0][k]

def raise_new(msg):
    raise ValueError(msg)

def current():
    e = sys.exception()
    info = sys.exc_info()
    if e is None:
        return None
    return type(e).__name__, str(e), info[1] is e, info[0] is type(e), info[2] is e.__traceback__

def handler(i):
    try:
        inner_fail(5)
    except IndexError:
        seen = current()
        try:
            raise_new("during %d" % i)
        except ValueError as v:
            return seen, repr(v.__context__), v.__cause__, v.__suppress_context__, current()
    return None

res = []
for i in range(25):
    res.append(handler(i))
print(res[0])
print(res[24])
print(current())

# Implicit chaining when the compiled function raises from inside an except block of its caller.
def chained(i):
    try:
        raise KeyError(i)
    except KeyError:
        raise_new("x%d" % i)

outs = []
for i in range(20):
    try:
        chained(i)
    except ValueError as e:
        c = e.__context__
        outs.append((str(e), repr(c), c.__traceback__.tb_frame.f_code.co_name, e.__traceback__.tb_next.tb_next.tb_frame.f_code.co_name))
print(outs[0], outs[19])

# raise ... from ... inside compiled code.
def converter(v):
    if v < 0:
        raise RuntimeError("negative") from ValueError(v)
    if v == 0:
        raise RuntimeError("zero") from None
    return v

for i in range(20):
    converter(i + 1)
for v in [-1, 0]:
    try:
        converter(v)
    except RuntimeError as e:
        print(repr(e), repr(e.__cause__), e.__suppress_context__, repr(e.__context__))

# The uncaught output of a chained exception whose frames are compiled.
def deep_raise(n, msg):
    if n == 0:
        raise_new(msg)
    deep_raise(n - 1, msg)

def wrap(n):
    try:
        deep_raise(n, "first")
    except ValueError as e:
        deep_raise(n, "second")

for i in range(20):
    try:
        wrap(2)
    except ValueError:
        pass
try:
    wrap(3)
except ValueError:
    traceback.print_exc()
print(sys.exc_info())

def exc_info_in_jit(depth):
    if depth > 0:
        return exc_info_in_jit(depth - 1)
    return current()

try:
    raise OSError("outer")
except OSError:
    res = []
    for i in range(20):
        res.append(exc_info_in_jit(3))
    print(res[0], res.count(res[0]))
print(exc_info_in_jit(2))
wrap(4)
