# What a returning frame releases, in order: locals that other references keep alive, then one
# that holds the last reference to a suspended generator (whose `finally` runs at the return,
# before the caller goes on), then the locals after it; the same from a recursion, a
# generator's own frame, and a nested function's.

log = []


def gen(tag):
    try:
        yield tag
    finally:
        log.append("close " + tag)


shared = [1, 2, 3]


def f(tag):
    a = shared
    b = "str"
    g = gen(tag)
    next(g)
    c = shared
    d = gen(tag + "2")
    next(d)
    log.append("return " + tag)
    return len(a) + len(c)


print(f("x"), log)
log.clear()


def rec(n):
    g = gen("r%d" % n)
    next(g)
    if n:
        rec(n - 1)
    log.append("leave %d" % n)


rec(3)
print(log)
log.clear()


def outer():
    def inner():
        g = gen("inner")
        next(g)
        return len(shared) > 1

    return inner()


print(outer(), log)
log.clear()


def producer():
    g = gen("in-gen")
    next(g)
    yield 1
    log.append("producer resumed")
    yield 2


p = producer()
print(next(p), next(p), log)
del p
print(log)
