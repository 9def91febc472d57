#!/usr/bin/env python3
"""Draw the reconnect-storm figures as one SVG, from the JSON the tools write. Python 3 stdlib only.

  scripts/storm-chart.py --service docs/storms/service-benchmark.json \
      --timeline docs/storms/overload-timeline.jsonl --out docs/storms/storm-chart.svg

--service   JMH JSON of ServiceBenchmark (-rf json): items/s by batch size, ticketd beside the echo
            ceiling, for Open and Seal; the ratios are printed as a Markdown table too.
--timeline  JSON lines of `ticketd storm --timeline` (FILE or FILE=LABEL, several allowed): latency
            percentiles and throughput per second (an overload run: `--rate R1,R2` with R1 above what
            the server sustains).
--storm     `ticketd storm --json` outputs (the last line of each file is used): printed as a table.
"""
import argparse
import json
import math
import sys
from xml.sax.saxutils import escape

W, PANEL_H, MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 860, 300, 80, 30, 40, 50
COLORS = {"ticketd": "#1f77b4", "echo": "#bbbbbb", "p50": "#2ca02c", "p99": "#ff7f0e", "p999": "#d62728",
          "admitted": "#9467bd",
          "per_s": "#1f77b4", "shed": "#d62728"}


RATIOS = {}  # (rpc, batch): median of per-round ratios, when the file has them (PairedServiceRun)


def load_service(path):
    """{(rpc, service, batch): items_per_s}"""
    with open(path) as f:
        runs = json.load(f)
    out = {}
    for run in runs:
        rpc = run["benchmark"].rsplit(".", 1)[1]
        p = run["params"]
        items = run.get("secondaryMetrics", {}).get("items")
        if items is None:
            continue
        out[(rpc, p["service"], int(p["batch"]))] = items["score"]
        if p["service"] == "ticketd" and "ratio_to_echo" in run:
            RATIOS[(rpc, int(p["batch"]))] = run["ratio_to_echo"]
    return out


def ratio(data, rpc, batch):
    """ticketd / echo: the paired run's median ratio if known, else the ratio of the two rates."""
    if (rpc, batch) in RATIOS:
        return RATIOS[(rpc, batch)]
    t, e = data.get((rpc, "ticketd", batch)), data.get((rpc, "echo", batch))
    return t / e if t and e else None


def load_timeline(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def last_json_line(path):
    with open(path) as f:
        lines = [l for l in f.read().splitlines() if l.strip().startswith("{")]
    return json.loads(lines[-1])


def fmt(v):
    if v >= 1e6:
        return "%.2fM" % (v / 1e6)
    if v >= 1e3:
        return "%.0fk" % (v / 1e3)
    return "%.0f" % v


class Svg:
    def __init__(self):
        self.parts = []
        self.height = 0

    def add(self, s):
        self.parts.append(s)

    def text(self, x, y, s, size=12, anchor="start", color="#222", weight="normal"):
        self.add('<text x="%.1f" y="%.1f" font-size="%d" text-anchor="%s" fill="%s" font-weight="%s">%s</text>'
                 % (x, y, size, anchor, color, weight, escape(str(s))))

    def line(self, x1, y1, x2, y2, color="#ccc", width=1, dash=None):
        d = ' stroke-dasharray="%s"' % dash if dash else ""
        self.add('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%s"%s/>'
                 % (x1, y1, x2, y2, color, width, d))

    def rect(self, x, y, w, h, color):
        self.add('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>' % (x, y, w, h, color))

    def polyline(self, pts, color, width=2):
        self.add('<polyline fill="none" stroke="%s" stroke-width="%s" points="%s"/>'
                 % (color, width, " ".join("%.1f,%.1f" % p for p in pts)))

    def render(self):
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif">'
                '<rect width="100%%" height="100%%" fill="white"/>%s</svg>\n' % (W, self.height, "".join(self.parts)))


