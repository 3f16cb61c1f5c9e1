def producer(n):
    for i in range(n):
        if i == 2:
            raise ValueError("bad item %d" % i)
        yield i

def consumer():
    total = 0
    for x in producer(5):
        total += x
    return total

def outer():
    return consumer()

outer()
