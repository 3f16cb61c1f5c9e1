# Generators: a pipeline of generator functions and a generator expression.
import time

def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1

def evens(it):
    for x in it:
        if x % 2 == 0:
            yield x

def run(n):
    return sum(x * x for x in evens(numbers(n)))

run(1000)
t = time.perf_counter()
run(1_000_000)
print("BENCH", time.perf_counter() - t)
