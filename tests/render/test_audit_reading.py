"""The audit's reading of an output, made in the writer's own process
(publish/reading.py): used only for the very bytes on disk. A reading that
is missing, unreadable, of another format or of other bytes is ignored and
the render's main process reads the file itself, so no reading can make a
dirty output pass."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ambtsbericht_build.publish import reading
from ambtsbericht_build.publish.extract import extract
from ambtsbericht_build.publish.text import token_texts
from ambtsbericht_build.render.formats import WRITERS, register
from ambtsbericht_build.render.pipeline import AuditFailed, RenderOptions, render_report
from tests.render.conftest import make_mini_report
from tests.render.toy_format import ForgedReadingTextWriter, LateLeakTextWriter, LeakyTextWriter, TextWriter

TOYS = (TextWriter, LeakyTextWriter, LateLeakTextWriter, ForgedReadingTextWriter)
LEAK = "Gesproken met geheime gesprekspartner Kwartel.\n"


@pytest.fixture()
def registered():
    for cls in TOYS:
        register(cls)
    try:
        yield
    finally:
        for cls in TOYS:
            WRITERS.pop(cls.name, None)


def _facts():
    from ambtsbericht_build.render.facts import RenderFacts

    from .test_worker import FACTS

    return RenderFacts.from_dict(FACTS)


def test_a_render_matches_the_readings_its_writers_made(registered, tmp_path):
    lines: list[str] = []
    report = make_mini_report(tmp_path / "repo")
    render_report(report, RenderOptions(formats=("txt",), out_dir=tmp_path / "out", progress=lines.append))
    audit = [line for line in lines if line.startswith("audit")]
    assert len(audit) == 1 and "read by their writers: txt" in audit[0], lines
    # the reading is a staging file: never published beside the outputs
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["testland.manifest.json", "testland.txt"]


@pytest.mark.parametrize("fmt", ["late-txt", "forged-txt"])
def test_a_file_changed_after_its_reading_is_audited_as_it_is(registered, tmp_path, fmt):
    """The writer's process writes a leak into its file after the reading
    was made (and, forged, makes the reading claim the new size): the main
    process reads the file itself and refuses it."""
    report = make_mini_report(tmp_path / "repo")
    out = tmp_path / "out"
    with pytest.raises(AuditFailed) as exc:
        render_report(report, RenderOptions(formats=("txt", fmt), out_dir=out))
    suffix = WRITERS[fmt].suffix
    assert any(f.file == "testland" + suffix and f.kind == "internal field" for f in exc.value.findings), exc.value
    assert list(out.iterdir()) == []


def test_the_reading_is_what_the_main_process_reads(example, tmp_path):
    """On the example's real DOCX, ODT, HTML and PDF: the writer's reading
    holds every part the main process extracts, with its tokens."""
    facts = _facts()
    for fmt in ("docx", "odt", "html", "pdf"):
        out = tmp_path / example[fmt].name
        shutil.copy(example[fmt], out)
        writer = WRITERS[fmt]()
        assert reading.read_written(writer, facts, out)
        got = reading.load(writer, out)
        assert got is not None
        want = extract(out, full=fmt != "pdf")
        assert [(p.name, p.text, p.meta) for p in got.parts] == [(p.name, p.text, p.meta) for p in want.parts]
        assert got.problems == want.problems
        assert all(p.readings == token_texts(p.text) for p in got.parts)


def _spoiled(out: Path, how: str) -> None:
    path = reading.reading_path(out)
    data = json.loads(path.read_text(encoding="utf-8"))
    if how == "missing":
        path.unlink()
    elif how == "truncated":
        path.write_text(path.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    elif how == "other format":
        path.write_text(json.dumps({**data, "format": "html"}), encoding="utf-8")
    elif how == "other file":
        path.write_text(json.dumps({**data, "file": "ander.txt"}), encoding="utf-8")
    elif how == "not a reading":
        path.write_text(json.dumps({**data, "parts": [{"name": "text", "text": "x"}]}), encoding="utf-8")
    elif how == "file changed":
        with out.open("a", encoding="utf-8") as fh:
            fh.write(LEAK)
    elif how == "same size, other bytes":
        text = out.read_text(encoding="utf-8")
        out.write_text(text[: -len(LEAK)] + LEAK, encoding="utf-8")
    else:
        raise AssertionError(how)


HOW = ["missing", "truncated", "other format", "other file", "not a reading", "file changed", "same size, other bytes"]


@pytest.mark.parametrize("how", HOW)
def test_a_reading_not_of_these_bytes_is_not_used(tmp_path, how):
    out = tmp_path / "testland.txt"
    out.write_text("Een schone tekst, lang genoeg voor wat erbij komt." * 2 + "\n", encoding="utf-8")
    writer = TextWriter()
    assert reading.read_written(writer, _facts(), out)
    assert reading.load(writer, out) is not None
    _spoiled(out, how)
    assert reading.load(writer, out) is None


def test_a_failed_reading_leaves_none(tmp_path):
    """A file the audit cannot read in the writer's process (here: gone) leaves no reading behind."""
    out = tmp_path / "testland.txt"
    out.write_text("tekst\n", encoding="utf-8")
    reading.reading_path(out).write_text("{}", encoding="utf-8")  # an earlier one: removed first
    out.unlink()
    assert not reading.read_written(TextWriter(), _facts(), out)
    assert not reading.reading_path(out).exists()
    assert list(tmp_path.iterdir()) == []


