import sys

def finish(code):
    try:
        print("exiting with", code)
        sys.exit(code)
    finally:
        print("finally runs before exit")

try:
    sys.exit(5)
except SystemExit as e:
    print("caught SystemExit", e.code, repr(e))
finish(3)
print("not reached")
