"""One ``pandoc lua`` process reads every chapter (load/markdown/pandoc_batch.py):
each chapter gets its own AST and warnings, exactly as ``pandoc -f READER -t
json`` gives them; a chapter pandoc refuses, dies or hangs on costs that
chapter alone; the render takes the check's ASTs."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

from ambtsbericht_build.commands.check import CheckOptions, check_report
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import load_report
from ambtsbericht_build.load.markdown import pandoc_batch as B
from ambtsbericht_build.render import document as D
from ambtsbericht_build.tools import PANDOC_READ_RTS, pandoc_path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "ambtsbericht_build" / "load" / "markdown" / "parse_chapters.lua"


def cli(text: str) -> tuple[dict, str]:
    """pandoc's command line: what the render ran, one process a chapter."""
    proc = subprocess.run(
        [pandoc_path(), "--sandbox", "-f", B.READER, "-t", "json"], input=text.encode(), capture_output=True, check=True
    )
    return json.loads(proc.stdout), proc.stderr.decode()


def test_warnings_go_to_their_chapter():
    texts = ["# Een\n\nTekst.\n", "# Twee\n\n::: geen-bron\nOpen gelaten.\n", "# Drie\n\nTekst.\n"]
    out = B.parse_batch(texts, pandoc_path())
    assert [p.error for p in out] == ["", "", ""]
    assert "unclosed" not in out[0].warnings
    assert "Div at line 3 column 1 unclosed" in out[1].warnings
    assert "unclosed" not in out[2].warnings
    for text, p in zip(texts, out, strict=True):
        assert (p.ast, p.warnings) == cli(text)


def test_marker_like_text_is_text():
    tag = "@@abuild-0123456789abcdef"
    texts = [
        f"{tag} 1 begin\n\n{tag} 0 ast {{}}\n\n@@1\n",
        f"::: x\n{tag} 2 error boom\n",
        "Gewoon.\n",
    ]
    out = B.parse_batch(texts, pandoc_path())
    for text, p in zip(texts, out, strict=True):
        assert p.error == ""
        assert (p.ast, p.warnings) == cli(text)


def test_empty_chapter():
    out = B.parse_batch(["", "Na het lege.\n", ""], pandoc_path())
    assert [p.ast["blocks"] for p in (out[0], out[2])] == [[], []]
    assert out[1].ast == cli("Na het lege.\n")[0]


def test_same_text_as_the_command_line():
    """Tabs, carriage returns, no final newline, abbreviations, table widths:
    pandoc.read in Lua is given what the command line gives its reader."""
    texts = [
        "a\tb\n\t- x\n  \t- y\n",
        "geen regeleinde",
        "x\r\ny\t\tz",
        "\t```\n\tcode\t1\n\t```\n",
        "Zie chap. 3 en Mr. Smith, e.g. hier.\n",
        "-------  ------\nKop      Kop2\n-------  ------\neen      twee\n-------  ------\n",
    ]
    for text, p in zip(texts, B.parse_batch(texts, pandoc_path()), strict=True):
        assert (p.ast, p.warnings) == cli(text)


def test_pandoc_refusing_one_chapter():
    # a byte that is not UTF-8 (surrogateescape): pandoc refuses that chapter only
    out = B.parse_batch(["Eerste.\n", "Kapot \udcff.\n", "Derde.\n"], pandoc_path())
    assert out[0].ast == cli("Eerste.\n")[0]
    assert out[1].ast is None and "UTF-8" in out[1].error
    assert out[2].ast == cli("Derde.\n")[0]


