def cleanup(resource):
    raise OSError("cleanup of %s failed" % resource)

def work(resource):
    try:
        return len(resource) // 0
    finally:
        cleanup(resource)

print("start")
work("db")
