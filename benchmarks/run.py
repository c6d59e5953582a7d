#!/usr/bin/env python3
"""Speed figures for abuild against bare pandoc and WeasyPrint.

    python benchmarks/run.py [--keep DIR] [--check-only | --render-only] [--enforce]

Generates the synthetic report of ``benchmarks/generate.py`` (12 chapters,
~70,000 words, 960 notes, 350 sources) into a temporary directory, then:

check
    median wall time of ``abuild check <report>`` (5 runs) against the median
    of bare ``pandoc -f markdown -t json <chapters...> -o /dev/null`` (5 runs,
    one pandoc process with all chapters). Target: ratio <= 2.0.
    One untimed warm-up run of each comes first; the timed runs alternate.

render (only when ``abuild render --help`` exits 0)
    median wall time of ``abuild render <report> --to html,pdf,docx,odt --out
    <tmp>`` (3 runs) against the median of the bare sequential baseline
    ``pandoc -f markdown -t html --standalone --citeproc --bibliography
    <sources as CSL-JSON> --csl templates/csl/ambtsbericht.csl <chapters...>
    -o x.html`` followed by ``python -c "weasyprint.HTML('x.html').write_pdf('x.pdf')"``
    (3 runs). Target: ratio <= 1.2. Also: PDF page count (pypdf), pages per
    second, and peak memory. Target: peak memory <= 1.5 GiB. In each round
    also ``abuild render`` with its cache (``build/.cache``) emptied first,
    what a drafter's first render costs (issue #14). Target: <= 0.7x the
    same baseline (its CPU seconds are printed beside it).

Peak memory is measured in one more run of each command, after the timed
runs, and that run is not timed: sampling /proc every 50 ms walks the
memory map of every process of the tree (smaps_rollup), and measured on
two cores it slowed ``abuild render`` (five processes) by 2.7-5.9 s but bare
WeasyPrint (one process) by only 0.4-1.1 s. It is measured two ways:

- *largest process*: ``ru_maxrss`` from ``os.wait4`` on the command, which
  Linux reports as the largest RSS of the process and every descendant it
  waited for (exact, but one process: not the sum of processes that ran at
  the same time);
- *process tree*: the sum of the PSS (proportional set size: a page shared
  by n processes counts 1/n in each) of the command and all its descendants,
  sampled every 50 ms from /proc (catches the parallel writers; may miss a
  peak shorter than 50 ms). The sum of RSS is printed too; it counts shared
  libraries once per process and so errs high.

The memory target applies to the process-tree PSS figure.

notes (``--notes N``, also run by ``--notes-only``)
    a hostile-size chapter: one chapter with N footnotes (default 100,000;
    ten per paragraph, each note citing a source), and the wall time and
    peak memory of ``abuild check`` and ``abuild render --to html`` on it
    (one run each, memory sampled as above). Budget (docs/render.md):
    check <= 60 s and render --to html <= 300 s, each within 2 GiB (PSS).

Python's compiled modules: the commands run as an installed abuild does,
with its modules compiled once (``pip install`` compiles them; an editable
install writes ``__pycache__`` on first use). When ``PYTHONDONTWRITEBYTECODE``
is set (this project's sessions set it) and there is no ``__pycache__``,
every run compiles abuild's modules from source again: 50-100 ms of each
``abuild check``. So the Python processes run with ``PYTHONPYCACHEPREFIX``
in the benchmark's temporary directory and may write it (the untimed
warm-up runs do); ``--no-bytecode-cache`` runs them as the environment says.

Timings on a shared machine are noisy: the load average before and after is
printed with the figures. ``--enforce`` makes the exit status 1 when a target
is missed (without it the exit status is 0 unless a command fails, 2).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

CHECK_TARGET = 2.0
RENDER_TARGET = 1.2
COLD_TARGET = 0.7  # abuild render with its cache, the cache empty, against the same baseline (issue #14)
DIFF_TARGET = 1.5  # abuild diff between two commits, against one abuild render --to html (issue #12)
MEMORY_TARGET = int(1.5 * 1024**3)
FORMATS = "html,pdf,docx,odt"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class BenchError(Exception):
    pass


# --------------------------------------------------------------------------
# tools
# --------------------------------------------------------------------------


def abuild_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("abuild")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("abuild")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from ambtsbericht_build.cli import main; sys.argv[0] = 'abuild'; main()"]


def pandoc_cmd() -> str:
    try:
        from ambtsbericht_build.tools import pandoc_path

        return pandoc_path()
    except Exception:  # noqa: BLE001 - fall back to PATH
        found = shutil.which("pandoc")
        if not found:
            raise BenchError("pandoc not found (install the project: pip install -e .)") from None
        return found


def versions(pandoc: str) -> dict[str, str]:
    out = {"python": platform.python_version()}
    try:
        out["pandoc"] = (
            subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0].split()[-1]
        )
    except (OSError, IndexError):
        out["pandoc"] = "?"
    for dist, key in (("weasyprint", "weasyprint"), ("ambtsbericht-build", "abuild"), ("pypdf", "pypdf")):
        try:
            from importlib.metadata import version

            out[key] = version(dist)
        except Exception:  # noqa: BLE001
            out[key] = "?"
    return out


# --------------------------------------------------------------------------
# measuring one command
# --------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    kids.extend(int(x) for x in fh.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return kids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    """Proportional set size: shared pages divided among the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Peak of the summed RSS and PSS of a process and its descendants (Linux /proc)."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.peak_pss = 0
        self.available = Path(f"/proc/{pid}/task").is_dir()
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            total, pss, todo, seen = 0, 0, [self.pid], set()
            while todo:
                p = todo.pop()
                if p in seen:
                    continue
                seen.add(p)
                total += _rss(p)
                pss += _pss(p)
                todo.extend(_children(p))
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, pss)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


