"""The cache against hostile inputs and entries (red-team findings C1-C5).

A FIFO, a device or a symlink out of the repository in a report never
hangs the key nor makes it read outside the repository; a linked file that
appears or disappears changes the key; a cache directory that is a symlink
is not used, and eviction removes entries only; a record never names what
the cache reads, and an edited record is ignored; the render refuses an
output directory among its inputs. Mostly without a render (a key costs
~0.1 s); two small HTML renders for the end-to-end cases (~3 s each).
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.cache import inputs
from ambtsbericht_build.cache.fast import RenderCache, seal
from ambtsbericht_build.cache.store import Store
from ambtsbericht_build.cli import main
from tests.cache.conftest import committed
from tests.cache.test_render_cache import UNCHANGED
from tests.fixtures.report_kit import CHAPTER, ReportDir
from tests.render.conftest import make_mini_report

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and symlinks of a POSIX system")


@contextmanager
def no_hang(seconds: int = 10) -> Iterator[None]:
    """A hang (a FIFO opened, /dev/zero read to its end) fails the test instead of the suite."""

    def fail(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def opened_paths(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every path the key's code opens."""
    seen: list[str] = []
    real_open = os.open

    def spy(path: str | os.PathLike[str], flags: int, *args: int, **kw: int) -> int:
        seen.append(os.path.realpath(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(inputs.os, "open", spy)
    yield seen


def key(report: ReportDir, out: Path | None = None) -> str:
    return inputs.key(inputs.fingerprint(report.dir, out or report.root / "build" / "testland", {"to": None}))


# --- C1: special files and symlinks out of the repository ----------------------------------------

_RUNS = itertools.count()
KINDS = ("fifo", "dev-zero", "outside-file", "outside-root", "dangling", "loop", "inside-file")


def _place(kind: str, at: Path, outside: Path, report: ReportDir) -> None:
    at.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(at)
    elif kind == "dev-zero":
        at.symlink_to("/dev/zero")
    elif kind == "outside-file":
        at.symlink_to(outside)
    elif kind == "outside-root":
        at.symlink_to("/")
    elif kind == "dangling":
        at.symlink_to(at.parent / "nergens")
    elif kind == "loop":
        at.symlink_to(at.parent, target_is_directory=True)
    else:
        at.symlink_to(report.path(CHAPTER))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    placed=st.lists(
        st.tuples(st.sampled_from(KINDS), st.sampled_from(("", "media/", "chapters/", "translations/en/"))),
        min_size=1,
        max_size=5,
    )
)
def test_no_special_file_or_symlink_hangs_or_leaves_the_repository(
    report: ReportDir, tmp_path_factory: pytest.TempPathFactory, placed: list[tuple[str, str]]
) -> None:
    """Whatever mix of FIFOs, devices and symlinks out of the repository the
    report holds, the key is made at once, opens only regular files inside
    the repository, and still changes when such an entry changes."""
    outside = tmp_path_factory.mktemp("elders") / "geheim.txt"
    outside.write_text("geheim")
    made = []
    run = next(_RUNS)
    for i, (kind, where) in enumerate(placed):
        at = report.dir / where / f"x{run}-{i}-{kind}"
        _place(kind, at, outside, report)
        made.append(at)
    root = inputs.repo_root(report.dir)
    with pytest.MonkeyPatch.context() as mp, opened_paths(mp) as seen, no_hang():
        before = key(report)
        outside.write_text("ander geheim")  # not an input: never read
        assert key(report) == before
    # (git's stdin is /dev/null: subprocess opens it)
    allowed = (root, inputs.PACKAGE)
    strays = [p for p in seen if not any(inputs.inside(p, a) for a in allowed) and p != os.devnull]
    assert not strays, f"opened outside the repository: {strays}"
    assert not any(stat.S_ISFIFO(os.stat(p).st_mode) for p in seen if os.path.exists(p))
    first = made[0]
    first.unlink()
    first.symlink_to("/etc/hostname")  # another kind, or another target: another key
    assert key(report) != before


# --- C2: a linked file outside the hashed trees -------------------------------------------------


def test_a_linked_file_appearing_changing_or_going_changes_the_key(report: ReportDir) -> None:
    report.write(CHAPTER, report.path(CHAPTER).read_text() + "\nZie de [bijlage](../../extra/bijlage%20a.txt).\n")
    extra = report.root / "extra" / "bijlage a.txt"
    seen = {key(report)}
    extra.parent.mkdir()
    extra.write_text("een")
    seen.add(key(report))
    extra.write_text("twee")
    seen.add(key(report))
    extra.unlink()
    assert key(report) in seen  # as before it appeared
    assert len(seen) == 3


@pytest.fixture
def mini_repo(tmp_path: Path) -> Path:
    report = make_mini_report(tmp_path / "repo")
    (tmp_path / "repo" / ".git").rmdir()
    committed(tmp_path / "repo")
    return report


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_a_final_report_whose_linked_file_went_is_refused_again(mini_repo: Path, tmp_path: Path) -> None:
    """Real renders (vastgesteld): rendered with the linked file, refused (AB408) once it is gone."""
    chapter = mini_repo / "chapters" / "01-politiek.md"
    chapter.write_text(chapter.read_text() + "\nZie de [bijlage](../../extra/bijlage.txt).\n")
    extra = mini_repo.parents[1] / "extra" / "bijlage.txt"  # untracked: git status shows only "? extra/"
    extra.parent.mkdir()
    extra.write_text("bijlage\n")
    out = tmp_path / "out"
    code, output = cli("render", str(mini_repo), "--to", "html", "--out", str(out))
    assert code == 0, output
    extra.unlink()
    code, output = cli("render", str(mini_repo), "--to", "html", "--out", str(out))
    assert code == 1 and UNCHANGED not in output and "AB408" in output, output


# --- C3: the cache's own directory ------------------------------------------------------------------


def test_a_cache_directory_behind_a_symlink_is_not_used(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "dierbaar.txt").write_text("x" * 5000)
    (repo / "build").mkdir(parents=True)
    (repo / "build" / ".cache").symlink_to(victim)
    store = Store(repo / "build" / ".cache", limit=1000, repo=repo)
    assert store.refused and "symbolic link" in store.refused
    store.put("chapter", "a" * 64, b"y" * 3000)
    store.evict()
    assert sorted(p.name for p in victim.iterdir()) == ["dierbaar.txt"]
    outside = Store(tmp_path / "elders", repo=repo)
    assert outside.refused and "outside the repository" in outside.refused


def test_a_symlink_inside_the_cache_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    root = tmp_path / "repo" / "build" / ".cache"
    root.mkdir(parents=True)
    (root / "chapter").symlink_to(victim)
    store = Store(root, repo=tmp_path / "repo")
    store.put("chapter", "ab" * 32, b"payload")
    assert list(victim.iterdir()) == []
    assert store.get("chapter", "ab" * 32) is None


def test_eviction_removes_entries_only(tmp_path: Path) -> None:
    root = tmp_path / "repo" / "build" / ".cache"
    store = Store(root, limit=2100, repo=tmp_path / "repo")
    for i in range(4):
        store.put("output", f"{i:064x}", b"z" * 600)
    foreign = [root / "output" / "00" / ("f" * 64), root / "notes.txt", root / "chapter" / "ab" / "readme"]
    for p in foreign:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"not an entry " * 100)
    victim = tmp_path / "victim.txt"
    victim.write_text("x" * 5000)
    (root / "output" / "00" / ("e" * 64)).symlink_to(victim)
    store.evict()
    assert all(p.exists() for p in foreign) and victim.read_text() == "x" * 5000
    left = [k for i in range(4) if (root / "output" / "00" / (k := f"{i:064x}")).exists()]
    assert len(left) == 2  # 4 entries of 824 bytes over a 2,100-byte limit: down to 80 % of it


