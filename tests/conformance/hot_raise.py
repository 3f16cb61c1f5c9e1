import traceback

def divide(a, b):
    return a // b

def compute(n):
    total = 0
    for i in range(n):
        total += divide(100, 10 - i % 11)
    return total

print(compute(10))
for attempt in range(3):
    try:
        compute(1000)
    except ZeroDivisionError as e:
        tb = e.__traceback__
        names = []
        while tb is not None:
            names.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
            tb = tb.tb_next
        print(attempt, names, tb is None)
        print(traceback.format_exc().splitlines()[-3:])

def fragile(v):
    return v + 1

total = 0
for i in range(3000):
    total = fragile(total)
print(total)
print(fragile("x"))
