def finalizer(tag):
    try:
        yield tag
    finally:
        print("finalize", tag)

g = finalizer("global")
next(g)
def f():
    global h
    h = finalizer("h")
    next(h)
f()
async def job(): pass
c = job()
print("end of module")