# --- C4: a record names nothing to read, and is bound to its key ------------------------------------


def _recorded(report: ReportDir, out: Path) -> tuple[RenderCache, dict[str, object]]:
    out.mkdir(parents=True)
    manifest = out / "testland.manifest.json"
    manifest.write_text(json.dumps({"outputs": {}}))
    rc = RenderCache.open(report.dir, out, {"to": "html"})
    rec: dict[str, object] = {
        "manifest": {"file": manifest.name, "sha256": inputs.file_hash(manifest)},
        "written": [],
        "formats_files": [],
        "inputs_outside": {"/dev/zero": "0" * 64},  # what an older record held: read no more
        "diagnostics": [[str(report.path(CHAPTER)), 3, 1, "AB201", "warning", "een bevinding"]],
    }
    return rc, rec


def test_a_record_never_makes_the_cache_read_a_path_it_names(report: ReportDir) -> None:
    rc, rec = _recorded(report, report.root / "build" / "testland")
    rc.store.put_json("render", rc.key, {**rec, "seal": seal(rc.key, rec)})
    with no_hang():
        replay = rc.unchanged()
    assert replay is not None and [d.code for d in replay.diagnostics] == ["AB201"]


def test_an_edited_record_is_ignored(report: ReportDir) -> None:
    rc, rec = _recorded(report, report.root / "build" / "testland")
    rc.store.put_json("render", rc.key, {**rec, "seal": seal(rc.key, rec)})
    assert rc.unchanged() is not None
    forged = {**rec, "diagnostics": [], "seal": seal(rc.key, rec)}  # its findings dropped, the header made anew
    rc.store.put_json("render", rc.key, forged)
    assert rc.unchanged() is None
    other = "0" * 64  # a whole record copied under another key
    rc.store.put_json("render", other, {**rec, "seal": seal(rc.key, rec)})
    rc.key = other
    assert rc.unchanged() is None


