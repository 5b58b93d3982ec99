#!/usr/bin/env python3
"""Writes bench/RESULTS.md and bench/results.png from the raw tables kept in bench/:
bench/real/results.tsv (+ .meta) of scripts/bench, and bench/size/before.tsv and
after.tsv (+ .meta) of bench/trace_size.sh. Either table may be missing.
usage: report.py BENCH_DIR WORK_DIR (WORK_DIR: where the gnuplot inputs go)"""
import csv
import datetime
import os
import platform
import subprocess
import sys

bench_dir, work = sys.argv[1:3]


def read_tsv(path):
    if not os.path.exists(path):
        return None
    return list(csv.DictReader(open(path), delimiter="\t"))


def read_meta(path):
    meta = {}
    if os.path.exists(path):
        for line in open(path):
            k, _, v = line.rstrip("\n").partition("\t")
            meta[k] = v
    return meta


rows = read_tsv(os.path.join(bench_dir, "real", "results.tsv")) or []
real_meta = read_meta(os.path.join(bench_dir, "real", "results.meta"))
size = {lab: read_tsv(os.path.join(bench_dir, "size", lab + ".tsv")) for lab in ("before", "after")}
size_meta = {lab: read_meta(os.path.join(bench_dir, "size", lab + ".meta")) for lab in size}
size_labels = [lab for lab in ("before", "after") if size[lab]]
programs = list(dict.fromkeys(r["program"] for r in rows))
res = {(r["program"], r["build"]): r for r in rows}
builds = ["plain", "empty-func", "func", "empty-lines", "lines", "uftrace", "plain-small",
          "empty-full", "full"]
floor_of = {"func": "empty-func", "lines": "empty-lines", "full": "empty-full"}
plain_of = {b: "plain-small" for b in ("plain-small", "empty-full", "full")}
label = {
    "plain": "plain",
    "empty-func": "empty hooks, functions-only build (floor)",
    "func": "trace-record functions only",
    "empty-lines": "empty hooks, lines build (floor)",
    "lines": "trace-record lines (no values)",
    "uftrace": "uftrace record --no-libcall (-pg)",
    "plain-small": "plain",
    "empty-full": "empty hooks, full build (floor)",
    "full": "trace-record lines + values",
}


def num(v):
    return None if v in ("-", "", None) else float(v)


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def secs(p, b):
    return num(res[(p, b)]["best_ns"]) / 1e9


def ratio(p, b):
    return secs(p, b) / secs(p, plain_of.get(b, "plain"))


def human(n):
    if n is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def count(n):
    if n is None:
        return "-"
    if n >= 1e6:
        return f"{n / 1e6:.1f} M"
    if n >= 1e3:
        return f"{n / 1e3:.0f} k"
    return f"{n:.0f}"


def values(r):
    ev, st, ca = num(r["events"]), num(r["steps"]), num(r["calls"])
    if ev is None or st is None or r["build"] != "full":
        return None
    return max(0.0, ev - st - 2 * ca)  # the rest: values, plus a few declarations/output


def yes(oks):
    """Verdict over the programs: met, missed, or which programs meet it."""
    oks = list(oks)
    if all(oks):
        return "**met**"
    if not any(oks):
        return "**missed**"
    met = ", ".join(p for p, ok in zip(programs, oks) if ok)
    missed = ", ".join(p for p, ok in zip(programs, oks) if not ok)
    return f"**met** on {met}; **missed** on {missed}"


# ---------------------------------------------------------------- trace size (issue 12)
size_rows = {lab: {(r["sample"], r["build"]): r for r in size[lab]} for lab in size_labels}
samples = list(dict.fromkeys(r["sample"] for lab in size_labels for r in size[lab]))
real_samples = ("sqlite", "expat", "hunspell")
KIB, GIB = 1024, 1024 ** 3


def sz(lab, s, b, key):
    """A figure of the trace-size table: a number, 'over' (a bound was hit), or None."""
    r = size_rows.get(lab, {}).get((s, b))
    if not r:
        return None
    v = r[key]
    if v.startswith("over"):
        return "over"
    return num(v)


def held(lab, s, b="full"):
    r = size_rows.get(lab, {}).get((s, b))
    if not r:
        return None, None
    v = r["held_bytes"]
    if v.startswith("over:"):
        return "over", int(v[5:])
    return (None if v == "over" else num(v)), None


def time_ratio(lab, s):
    f, l = sz(lab, s, "full", "wall_ns"), sz(lab, s, "lines", "wall_ns")
    return f / l if isinstance(f, float) and isinstance(l, float) and l > 0 else None


