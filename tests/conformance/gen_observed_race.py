# One thread resumes generators as fast as it can, from a for loop and with next(), while
# another reads their state (gi_running, gi_suspended, gi_frame, gi_yieldfrom) the whole time:
# a resumption parks its frame without the generator's lock (interp/gen.rs), so an observer
# must always see a whole state.
import threading


def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


def relay(n):
    yield from numbers(n)


gens = [numbers(30000), relay(30000)]
done = threading.Event()
looked = threading.Event()
bad = []
seen = set()


def observer():
    while not done.is_set():
        for g in gens:
            # Two reads, so any pair of answers (it may stop or start between them).
            g.gi_running, g.gi_suspended
            f = g.gi_frame
            if f is not None and f.f_code.co_name not in ("numbers", "relay"):
                bad.append(f.f_code.co_name)
            d = g.gi_yieldfrom
            if d is not None and getattr(d, "__name__", None) != "numbers":
                bad.append(repr(d))
            seen.add(f is None)
        looked.set()


t = threading.Thread(target=observer)
t.start()
looked.wait()  # a first look at both, before they start
total = 0
for x in gens[0]:
    total += x
it = gens[1]
while True:
    try:
        total += next(it)
    except StopIteration:
        break
done.set()
t.join()
print(total, bad, [g.gi_frame for g in gens], [g.gi_running for g in gens])
print(False in seen)
