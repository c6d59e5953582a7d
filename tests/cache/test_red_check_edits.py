"""Red team (session 7): the check's kept parts (cache/checks.py) after
random sequences of the edits that decide what is secret, each saved long
enough before the check for its parts to be written (tests/cache/test_check_parts.py's
random edits are saved just before: a check then keeps no part but the YAML's)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cache.test_check_parts import CHAPTER_TEXT, SECRET, entries, findings, settled
from tests.fixtures.report_kit import CHAPTER, INTRO, REPORT_YAML, SOURCES_YAML, TOR_YAML, ReportDir, make_report

TITLE = "World Report 2025 – Testland"
PARAGRAPHS = [
    f"De bron {SECRET} sprak.[@hrw-2025]",
    f"Zie {TITLE}.[@hrw-2025]",
    "Het dossier AMB-TL/2025/1104 en de sleutel vb-2025-11-04.[@hrw-2025]",
    "Een medewerker VN-organisatie, Genève zei het.[@hrw-2025]",
]
PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Een zin."\nmsgstr "{}"\n'
EDITS: dict[str, tuple[str, str | None]] = {
    "codenaam": ("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n"),
    "sources as made": ("sources.yaml", SOURCES_YAML),
    "hrw confidential": (
        "sources.yaml",
        SOURCES_YAML.replace("  type: report\n", "  type: report\n  confidential: true\n"),
    ),
    "internal gone": ("sources.yaml", SOURCES_YAML.split("  internal:")[0]),
    "public term": ("report.yaml", REPORT_YAML + f"public_terms: [{SECRET}]\n"),
    "denied": ("report.yaml", REPORT_YAML + f"deny: [{SECRET}]\n"),
    "report as made": ("report.yaml", REPORT_YAML),
    "tor secret": ("tor.yaml", TOR_YAML.replace("Hoe is de veiligheidssituatie?", f"Hoe is het met {SECRET}?")),
    "tor as made": ("tor.yaml", TOR_YAML),
    "po secret": ("translations/en/chapters.po", PO.format(f"A sentence on {SECRET}.")),
    "po plain": ("translations/en/chapters.po", PO.format("A sentence.")),
    "po gone": ("translations/en/chapters.po", None),
    "media secret": (f"media/{SECRET}.png", ""),
    "media gone": (f"media/{SECRET}.png", None),
}
STEPS = st.one_of(
    st.tuples(st.sampled_from([INTRO, CHAPTER]), st.sampled_from(PARAGRAPHS)),
    st.tuples(st.just("edit"), st.sampled_from(sorted(EDITS))),
)


def _apply(report: ReportDir, where: str, what: str) -> None:
    if where != "edit":
        report.write(where, report.path(where).read_text() + "\n" + what + "\n", dedent_text=False)
        return
    rel, text = EDITS[what]
    if text is None:
        report.path(rel).unlink(missing_ok=True)
    else:
        report.write(rel, text, dedent_text=False)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(STEPS, min_size=2, max_size=5))
def test_kept_parts_find_every_secret_a_check_from_nothing_finds(
    tmp_path_factory: pytest.TempPathFactory,
    steps: list[tuple[str, str]],
) -> None:
    report = make_report(tmp_path_factory.mktemp("red"))
    report.chapter(CHAPTER_TEXT)  # names SECRET, which "codenaam" makes a secret
    _apply(report, "edit", "codenaam")
    settled(report)
    findings(report, cache=True)
    for where, what in steps:
        _apply(report, where, what)
        settled(report)
        cached = findings(report, cache=True)
        assert cached == findings(report, cache=False), (where, what)
    assert entries(report), "the check kept nothing: the test would prove nothing"
