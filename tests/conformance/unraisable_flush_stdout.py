# A sys.stdout that cannot be flushed at exit: CPython reports it as unraisable ("Exception
# ignored on flushing sys.stdout") and exits with status 120; sys.unraisablehook sees it with
# no object and no traceback (no frame runs at exit).
import sys


def unraisable(args):
    sys.stderr.write("hook: %s %r %r %r\n" % (args.exc_type.__name__, args.exc_value, args.err_msg, args.object))
    sys.stderr.write("traceback: %r\n" % (args.exc_traceback,))
    sys.__unraisablehook__(args)


sys.unraisablehook = unraisable
print("before")
sys.stdout = 5
