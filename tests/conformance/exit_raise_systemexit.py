def stop():
    raise SystemExit(7)

print("before")
stop()
