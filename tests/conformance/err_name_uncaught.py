def compute(values):
    running_total = 0
    for v in values:
        running_total += v
    return running_totl

print("computing")
compute([1, 2])
