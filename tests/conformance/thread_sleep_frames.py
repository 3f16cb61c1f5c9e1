import sys
import threading
import time

def sleeper(n):
    total = 0
    for i in range(n):
        total = total + i
    time.sleep(0.3)
    return total

def outer():
    return sleeper(50)

t = threading.Thread(target=outer)
t.start()
time.sleep(0.1)
f = sys._current_frames()[t.ident]
print(f.f_code.co_name, f.f_lineno - f.f_code.co_firstlineno)
print(f.f_locals["total"], f.f_locals["n"])
print(f.f_back.f_code.co_name, f.f_back.f_lineno - f.f_back.f_code.co_firstlineno)
mine = sys._current_frames()[threading.get_ident()]
print(mine is sys._getframe(), mine.f_code.co_name)
t.join()
print(f.f_locals["total"], f.f_lineno - f.f_code.co_firstlineno)
