import threading

ev = threading.Event()
print(ev.is_set())
print(ev.wait(0.01))
print(ev.wait(timeout=0))
ev.set()
print(ev.is_set(), ev.wait(), ev.wait(0.5))
ev.clear()
print(ev.is_set())

# Ping-pong between two threads, counting rounds.
ping = threading.Event()
pong = threading.Event()
log = []

def player(rounds):
    for i in range(rounds):
        ping.wait()
        ping.clear()
        log.append("pong %d" % i)
        pong.set()

t = threading.Thread(target=player, args=(5,))
t.start()
for i in range(5):
    log.append("ping %d" % i)
    ping.set()
    pong.wait()
    pong.clear()
t.join()
print(log)

# Many waiters released by one set().
go = threading.Event()
done = []
def waiter(k):
    go.wait()
    done.append(k)
ws = [threading.Thread(target=waiter, args=(k,)) for k in range(6)]
for w in ws:
    w.start()
print(len(done))
go.set()
for w in ws:
    w.join()
print(sorted(done))