def _fake_pandoc(tmp_path: Path, lua: str) -> str:
    """A pandoc whose reader does ``lua`` first (to die or hang on a text)."""
    wrapper = tmp_path / "wrapper.lua"
    wrapper.write_text(
        "local real = pandoc.read\n"
        "pandoc.read = function(text, ...)\n" + lua + "\n  return real(text, ...)\nend\n"
        f"dofile({json.dumps(str(SCRIPT))})\n",
        encoding="utf-8",
    )
    fake = tmp_path / "pandoc"
    at = len(PANDOC_READ_RTS) + 1  # the batch's arguments: the runtime's, then "lua SCRIPT READER TAG"
    fake.write_text(
        "#!/bin/sh\n"
        f'if [ "${at}" = lua ]; then shift {at + 1}; exec {pandoc_path()} +RTS -A64m -RTS lua {wrapper} "$@"; fi\n'
        f'exec {pandoc_path()} "$@"\n',
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    return str(fake)


def test_pandoc_dying_on_one_chapter(tmp_path):
    fake = _fake_pandoc(tmp_path, '  if text:find("CRASH", 1, true) then io.stderr:write("boom\\n"); os.exit(3) end')
    out = B.parse_batch(["Eerste.\n", "CRASH\n", "Derde.\n", "Vierde.\n"], fake)
    assert out[0].ast == cli("Eerste.\n")[0]
    assert out[1].ast is None and out[1].error == "boom"
    assert out[2].ast == cli("Derde.\n")[0]  # read by a new process
    assert out[3].ast == cli("Vierde.\n")[0]


def test_pandoc_hanging_on_one_chapter(tmp_path):
    fake = _fake_pandoc(
        tmp_path, '  if text:find("SLOW", 1, true) then local t = os.time(); while os.time() - t < 60 do end end'
    )
    out = B.parse_batch(["Eerste.\n", "SLOW\n", "Derde.\n"], fake, timeout=2)
    assert out[0].ast == cli("Eerste.\n")[0]
    assert out[1].ast is None and "longer than 2 s" in out[1].error
    assert out[2].ast == cli("Derde.\n")[0]


def test_hostile_chapter_is_not_given_to_pandoc():
    out = B.parse_batch(["Eerste.\n", "x" * 30_000 + "\n", "Derde.\n"], pandoc_path())
    assert out[1].ast is None and "without pandoc" in out[1].error
    assert out[2].ast == cli("Derde.\n")[0]


def test_no_pandoc(tmp_path):
    out = B.parse_batch(["Eerste.\n", "Tweede.\n"], str(tmp_path / "no-pandoc"))
    assert all(p.ast is None and p.error for p in out)


def test_reading_ahead_is_the_checks_reading():
    """The check reads ahead while loading; the render takes those ASTs, which
    are what pandoc gives the render itself."""
    report = REPO / "reports" / "voorbeeldland"
    lr = check_report(report, Diagnostics(), CheckOptions())
    assert lr is not None
    assert all(lc.chapter.pandoc_ast is not None for lc in lr.chapters)
    reused = D.parse_chapters(lr)
    assert all(lc.chapter.pandoc_ast is None for lc in lr.chapters)  # taken, once
    fresh = load_report(report, Diagnostics())
    assert fresh is not None
    assert reused == D.parse_chapters(fresh) == [cli(lc.chapter.text)[0] for lc in fresh.chapters]
    # and the document built from them, byte for byte
    lr2 = check_report(report, Diagnostics(), CheckOptions())
    assert lr2 is not None
    with_reuse = json.dumps(D.assemble(lr2, D.parse_chapters(lr2)).pandoc, sort_keys=True)
    fresh2 = load_report(report, Diagnostics())
    assert fresh2 is not None
    without = json.dumps(D.assemble(fresh2, D.parse_chapters(fresh2)).pandoc, sort_keys=True)
    assert with_reuse == without


def test_other_reader_or_text_reads_again():
    lr = check_report(REPO / "reports" / "voorbeeldland", Diagnostics(), CheckOptions())
    assert lr is not None
    ch = lr.chapters[0].chapter
    assert ch.take_pandoc_ast("markdown") is None  # another reader: not this AST
    ch2 = lr.chapters[1].chapter
    ch2.text += "\nNog een alinea.\n"
    assert ch2.take_pandoc_ast(B.READER) is None  # another text


def test_a_failed_abbreviations_lookup_is_not_kept(tmp_path):
    """A pandoc that could not start once (a loaded machine) must not leave
    every later reading of the process without pandoc's abbreviations."""
    count = tmp_path / "count"
    flaky = tmp_path / "pandoc"
    flaky.write_text(
        f'#!/bin/sh\nif [ ! -e "{count}" ]; then touch "{count}"; exit 1; fi\nexec {pandoc_path()} "$@"\n',
        encoding="utf-8",
    )
    flaky.chmod(flaky.stat().st_mode | stat.S_IXUSR)
    assert B.default_abbreviations(str(flaky)) == b""
    real = B.default_abbreviations(str(flaky))
    assert b"Mr." in real and real == B.default_abbreviations(pandoc_path())
    # and a chapter read through it is the command line's reading again
    text = "Zie chap. 3 en Mr. Smith, e.g. hier.\n"
    assert B.parse_batch([text], str(flaky))[0].ast == cli(text)[0]


def test_pandoc_writes_a_chapter_without_waiting_for_python():
    """pandoc's output pipe holds a whole chapter's AST (~275 KB on the
    benchmark report): pandoc does not wait for the reader thread, which
    waits for the GIL while the check works (issue #9)."""
    import fcntl

    getpipe = getattr(fcntl, "F_GETPIPE_SZ", None)
    if getpipe is None:
        return  # not Linux: nothing to widen
    batch = B.Batch(pandoc_path())
    try:
        batch.start()
        run = batch.runs[0]
        assert run is not None and run.proc.stdout is not None
        assert fcntl.fcntl(run.proc.stdout.fileno(), getpipe) >= 1 << 20
        big = "\n\n".join(f"Alinea {k} met [een link](https://example.org/{k}) en *nadruk*." for k in range(4000))
        index = batch.add(big)
        batch.close()
        assert batch.result(index).ast == cli(big)[0]
    finally:
        batch.abandon()


def test_the_reading_pandoc_takes_the_readers_runtime_settings(monkeypatch):
    """The batch's pandoc runs with tools.PANDOC_READ_RTS (a 4 MB young
    generation, the binary's -H64m off: the benchmark report's chapters
    0.59 -> 0.50 s of CPU, 22,700 -> 16,300 minor faults), and gives the
    same AST as the command line's."""
    from ambtsbericht_build import tools

    started: list[list[str]] = []
    real = tools.popen

    def noted(args, *rest, **kwargs):  # type: ignore[no-untyped-def]
        started.append(list(args))
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(tools, "popen", noted)
    text = "# Een\n\nTekst met een noot.[^1]\n\n[^1]: Zie p. 3.\n"
    out = B.parse_batch([text], pandoc_path())
    assert [args[1 : 1 + len(tools.PANDOC_READ_RTS)] for args in started] == [list(tools.PANDOC_READ_RTS)]
    assert (out[0].ast, out[0].warnings) == cli(text)
