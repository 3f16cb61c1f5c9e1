def ratio(a, b):
    return a // b

def report(rows):
    out = []
    for r in rows:
        out.append("%d" % ratio(r[0], r[1]))
    return out

print(report([(4, 2), (9, 3)]))
print(report([(1, 1), (5, 0)]))
print("not reached")
