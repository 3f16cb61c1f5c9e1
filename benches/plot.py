"""Draws the depth sweep (benches/results/depth_sweep.csv, written by `compare.sh --sweep`) as
one SVG: for each kind of measurement, its cost against stack depth (log-log; per call for
getframe, per frame for the costs that grow with depth), CPython 3.13 beside shadowpy in each
JIT mode. Standard library only; run with any Python 3.

Usage: plot.py CSV SVG [TITLE-SUFFIX]
CSV columns: impl,kind,depth,seconds (seconds per operation).
"""

import csv
import math
import sys

# (kind, title, per frame: divide by the depth, for costs that grow with it)
PANELS = [
    ("getframe_repeat", "sys._getframe(0) again (per call)", False),
    ("getframe_first", "call + first sys._getframe(0) (per call)", False),
    ("raise", "raise, catch, walk tb_next (per frame)", True),
    ("raise_tb_frame", "same, reading every tb_frame (per frame)", True),
    ("fback_walk", "first f_back walk (per frame)", True),
]
STYLE = {
    "cpython": ("#444444", "CPython 3.13", "6,4"),
    "off": ("#d95f02", "shadowpy --jit=off", ""),
    "hot": ("#7570b3", "shadowpy --jit=hot", ""),
    "all": ("#1b9e77", "shadowpy --jit=all", ""),
}
W, H = 430, 300  # one panel
ML, MR, MT, MB = 70, 20, 40, 45  # its margins
COLS = 2


def fmt_secs(s):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if s >= scale:
            v = s / scale
            return ("%g" % float("%.2g" % v)) + " " + unit
    return "%.2g s" % s


def fmt_depth(d):
    return {10: "10", 100: "100", 1000: "1k", 10000: "10k", 100000: "100k", 1000000: "1M"}.get(
        d, str(d)
    )


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def panel(out, x0, y0, kind, title, per_frame, rows):
    series = {}
    for impl, k, depth, secs in rows:
        if k == kind:
            series.setdefault(impl, []).append((depth, secs / depth if per_frame else secs))
    pts = [p for s in series.values() for p in s]
    if not pts:
        return
    dmin = min(d for d, _ in pts)
    dmax = max(d for d, _ in pts)
    lo = math.floor(math.log10(min(s for _, s in pts)))
    hi = math.ceil(math.log10(max(s for _, s in pts)))
    if hi == lo:
        hi += 1
    pw, ph = W - ML - MR, H - MT - MB

    def px(d):
        span = math.log10(dmax) - math.log10(dmin) or 1
        return x0 + ML + (math.log10(d) - math.log10(dmin)) / span * pw

    def py(s):
        return y0 + MT + (hi - math.log10(s)) / (hi - lo) * ph

    out.append('<text x="%g" y="%g" font-size="13" font-weight="bold">%s</text>' % (x0 + ML, y0 + 22, esc(title)))
    out.append(
        '<rect x="%g" y="%g" width="%g" height="%g" fill="none" stroke="#999"/>'
        % (x0 + ML, y0 + MT, pw, ph)
    )
    for e in range(lo, hi + 1):
        y = py(10.0**e)
        out.append('<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#e5e5e5"/>' % (x0 + ML, y, x0 + ML + pw, y))
        out.append(
            '<text x="%g" y="%g" font-size="10" text-anchor="end">%s</text>'
            % (x0 + ML - 4, y + 3, fmt_secs(10.0**e))
        )
    for d in sorted({d for d, _ in pts}):
        x = px(d)
        out.append('<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#e5e5e5"/>' % (x, y0 + MT, x, y0 + MT + ph))
        out.append(
            '<text x="%g" y="%g" font-size="10" text-anchor="middle">%s</text>'
            % (x, y0 + MT + ph + 14, fmt_depth(d))
        )
    out.append(
        '<text x="%g" y="%g" font-size="10" text-anchor="middle">stack depth (frames)</text>'
        % (x0 + ML + pw / 2, y0 + MT + ph + 30)
    )
    for impl in ("cpython", "off", "hot", "all"):
        if impl not in series:
            continue
        color, _, dash = STYLE[impl]
        s = sorted(series[impl])
        path = " ".join("%s%.1f,%.1f" % ("M" if i == 0 else "L", px(d), py(v)) for i, (d, v) in enumerate(s))
        out.append(
            '<path d="%s" fill="none" stroke="%s" stroke-width="2"%s/>'
            % (path, color, ' stroke-dasharray="%s"' % dash if dash else "")
        )
        for d, v in s:
            out.append(
                '<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%s %s depth %d: %s</title></circle>'
                % (px(d), py(v), color, impl, kind, d, fmt_secs(v))
            )


def main():
    src, dst = sys.argv[1], sys.argv[2]
    suffix = sys.argv[3] if len(sys.argv) > 3 else ""
    with open(src) as f:
        rows = [(r["impl"], r["kind"], int(r["depth"]), float(r["seconds"])) for r in csv.DictReader(f)]
    rows_n = (len(PANELS) + COLS - 1) // COLS
    width, height = COLS * W, rows_n * H + 50
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
        'font-family="sans-serif">' % (width, height, width, height),
        '<rect width="100%" height="100%" fill="white"/>',
        '<text x="10" y="20" font-size="15" font-weight="bold">Frame observation cost against stack '
        "depth (lower is better; log-log)%s</text>" % esc(suffix),
    ]
    for i, (kind, title, per_frame) in enumerate(PANELS):
        panel(out, (i % COLS) * W, 30 + (i // COLS) * H, kind, title, per_frame, rows)
    # The legend, in the free cell (or below).
    lx = (len(PANELS) % COLS) * W + ML if len(PANELS) % COLS else ML
    ly = 30 + (len(PANELS) // COLS) * H + MT if len(PANELS) % COLS else height - 20
    for j, impl in enumerate(("cpython", "off", "hot", "all")):
        color, label, dash = STYLE[impl]
        y = ly + 20 + j * 22
        out.append(
            '<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="2"%s/>'
            % (lx, y, lx + 30, y, color, ' stroke-dasharray="%s"' % dash if dash else "")
        )
        out.append('<text x="%g" y="%g" font-size="12">%s</text>' % (lx + 38, y + 4, esc(label)))
    out.append("</svg>")
    with open(dst, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
