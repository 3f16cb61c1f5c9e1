# The main job: recurse 1,000,000 calls deep, raise at the bottom, catch at the top, and print
# the traceback CPython-style (the repeated frames collapse into "[Previous line repeated ...]").
# Run it with `shadowpy --jit=all --stats=/dev/stdout examples/deep_recursion.py`: the stats line
# shows how few frame objects the whole exercise needed.
import sys
import traceback

DEPTH = 1_000_000
sys.setrecursionlimit(DEPTH + 100_000)


def descend(n):
    if n == 0:
        raise LookupError("reached the bottom of a %d-deep recursion" % DEPTH)
    return descend(n - 1)


def count_entries(tb):
    n = 0
    while tb is not None:
        n += 1
        tb = tb.tb_next
    return n


try:
    descend(DEPTH)
except LookupError as e:
    print("caught at depth", len(traceback.extract_stack()), "with", count_entries(e.__traceback__), "traceback entries")
    traceback.print_exc(file=sys.stdout)
