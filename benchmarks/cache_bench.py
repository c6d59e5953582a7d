"""Incremental builds (issue #14): ``python benchmarks/run.py --cache-only``.

On a copy of the benchmark report (in a Git repository of its own, as a
drafter's is), with the cache in its ``build/.cache``:

full render, empty cache
    ``abuild render REPORT --out OUT`` after ``build/.cache`` and OUT were
    removed (the median of ``runs``), against the same with ``--no-cache``;
unchanged
    ``abuild render`` again with nothing changed (median of 5). Target <= 0.3 s;
one paragraph edited
    a paragraph added to one chapter, then ``abuild render`` (all four
    formats), against the full render. Target <= 0.4x. What the cache gives
    here is pandoc's reading of the other chapters and the PDF's unchanged
    parts (render/pdf_layout_parts.py: only the edited chapter is laid out
    when its number of pages stays); the other writers write the whole
    document again;
check
    ``abuild check --no-cache`` against ``abuild check`` with every chapter
    in the cache, and after a paragraph added to one chapter (medians of 3;
    target <= 0.45 s for the edit: what the check keeps, check/memo.py).

Wall times on a shared machine are noisy: the CPU time of each command and
its children (``os.wait4``) is printed beside it, and the load average.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

UNCHANGED_TARGET = 0.3  # seconds
EDIT_TARGET = 0.4  # of a full render
CHECK_EDIT_TARGET = 0.45  # seconds, `abuild check` after a one-paragraph edit
STAGES = ("document", "html", "pdf", "docx", "odt", "total")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ABUILD_CACHE", None)  # run.py turns the cache off for the other scenarios
    return env


def timed(cmd: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the command and its children, stderr);
    ``abuild check`` exits 1 on the benchmark report's findings."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env())
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in ok:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, err


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def bench_cache(root: Path, report: Path, abuild: list[str], runs: int = 3) -> dict[str, object]:
    repo = root / "cache-bench"
    shutil.rmtree(repo, ignore_errors=True)
    copy = repo / "reports" / report.name
    shutil.copytree(report, copy)
    if (report.parents[1] / "bibliography").is_dir():
        shutil.copytree(report.parents[1] / "bibliography", repo / "bibliography")
    (repo / ".gitignore").write_text("build/\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "report")
    out = repo / "out"
    cache = repo / "build" / ".cache"
    render = [*abuild, "render", str(copy), "--out", str(out)]

    def fresh(*extra: str) -> tuple[float, float, str]:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        return timed([*render, *extra], repo)

    nocache = [fresh("--no-cache") for _ in range(runs)]
    print(_row("render, --no-cache", nocache), flush=True)
    cold = [fresh() for _ in range(runs)]
    print(_row("render, empty cache", cold), flush=True)
    unchanged = [timed(render, repo) for _ in range(5)]
    print(_row("render, nothing changed", unchanged), flush=True)
    assert all("nothing changed since the last render" in r[2] for r in unchanged), unchanged[0][2]

    chapter = sorted((copy / "chapters").glob("*.md"))[len(list((copy / "chapters").glob("*.md"))) // 2]
    edits = []
    for i in range(runs):
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(text.rstrip("\n") + f"\n\nEen toegevoegde alinea, versie {i}.\n", encoding="utf-8")
        edits.append(timed(render, repo))
    print(_row(f"render, a paragraph added to {chapter.name}", edits), flush=True)

    check = [*abuild, "check", str(copy)]
    timed(check, repo, (0, 1))  # every chapter in the cache
    check_cold = [timed([*check, "--no-cache"], repo, (0, 1)) for _ in range(runs)]
    check_warm = [timed(check, repo, (0, 1)) for _ in range(runs)]
    check_edit = []
    for i in range(runs):
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(text.rstrip("\n") + f"\n\nEen alinea voor de check, versie {i}.\n", encoding="utf-8")
        check_edit.append(timed(check, repo, (0, 1)))
    print("summary:", flush=True)
    return {
        "nocache": nocache,
        "cold": cold,
        "unchanged": unchanged,
        "edit": edits,
        "edited": chapter.name,
        "check_cold": check_cold,
        "check_warm": check_warm,
        "check_edit": check_edit,
    }


def _med(runs: object, i: int = 0) -> float:
    assert isinstance(runs, list)
    return statistics.median(r[i] for r in runs)


def _row(name: str, runs: object) -> str:
    assert isinstance(runs, list)
    times = " ".join(f"{r[0]:.2f}" for r in runs)
    return f"  {name:<40}{_med(runs):>7.2f} s  CPU {_med(runs, 1):6.2f} s   runs: {times}"


def print_cache(r: dict[str, object], missed: list[str]) -> None:
    print(f"{'incremental builds':<42}{'median':>8}")
    print(_row("render, --no-cache", r["nocache"]))
    print(_row("render, empty cache", r["cold"]))
    print(_row("render, nothing changed", r["unchanged"]))
    unchanged = _med(r["unchanged"])
    ok = unchanged <= UNCHANGED_TARGET
    print(f"  {'':<40}target <= {UNCHANGED_TARGET} s  {'met' if ok else 'MISSED'}")
    if not ok:
        missed.append(f"unchanged render {unchanged:.2f} s > {UNCHANGED_TARGET} s")
    print(_row(f"render, a paragraph added to {r['edited']}", r["edit"]))
    ratio = _med(r["edit"]) / _med(r["cold"])
    ok = ratio <= EDIT_TARGET
    verdict = "met" if ok else "MISSED"
    print(f"  {'ratio to the empty-cache render':<40}{ratio:>7.2f}     target <= {EDIT_TARGET}  {verdict}")
    if not ok:
        missed.append(f"one-paragraph edit {ratio:.2f}x a full render > {EDIT_TARGET}x")
    edits = r["edit"]
    assert isinstance(edits, list)
    lines = [ln.split() for ln in edits[-1][2].splitlines()]
    stages = [w[:3] for w in lines if w[:1] and w[0] in STAGES and w[2:3] == ["s"]]
    print("  stages of the last edit render: " + "; ".join(" ".join(w) for w in stages))
    # the PDF writer's note: "pdf  16 parts: 1 laid out, 15 from the cache" (render/pdf_layout_parts.py)
    parts = [" ".join(w[1:]) for w in lines if w[:1] == ["pdf"] and "parts:" in w]
    if parts:
        print("  the PDF of the last edit render: " + parts[-1])
    print(_row("check, --no-cache", r["check_cold"]))
    print(_row("check, every chapter in the cache", r["check_warm"]))
    print(_row("check, a paragraph added", r["check_edit"]))
    ok = _med(r["check_edit"]) <= CHECK_EDIT_TARGET
    print(f"  {'':<40}target <= {CHECK_EDIT_TARGET} s  {'met' if ok else 'MISSED'}")
    if not ok:
        missed.append(f"check after a one-paragraph edit {_med(r['check_edit']):.2f} s > {CHECK_EDIT_TARGET} s")
    sys.stdout.flush()
