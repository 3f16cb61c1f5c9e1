import sys
import threading

seen = []

def hook(args):
    seen.append((args.exc_type.__name__, str(args.exc_value), args.thread.name))
    print("hook:", args.exc_type.__name__, args.exc_value, args.thread.name)

threading.excepthook = hook

def boom(x):
    raise ValueError("boom %d" % x)

t = threading.Thread(target=boom, args=(7,), name="bad")
t.start()
t.join()
print(t.is_alive())

def leave():
    sys.exit(3)

t = threading.Thread(target=leave, name="quiet")
t.start()
t.join()
print("after SystemExit", seen[-1][2])

t = threading.Thread(target=1, name="notcallable")
t.start()
t.join()

def nested(n):
    if n == 0:
        return {}["missing"]
    return nested(n - 1)

t = threading.Thread(target=nested, args=(3,))
t.start()
t.join()

def tb_names(args):
    names = []
    tb = args.exc_traceback
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    print("tb ends with", names[-4:], args.exc_value)

threading.excepthook = tb_names
t = threading.Thread(target=nested, args=(2,))
t.start()
t.join()

threading.excepthook = threading.__excepthook__
print(threading.excepthook is threading.__excepthook__)
print(len(seen))
