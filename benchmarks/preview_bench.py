"""``abuild preview`` on the benchmark report: edit one paragraph of one
chapter, over and over, and time each edit from the file write to the new
HTML being served (``/`` polled every 20 ms with HEAD until a newer build
is served, then fetched: until it holds the edit); the server's CPU (its
pandoc included) and memory (resident set, VmRSS) after each one.

Each build's stages (preview/stages.py) are printed as medians.

Targets (issue #14): median latency <= 1 s; growth of the server's memory
over 100 edits <= 50 MiB (measured from after the first edit, when every
module the builds need is loaded, to after the last).

    python benchmarks/run.py --preview-only [--preview-edits N]
"""

from __future__ import annotations

import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

LATENCY_TARGET = 1.0
GROWTH_TARGET = 50 * 1024**2


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def cpu(pid: int) -> float:
    """CPU seconds of the process and its waited-for children (pandoc), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=120) as r:
        return int(r.headers["X-Abuild-Preview-Build"]), r.read().decode("utf-8")


def served_build(url: str) -> int:
    """The number of the build being served, from a HEAD request: the page
    (1.4 MB) is fetched only once a newer build is served, as a browser
    fetches it once /events says so. Fetching it every 20 ms cost the server
    0.06 s of CPU per edit (median 3.32 s, 3.26 s with HEAD, at a load of 9)
    and the benchmark as much again, on the two cores the build runs on."""
    with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=120) as r:
        return int(r.headers["X-Abuild-Preview-Build"])


def bench_preview(root: Path, report: Path, edits: int, progress: bool = True) -> dict:
    # each build prints where its time went (preview/stages.py)
    env = {**os.environ, "NO_COLOR": "1", "ABUILD_PREVIEW_STAGES": "1"}
    cmd = [sys.executable, "-m", "ambtsbericht_build", "preview", str(report)]
    proc = subprocess.Popen(cmd, cwd=root, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stderr or []), daemon=True).start()
    try:
        deadline = time.monotonic() + 300
        url = ""
        while not url:
            found = [m.group(1) for m in (re.search(r"at (http://127\.0\.0\.1:\d+/)", ln) for ln in lines) if m]
            if found:
                url = found[0]
            elif proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("abuild preview did not start:\n" + "".join(lines))
            time.sleep(0.05)
        chapter = sorted((report / "chapters").glob("*.md"))[4]
        text = chapter.read_text(encoding="utf-8")
        # the first paragraph of body text: a line that starts with a capital
        # letter after a blank line, in the chapter's middle
        starts = [m.start() for m in re.finditer(r"\n\n(?=[A-Z][a-z])", text)]
        at = starts[len(starts) // 2] + 2
        build, _ = fetch(url)
        seconds: list[float] = []
        cpus: list[float] = []  # of the server (and its pandoc) from the write to the page served
        memory = [rss(proc.pid)]
        for k in range(edits):
            marker = f"Bewerking{k}xq"
            t0, c0 = time.monotonic(), cpu(proc.pid)
            chapter.write_text(text[:at] + marker + " " + text[at:], encoding="utf-8")
            while True:
                now = served_build(url)
                if now > build:
                    now, html = fetch(url)
                    if marker in html:
                        break
                    build = now  # a build of an earlier save: the next one holds the edit
                if time.monotonic() - t0 > 300:
                    raise RuntimeError(f"edit {k}: not served after 300 s:\n" + "".join(lines[-20:]))
                time.sleep(0.02)
            seconds.append(time.monotonic() - t0)
            cpus.append(cpu(proc.pid) - c0)
            build = now
            memory.append(rss(proc.pid))
            if progress:
                print(
                    f"  edit {k + 1:>3}: {seconds[-1]:6.2f} s, CPU {cpus[-1]:5.2f} s,"
                    f" server {memory[-1] / 1024**2:7.1f} MiB",
                    flush=True,
                )
        chapter.write_text(text, encoding="utf-8")
    finally:
        # SIGTERM, not SIGINT: a benchmark started in the background (`make
        # bench &`, nohup) passes on an ignored SIGINT, and the preview then
        # ran on after 100 edits until it was sent SIGTERM
        proc.send_signal(signal.SIGTERM)
        status = proc.wait(120)
    growth = memory[-1] - memory[1] if len(memory) > 1 else 0
    return {
        "stages": stage_medians(lines),
        "seconds": seconds,
        "median": statistics.median(seconds) if seconds else 0.0,
        "max": max(seconds, default=0.0),
        "min": min(seconds, default=0.0),
        "cpu": statistics.median(cpus) if cpus else 0.0,
        "memory": memory,
        "growth": growth,
        "status": status,
    }


def stage_medians(lines: list[str]) -> dict[str, tuple[float, float]]:
    """The median wall and CPU seconds of each stage over the builds after
    the first (the edits'), from the lines ``stages (wall/CPU s): name w/c, ...``."""
    seen: dict[str, list[tuple[float, float]]] = {}
    builds = [ln.split("): ", 1)[1] for ln in lines if "stages (wall/CPU s): " in ln][1:]
    for build in builds:
        for item in build.strip().split(", "):
            name, _, times = item.rpartition(" ")
            wall, cpu = times.split("/")
            seen.setdefault(name, []).append((float(wall), float(cpu)))
    return {name: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for name, v in seen.items()}


def print_preview(r: dict, missed: list[str]) -> None:
    ok = r["median"] <= LATENCY_TARGET
    print(f"{'preview (one paragraph edited)':<34}{'median':>9}   max")
    print(f"  {'write -> new page served':<32}{r['median']:>7.2f} s   {r['max']:.2f} s  target <= {LATENCY_TARGET} s")
    print(f"  {'(fastest; CPU of the server)':<32}{r['min']:>7.2f} s   CPU {r['cpu']:.2f} s (median, pandoc included)")
    mib = 1024**2
    grown = r["growth"] <= GROWTH_TARGET
    print(
        f"  {'server memory (RSS)':<32}{r['memory'][0] / mib:>7.1f} MiB at start, {r['memory'][-1] / mib:.1f} MiB"
        f" after {len(r['seconds'])} edits; growth {r['growth'] / mib:.1f} MiB (target <= 50 MiB)"
    )
    print(f"  {'stopped with SIGTERM':<32}exit status {r['status']}")
    if r.get("stages"):
        stages = ", ".join(f"{k} {w:.2f}/{c:.2f}" for k, (w, c) in r["stages"].items())
        print(f"  stages of a rebuild, median wall/CPU s: {stages}")
    if not ok:
        missed.append(f"preview latency {r['median']:.2f} s > {LATENCY_TARGET} s")
    if not grown:
        missed.append(f"preview memory growth {r['growth'] / mib:.1f} MiB > 50 MiB")
