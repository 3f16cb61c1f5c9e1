async def inner():
    return 1




def drive(c, values):
    for v in values:
        try:
            print("yielded", c.send(v))
        except StopIteration as e:
            print("returned", e.value)
            return

async def guarded():
    try:
        x = await inner()
        return x
    finally:
        print("guarded finally")

drive(guarded(), [None])

c = guarded()
try:
    c.throw(LookupError("early"))
except LookupError as e:
    print("raised", repr(e))
print(c.cr_frame, c.cr_running)

async def nested(n):
    if n == 0:
        raise LookupError("deep")
    return await nested(n - 1)

try:
    nested(3).send(None)
except LookupError as e:
    tb = e.__traceback__
    while tb is not None:
        print(tb.tb_frame.f_code.co_name, tb.tb_lineno)
        tb = tb.tb_next