def log_axis(svg, top, lo, hi, unit):
    """Horizontal gridlines at powers of ten; returns y(value)."""
    lo_e, hi_e = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    bottom = top + PANEL_H - MARGIN_B

    def y(v):
        v = max(v, 10 ** lo_e)
        return bottom - (math.log10(v) - lo_e) / (hi_e - lo_e) * (PANEL_H - MARGIN_T - MARGIN_B)
    for e in range(lo_e, hi_e + 1):
        svg.line(MARGIN_L, y(10 ** e), W - MARGIN_R, y(10 ** e))
        svg.text(MARGIN_L - 6, y(10 ** e) + 4, fmt(10 ** e) + unit, 11, "end", "#666")
    return y


def service_panel(svg, data, rpc, top):
    batches = sorted({b for (r, _, b) in data if r == rpc})
    values = [v for (r, _, _), v in data.items() if r == rpc]
    if not batches:
        return top
    svg.text(MARGIN_L, top + 22, "%s: items/s by batch size, ticketd beside the echo ceiling (log scale)" % rpc.capitalize(),
             14, weight="bold")
    y = log_axis(svg, top, min(values) / 2, max(values) * 1.5, "")
    bottom = top + PANEL_H - MARGIN_B
    slot = (W - MARGIN_L - MARGIN_R) / len(batches)
    bar = slot / 4
    for i, b in enumerate(batches):
        x0 = MARGIN_L + i * slot + slot / 2 - bar
        for k, svc in enumerate(("ticketd", "echo")):
            v = data.get((rpc, svc, b))
            if v is None:
                continue
            svg.rect(x0 + k * bar, y(v), bar - 2, bottom - y(v), COLORS[svc])
            svg.text(x0 + k * bar + bar / 2, y(v) - 4, fmt(v), 10, "middle")
        r = ratio(data, rpc, b)
        label = " (%.0f%% of echo)" % (100 * r) if r else ""
        svg.text(MARGIN_L + i * slot + slot / 2, bottom + 18, "batch %d%s" % (b, label), 11, "middle")
    svg.rect(W - MARGIN_R - 170, top + 10, 12, 12, COLORS["ticketd"])
    svg.text(W - MARGIN_R - 154, top + 20, "ticketd", 11)
    svg.rect(W - MARGIN_R - 90, top + 10, 12, 12, COLORS["echo"])
    svg.text(W - MARGIN_R - 74, top + 20, "echo (no crypto)", 11)
    return top + PANEL_H


