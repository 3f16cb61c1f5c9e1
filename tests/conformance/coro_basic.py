import sys

async def leaf(x):
    return x * 2

async def middle(x):
    a = await leaf(x)
    b = await leaf(a)
    return a + b

async def top():
    r = await middle(5)
    print("top got", r)
    return r

c = top()
print(type(c).__name__, c.__name__, c.__qualname__, c.cr_running, c.cr_suspended, c.cr_await)
print(c.cr_frame.f_lineno, c.cr_code.co_name, c.cr_origin)
try:
    c.send(None)
except StopIteration as e:
    print("result", e.value)
print(c.cr_frame)
try:
    c.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)

async def bad():
    await 5

try:
    bad().send(None)
except TypeError as e:
    print("TypeError:", e)

async def raiser():
    raise KeyError("coro")

async def handler():
    try:
        await raiser()
    except KeyError as e:
        print("handled", repr(e))
        return "ok"

try:
    handler().send(None)
except StopIteration as e:
    print(e.value)

c = leaf(1)
c.close()
try:
    c.send(None)
except RuntimeError as e:
    print("closed:", e)

try:
    for x in leaf(2):
        pass
except TypeError as e:
    print("TypeError:", e)

async def who():
    return sys._getframe(1).f_code.co_name

def driver():
    try:
        who().send(None)
    except StopIteration as e:
        return e.value

print(driver())
c = top()
c.close()
print(c.cr_frame)
