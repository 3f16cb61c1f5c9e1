# Tracebacks through compiled generators: raised after several resumptions, through next()
# called by a compiled function, with tb_frame locals of the generator frames.
import sys, traceback

def producer(limit):
    n = 0
    while True:
        n += 1
        if n > limit:
            raise LookupError(f"past {limit}")
        yield n

def consumer(limit):
    g = producer(limit)
    total = 0
    for v in g:
        total += v
    return total

try:
    consumer(4)
except LookupError as e:
    traceback.print_exc()
    tb = e.__traceback__
    while tb is not None:
        f = tb.tb_frame
        names = sorted(f.f_locals) if f.f_code.co_name != "<module>" else "..."
        print(f.f_code.co_name, tb.tb_lineno, names)
        tb = tb.tb_next

def gen_in_try():
    try:
        yield 1
        1 / 0
    except ZeroDivisionError as e:
        saved = e
    yield saved

g = gen_in_try()
next(g)
err = next(g)
print(type(err).__name__, [t.name for t in traceback.extract_tb(err.__traceback__)])
print(err.__traceback__.tb_frame.f_code.co_name, err.__traceback__.tb_frame is g.gi_frame)
