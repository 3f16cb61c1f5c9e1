# Ordinary interpreter work: string building.
import time

def build(n):
    parts = []
    for i in range(n):
        parts.append("item%d" % i)
        parts.append(str(i * 7))
    s = ",".join(parts)
    out = ""
    for i in range(2000):
        out += "x"
    return len(s) + len(out) + len(s.split(","))

build(1000)
t = time.perf_counter()
for _ in range(10):
    build(50_000)
print("BENCH", time.perf_counter() - t)
