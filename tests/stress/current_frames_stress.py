# Stress: workers in deep recursion (JIT frames under --jit=all, interpreter frames under
# --jit=off, both under --jit=hot) while two sampler threads call sys._current_frames() many
# times (each also handshakes with the other: requests in both directions at once);
# workers keep exiting and being replaced during the walks. Every sample is checked: the names of
# the frames of each worker's whole f_back chain, their line numbers (within the function), the
# recursion depth, and the locals of each recursion frame (n grows by one along f_back).
#
# usage: current_frames_stress.py [SAMPLES] [WORKERS] [DEPTH] [DEEP] [v]
#   DEEP: samples that must see a worker deeper than DEPTH/2 (default SAMPLES/4); v: counts
import sys
import threading
import time

SAMPLES = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
WORKERS = int(sys.argv[2]) if len(sys.argv) > 2 else 4
DEPTH = int(sys.argv[3]) if len(sys.argv) > 3 else 60
DEEP = int(sys.argv[4]) if len(sys.argv) > 4 else SAMPLES // 4

running = [True]
errors = []


def spin(k):
    i = 0
    while i < 3000:
        i = i + 1
    return i


def rec(n, k):
    if n == DEPTH:
        return spin(k)
    return rec(n + 1, k) + 1


def worker(k, rounds):
    total = 0
    for r in range(rounds):
        total = total + rec(0, k)
        if not running[0]:
            break
    return total


LINES = {}
for f in (spin, rec, worker):
    c = f.__code__
    LINES[c.co_name] = c.co_firstlineno


def last_line(name):
    return LINES[name] + {"spin": 4, "rec": 3, "worker": 6}[name]


def check_chain(f, ident):
    # Innermost first: [spin] rec(DEPTH) ... rec(0) worker run
    names = []
    prev_n = None
    depth = 0
    while f is not None:
        name = f.f_code.co_name
        names.append(name)
        line = f.f_lineno
        if name in LINES:
            if not (LINES[name] <= line <= last_line(name)):
                errors.append("line %d of %s" % (line, name))
        if name == "rec":
            n = f.f_locals["n"]
            if prev_n is not None and n != prev_n - 1:
                errors.append("rec n %d after %d" % (n, prev_n))
            prev_n = n
            depth += 1
        f = f.f_back
    if depth > DEPTH // 2:
        samples[2] += 1
    if not names or names == ["run"]:
        return  # not started yet, or done
    # The bottom frames are worker's and the thread bootstrap's (which is not ours).
    if "worker" not in names:
        errors.append("no worker frame in %s" % names)
        return
    w = names.index("worker")
    body = names[:w]
    allowed = ["spin", "rec"]
    for nm in body:
        if nm not in allowed:
            errors.append("unexpected frame %s" % nm)
    if len(names) - w > 2:
        errors.append("frames below worker: %s" % names[w:])
    if depth > DEPTH + 1:
        errors.append("depth %d" % depth)
    if body and body[0] == "spin" and depth != DEPTH + 1:
        errors.append("spin at depth %d" % depth)
    if depth and prev_n != 0:
        errors.append("outermost rec has n=%d" % prev_n)


samples = [0, 0, 0]
started = [0]


sampler_idents = []
go = threading.Event()


def sampler(primary):
    go.wait()
    me = threading.get_ident()
    main = threading.main_thread().ident
    while running[0] if not primary else (
            samples[0] < SAMPLES or started[0] < 3 * WORKERS or samples[2] < DEEP):
        frames = sys._current_frames()
        if me not in frames:
            errors.append("sampler missing")
        for ident, f in frames.items():
            if ident == me or ident == main or ident in sampler_idents:
                if ident != me and f.f_code.co_name not in ("sampler", "check_chain", "last_line", "run"):
                    if ident in sampler_idents:
                        errors.append("sampler frame %s" % f.f_code.co_name)
                continue
            if not primary:
                check_chain(f, ident)
                continue
            samples[1] += 1
            check_chain(f, ident)
        if primary:
            samples[0] += 1
    if primary:
        running[0] = False


second = threading.Thread(target=sampler, args=(False,), name="sampler2")
second.start()
sampler_idents.append(second.ident)
st = threading.Thread(target=sampler, args=(True,), name="sampler")
st.start()
sampler_idents.append(st.ident)
go.set()
workers = []
while running[0]:
    workers = [w for w in workers if w.is_alive()]
    while len(workers) < WORKERS and running[0]:
        w = threading.Thread(target=worker, args=(started[0], 50 + started[0] % 50))
        started[0] += 1
        w.start()
        workers.append(w)
    time.sleep(0.001)
st.join()
second.join()
for w in workers:
    w.join()
if errors:
    print("errors", len(errors), errors[:10])
else:
    print("ok")
print("threads started:", started[0] >= 3 * WORKERS, file=sys.stderr)
print("worker samples:", samples[1] > 0, file=sys.stderr)
print("deep samples:", samples[2] > 0, file=sys.stderr)
if len(sys.argv) > 5:
    print("samples", samples[0], "worker chains", samples[1], "deep", samples[2],
          "threads", started[0], file=sys.stderr)
if errors:
    sys.exit(1)
