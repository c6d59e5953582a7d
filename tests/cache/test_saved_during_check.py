"""A file saved while the check runs, its mtime put back (as some editors,
``touch -r`` and tools that keep dates do): the findings the check made of
the old text must not be kept for the new one (cache/checks.py).

The check's parts of the report are keyed by a hash of its files taken
after the loader read them (check/memo.py ``report_inputs``), and kept only
when ``stat`` says no file changed from before the load to after the
check (cache/checks.py ``look``). A save in between, of the same size, in
place, its mtime restored, left every field the look compared as it was;
the findings of the old ``sources.yaml`` (no code name: no AB302) were kept
under the hash of the new one (a code name that the chapter names), and the
next check, with nothing changed since, said nothing of the secret.

Real checks (the loader, pandoc's reading, the rules) of the small report,
in process; the save is made between the load and the rules.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ambtsbericht_build import check as check_package
from ambtsbericht_build.cli import main
from tests.cache.conftest import committed
from tests.cache.test_check_parts import CHAPTER_TEXT, SECRET, entries, findings, settled
from tests.fixtures.report_kit import CHAPTER, SOURCES_YAML, ReportDir

OTHER = "A" * len(SECRET)  # a code name the chapter does not name, as long as the secret


def save_keeping_mtime(path: Path, text: str) -> None:
    """Write ``text`` over ``path`` in place (same inode) and put its times back."""
    st = os.stat(path)
    with open(path, "r+b") as fh:
        fh.write(text.encode("utf-8"))
        fh.truncate()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def saving_during_the_check(monkeypatch: pytest.MonkeyPatch, path: Path, text: str) -> list[int]:
    """The next check saves ``text`` over ``path`` once the report is
    loaded, before the rules run; the list counts the saves."""
    real: Callable[..., Any] = check_package.run_checks
    saves: list[int] = []

    def saving(*args: Any, **kwargs: Any) -> Any:
        if not saves:
            save_keeping_mtime(path, text)
            saves.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(check_package, "run_checks", saving)
    return saves


@pytest.mark.parametrize("where", ["sources.yaml", CHAPTER])
def test_a_save_during_the_check_with_its_mtime_put_back_is_judged_next_time(
    report: ReportDir, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """The secret appears in the file saved during the first check: the
    second check (nothing changed since) finds AB302, as a check from
    nothing does."""
    if where == CHAPTER:
        old, new = CHAPTER_TEXT.replace(SECRET, OTHER), CHAPTER_TEXT
        report.write("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n")
    else:
        old, new = SOURCES_YAML + f"    codenaam: {OTHER}\n", SOURCES_YAML + f"    codenaam: {SECRET}\n"
    report.chapter(CHAPTER_TEXT if where != CHAPTER else old)
    report.write(where, old, dedent_text=False)
    assert len(old.encode()) == len(new.encode())
    settled(report)  # saved long enough ago for the check to keep its parts
    with monkeypatch.context() as m:  # (the cache stays on: tests/cache/conftest.py)
        saves = saving_during_the_check(m, report.path(where), new)
        first = findings(report, cache=True)
    assert saves and report.path(where).read_text() == new
    assert "AB302" not in {f[3] for f in first}, "the first check judged the text it loaded"
    assert entries(report), "the first check kept parts: the test would prove nothing"
    fresh = findings(report, cache=False)
    assert "AB302" in {f[3] for f in fresh}
    assert findings(report, cache=True) == fresh


def test_the_next_render_refuses_the_secret_saved_during_the_last_one(
    report: ReportDir, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The same through ``abuild render`` (HTML, in process): the first
    render judged the sources it loaded; the second, with nothing changed
    since, refuses the secret the saved ``sources.yaml`` makes of a word in
    the chapter (AB302), as a render without the cache does."""
    report.chapter(CHAPTER_TEXT)
    report.write("sources.yaml", SOURCES_YAML + f"    codenaam: {OTHER}\n", dedent_text=False)
    committed(report.root)
    settled(report)
    out = tmp_path / "out"
    args = ["render", str(report.dir), "--to", "html", "--out", str(out)]
    with monkeypatch.context() as m:
        saving_during_the_check(m, report.path("sources.yaml"), SOURCES_YAML + f"    codenaam: {SECRET}\n")
        first = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and "AB302" not in first.output, first.output
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 1 and "AB302" in second.output, second.output
