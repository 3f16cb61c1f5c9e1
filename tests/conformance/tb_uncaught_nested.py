def parse(s):
    return int(s)

def double(x):
    return x * 2

def run(items):
    return [double(parse(s)) for s in items]

print(run(["1", "2"]))
print(str(run(["3", "four"])))
