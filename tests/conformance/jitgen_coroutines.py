# Coroutines compiled like any code: await chains, cr_frame/cr_await/cr_running, throw and close,
# reuse errors.
import sys

async def inner(x):
    if x < 0:
        raise ValueError("negative")
    return x + 1

async def middle(x):
    a = await inner(x)
    b = await inner(a)
    return a, b

async def outer():
    r = await middle(1)
    f = sys._getframe(0)
    return r, f.f_code.co_name, f.f_back.f_code.co_name

def run(coro):
    try:
        coro.send(None)
    except StopIteration as e:
        return e.value

print(run(outer()))
c = middle(-1)
try:
    c.send(None)
except ValueError as e:
    print("raised", e, c.cr_frame)
try:
    c.send(None)
except RuntimeError as e:
    print(e)

async def observe():
    me = observe_coro
    print("running inside:", me.cr_running, me.cr_frame is sys._getframe(0))
    return 7

observe_coro = observe()
print(run(observe_coro), observe_coro.cr_frame, observe_coro.cr_running)

async def closer():
    try:
        return await inner(1)
    finally:
        print("closer finally")

c = closer()
c.close()
print("closed unstarted:", c.cr_frame)
c = closer()
print(run(c))
