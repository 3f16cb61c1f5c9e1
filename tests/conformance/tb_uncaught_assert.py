def check(values):
    total = sum(values)
    assert total < 10, "total too large: %d" % total
    return total

print(check([1, 2, 3]))
check([5, 6])
