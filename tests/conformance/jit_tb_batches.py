# The traceback entries of a JIT recursion are built in batches when a tb_next is first read,
# and share one count of their segment (frame/entry_refs.rs). Whatever order entries are read,
# kept and dropped in, across batch boundaries and threads, every answer must be CPython's: the
# same entry each time a link is read, line numbers, frames and their locals, f_back links.
import sys
import threading

sys.setrecursionlimit(5000)


def down(n, box):
    mark = n * 10
    if n == 0:
        raise KeyError("bottom")
    return down(n - 1, box)


def raised(n, box=None):
    try:
        down(n, box)
    except KeyError as e:
        return e
    raise AssertionError("no error")


def entries(tb):
    out = []
    while tb is not None:
        out.append(tb)
        tb = tb.tb_next
    return out


# Lengths around the batch size: each entry once, in order, with its frame's locals.
for n in (0, 1, 14, 15, 16, 17, 31, 32, 33, 50):
    tbs = entries(raised(n).__traceback__)
    marks = [tb.tb_frame.f_locals.get("mark") for tb in tbs]
    lines = sorted(set(tb.tb_lineno for tb in tbs))
    print(n, len(tbs), lines, marks[:3], marks[-3:])

# The same link read twice is the same entry, at every position.
e = raised(40)
tb = e.__traceback__
same = []
while tb is not None:
    same.append(tb.tb_next is tb.tb_next)
    tb = tb.tb_next
print("same entry each read:", all(same), len(same))

# Keep one entry in the middle of a batch, drop the exception and everything before it, then
# walk on from it.
e = raised(60)
tb = e.__traceback__
for _ in range(20):
    tb = tb.tb_next
del e
rest = entries(tb)
print("walked on:", len(rest), [t.tb_frame.f_locals["mark"] for t in rest[:4]], rest[-1].tb_lineno)
del tb, rest

# Keep every seventh entry only; read them after the others are gone.
e = raised(70)
kept = entries(e.__traceback__)[::7]
del e
print("kept:", [(t.tb_lineno, t.tb_frame.f_locals.get("n")) for t in kept])
print("nexts:", [t.tb_next.tb_frame.f_locals.get("n") if t.tb_next else None for t in kept])
del kept

# Frames read through entries link to their callers across batches.
e = raised(45)
frames = [t.tb_frame for t in entries(e.__traceback__)]
print("f_back links:", all(frames[i + 1].f_back is frames[i] for i in range(len(frames) - 1)))
del e, frames

# Entries read first from the middle (tb_frame.f_back before any tb_next), then walked.
e = raised(35)
tb = e.__traceback__.tb_next.tb_next
f = tb.tb_frame
backs = []
while f is not None and f.f_code.co_name == "down":
    backs.append(f.f_locals["n"])
    f = f.f_back
print("backs:", backs)
print("walk after:", [t.tb_frame.f_locals["n"] for t in entries(e.__traceback__)][:5])
del e, tb, f

# Two threads walk one traceback at once: both see the same entries.
e = raised(300)
seen = [None, None]
go = threading.Event()


def walk(slot):
    go.wait()
    seen[slot] = [id(t) for t in entries(e.__traceback__)]


threads = [threading.Thread(target=walk, args=(i,)) for i in range(2)]
for t in threads:
    t.start()
go.set()
for t in threads:
    t.join()
print("threads agree:", seen[0] == seen[1], len(seen[0]))
del e, seen

# A cycle through a run's frames: a list the frames hold keeps the exception.
box = []
e = raised(40, box)
box.append(e)
print("cycle:", len(entries(box[0].__traceback__)), box[0].__traceback__.tb_next.tb_frame.f_locals["box"] is box)
del e, box
# One attribute site meets a traceback, then other objects: only the traceback's getter
# answers on the fast path; the others take the general lookup and fail as CPython's do.
def nxt(t):
    return t.tb_next


e = raised(3)
print("site:", nxt(e.__traceback__) is e.__traceback__.tb_next)
for other in (e.__traceback__.tb_frame, 5, None, e):
    try:
        nxt(other)
    except AttributeError as err:
        print("site:", err)
print("site again:", nxt(nxt(e.__traceback__)).tb_lineno)
del e
print("done")