def fmt_bytes(v, prefix=""):
    if v is None:
        return "-"
    if v == "over":
        return "over"
    return prefix + human(v)


def fmt_held(lab, s, b="full"):
    v, cap = held(lab, s, b)
    if v == "over":
        return f"> {human(cap)}"
    return fmt_bytes(v)


def verdict(v, limit):
    if v is None:
        return ""
    if v == "over":
        return " ✗"
    return " ✓" if v <= limit else " ✗"


def size_section(w):
    w("## Trace size and decoded values (issue 12)\n")
    meta = "; ".join(f"{lab}: `{size_meta[lab].get('command', '?')}` on "
                     f"{size_meta[lab].get('generated', '?')}" for lab in size_labels)
    w("What a trace costs CodeTracer, which decodes every event and keeps it "
      "(CONSUMER_CONTRACT.md §5; docs/benchmarks.md, \"Trace size\"). Each sample is recorded "
      "lines only and lines + values (binary); `trace-record stats --load --json` measures the "
      "trace. Columns: **before (session 3 runtime)** and **after** (the value budget), "
      f"generated by {meta}.\n")
    w("### Goals\n")
    w("| Goal | " + " | ".join(samples) + " |")
    w("|---|" + "---|" * len(samples))

    def goal_row(title, fmt_one, only=None):
        cells = []
        for s in samples:
            if only and s not in only:
                cells.append("(no goal)")
                continue
            cells.append(" → ".join(fmt_one(lab, s) for lab in size_labels))
        w(f"| {title} | " + " | ".join(cells) + " |")

    goal_row("decoded values per step, median ≤ 1 KiB",
             lambda lab, s: fmt_bytes(sz(lab, s, "full", "vps_median"))
             + verdict(sz(lab, s, "full", "vps_median"), KIB))
    goal_row("decoded values per step, max ≤ 8 KiB",
             lambda lab, s: fmt_bytes(sz(lab, s, "full", "vps_max"))
             + verdict(sz(lab, s, "full", "vps_max"), 8 * KIB))
    goal_row("holding the whole trace in memory ≤ 1 GiB (measured, `stats --load`)",
             lambda lab, s: fmt_held(lab, s) + verdict(held(lab, s)[0], GIB))
    goal_row("(no goal) CodeTracer's estimated load memory",
             lambda lab, s: fmt_bytes(sz(lab, s, "full", "codetracer_bytes")))
    goal_row("lines + values ≤ 3× lines-only time",
             lambda lab, s: (f"{time_ratio(lab, s):.1f}×" if time_ratio(lab, s) else "over")
             + verdict(time_ratio(lab, s), 3), only=real_samples)
    w("")
    w("Cells read *before → after*. Time ratios of the samples other than SQLite, expat and "
      "Hunspell are in the tables below (no goal: -O0 test programs).\n")
    if "after" not in size_labels:
        w("The *after* figures come from rerunning `bench/trace_size.sh BUILD_DIR after` with "
          "the value budget (issue 12, items 1 and 2); until then the cells hold *before* only.\n")
    for lab in size_labels:
        title = "before (session 3 runtime)" if lab == "before" else "after"
        m = size_meta[lab]
        w(f"### {title}\n")
        w(f"`{m.get('command', '?')}`, {m.get('generated', '?')}, {m.get('elapsed_s', '?')} s; "
          f"bounds: {m.get('timeout_s', '?')} s per run, {m.get('max_memory', '?')} held.\n")
        w("| Sample | Build | Wall | × lines | Events | Steps | trace.bin | Decoded | Values "
          "| Values/step median | p90 | max | max at | Held in memory | CodeTracer (est.) |")
        w("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|")
        for s in samples:
            for b in ("lines", "full"):
                r = size_rows[lab].get((s, b))
                if not r:
                    continue
                t = sz(lab, s, b, "wall_ns")
                st = r["status"]
                wall = (f"{t / 1e9:.3f} s" if isinstance(t, float) else "-") + (
                    "" if st == "ok" else f" ({st})")
                xl = f"{time_ratio(lab, s):.1f}×" if b == "full" and time_ratio(lab, s) else "-"
                cnt = lambda k: count(sz(lab, s, b, k)) if isinstance(sz(lab, s, b, k), float) else (sz(lab, s, b, k) or "-")
                w(f"| {s} | {'lines + values' if b == 'full' else 'lines'} | {wall} | {xl} "
                  f"| {cnt('events')} | {cnt('steps')} | {fmt_bytes(sz(lab, s, b, 'bin_bytes'))} "
                  f"| {fmt_bytes(sz(lab, s, b, 'decoded_bytes'))} "
                  f"| {fmt_bytes(sz(lab, s, b, 'value_bytes'))} "
                  f"| {fmt_bytes(sz(lab, s, b, 'vps_median'))} | {fmt_bytes(sz(lab, s, b, 'vps_p90'))} "
                  f"| {fmt_bytes(sz(lab, s, b, 'vps_max'))} | {r['vps_max_at'] if b == 'full' else '-'} "
                  f"| {fmt_held(lab, s, b)} | {fmt_bytes(sz(lab, s, b, 'codetracer_bytes'))} |")
        w("")