@dataclass
class Run:
    seconds: float
    maxrss: int  # bytes, largest single process of the tree
    tree_peak: int  # bytes, sampled sum of RSS over the tree (0: not measured)
    tree_pss: int = 0  # bytes, sampled sum of PSS over the tree (0: not measured)
    stderr: str = ""
    cpu: float = 0.0  # seconds of CPU (user + system) of the command and the processes it waited for


def measure(
    cmd: list[str],
    *,
    cwd: Path,
    stdout=subprocess.DEVNULL,
    what: str,
    ok=(0,),
    sample_memory: bool = False,
    env: dict[str, str] | None = None,
) -> Run:
    """Run ``cmd`` and return its wall time and memory; raise BenchError on failure."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=err, env=env)
        sampler = TreeSampler(proc.pid) if sample_memory else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        if sampler:
            sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        errtext = err.read().decode("utf-8", "replace")
        if proc.returncode not in ok:
            tail = errtext.strip().splitlines()[-15:]
            raise BenchError(f"{what} failed with exit status {proc.returncode}:\n  " + "\n  ".join(tail))
    # ru_maxrss is in KiB on Linux, bytes on macOS
    maxrss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    sampled = sampler is not None and sampler.available
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, maxrss, sampler.peak if sampled else 0, sampler.peak_pss if sampled else 0, errtext, cpu)


@dataclass
class Series:
    name: str
    runs: list[Run] = field(default_factory=list)  # timed
    memory: list[Run] = field(default_factory=list)  # sampled for memory, not timed

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def maxrss(self) -> int:
        return max(r.maxrss for r in self.runs + self.memory)

    @property
    def tree_peak(self) -> int:
        return max(r.tree_peak for r in self.runs + self.memory)

    @property
    def tree_pss(self) -> int:
        return max(r.tree_pss for r in self.runs + self.memory)

    def median_run(self) -> Run:
        return sorted(self.runs, key=lambda r: r.seconds)[(len(self.runs) - 1) // 2]

    def times(self) -> str:
        return " ".join(f"{r.seconds:.2f}" for r in self.runs)

    def cpu_times(self) -> str:
        return " ".join(f"{r.cpu:.1f}" for r in self.runs)


# --------------------------------------------------------------------------
# the benchmarks
# --------------------------------------------------------------------------


def chapter_files(report: Path) -> list[str]:
    import yaml

    meta = yaml.safe_load((report / "report.yaml").read_text(encoding="utf-8"))
    return list(meta.get("chapters") or sorted(str(p.relative_to(report)) for p in (report / "chapters").glob("*.md")))


def bench_check(root: Path, report: Path, runs: int, pandoc: str) -> dict:
    rel = report.relative_to(root)
    chapters = [str(report / c) for c in chapter_files(report)]
    abuild = [*abuild_cmd(), "check", str(rel)]
    base = [pandoc, "-f", "markdown", "-t", "json", *chapters, "-o", os.devnull]
    # warm-up (untimed), and the findings for the record
    proc = subprocess.run(
        [*abuild_cmd(), "check", "--format", "json", str(rel)], cwd=root, capture_output=True, text=True
    )
    try:
        summary = json.loads(proc.stdout)["summary"]
    except (ValueError, KeyError, TypeError):
        raise BenchError(
            f"abuild check --format json gave no JSON (exit {proc.returncode}):\n{(proc.stderr or proc.stdout)[-2000:]}"
        ) from None
    measure(base, cwd=root, what="pandoc")
    a, b = Series("abuild check"), Series("pandoc -t json")
    for _ in range(runs):
        a.runs.append(measure(abuild, cwd=root, what="abuild check", ok=(0, 1)))
        b.runs.append(measure(base, cwd=root, what="pandoc -t json"))
    return {"abuild": a, "pandoc": b, "ratio": a.median / b.median, "findings": summary}


def render_available() -> bool:
    try:
        return subprocess.run([*abuild_cmd(), "render", "--help"], capture_output=True, timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def csl_json(report: Path, dest: Path) -> None:
    """The report's sources as CSL-JSON for the bare pandoc baseline (not timed)."""
    import yaml

    sources = yaml.safe_load((report / "sources.yaml").read_text(encoding="utf-8"))
    glossary = yaml.safe_load((report / "glossary.yaml").read_text(encoding="utf-8")) or {}
    try:
        from ambtsbericht_build.render.csl_items import to_csl_items

        items = to_csl_items(sources, glossary)
    except ImportError:  # minimal stand-in: what pandoc needs
        items = []
        for s in sources:
            if s.get("confidential"):
                s = {"id": s["id"], "type": "personal_communication", "issued": s.get("issued")}
            s = {k: v for k, v in s.items() if k not in ("internal", "confidential", "archive")}
            for k in ("issued", "accessed"):
                if hasattr(s.get(k), "year"):
                    d = s[k]
                    s[k] = {"date-parts": [[d.year, d.month, d.day]]}
            items.append(s)
    dest.write_text(json.dumps(items, ensure_ascii=False, default=str), encoding="utf-8")


