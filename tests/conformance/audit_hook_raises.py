# An exception raised by an audit hook propagates out of the audited operation, through
# interpreted and compiled frames, with the hook's frame in its traceback.
import sys

armed = []


def hook(event, args):
    if armed and event == armed[0]:
        raise RuntimeError("refused " + event)


sys.addaudithook(hook)


def get(depth):
    return sys._getframe(depth)


def name(depth):
    return sys._getframemodulename(depth)


for i in range(30):
    get(0)
    name(0)

armed.append("sys._getframe")
try:
    get(0)
except RuntimeError as e:
    print("caught:", e)
    tb = e.__traceback__
    names = []
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    print(names)
print(name(0))
armed[0] = "sys._getframemodulename"
print(get(0).f_code.co_name)
try:
    name(1)
except RuntimeError as e:
    print("caught:", e)
armed[0] = "my.custom"
try:
    sys.audit("my.custom", 1)
except RuntimeError as e:
    print("caught:", e)


def stop(event, args):
    if event == "sys.addaudithook":
        raise KeyboardInterrupt("not an Exception")


armed.clear()
sys.addaudithook(stop)
try:
    sys.addaudithook(hook)
except KeyboardInterrupt as e:
    print("KeyboardInterrupt:", e)

armed.append("sys._getframe")


def deep(n):
    if n == 0:
        return get(0)
    return deep(n - 1)


deep(3)
