"""The document built by a forked child while the check's rules run
(render/early_document.py): concurrently, to the same bytes as the build in
one process, and never at the cost of a refusal or a clean failure.

Small fixture reports, HTML only (~2 s a render)."""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from pathlib import Path

import pytest

from ambtsbericht_build.check import REGISTRY
from ambtsbericht_build.render import document, pipeline
from ambtsbericht_build.render.errors import RenderFailed
from tests.fixtures.report_kit import CHAPTER_MD, make_report

REMOTE = "\n![Kaart van het noorden](https://tegels.example/noord.png){#fig-kaart}\n"


def _render(report_dir: Path, out: Path) -> pipeline.RenderResult:
    return pipeline.render_report(report_dir, pipeline.RenderOptions(formats=("html",), out_dir=out))


def _staged(out: Path) -> list[str]:
    """What is left in the render's staging area (render/atomic.py)."""
    root = out.resolve().parent / ".abuild-staging"
    return sorted(p.name for p in root.rglob("*") if p.name != ".gitignore") if root.exists() else []


def _building(monkeypatch: pytest.MonkeyPatch, marker: Path, then: object = None) -> None:
    """The document build (in whichever process runs it) writes its pid to
    ``marker`` first; ``then()`` after that, before the real build."""
    real = document.build_document

    def noted(lr, style):  # type: ignore[no-untyped-def]
        # whole or not at all: a test that sees the marker reads the pid
        part = marker.with_name(marker.name + f".{os.getpid()}")
        part.write_text(str(os.getpid()), encoding="ascii")
        os.replace(part, marker)
        if callable(then):
            then()
        return real(lr, style)

    monkeypatch.setattr(document, "build_document", noted)


def test_the_document_is_built_in_a_child_while_the_rules_run(tmp_path, monkeypatch):
    """A rule that waits for the document build to begin sees it begin, in
    another process: the build no longer waits for the rules. Before, the
    rule waited its 10 s in vain (the build came after every rule). The
    HTML is byte for byte that of a build in this process."""
    r = make_report(tmp_path)
    marker = tmp_path / "building"
    _building(monkeypatch, marker)
    seen: list[bool] = []
    code, rule = next((c, x) for c, x in sorted(REGISTRY.items()) if x.func is not None)
    assert rule.func is not None
    func = rule.func

    def waiting(ctx):  # type: ignore[no-untyped-def]
        end = time.monotonic() + 10
        while not marker.exists() and time.monotonic() < end:
            time.sleep(0.01)
        seen.append(marker.exists())
        return func(ctx)

    monkeypatch.setitem(REGISTRY, code, dataclasses.replace(rule, func=waiting))
    early = _render(r.dir, tmp_path / "early")
    assert seen == [True], "the document build did not start while the rules ran"
    assert int(marker.read_text(encoding="ascii")) != os.getpid()
    assert not early.refused and _staged(tmp_path / "early") == []

    monkeypatch.setitem(REGISTRY, code, rule)
    monkeypatch.setattr(pipeline, "_fork_early", lambda *args: None)  # built in this process, as before
    marker.unlink()
    _render(r.dir, tmp_path / "here")
    assert int(marker.read_text(encoding="ascii")) == os.getpid()
    assert (tmp_path / "early" / "testland.html").read_bytes() == (tmp_path / "here" / "testland.html").read_bytes()


def test_the_document_is_built_while_the_rules_work_on_the_chapters_pandoc_read(tmp_path, monkeypatch):
    """The fork comes as soon as pandoc has read every chapter: the rules'
    early work on each chapter (check/__init__.py's Early, 0.3-1.3 s on the
    benchmark report) waits for the document build to begin and sees it
    begin. Before, that work came before the fork and waited its 10 s in vain."""
    r = make_report(tmp_path)
    marker = tmp_path / "building"
    _building(monkeypatch, marker)
    seen: list[bool] = []
    code, rule = next((c, x) for c, x in sorted(REGISTRY.items()) if x.early is not None)
    assert rule.early is not None
    make = rule.early

    def waiting(lr):  # type: ignore[no-untyped-def]
        work = make(lr)
        chapter = work.chapter

        def wait_then(lc):  # type: ignore[no-untyped-def]
            end = time.monotonic() + 10
            while not marker.exists() and time.monotonic() < end:
                time.sleep(0.01)
            seen.append(marker.exists())
            return chapter(lc)

        work.chapter = wait_then
        return work

    monkeypatch.setitem(REGISTRY, code, dataclasses.replace(rule, early=waiting))
    result = _render(r.dir, tmp_path / "early")
    assert seen and all(seen), "the document build did not start before the rules' work on the chapters"
    assert not result.refused and int(marker.read_text(encoding="ascii")) != os.getpid()


