# A post-mortem inspector: a deep computation fails; the traceback's frames are walked and each
# level's locals printed, from the failure up to the top. Run it with
#   cargo run --release -- --jit=all --stats=/dev/stderr examples/postmortem.py
# Under the JIT the computation runs with no frame objects at all: the traceback records only
# code, instruction and a lazy identity per frame, and each `tb_frame` is built when it is read.
import sys

sys.setrecursionlimit(20_000)


def collatz_steps(n, steps, budget):
    if n == 1:
        return steps
    if budget == 0:
        raise RuntimeError("budget exhausted at n=%d" % n)
    nxt = n // 2 if n % 2 == 0 else 3 * n + 1
    return collatz_steps(nxt, steps + 1, budget - 1)


def survey(limit, budget):
    worst = 0
    for start in range(1, limit):
        worst = max(worst, collatz_steps(start, 0, budget))
    return worst


def inspect(exc, show):
    tb = exc.__traceback__
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    print("%s: %s" % (type(exc).__name__, exc))
    print("%d frames in the traceback; the innermost %d:" % (len(entries), show))
    # Only the frames read here are ever built (see --stats).
    for entry in reversed(entries[-show:]):
        frame = entry.tb_frame
        local = frame.f_locals
        shown = ", ".join(["%s=%r" % (k, local[k]) for k in sorted(local)])
        print("  %s line %d: %s" % (frame.f_code.co_name, entry.tb_lineno, shown))
    top = entries[0].tb_frame
    names = [k for k in sorted(top.f_locals) if not k.startswith("__")]
    print("outermost: %s line %d, names %s" % (top.f_code.co_name, entries[0].tb_lineno, names))


try:
    survey(10_000, 200)
except RuntimeError as e:
    inspect(e, 5)
