import sys

async def job():
    return 1

def level(n):
    if n == 0:
        return job()
    return level(n - 1)

def make_many():
    out = []
    for i in range(40):
        out.append(level(3))
    return out

sys.set_coroutine_origin_tracking_depth(10)
print(sys.get_coroutine_origin_tracking_depth())
cs = make_many()
o = cs[-1].cr_origin
print(len(o), [(line, name) for (_, line, name) in o])
print(all(c.cr_origin == o for c in cs))
for c in cs:
    c.close()
sys.set_coroutine_origin_tracking_depth(3)
c = level(10)
print([(line, name) for (_, line, name) in c.cr_origin])
c.close()
sys.set_coroutine_origin_tracking_depth(100)
c = level(2)
print(len(c.cr_origin), c.cr_origin[-1][1:], c.cr_origin[0][0] == __file__)
c.close()
sys.set_coroutine_origin_tracking_depth(depth=1)
c = job()
print(c.cr_origin[0][1:])
c.close()
sys.set_coroutine_origin_tracking_depth(0)
c = job()
print(c.cr_origin)
c.close()
for bad in ("x", 1.5):
    try:
        sys.set_coroutine_origin_tracking_depth(bad)
    except TypeError as e:
        print("TypeError:", e)
try:
    sys.set_coroutine_origin_tracking_depth()
except TypeError as e:
    print("TypeError:", e)
