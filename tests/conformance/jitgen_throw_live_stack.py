# throw() into a generator suspended with values live on its stack (a for loop's iterator,
# half-built calls and containers), at every kind of suspension point.
def show(a, b, c, d):
    return a, b, c, d

def in_loop():
    for i in range(3):
        try:
            yield i
        except KeyError as e:
            print("caught in loop", i, e)
    yield "end"

g = in_loop()
print(next(g))
print(g.throw(KeyError("k")))
print(next(g), next(g))

def mid_call():
    r = show(1, (yield "a"), 3, [4, (yield "b")])
    yield r

g = mid_call()
print(next(g), g.send(2), g.send(5))
g = mid_call()
print(next(g))
try:
    g.throw(ValueError("mid"))
except ValueError as e:
    print("escaped:", e, g.gi_frame)

def guarded():
    try:
        x = [1, 2, (yield 1)]
        yield x
    except ZeroDivisionError:
        yield "zde"
    finally:
        print("finally ran")

g = guarded()
print(next(g), g.throw(ZeroDivisionError))
g.close()

def unstarted():
    try:
        yield 1
    except Exception:
        yield "never"

g = unstarted()
try:
    g.throw(RuntimeError("early"))
except RuntimeError as e:
    print("unstarted throw:", e, g.gi_frame)
try:
    g.throw(RuntimeError("late"))
except RuntimeError as e:
    print("finished throw:", e)
