"""pandoc's reading of unchanged chapters comes from the cache; the check says the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from ambtsbericht_build.cache import chapters
from ambtsbericht_build.load.markdown import pandoc_batch
from tests.fixtures.report_kit import CHAPTER, ReportDir


def findings(report: ReportDir, **opts: bool) -> list[tuple[str, int, int, str, str]]:
    return [(d.file, d.line, d.column, d.code, d.message) for d in report.check(**opts)]


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many chapters came from the cache, and how many pandoc processes ran."""
    seen = {"hits": 0, "runs": 0}
    get, run_init = chapters.ChapterCache.get, pandoc_batch._Run.__init__

    def counting_get(self, *args):  # type: ignore[no-untyped-def]
        hit = get(self, *args)
        seen["hits"] += hit is not None
        return hit

    def counting_run(self, *args):  # type: ignore[no-untyped-def]
        seen["runs"] += 1
        run_init(self, *args)

    monkeypatch.setattr(chapters.ChapterCache, "get", counting_get)
    monkeypatch.setattr(pandoc_batch._Run, "__init__", counting_run)
    return seen


def test_unchanged_chapters_are_not_read_again(report: ReportDir, spied: dict[str, int]) -> None:
    report.chapter("# Politiek {#politiek}\n\nDe regering won.[@hrw-2025]\n\nNog een zin zonder bron.\n")
    without = findings(report)
    assert spied == {"hits": 0, "runs": 1}
    cold = findings(report, cache=True)
    assert spied["hits"] == 0 and cold == without
    warm = findings(report, cache=True)
    assert spied["hits"] == 2 and spied["runs"] == 2, "both chapters were read from the cache, no pandoc started"
    assert warm == without
    assert warm, "the report has findings: they must be the same, not none"

    report.chapter("# Politiek {#politiek}\n\nDe regering won.[@hrw-2025]\n\nNog een zin zonder bron, anders.\n")
    edited = findings(report, cache=True)
    assert spied["hits"] == 3 and spied["runs"] == 3  # the introduction from the cache, the chapter by pandoc
    assert edited == findings(report)


def test_a_damaged_chapter_entry_is_read_by_pandoc_again(report: ReportDir, spied: dict[str, int]) -> None:
    report.chapter("# Politiek {#politiek}\n\nEen zin.^[Een noot.]\n")
    first = findings(report, cache=True)
    entries = [p for p in (report.root / "build" / ".cache" / "chapter").rglob("*") if p.is_file()]
    assert len(entries) == 2
    for p in entries:
        data = bytearray(p.read_bytes())
        data[-3] ^= 0x20  # a byte of pandoc's JSON
        p.write_bytes(bytes(data))
    assert findings(report, cache=True) == first
    assert spied["hits"] == 0
    assert findings(report, cache=True) == first and spied["hits"] == 2  # replaced by good entries


def test_off_means_off(report: ReportDir, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABUILD_CACHE", "off")
    findings(report, cache=True)
    assert not (report.root / "build").exists()
    assert Path(report.path(CHAPTER)).is_file()