def timeline_panels(svg, rows, top, label):
    rows = [r for r in rows if r["phase"] == "open"]
    if not rows:
        return top
    t0 = rows[0]["t_s"] - 1
    span = max(r["t_s"] for r in rows) - t0

    def x(t):
        return MARGIN_L + (t - t0) / span * (W - MARGIN_L - MARGIN_R)

    def seconds_axis(panel_top):
        bottom = panel_top + PANEL_H - MARGIN_B
        step = max(1, int(math.ceil(span / 12)))
        for s in range(0, int(span) + 1, step):
            svg.line(x(t0 + s), bottom, x(t0 + s), bottom + 4, "#666")
            svg.text(x(t0 + s), bottom + 16, s, 10, "middle", "#666")
        svg.text(W / 2, panel_top + PANEL_H - 12, "seconds since the open phase began", 11, "middle", "#666")
    svg.text(MARGIN_L, top + 22, "%s: open latency percentiles per second (ms, log scale)" % label, 14,
             weight="bold")
    lat = [r[k] for r in rows for k in ("p50_ms", "p99_ms", "p999_ms", "admitted_rpc_p99_ms") if r.get(k, 0) > 0]
    y = log_axis(svg, top, max(min(lat), 0.01), max(lat) * 1.5, "")
    series = [("p50_ms", "p50"), ("p99_ms", "p99"), ("p999_ms", "p999")]
    if any(r.get("admitted_rpc_p99_ms", 0) > 0 for r in rows):
        series.append(("admitted_rpc_p99_ms", "admitted"))
    for k, key in series:
        svg.polyline([(x(r["t_s"]), y(r[k])) for r in rows if r.get(k, 0) > 0], COLORS[key])
    for i, (_, key) in enumerate(series):
        name = "admitted RPC p99" if key == "admitted" else "ticket " + key
        svg.rect(MARGIN_L + 10 + i * 110, top + 30, 12, 12, COLORS[key])
        svg.text(MARGIN_L + 26 + i * 110, top + 40, name, 11)
    seconds_axis(top)
    top += PANEL_H

    svg.text(MARGIN_L, top + 22, "%s: opens answered per second, items shed per second" % label, 14,
             weight="bold")
    shed_rate, prev = [], rows[0]["shed"]
    for r in rows:
        shed_rate.append(max(0, r["shed"] - prev))
        prev = r["shed"]
    hi = max(max(r["per_s"] for r in rows), max(shed_rate), 1) * 1.15
    bottom = top + PANEL_H - MARGIN_B

    def ylin(v):
        return bottom - v / hi * (PANEL_H - MARGIN_T - MARGIN_B)
    for k in range(0, 6):
        v = hi * k / 5
        svg.line(MARGIN_L, ylin(v), W - MARGIN_R, ylin(v))
        svg.text(MARGIN_L - 6, ylin(v) + 4, fmt(v), 11, "end", "#666")
    svg.polyline([(x(r["t_s"]), ylin(r["per_s"])) for r in rows], COLORS["per_s"])
    svg.polyline([(x(r["t_s"]), ylin(s)) for r, s in zip(rows, shed_rate)], COLORS["shed"])
    svg.rect(MARGIN_L + 10, top + 30, 12, 12, COLORS["per_s"])
    svg.text(MARGIN_L + 26, top + 40, "opens answered/s", 11)
    svg.rect(MARGIN_L + 140, top + 30, 12, 12, COLORS["shed"])
    svg.text(MARGIN_L + 156, top + 40, "items shed/s (then retried)", 11)
    seconds_axis(top)
    return top + PANEL_H


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--service")
    ap.add_argument("--timeline", nargs="*", default=[], metavar="FILE[=LABEL]")
    ap.add_argument("--storm", nargs="*", default=[])
    ap.add_argument("--out", default="docs/storms/storm-chart.svg")
    args = ap.parse_args()

    svg, top = Svg(), 0
    if args.service:
        data = load_service(args.service)
        print("| rpc | batch | ticketd items/s | echo items/s | ticketd / echo |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for rpc in ("open", "seal"):
            for b in sorted({b for (r, _, b) in data if r == rpc}):
                t, e = data.get((rpc, "ticketd", b)), data.get((rpc, "echo", b))
                r = ratio(data, rpc, b)
                print("| %s | %d | %s | %s | %s |" % (rpc.capitalize(), b, "{:,.0f}".format(t) if t else "-",
                                                       "{:,.0f}".format(e) if e else "-",
                                                       "%.0f%%" % (100 * r) if r else "-"))
            top = service_panel(svg, data, rpc, top)
        print()
    for spec in args.timeline:
        path, _, label = spec.partition("=")
        top = timeline_panels(svg, load_timeline(path), top, label or path.rsplit("/", 1)[-1])
    if args.storm:
        keys = ["tickets", "gateways", "batch", "opens_per_s", "open_p50_ms", "open_p99_ms", "open_p999_ms", "ok",
                "mismatched", "errors", "shed", "server_max_heap_mb"]
        print("| file | " + " | ".join(keys) + " |")
        print("| --- |" + " ---: |" * len(keys))
        for path in args.storm:
            j = last_json_line(path)
            print("| %s | " % path.rsplit("/", 1)[-1] + " | ".join(str(j.get(k)) for k in keys) + " |")
    if top == 0:
        if not args.storm:
            ap.error("give --service and/or --timeline (and optionally --storm)")
        return
    svg.height = top + 10
    with open(args.out, "w") as f:
        f.write(svg.render())
    print("wrote " + args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
