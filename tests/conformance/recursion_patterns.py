import traceback

def run(pattern, i):
    if i == len(pattern):
        raise IndexError("end of pattern")
    if pattern[i] == "a":
        return run(pattern, i + 1)
    return run(pattern, i + 1) + 0

def show(pattern):
    try:
        run(pattern, 0)
    except IndexError:
        text = traceback.format_exc()
        for line in text.splitlines():
            if "File" in line or "repeated" in line:
                print(line.replace(__file__, "F"))
    print("--")

show("aaa")
show("aaaa")
show("aaaaa")
show("aaaaaaaaaaaa")
show("aaaabbbbbbaaaaa")
show("abababab")
show("aabb")

def countdown(n):
    if n == 0:
        raise KeyError("zero")
    countdown(n - 1)

try:
    countdown(5)
except KeyError as e:
    print("".join(traceback.format_exception(e, limit=4)), end="")
    print("".join(traceback.format_exception(e, limit=-3)), end="")