# ---------------------------------------------------------------- the page
out = []
w = out.append
cpu = sh("lscpu | sed -n 's/^Model name: *//p' | head -1") or platform.processor()
w("# Benchmarks\n")
def load(meta):
    """The machine's load while a runner ran, if it was recorded."""
    if "load" not in meta:
        return ""
    a, _, b = meta["load"].partition(" ")
    return f", load average {a} at the start and {b} at the end on {os.cpu_count()} CPUs"


gen = []
if rows:
    e = int(real_meta.get("elapsed_s", "0"))
    gen.append(f"`{real_meta.get('command', 'scripts/bench')}` on {real_meta.get('generated', '?')}, "
               f"in {e // 60} min {e % 60} s (builds included){load(real_meta)}")
for lab in size_labels:
    gen.append(f"`{size_meta[lab].get('command', 'bench/trace_size.sh')}` on "
               f"{size_meta[lab].get('generated', '?')}{load(size_meta[lab])}")
w("Generated from the raw tables in bench/ by " + "; ".join(gen) + ". Do not edit: the runners "
  "rewrite this page; docs/benchmarks.md says what is measured. Times are wall times on a "
  "shared machine: compare ratios measured in one run, and distrust them when the load "
  "average was above the number of CPUs.\n")
w(f"Machine: {cpu}, {os.cpu_count()} CPUs (shared with other work while it ran), "
  f"{sh('uname -sr')}, {sh('clang-19 --version | head -1')}, {sh('uftrace --version | head -1')}.\n")
w("![slowdown per program and build; decoded values per step; load memory; lines + values "
  "against lines](results.png)\n")

if rows:
    runs = real_meta.get("runs", "3")
    w("## Real programs: goals\n")
    w(f"Wall time is the best of {runs} runs (lines and lines + values: one run); peak memory is "
      "the maximum resident set of that run (`/usr/bin/time -f %M`). All builds -O2; every "
      "build printed exactly what the plain build printed.\n")
    w("| Goal | " + " | ".join(programs) + " | Verdict |")
    w("|---|" + "---|" * len(programs) + "---|")
    f_r = [ratio(p, "func") for p in programs]
    w("| functions-only tracing ≤ 1.5× plain | " + " | ".join(f"{r:.2f}×" for r in f_r)
      + f" | {yes(r <= 1.5 for r in f_r)} |")
    ov = []
    for p in programs:
        fo = secs(p, "func") - secs(p, "plain")
        uo = secs(p, "uftrace") - secs(p, "plain")
        ov.append(uo / fo if fo > 0 else float("inf"))
    w("| functions-only ≥ 5× faster than uftrace (time added over plain, uftrace ÷ ours) | "
      + " | ".join(f"{r:.1f}×" for r in ov) + f" | {yes(r >= 5 for r in ov)} |")
    wall = [secs(p, "uftrace") / secs(p, "func") for p in programs]
    w("| same, whole wall time (uftrace ÷ ours) | " + " | ".join(f"{r:.2f}×" for r in wall)
      + f" | {yes(r >= 5 for r in wall)} |")
    cps = []
    for p in programs:
        c = num(res[(p, "func")]["calls"]) if (p, "func") in res else None
        cps.append(c / secs(p, "plain") if c else None)
    w("| (no goal) traced calls per second of plain run time | "
      + " | ".join(count(c) if c else "-" for c in cps) + " | - |")
    full_r = [ratio(p, "full") for p in programs]
    lines_r = [ratio(p, "lines") for p in programs]
    w("| (no goal) lines without values, × plain | " + " | ".join(f"{r:.1f}×" for r in lines_r)
      + " | - |")
    w("| lines + values ≤ 10× plain (small workload) | " + " | ".join(f"{r:.1f}×" for r in full_r)
      + f" | {yes(r <= 10 for r in full_r)} |")
    w("")
    notes_file = os.path.join(bench_dir, "real", "notes.md")
    if os.path.exists(notes_file):
        w(open(notes_file).read().rstrip() + "\n")