def pdf_pages(path: Path) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        return 0
    return len(PdfReader(str(path)).pages)


def bench_render(root: Path, report: Path, work: Path, runs: int, pandoc: str) -> dict:
    rel = report.relative_to(root)
    chapters = chapter_files(report)
    bib = work / "baseline-bibliography.json"
    csl_json(report, bib)
    csl = ROOT / "ambtsbericht_build" / "templates" / "csl" / "ambtsbericht.csl"
    html, pdf = work / "baseline" / "x.html", work / "baseline" / "x.pdf"
    html.parent.mkdir(parents=True, exist_ok=True)
    base_pandoc = [
        pandoc,
        "-f",
        "markdown",
        "-t",
        "html",
        "--standalone",
        "--citeproc",
        "--bibliography",
        str(bib),
        *(["--csl", str(csl)] if csl.exists() else []),
        "--metadata",
        "title=Algemeen ambtsbericht Meetland",
        "--metadata",
        "lang=nl",
        *chapters,
        "-o",
        str(html),
    ]
    base_weasy = [
        sys.executable,
        "-c",
        f"import weasyprint; weasyprint.HTML({str(html)!r}, base_url={str(report) + '/'!r}).write_pdf({str(pdf)!r})",
    ]
    a, b = Series("abuild render"), Series("pandoc + WeasyPrint")
    cold = Series("abuild render, empty cache")
    cache_env = {k: v for k, v in os.environ.items() if k != "ABUILD_CACHE"}  # main() turns it off
    base_pdf_pages = 0
    out = work / "render"
    abuild_render = [*abuild_cmd(), "render", str(rel), "--to", FORMATS, "--out", str(out)]
    for i in range(runs):
        # baseline first in each round, abuild second, so neither always has the warmer cache
        r1 = measure(base_pandoc, cwd=report, what="baseline pandoc (html)")
        r2 = measure(base_weasy, cwd=report, what="baseline WeasyPrint (pdf)")
        b.runs.append(Run(r1.seconds + r2.seconds, max(r1.maxrss, r2.maxrss), 0))
        if i == 0:
            base_pdf_pages = pdf_pages(pdf)
        shutil.rmtree(out, ignore_errors=True)
        a.runs.append(measure(abuild_render, cwd=root, what="abuild render"))
        # the same render with its cache, emptied first: what a drafter's first render costs
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(root / "build" / ".cache", ignore_errors=True)
        cold.runs.append(measure(abuild_render, cwd=root, what="abuild render, empty cache", env=cache_env))
    shutil.rmtree(root / "build" / ".cache", ignore_errors=True)
    # memory: one more run of each, sampled and not timed (see the module docstring)
    r1 = measure(base_pandoc, cwd=report, what="baseline pandoc (html)", sample_memory=True)
    r2 = measure(base_weasy, cwd=report, what="baseline WeasyPrint (pdf)", sample_memory=True)
    b.memory.append(
        Run(
            r1.seconds + r2.seconds,
            max(r1.maxrss, r2.maxrss),
            max(r1.tree_peak, r2.tree_peak),
            max(r1.tree_pss, r2.tree_pss),
        )
    )
    shutil.rmtree(out, ignore_errors=True)
    a.memory.append(measure(abuild_render, cwd=root, what="abuild render", sample_memory=True))
    pages = pdf_pages(out / f"{report.name}.pdf")
    return {
        "abuild": a,
        "baseline": b,
        "ratio": a.median / b.median,
        "cold": cold,
        "cold_ratio": cold.median / b.median,
        "pages": pages,
        "baseline_pages": base_pdf_pages,
        "pages_per_second": pages / a.median if a.median else 0.0,
        "outputs": {p.suffix[1:]: p.stat().st_size for p in sorted(out.glob(f"{report.name}.*"))},
    }


