import threading

def work():
    pass

a = threading.Thread()
b = threading.Thread(target=work)
c = threading.Thread(target=work, name="custom")
d = threading.Thread(target=lambda: None)
e = threading.Thread(target=work, daemon=True)
print(a.name, "|", b.name, "|", c.name, "|", d.name, "|", e.name)
print(repr(a))
print(repr(e))
print(e.daemon, b.daemon)
b.name = "renamed"
print(b.name, repr(b))
c.daemon = True
print(c.daemon, repr(c))
print(threading.Thread(name=42).name)

b.start()
b.join()
try:
    b.start()
except RuntimeError as ex:
    print("RuntimeError:", ex)
try:
    a.join()
except RuntimeError as ex:
    print("RuntimeError:", ex)
try:
    b.daemon = True
except RuntimeError as ex:
    print("RuntimeError:", ex)

errors = []
def join_self():
    try:
        threading.current_thread().join()
    except RuntimeError as ex:
        errors.append(str(ex))
t = threading.Thread(target=join_self)
t.start()
t.join()
print(errors)

def daemon_of_child():
    inner = threading.Thread(target=work)
    errors.append(inner.daemon)
t = threading.Thread(target=daemon_of_child, daemon=True)
t.start()
t.join()
print(errors[-1])
try:
    threading.Thread(group=1)
except AssertionError as ex:
    print("AssertionError:", ex)
print(threading.current_thread().name, repr(threading.main_thread()).startswith("<_MainThread(MainThread, started "))