def test_with_every_chapter_read_already_the_fork_comes_before_any_rules_work(tmp_path):
    """pandoc has nothing left to read (here: every chapter marked read, as
    the check's chapter cache leaves them): the rules' work that needs no
    chapter (``started``) would only delay the fork, so it comes after it."""
    from ambtsbericht_build.analyse import read_with_pandoc
    from ambtsbericht_build.diagnostics import Diagnostics
    from ambtsbericht_build.load import LoadOptions, load_report

    lr = load_report(make_report(tmp_path).dir, Diagnostics(), LoadOptions())
    assert lr is not None and lr.chapters
    for lc in lr.chapters:
        lc.chapter.pandoc_read = True
    calls: list[str] = []
    read_with_pandoc(lr, lambda: calls.append("started"), lambda lc: calls.append("read"), lambda: calls.append("fork"))
    assert calls == ["fork", "started", *["read"] * len(lr.chapters)]


def test_a_refusal_stops_the_child_and_leaves_nothing_behind(tmp_path, monkeypatch):
    """A confidentiality finding refuses the render at once, whatever the
    child is doing (here: 60 s of nothing): it is killed and reaped, and its
    staging directory removed; no output is written."""
    r = make_report(tmp_path)
    r.chapter(CHAPTER_MD + REMOTE)
    marker = tmp_path / "building"
    _building(monkeypatch, marker, lambda: time.sleep(60))
    # a rule waits (up to 10 s) for the child to begin building, so that the
    # refusal meets a running child: the child is forked as soon as pandoc has
    # read the chapters, and on a quick machine the check could refuse first
    code, rule = next((c, x) for c, x in sorted(REGISTRY.items()) if x.func is not None)
    assert rule.func is not None
    func = rule.func

    def after_the_fork(ctx):  # type: ignore[no-untyped-def]
        end = time.monotonic() + 10
        while not marker.exists() and time.monotonic() < end:
            time.sleep(0.01)
        return func(ctx)

    monkeypatch.setitem(REGISTRY, code, dataclasses.replace(rule, func=after_the_fork))
    t = time.monotonic()
    result = _render(r.dir, tmp_path / "out")
    assert result.refused and "AB401" in result.reason
    assert time.monotonic() - t < 30
    assert marker.exists(), "the child had started building"
    with pytest.raises(ChildProcessError):  # reaped: not left a zombie, nor running
        os.waitpid(int(marker.read_text(encoding="ascii")), os.WNOHANG)
    assert _staged(tmp_path / "out") == []
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def _raises() -> None:
    raise RuntimeError("boom")


_TESTS = os.getpid()


def _killed() -> None:
    if os.getpid() == _TESTS:  # a build in this process (before the child): not the test run's end
        raise RuntimeError("built in the test's own process")
    os.kill(os.getpid(), signal.SIGKILL)


def _says() -> None:
    raise document.RenderError("chapters/03-veiligheid.md:4: pandoc could not read this chapter")


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        (_raises, "the document could not be built: RuntimeError (a fault in abuild)"),
        (_killed, "the document could not be built (killed by SIGKILL)"),
        (_says, "chapters/03-veiligheid.md:4: pandoc could not read this chapter"),
    ],
)
def test_a_fault_in_the_child_is_one_clean_render_failure(tmp_path, monkeypatch, fault, said):
    """Whatever ends the child's build (an exception of abuild's, a
    SIGKILL, a message for the drafter) ends the render with one
    RenderFailed that says so, and no staging directory or output behind."""
    r = make_report(tmp_path)
    _building(monkeypatch, tmp_path / "building", fault)
    with pytest.raises(RenderFailed) as failed:
        _render(r.dir, tmp_path / "out")
    assert str(failed.value) == said
    assert _staged(tmp_path / "out") == []
    assert not (tmp_path / "out" / "testland.html").exists()