def bench_diff(report: Path, work: Path, runs: int) -> dict:
    """``abuild diff`` of the report between two commits that differ in one
    chapter (a word in every fifth paragraph, one paragraph deleted) against
    ``abuild render --to html`` of it, alternating, ``runs`` each after a
    warm-up; in a Git repository of its own (a copy of the report)."""
    repo = work / "diff-repo"
    rel = f"reports/{report.name}"
    shutil.copytree(report, repo / rel)

    def git(*args: str) -> None:
        ident = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
        subprocess.run(["git", "-C", str(repo), *ident, *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "old")
    chapter = sorted((repo / rel / "chapters").glob("*.md"))[4]
    paras = chapter.read_text(encoding="utf-8").split("\n\n")
    paras = [p.replace(" de ", " het ", 1) if i % 5 == 3 else p for i, p in enumerate(paras) if i != 20]
    chapter.write_text("\n\n".join(paras), encoding="utf-8")
    git("commit", "-qam", "new")
    d, r = Series("abuild diff"), Series("abuild render --to html")
    diff = [*abuild_cmd(), "diff", rel, "HEAD~1", "HEAD", "--out", str(work / "diff-out")]
    render = [*abuild_cmd(), "render", rel, "--to", "html", "--out", str(work / "diff-html")]
    measure(diff, cwd=repo, what="abuild diff")  # warm-up
    for _ in range(runs):
        r.runs.append(measure(render, cwd=repo, what="abuild render --to html"))
        d.runs.append(measure(diff, cwd=repo, what="abuild diff"))
    said = d.runs[-1].stderr.strip().splitlines()
    return {"diff": d, "render": r, "ratio": d.median / r.median, "summary": said[-1] if said else ""}


def print_diff(r: dict, missed: list[str]) -> None:
    d, h = r["diff"], r["render"]
    print(f"{'diff (one chapter changed)':<34}{'median':>9}   runs (s)")
    print(f"  {'abuild diff HEAD~1 HEAD':<32}{d.median:>7.2f} s   {d.times()}")
    print(f"  {'abuild render --to html':<32}{h.median:>7.2f} s   {h.times()}")
    ok = r["ratio"] <= DIFF_TARGET
    print(f"  {'ratio':<32}{r['ratio']:>7.2f}     target <= {DIFF_TARGET}  {verdict(ok)}")
    print(f"  {'changes':<32}{r['summary'].removeprefix('abuild diff: ')}")
    # CPU holds at any load (a loaded machine punishes the render's writer,
    # which runs at a lowered priority, far more than the diff's processes)
    dc, hc = (statistics.median(run.cpu for run in s.runs) for s in (d, h))
    print(f"  {'CPU, median (user + system)':<32}{dc:>7.2f} s against {hc:.2f} s: {dc / hc if hc else 0:.2f}")
    if not ok:
        missed.append(f"diff ratio {r['ratio']:.2f} > {DIFF_TARGET}")


NOTES_BUDGET = {"check": (60.0, 2 * 1024**3), "render --to html": (300.0, 2 * 1024**3)}

NOTES_REPORT = """\
title: Algemeen ambtsbericht Notenland
kind: algemeen
country: Notenland
language: nl
date: 2026-03-01
reference_period: {start: 2024-09-01, end: 2026-01-31}
status: concept
version: "1.0"
issuer: Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten
"""
NOTES_TOR = """\
title: Terms of Reference Notenland
requested_by: Ministerie van Justitie en Veiligheid
date: 2025-06-10
themes:
  - id: "1"
    title: Veiligheid
    questions:
      - id: "1.1"
        text: Hoe is de veiligheidssituatie?
"""
NOTES_SOURCES = """\
- id: h
  type: report
  author: [{literal: Human Rights Watch}]
  title: World Report 2025 – Notenland
  issued: 2025-01-16
  URL: https://www.hrw.org/world-report/2025/notenland
  accessed: 2025-02-03
"""


def notes_chapter(n: int, per_paragraph: int = 10) -> str:
    """One chapter with ``n`` footnotes: paragraphs of ``per_paragraph``
    sentences, each with a reference note that cites the one source (short,
    ~45 bytes a note, so that 100,000 notes stay under the 5 MB file limit)."""
    out = ["# Veiligheid {#h-veiligheid}\n", '## Veiligheidssituatie {#sec-veiligheid tor="1.1"}\n']
    for start in range(0, n, per_paragraph):
        ids = range(start, min(n, start + per_paragraph))
        out.append(" ".join(f"Feit {i}.[^{i}]" for i in ids) + "\n")
        out.append("".join(f"[^{i}]: Zie [@h, p. {i % 500 + 1}].\n" for i in ids))
    return "\n".join(out)


def make_notes_report(root: Path, n: int) -> Path:
    report = root / "reports" / "notenland"
    (report / "chapters").mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir(exist_ok=True)
    (report / "report.yaml").write_text(NOTES_REPORT, encoding="utf-8")
    (report / "tor.yaml").write_text(NOTES_TOR, encoding="utf-8")
    (report / "sources.yaml").write_text(NOTES_SOURCES, encoding="utf-8")
    (report / "chapters" / "01-veiligheid.md").write_text(notes_chapter(n), encoding="utf-8")
    return report


def bench_notes(root: Path, n: int) -> dict:
    """``abuild check`` and ``abuild render --to html`` on a chapter of ``n``
    notes: wall time and peak memory of one run each, against the budget."""
    base = root / f"notes-{n}"
    report = make_notes_report(base, n)
    rel = str(report.relative_to(base))
    runs: dict[str, Run | str] = {}
    commands = {
        "check": [*abuild_cmd(), "check", rel],
        "render --to html": [*abuild_cmd(), "render", rel, "--to", "html", "--out", str(base / "out")],
    }
    for name, cmd in commands.items():
        try:  # a failed render is a figure too (a missed budget), not the end of the benchmark
            runs[name] = measure(
                cmd, cwd=base, what=f"abuild {name} (notes)", ok=(0, 1) if name == "check" else (0,), sample_memory=True
            )
        except BenchError as exc:
            runs[name] = str(exc)
    return {"notes": n, "bytes": (report / "chapters" / "01-veiligheid.md").stat().st_size, "runs": runs}


def print_notes(r: dict, missed: list[str]) -> None:
    print(f"{'notes: one chapter of ' + format(r['notes'], ',') + ' notes':<34}{'wall':>9}   peak (PSS tree / largest)")
    for name, run in r["runs"].items():
        seconds, memory = NOTES_BUDGET[name]
        if isinstance(run, str):
            print(f"  {'abuild ' + name:<32}failed  MISSED\n    " + run.replace("\n", "\n    "))
            missed.append(f"{r['notes']:,} notes: abuild {name} failed")
            continue
        peak = run.tree_pss or run.tree_peak or run.maxrss
        ok = run.seconds <= seconds and peak <= memory
        print(
            f"  {'abuild ' + name:<32}{run.seconds:>7.1f} s   {gib(peak)} / {gib(run.maxrss)}"
            f"   budget {seconds:.0f} s, {gib(memory)}  {verdict(ok)}"
        )
        if not ok:
            missed.append(f"{r['notes']:,} notes: abuild {name} {run.seconds:.1f} s, {gib(peak)}")
    print(f"  {'chapter':<32}{r['bytes'] / 1024**2:>7.1f} MiB of Markdown")


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------


def gib(n: int) -> str:
    return f"{n / 1024**3:.2f} GiB" if n >= 1024**3 else f"{n / 1024**2:.0f} MiB"


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, metavar="DIR", help="generate into DIR and keep it (and the outputs)")
    only = ap.add_mutually_exclusive_group()
    only.add_argument("--check-only", action="store_true", help="only the check benchmark")
    only.add_argument("--render-only", action="store_true", help="only the render benchmark")
    only.add_argument("--notes-only", action="store_true", help="only the many-notes scenario")
    only.add_argument("--preview-only", action="store_true", help="only abuild preview (preview_bench.py)")
    only.add_argument("--cache-only", action="store_true", help="only the incremental builds (cache_bench.py)")
    only.add_argument("--diff-only", action="store_true", help="only abuild diff against render --to html")
    ap.add_argument("--preview-edits", type=int, default=100, metavar="N", help="edits in the preview scenario")
    ap.add_argument("--notes", type=int, default=100_000, metavar="N", help="notes in the notes scenario (0: skip)")
    ap.add_argument("--enforce", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--check-runs", type=int, default=5, metavar="N", help="timed runs for check (default 5)")
    ap.add_argument("--render-runs", type=int, default=3, metavar="N", help="timed runs for render (default 3)")
    ap.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run Python as the environment says (PYTHONDONTWRITEBYTECODE: every run compiles abuild's modules)",
    )
    args = ap.parse_args(argv)

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        root = args.keep.resolve()
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="abuild-bench-")
        root = Path(cleanup.name)
    work = root / "bench-work"
    if not args.no_bytecode_cache:
        # compiled once, in the warm-up runs, as an installed abuild is (see the module docstring)
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    os.environ["ABUILD_CACHE"] = "off"  # every scenario renders and checks from scratch; cache_bench.py turns it on
    results: dict = {}
    missed: list[str] = []
    try:
        pandoc = pandoc_cmd()
        if args.notes_only:
            print(f"abuild {versions(pandoc)['abuild']}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
            print_notes(bench_notes(root, args.notes), missed)
            print(f"load average after: {os.getloadavg()[0]:.2f}")
            return 1 if (missed and args.enforce) else 0
        stats = generate.generate(root, seed=args.seed)
        report = Path(stats["report"])
        if args.preview_only:  # abuild preview: edit -> served latency, server memory (issue #14)
            import preview_bench

            print(f"abuild preview, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; report: {report}")
            preview_bench.print_preview(preview_bench.bench_preview(root, report, args.preview_edits), missed)
            print(f"load average after: {os.getloadavg()[0]:.2f}")
            print("targets missed: " + "; ".join(missed) if missed else "all targets met")
            return 1 if (missed and args.enforce) else 0
        if args.cache_only:  # abuild render/check with the cache in build/.cache (issue #14)
            import cache_bench

            print(f"abuild incremental builds, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; report: {report}")
            cache_bench.print_cache(cache_bench.bench_cache(root, report, abuild_cmd(), args.render_runs), missed)
            print(f"load average after: {os.getloadavg()[0]:.2f}")
            print("targets missed: " + "; ".join(missed) if missed else "all targets met")
            return 1 if (missed and args.enforce) else 0
        work.mkdir(exist_ok=True)
        if args.diff_only:  # abuild diff of one changed chapter against render --to html (issue #12)
            print(f"abuild diff, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; report: {report}")
            print_diff(bench_diff(report, work, args.render_runs), missed)
            print(f"load average after: {os.getloadavg()[0]:.2f}")
            print("targets missed: " + "; ".join(missed) if missed else "all targets met")
            return 1 if (missed and args.enforce) else 0
        v = versions(pandoc)
        print(
            f"abuild benchmark: {stats['chapters']} chapters, {stats['words']:,} words, {stats['notes']} notes, "
            f"{stats['sources']} sources ({stats['confidential']} confidential), {stats['questions']} ToR questions"
            f" (seed {args.seed})"
        )
        print(
            f"abuild {v['abuild']}, pandoc {v['pandoc']}, WeasyPrint {v['weasyprint']}, Python {v['python']}, "
            f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
        )
        print(
            "Python modules: "
            + ("compiled in every run (--no-bytecode-cache)" if args.no_bytecode_cache else "compiled once (warm-up)")
        )
        print(f"report: {report}")
        sys.stdout.flush()

        if not args.render_only:
            c = bench_check(root, report, args.check_runs, pandoc)
            results["check"] = c
            f = c["findings"]
            print()
            print(f"{'check':<34}{'median':>9}   runs (s)")
            print(f"  {'abuild check':<32}{c['abuild'].median:>7.2f} s   {c['abuild'].times()}")
            print(f"  {'pandoc -f markdown -t json':<32}{c['pandoc'].median:>7.2f} s   {c['pandoc'].times()}")
            ok = c["ratio"] <= CHECK_TARGET
            print(f"  {'ratio':<32}{c['ratio']:>7.2f}     target <= {CHECK_TARGET}  {verdict(ok)}")
            print(f"  {'findings':<32}{f.get('errors', 0)} errors, {f.get('warnings', 0)} warnings")
            if not ok:
                missed.append(f"check ratio {c['ratio']:.2f} > {CHECK_TARGET}")
            sys.stdout.flush()

        if not args.check_only:
            print()
            if not render_available():
                print("render: skipped (`abuild render --help` does not exit 0: no render command yet)")
            else:
                r = bench_render(root, report, work, args.render_runs, pandoc)
                results["render"] = r
                a, b = r["abuild"], r["baseline"]
                print(f"{'render':<34}{'median':>9}   runs (s)")
                print(f"  {'abuild render ' + FORMATS:<32}{a.median:>7.2f} s   {a.times()}")
                print(f"  {'pandoc html + WeasyPrint pdf':<32}{b.median:>7.2f} s   {b.times()}")
                ok = r["ratio"] <= RENDER_TARGET
                print(f"  {'ratio':<32}{r['ratio']:>7.2f}     target <= {RENDER_TARGET}  {verdict(ok)}")
                if not ok:
                    missed.append(f"render ratio {r['ratio']:.2f} > {RENDER_TARGET}")
                c = r["cold"]
                print(f"  {'abuild render, empty cache':<32}{c.median:>7.2f} s   {c.times()}  CPU {c.cpu_times()}")
                ok = r["cold_ratio"] <= COLD_TARGET
                print(f"  {'ratio, empty cache':<32}{r['cold_ratio']:>7.2f}     target <= {COLD_TARGET}  {verdict(ok)}")
                if not ok:
                    missed.append(f"empty-cache render ratio {r['cold_ratio']:.2f} > {COLD_TARGET}")
                print(
                    f"  {'PDF pages':<32}{r['pages']:>7}     (baseline PDF: {r['baseline_pages']} pages, "
                    f"pandoc's default style)"
                )
                print(f"  {'pages per second':<32}{r['pages_per_second']:>7.1f}")
                # the target applies to the process tree's proportional set size (shared pages
                # counted once); the RSS sum counts shared libraries once per process and errs high
                peak = a.tree_pss or a.tree_peak or a.maxrss
                mem_ok = peak <= MEMORY_TARGET
                print(
                    f"  {'peak memory, tree (PSS sum)':<32}{gib(a.tree_pss) if a.tree_pss else 'n/a':>9}   "
                    f"target <= {gib(MEMORY_TARGET)}  {verdict(mem_ok)}"
                )
                print(f"  {'peak memory, tree (RSS sum)':<32}{gib(a.tree_peak) if a.tree_peak else 'n/a':>9}")
                print(f"  {'peak memory, largest process':<32}{gib(a.maxrss):>9}   (ru_maxrss)")
                print(
                    f"  {'baseline peak PSS / largest':<32}{gib(b.tree_pss) if b.tree_pss else 'n/a':>9} / "
                    f"{gib(b.maxrss)}"
                )
                stages = [
                    ln.strip()
                    for ln in a.median_run().stderr.splitlines()
                    if ln.split()[:1] and ln.split()[0] in ("document", "html", "pdf", "docx", "odt", "total")
                ]
                if stages:
                    print(f"  {'abuild stages (median run)':<32}" + "; ".join(" ".join(x.split()[:3]) for x in stages))
                print(f"  {'outputs':<32}" + ", ".join(f"{k} {n / 1024:,.0f} KiB" for k, n in r["outputs"].items()))
                if not mem_ok:
                    missed.append(f"render peak memory {gib(peak)} > {gib(MEMORY_TARGET)}")
                print()
                print_diff(bench_diff(report, work, args.render_runs), missed)
        if args.notes and not (args.check_only or args.render_only):
            print()
            print_notes(bench_notes(root, args.notes), missed)
        print()
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        if missed:
            print("targets missed: " + "; ".join(missed))
        elif results:
            print("all targets met")
    except BenchError as exc:
        print(f"benchmarks/run.py: {exc}", file=sys.stderr)
        return 2
    finally:
        if cleanup:
            cleanup.cleanup()
        elif args.keep:
            print(f"kept: {root}")
    return 1 if (missed and args.enforce) else 0


if __name__ == "__main__":
    sys.exit(main())
