# A RuntimeError from an audit hook of the sys.excepthook event suppresses the report of the
# uncaught exception altogether (the exit status is still 1).
import sys


def hook(event, args):
    if event == "sys.excepthook":
        print("audit:", event, args[1].__name__)
        raise RuntimeError("silence")


sys.addaudithook(hook)
print("about to fail")
raise ValueError("never printed")