if size_labels:
    size_section(w)

if rows:
    w("## Real programs: per program\n")
    w("× plain and × floor are ratios of wall times on the same workload (floor: the same "
      "instrumented objects linked against the empty hooks library, i.e. the cost of the hook "
      "calls alone). Lines + values runs on the small workload (see docs/benchmarks.md), against "
      "a plain run of that small workload. Events, steps and calls: the runtime's summary "
      "(the counts `trace-record stats` reads back); uftrace: its 16-byte records. Values: "
      "events − steps − 2 × calls of the lines + values build (values, plus a few declarations). Bytes per event: the binary "
      "trace.bin of the timed run, and trace.json of one extra run on the small workload.\n")
    for p in programs:
        w(f"### {p}\n")
        w("| Build | Workload | Wall | × plain | × floor | Events | Events/s | Steps | Calls | Values "
          "| Trace (binary) | B/event bin | JSON (small) | B/event JSON | Peak RSS |")
        w("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        for b in builds:
            r = res.get((p, b))
            if not r:
                continue
            t = secs(p, b)
            ev = num(r["events"])
            bb, jb = num(r["bin_bytes"]), num(r["json_bytes"])
            fl = f"{t / secs(p, floor_of[b]):.2f}×" if b in floor_of else "-"
            jev = num(r["json_events"])
            jpe = f"{jb / jev:.1f}" if jb and jev else "-"
            w(f"| {label[b]} | {r['workload']} | {t:.3f} s | {ratio(p, b):.2f}× | {fl} | {count(ev)} "
              f"| {count(ev / t) if ev else '-'} | {count(num(r['steps']))} | {count(num(r['calls']))} "
              f"| {count(values(r))} | {human(bb)} | {f'{bb / ev:.2f}' if ev and bb else '-'} "
              f"| {human(jb)} | {jpe} "
              f"| {num(r['rss_kb']) / 1024:.1f} MiB |")
        w("")
open(os.path.join(bench_dir, "RESULTS.md"), "w").write("\n".join(out) + "\n")

# ---------------------------------------------------------------- the plot
# Top: slowdown against plain per program and build (scripts/bench). Bottom, per sample,
# before and after (bench/trace_size.sh): decoded values per step (median and max), the
# memory holding the trace takes, and lines + values against lines.
os.makedirs(work, exist_ok=True)
panels = []
if rows:
    dat = os.path.join(work, "plot.dat")
    shown = ["empty-func", "func", "empty-lines", "lines", "uftrace", "empty-full", "full"]
    with open(dat, "w") as f:
        f.write("# program " + " ".join(shown) + "\n")
        for p in programs:
            f.write(p + " " + " ".join(f"{ratio(p, b):.4f}" for b in shown) + "\n")
    titles = ["empty hooks (functions-only build)", "trace-record functions only",
              "empty hooks (lines build)", "trace-record lines", "uftrace (functions)",
              "empty hooks (full build)*", "trace-record lines + values*"]
    colors = ["#c6dbef", "#2171b5", "#c7e9c0", "#238b45", "#7f7f7f", "#fdd0a2", "#d94701"]
    panels.append(f"""
set title "Slowdown against the plain build (wall time; lower is better; * = small workload)"
set logscale y 10
set yrange [0.8:*]
set ylabel "× plain (log scale)"
set key below horizontal maxrows 2
set xrange [-0.6:{len(programs) - 0.4 + 0.9}]
set arrow 1 from graph 0, first 1.5 to graph 1, first 1.5 nohead dt 2 lc rgb "#2171b5" lw 2
set label 1 "goal, functions\\nonly: 1.5×" at graph 0.995, first 2.15 right tc rgb "#2171b5"
set arrow 2 from graph 0, first 10 to graph 1, first 10 nohead dt 2 lc rgb "#d94701" lw 2
set label 2 "goal, lines +\\nvalues: 10×" at graph 0.995, first 15 right tc rgb "#d94701"
plot """ + ", \\\n     ".join(
        f"'{dat}' using {i + 2}:xtic(1) title \"{t}\" lc rgb \"{c}\""
        + f", '' using ($0 + {(i - (len(shown) - 1) / 2) / (len(shown) + 1):.3f}):{i + 2}:(sprintf(${i + 2} < 10 ? \"%.1f\" : \"%.0f\", ${i + 2})) with labels "
          "offset 0,0.6 font \",8\" notitle"
        for i, (t, c) in enumerate(zip(titles, colors))) + "\nunset arrow; unset label\n")

if size_labels:
    def value_or(v, over):
        return over if v == "over" else (v if isinstance(v, float) else "NaN")

    sdat = os.path.join(work, "size.dat")
    kinds = ("median", "max", "held", "codetracer", "ratio")
    with open(sdat, "w") as f:
        f.write("# sample " + " ".join(f"{k}_{lab}" for k in kinds
                                       for lab in ("before", "after")) + "\n")
        for s in samples:
            cols = []
            for k in kinds:
                for lab in ("before", "after"):
                    if lab not in size_labels:
                        cols.append("NaN")
                    elif k in ("median", "max"):
                        cols.append(value_or(sz(lab, s, "full", "vps_" + k), "NaN"))
                    elif k == "held":
                        v, cap = held(lab, s)
                        cols.append(cap / GIB if v == "over" else (v / GIB if v else "NaN"))
                    elif k == "codetracer":
                        v = sz(lab, s, "full", "codetracer_bytes")
                        cols.append(v / GIB if isinstance(v, float) else "NaN")
                    else:
                        cols.append(time_ratio(lab, s) or "NaN")
            f.write(s + " " + " ".join(str(c) for c in cols) + "\n")
    column = {(k, lab): 2 + 2 * i + j for i, k in enumerate(kinds)
              for j, lab in enumerate(("before", "after"))}

    def bars(series):
        """series: (kind, label, title, color); the labels that were measured."""
        return ", \\\n     ".join(
            f"'{sdat}' using {column[(k, lab)]}:xtic(1) title \"{t}\" lc rgb \"{c}\""
            for k, lab, t, c in series if lab in size_labels)

    def panel(title, ylabel, ymin, goals, series):
        """A log-scale bar chart of the samples; goals: (y, color) dashed lines."""
        arrows = "\n".join(
            f'set arrow {i + 1} from graph 0, first {y} to graph 1, first {y} nohead dt 2 '
            f'lc rgb "{c}" lw 2' for i, (y, c) in enumerate(goals))
        return f"""
unset logscale; set logscale y 10
set key below horizontal font ",9"
set xtics rotate by -30 font ",9"
set xrange [-0.6:*]
set title "{title}"
set ylabel "{ylabel}"
set yrange [{ymin}:*]
{arrows}
plot {bars(series)}
unset arrow
"""

    panels.append(panel("Decoded values per step, lines + values (log)", "bytes", 1,
                        [(1024, "#238b45"), (8192, "#d94701")],
                        [("median", "before", "median before", "#9ecae1"),
                         ("median", "after", "median after", "#2171b5"),
                         ("max", "before", "max before", "#fdae6b"),
                         ("max", "after", "max after", "#d94701")]))
    panels.append(panel("Memory to hold the trace, lines + values (GiB, log)", "GiB", 0.0001,
                        [(1, "#d94701")],
                        [("held", "before", "held before (stops at the cap)", "#fdae6b"),
                         ("held", "after", "held after", "#d94701"),
                         ("codetracer", "before", "CodeTracer est. before", "#bcbddc"),
                         ("codetracer", "after", "CodeTracer est. after", "#6a51a3")]))
    panels.append(panel("Lines + values time ÷ lines time", "×", 0.8, [(3, "#d94701")],
                        [("ratio", "before", "before", "#fdae6b"),
                         ("ratio", "after", "after", "#d94701")]))

if panels:
    top = rows != []
    n_bottom = len(panels) - (1 if top else 0)
    height = (640 if top else 0) + (460 if n_bottom else 0)
    gp = [f'set terminal pngcairo size 1200,{height} font "sans,11" noenhanced',
          f'set output "{os.path.join(bench_dir, "results.png")}"',
          "set style data histograms", "set style histogram clustered gap 1",
          "set style fill solid 0.9 border -1", "set boxwidth 0.9", "set grid ytics",
          "set multiplot"]
    top_frac = 640 / height if top else 0.0
    for i, panel in enumerate(panels):
        if top and i == 0:
            gp.append(f"set origin 0,{1 - top_frac:.4f}; set size 1,{top_frac:.4f}")
        else:
            k = i - (1 if top else 0)
            gp.append(f"set origin {k / n_bottom:.4f},0; set size {1 / n_bottom:.4f},{1 - top_frac:.4f}")
        gp.append(panel)
    gp.append("unset multiplot")
    open(os.path.join(work, "plot.gp"), "w").write("\n".join(gp) + "\n")
    subprocess.run(["gnuplot", os.path.join(work, "plot.gp")], check=True)
