# A StopIteration raised by the function a map or filter calls ends the iteration for every
# consumer, except next() without a default (which re-raises it) and yield from (its value).
def f(x):
    if x > 1:
        raise StopIteration(x)
    return x * 10


def keep(x):
    if x == 3:
        raise StopIteration("filter", x)
    return x % 2


print(next(map(f, [5]), "d"))
print(list(map(f, [1, 2, 3])))
print(tuple(filter(keep, [1, 2, 3, 4, 5])))
for y in map(f, [0, 1, 2]):
    print("for", y)
print(sum(map(f, [1, 1, 5, 1])))
print(list(zip(map(f, [1, 2]), "ab")))
print(list(enumerate(map(f, [0, 9]))))
print(sorted(map(f, [1, 0, 4])))
print(any(map(f, [0, 7])), all(map(f, [1, 8])))
print("".join(map(str, map(f, [1, 3]))))
print(max(map(f, [1, 0, 9]), default="empty"))


def delegate():
    r = yield from map(f, [1, 7])
    print("returned", r)
    yield "end"


print(list(delegate()))
a, b = map(f, [0, 1]) if True else (0, 0)
print(a, b)
try:
    next(map(f, [4]))
except StopIteration as e:
    print("raised", repr(e), e.value, e.__traceback__.tb_next.tb_frame.f_code.co_name)
try:
    next(zip(map(f, [6]), "a"))
except StopIteration as e:
    print("zip raised", repr(e))
print(next(filter(keep, [3]), "default"))
it = map(f, [2, 1])
print(list(it), list(it))
