# Uncaught error through compiled mutual recursion with a period of two and of three frames.
import sys

def ping(n):
    if n <= 0:
        return 10 // n
    return pong(n - 1)

def pong(n):
    return ping(n - 1) * 2

undefined_name_hare = 0

def tri_a(n):
    return tri_b(n - 1)

def tri_b(n):
    return tri_c(n)

def tri_c(n):
    if n < 0:
        return undefined_name_here
    return tri_a(n)

warm = 0
for i in range(1, 40, 2):
    warm += ping(i)
for i in range(20):
    try:
        tri_a(i)
    except NameError as e:
        warm += 1
print(warm)
try:
    ping(30)
except ZeroDivisionError as e:
    tb = e.__traceback__
    n = 0
    while tb is not None:
        n += 1
        tb = tb.tb_next
    print("entries", n)
tri_a(12)
