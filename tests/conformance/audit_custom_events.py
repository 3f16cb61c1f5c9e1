# sys.audit with custom events and argument tuples; hook order; hooks added by a hook; the
# sys.addaudithook event, and a hook that refuses new hooks.
import sys

# No hook yet: sys.audit does not even check the event's type.
print(sys.audit("nobody.listens", 1, 2))
print(sys.audit(1))
try:
    sys.audit()
except TypeError as e:
    print("TypeError:", e)
try:
    sys.audit("x", k=1)
except TypeError as e:
    print("TypeError:", e)

log = []


def first(event, args):
    if event.startswith("my.") or event == "sys.addaudithook":
        log.append(("first", event, args))


def second(event, args):
    if event.startswith("my.") or event == "sys.addaudithook":
        log.append(("second", event, args))


print(sys.addaudithook(first))
print(log)
sys.addaudithook(second)
print(log[-1])
log.clear()

sys.audit("my.event", 1, "two", None, (3, 4), [5])
sys.audit("my.empty")
for entry in log:
    print(entry)
log.clear()

try:
    sys.audit(5)
except TypeError as e:
    print("TypeError:", e)

added = []


def late(event, args):
    if event.startswith("my."):
        log.append(("late", event, args))


def adder(event, args):
    # A hook added while an event runs is called for that same event.
    if event == "my.add" and not added:
        added.append(1)
        sys.addaudithook(late)


sys.addaudithook(adder)
sys.audit("my.add", "x")
for entry in log:
    print(entry)
log.clear()


def compute(n):
    total = 0
    for i in range(n):
        sys.audit("my.step", i)
        total += i
    return total


for i in range(20):
    compute(3)
print(compute(4), len(log), log[-1])
log.clear()


def refuse(event, args):
    if event == "sys.addaudithook":
        raise ValueError("no more hooks")


sys.addaudithook(refuse)


def never(event, args):
    print("never called", event)


# An Exception from an existing hook silently refuses the new hook.
print(sys.addaudithook(never))
sys.audit("my.after")
print(log)
try:
    sys.addaudithook()
except TypeError as e:
    print("TypeError:", e)
try:
    sys.addaudithook(never, never)
except TypeError as e:
    print("TypeError:", e)
print(sys.addaudithook(hook=never))
