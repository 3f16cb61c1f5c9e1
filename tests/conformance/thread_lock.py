import threading

lock = threading.Lock()
print(lock.locked())
print(lock.acquire())
print(lock.locked())
print(lock.acquire(False))
print(lock.acquire(blocking=False))
print(lock.acquire(timeout=0.01))
lock.release()
print(lock.locked())
try:
    lock.release()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    lock.acquire(False, 1)
except ValueError as e:
    print("ValueError:", e)
try:
    lock.acquire(True, -5)
except ValueError as e:
    print("ValueError:", e)

with lock:
    print("inside", lock.locked())
print("after", lock.locked())

# A counter protected by the lock, incremented by several threads.
counter = [0]
def bump(n):
    for i in range(n):
        with lock:
            counter[0] = counter[0] + 1

ts = [threading.Thread(target=bump, args=(2000,)) for _ in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(counter[0])

# A lock released by another thread than the one that took it.
gate = threading.Lock()
gate.acquire()
got = []
def opener():
    got.append("opening")
    gate.release()
t = threading.Thread(target=opener)
t.start()
print(gate.acquire(timeout=5))
t.join()
print(got)

# with + exception releases the lock.
try:
    with lock:
        raise KeyError("k")
except KeyError as e:
    print("KeyError", e, lock.locked())
