# A sys.stdout without a flush method at exit, with the default unraisable hook: the report has
# no traceback (no frame runs at exit), and the exit status is 120.
import sys

print("printed")
sys.stdout = None
sys.stdout = [1, 2]