ARCHIVE = "AMB-VB/2025/0218"  # internal.archief of the example's source vb-2025-02-18


def _example_matcher(example):
    from ambtsbericht_build.commands.check import check_report
    from ambtsbericht_build.diagnostics import Diagnostics
    from ambtsbericht_build.publish import forbidden
    from ambtsbericht_build.publish.audit import Matcher

    lr = check_report(EXAMPLE, Diagnostics())
    assert lr is not None
    fb = forbidden.collect(lr, paths=[example["html"].parent])
    return lambda: Matcher(fb, memo=True)


EXAMPLE = Path(__file__).resolve().parents[2] / "reports" / "voorbeeldland"


def test_a_forked_match_finds_what_the_main_process_finds(example, tmp_path):
    """render/audit_fork.py on the example's real HTML with the archive
    number planted: the child's findings and the memo it hands back are the
    main process's own."""
    from ambtsbericht_build.publish.audit import finding
    from ambtsbericht_build.render import audit_fork

    html = example["html"].read_text(encoding="utf-8")
    at = html.index("<p>", len(html) // 2) + 3
    out = tmp_path / example["html"].name
    out.write_text(html[:at] + f"Zie verslag {ARCHIVE}. " + html[at:], encoding="utf-8")
    ex = extract(out)
    new = _example_matcher(example)
    here, there = new(), new()
    want = sorted({finding(out.name, p.name, n, kind) for p in ex.parts for n, kind in here.match(p)})
    assert any(f.kind == "internal field" for f in want)
    forked = audit_fork.start(there, out.name, ex)
    assert forked is not None
    got = forked.result()
    assert got is not None and sorted(set(got)) == want
    assert forked.cpu > 0
    assert here.memo is not None and there.memo is not None
    assert there.memo.results == here.memo.results and there.memo.used == here.memo.used
    assert there.memo.parts == here.memo.parts and there.memo.matched == here.memo.matched


def test_a_forked_match_that_fails_is_matched_again(example):
    """A child that fails (here: a part it cannot match) reports nothing: the
    caller matches the output itself (audit_stage.py), never takes it as clean."""
    from ambtsbericht_build.publish.extract import Part
    from ambtsbericht_build.render import audit_fork

    ex = extract(example["html"])
    ex.parts.append(Part("text", None))  # type: ignore[arg-type]
    forked = audit_fork.start(_example_matcher(example)(), "x.html", ex)
    assert forked is not None
    assert forked.result() is None
    assert forked.pid == 0 and forked.fd == -1


def test_a_forked_match_stuck_on_a_lock_is_matched_again(example, monkeypatch):
    """A child forked while another thread holds a lock it needs (what
    OpenSSL's locks could do to a fork from a process with threads) waits
    for ever: once it has said nothing and used no CPU for STALLED_AFTER,
    it is killed and result() says None, so the caller matches the output
    itself; the render neither hangs nor takes the output as clean."""
    import threading
    import time

    from ambtsbericht_build.render import audit_fork

    monkeypatch.setattr(audit_fork, "STALLED_AFTER", 0.5)
    lock, held, release = threading.Lock(), threading.Event(), threading.Event()

    def holder() -> None:
        with lock:
            held.set()
            release.wait(30)

    class Stuck:
        memo = None

        def match(self, part):
            with lock:  # in the child: taken by a thread that no longer exists there
                return []

    t = threading.Thread(target=holder)
    t.start()
    try:
        assert held.wait(5)
        forked = audit_fork.start(Stuck(), "x.html", extract(example["html"]))  # type: ignore[arg-type]
        assert forked is not None
        pid = forked.pid
        t0 = time.monotonic()
        assert forked.result() is None
        assert time.monotonic() - t0 < 10
        assert forked.pid == 0 and forked.fd == -1
        assert not Path(f"/proc/{pid}").exists()  # killed and reaped
    finally:
        release.set()
        t.join()