# --- C5: an output directory among the inputs -------------------------------------------------------


@pytest.mark.parametrize("where", ["chapters", ".", "../../bibliography", "../../templates/css"])
@pytest.mark.parametrize("no_cache", [False, True])
def test_an_output_directory_among_the_inputs_is_refused(report: ReportDir, where: str, no_cache: bool) -> None:
    out = Path(os.path.normpath(report.dir / where))
    out.mkdir(parents=True, exist_ok=True)
    code, output = cli("render", str(report.dir), "--to", "html", "--out", str(out), *(["--no-cache"] * no_cache))
    assert code == 2 and "--out" in output and "inputs" in output, output
    assert not any(inputs.is_output(p.name) for p in out.iterdir())


def test_an_edit_in_the_output_directory_changes_the_key(report: ReportDir) -> None:
    """The key never skips a whole directory: only abuild's outputs, by name."""
    out = report.path(CHAPTER).parent
    before = key(report, out)
    (out / "testland.html").write_text("<html>")
    assert key(report, out) == before
    report.write(CHAPTER, report.path(CHAPTER).read_text() + "\nEen geheim.\n")
    assert key(report, out) != before


def test_the_output_names_are_the_writers() -> None:
    from ambtsbericht_build.render.formats import WRITERS

    assert set(inputs.OUTPUT_SUFFIXES) == {w.suffix for w in WRITERS.values()} | {".manifest.json"}


@pytest.mark.parametrize("where", ["chapters", "../../templates"])
def test_render_report_itself_refuses_an_output_directory_among_the_inputs(report: ReportDir, where: str) -> None:
    """Not only the command line: a caller of ``render_report`` (abuild diff,
    a script, the preview) is refused before anything is written."""
    from ambtsbericht_build.render.pipeline import RenderFailed, RenderOptions, render_report

    out = Path(os.path.normpath(report.dir / where))
    out.mkdir(parents=True, exist_ok=True)
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(RenderFailed, match="among the report's inputs"):
        render_report(report.dir, RenderOptions(formats=("html",), out_dir=out))
    assert sorted(p.name for p in out.iterdir()) == before
