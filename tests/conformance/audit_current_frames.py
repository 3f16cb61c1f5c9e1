import sys
seen = []
def hook(event, args):
    if event == "sys._current_frames":
        seen.append((event, args))
sys.addaudithook(hook)
frames = sys._current_frames()
print(seen, len(frames))
def refuse(event, args):
    if event == "sys._current_frames":
        raise RuntimeError("not allowed")
sys.addaudithook(refuse)
try:
    sys._current_frames()
except RuntimeError as e:
    print("RuntimeError:", e)
