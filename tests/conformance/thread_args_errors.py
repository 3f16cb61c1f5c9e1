import threading

def hook(args):
    print(args.exc_type.__name__ + ":", args.exc_value, "in", args.thread.name)

threading.excepthook = hook

def two(a, b):
    return a + b

for kwargs in [dict(target=two, args=(1,)), dict(target=two, args=(1, 2, 3)),
               dict(target=two, args=(1,), kwargs={"c": 2}),
               dict(target=two, args=("x", 1)), dict(target=None)]:
    t = threading.Thread(target=kwargs["target"], args=kwargs.get("args", ()), kwargs=kwargs.get("kwargs"))
    t.start()
    t.join()
print("done")
