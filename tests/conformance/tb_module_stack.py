import sys
import traceback

def a():
    b()

def b():
    c()

def c():
    traceback.print_stack()
    traceback.print_stack(file=sys.stdout)
    traceback.print_stack(limit=2, file=sys.stdout)
    traceback.print_stack(sys._getframe(1), file=sys.stdout)
    traceback.print_stack(sys._getframe(2), limit=1, file=sys.stdout)

a()
traceback.print_stack(file=sys.stdout)
