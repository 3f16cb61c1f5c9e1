import time

t1 = time.time()
m1 = time.monotonic()
p1 = time.perf_counter()
time.sleep(0)
t2 = time.time()
m2 = time.monotonic()
p2 = time.perf_counter()
print(type(t1).__name__, type(m1).__name__, type(p1).__name__)
print(t2 >= t1, m2 >= m1, p2 >= p1, t1 > 1600000000)
n1 = time.time_ns()
n2 = time.perf_counter_ns()
n3 = time.monotonic_ns()
print(type(n1).__name__, n1 > 1600000000 * 10 ** 9, isinstance(n2, int), isinstance(n3, int))
print(time.perf_counter_ns() >= n2, time.monotonic_ns() >= n3)
time.sleep(0)
print("slept")
try:
    time.sleep(-1)
except ValueError as e:
    print("ValueError:", e)
try:
    time.sleep("1")
except TypeError as e:
    print("TypeError:", e)
