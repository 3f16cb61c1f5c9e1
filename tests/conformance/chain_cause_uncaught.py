def fetch(items, i):
    return items[i]

def safe_fetch(items, i):
    try:
        return fetch(items, i)
    except IndexError as exc:
        raise LookupError("no item %d" % i) from exc

def driver():
    data = [10, 20]
    print(safe_fetch(data, 1))
    print(safe_fetch(data, 5))

driver()
