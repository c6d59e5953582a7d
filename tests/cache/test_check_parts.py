"""The check's parts of unchanged chapters come from build/.cache/checks/
(cache/checks.py, check/memo.py); the check says exactly what a check from
nothing says, whatever changed elsewhere in the report."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.cache import checks
from ambtsbericht_build.cache.store import Store
from tests.fixtures.report_kit import CHAPTER, INTRO, SOURCES_YAML, ReportDir, make_report

Found = list[tuple[str, int, int, str, str, str]]

SECRET = "Wielewaal"  # a code name, in the text before the YAML makes it a secret


def findings(report: ReportDir, cache: bool) -> Found:
    return [(d.file, d.line, d.column, d.code, d.severity.value, d.message) for d in report.check(cache=cache)]


@pytest.fixture
def parts(monkeypatch: pytest.MonkeyPatch) -> list[checks.Persisted]:
    """The :class:`~checks.Persisted` of every check with the cache, in order."""
    seen: list[checks.Persisted] = []
    opened = checks.persisted

    @contextlib.contextmanager
    def spied(report_dir: Path, max_bytes: int) -> Iterator[checks.Persisted | None]:
        with opened(report_dir, max_bytes) as p:
            if p is not None:
                seen.append(p)
            yield p

    monkeypatch.setattr(checks, "persisted", spied)
    return seen


def same_as_from_nothing(report: ReportDir) -> Found:
    cached = findings(report, cache=True)
    assert cached == findings(report, cache=False)
    return cached


def settled(report: ReportDir) -> None:
    """Every file of the repository saved a while ago: a check keeps its
    findings only when no file but a chapter was saved in the last
    seconds (cache/checks.py RACY_NS), nor had its ctime changed in the
    last moment (CTIME_TICK_NS)."""
    import os
    import time

    then = time.time_ns() - 2 * checks.RACY_NS
    for p in report.root.rglob("*"):
        if ".cache" not in p.parts and not p.is_symlink():
            os.utime(p, ns=(then, then))
    time.sleep(2 * checks.CTIME_TICK_NS / 1e9)  # utime sets the ctime to now, which no call puts back


def entries(report: ReportDir) -> list[Path]:
    return sorted(p for p in (report.root / "build" / ".cache" / checks.KIND).rglob("*") if p.is_file())


def test_an_unchanged_check_walks_nothing_again(report: ReportDir, parts: list[checks.Persisted]) -> None:
    report.chapter(CHAPTER_TEXT)
    report.write("glossary.yaml", "VN: Verenigde Naties\n")  # NKC unexplained: AB506
    settled(report)
    first = same_as_from_nothing(report)
    assert first, "the report has findings: they must be the same, not none"
    assert parts[0].hits == 0 and parts[0].misses > 0 and entries(report)
    assert findings(report, cache=True) == first
    assert parts[1].misses == 0 and parts[1].hits == parts[0].misses


CHAPTER_TEXT = f"""\
# Politiek en veiligheid {{#h-politiek}}

## Verkiezingen {{#sec-verkiezingen tor="1.1"}}

Op 1 maart 2025 vonden in Testland verkiezingen plaats, zegt de NKC.[@hrw-2025]

## Veiligheid {{#sec-veiligheid tor="1.2"}}

Een vertrouwelijke bron meldde gevechten bij {SECRET} (zie [](#sec-verkiezingen)).[@vb-2025-11-04]
"""


def _edit_intro(report: ReportDir, extra: str) -> None:
    report.write(INTRO, report.path(INTRO).read_text() + extra, dedent_text=False)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        # a heading's id moved in the introduction: the chapter's reference to it is now broken
        (lambda r: r.chapter(CHAPTER_TEXT.replace("{#sec-verkiezingen", "{#sec-kiezen")), "AB403"),
        # a source removed from sources.yaml: the untouched chapter cites an unknown key
        (lambda r: r.write("sources.yaml", SOURCES_YAML.split("- id: vb-2025-11-04")[0]), "AB104"),
        # an abbreviation no longer explained by the glossary: found in the untouched chapter
        (lambda r: r.write("glossary.yaml", "VN: Verenigde Naties\n"), "AB506"),
        # a secret added to the YAML whose value is in the untouched chapter
        (lambda r: r.write("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n"), "AB302"),
    ],
    ids=["heading-id", "source-removed", "glossary", "secret-added"],
)
def test_a_change_elsewhere_changes_an_untouched_chapters_findings(report: ReportDir, change, code: str) -> None:  # type: ignore[no-untyped-def]
    report.chapter(CHAPTER_TEXT)
    report.write("glossary.yaml", "NKC: Nationale Kiescommissie\nVN: Verenigde Naties\n")
    before = same_as_from_nothing(report)
    assert code not in {f[3] for f in before}
    change(report)
    after = same_as_from_nothing(report)
    chapter = str(report.path(CHAPTER))
    assert any(f[3] == code and f[0] == chapter for f in after), after


def test_a_secret_added_to_report_yaml_is_found_in_an_unchanged_chapter(report: ReportDir) -> None:
    """The key covers report.yaml's deny list and public_terms: AB302 appears
    when the value is denied, and goes when it is made public."""
    report.chapter(CHAPTER_TEXT)
    assert "AB302" not in {f[3] for f in same_as_from_nothing(report)}
    yaml = report.path("report.yaml").read_text()
    report.write("report.yaml", yaml + f"deny: [{SECRET}]\n", dedent_text=False)
    assert "AB302" in {f[3] for f in same_as_from_nothing(report)}
    report.write("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n")
    report.write("report.yaml", yaml + f"public_terms: [{SECRET}]\n", dedent_text=False)
    assert "AB302" not in {f[3] for f in same_as_from_nothing(report)}


def test_damaged_or_foreign_entries_are_walked_again(report: ReportDir, parts: list[checks.Persisted]) -> None:
    report.chapter(CHAPTER_TEXT)
    report.write("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n")
    settled(report)
    first = same_as_from_nothing(report)
    assert "AB302" in {f[3] for f in first}
    kept = entries(report)
    assert len(kept) == len(parts[0].pending) + len(parts[0].pure) >= 8
    store = Store(report.root / "build" / ".cache", repo=report.root)
    # sealed entries of the right kind and key, holding what no rule wrote
    junk = [{"a": 1}, [[1, 2]], [[True, "x", 1, 1, "m", "fataal"]], [["x", 1]], {"data": 1, "keys": [], "values": []}]
    for i, p in enumerate(kept):
        store.put_json(checks.KIND, p.name, junk[i % len(junk)])
    # an entry copied under another key, and one cut short
    shutil.copy(kept[-2], kept[-1])
    with open(kept[0], "r+b") as fh:
        fh.truncate(fh.seek(0, 2) - 3)
    assert findings(report, cache=True) == first
    assert parts[-1].hits == 0 and parts[-1].misses == len(kept)
    assert findings(report, cache=True) == first and parts[-1].misses == 0


def test_a_file_saved_during_the_check_keeps_nothing(
    report: ReportDir, monkeypatch: pytest.MonkeyPatch, parts: list[checks.Persisted]
) -> None:
    """A save between the load and the hash of the inputs would tie the old
    file's findings to the new one's hash: no finding is kept then (only
    the YAML files' values, a function of their text)."""
    from ambtsbericht_build.check import memo

    report.chapter(CHAPTER_TEXT)
    hashed = memo.report_inputs

    def saved_meanwhile(lr):  # type: ignore[no-untyped-def]
        report.write("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n")
        return hashed(lr)

    monkeypatch.setattr(memo, "report_inputs", saved_meanwhile)
    findings(report, cache=True)
    assert parts[0].pending and {p.name for p in entries(report)} == set(parts[0].pure)
    monkeypatch.setattr(memo, "report_inputs", hashed)
    assert "AB302" in {f[3] for f in same_as_from_nothing(report)}


# --- random edits -------------------------------------------------------------------

PARAGRAPHS = [
    "Een gewone alinea zonder bron.",
    "Een alinea met een bron.[@hrw-2025]",
    "Een alinea met een onbekende bron.[@bestaat-niet]",
    f"De NKC en {SECRET} waren er.[@hrw-2025]",
    "Zie [](#sec-verkiezingen) en [](#sec-nergens).[@hrw-2025]",
    "## Een kop {#sec-verkiezingen}",
    "Een link naar [de site][r].[@hrw-2025]\n\n[r]: https://example.org/r",
    "Een zin.[@hrw-2025] <!-- bron nog bevestigen \u2013>",
    "Gevechten [hrw-2025, p. 3].",
]
YAML_EDITS = {
    "secret": ("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n"),
    "no secret": ("sources.yaml", SOURCES_YAML),
    "source gone": ("sources.yaml", SOURCES_YAML.split("- id: vb-2025-11-04")[0]),
    "glossary": ("glossary.yaml", "NKC: Nationale Kiescommissie\n"),
    "glossary empty": ("glossary.yaml", "{}\n"),
}
EDITS = st.one_of(
    st.tuples(st.sampled_from([INTRO, CHAPTER]), st.sampled_from(PARAGRAPHS)),
    st.tuples(st.just("yaml"), st.sampled_from(sorted(YAML_EDITS))),
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(EDITS, min_size=1, max_size=4))
def test_random_edits_find_what_a_check_from_nothing_finds(tmp_path_factory: pytest.TempPathFactory, edits) -> None:  # type: ignore[no-untyped-def]
    report = make_report(tmp_path_factory.mktemp("edits"))
    report.chapter(CHAPTER_TEXT)
    same_as_from_nothing(report)
    for where, what in edits:
        if where == "yaml":
            report.write(*YAML_EDITS[what])
        else:
            report.write(where, report.path(where).read_text() + "\n" + what + "\n", dedent_text=False)
        same_as_from_nothing(report)


# --- YAML files ---------------------------------------------------------------------

SCALARS = st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["NO", "1.10", "2025-03-04", "~", "0612"]))
YAML_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(YAML_VALUES)
def test_a_kept_yaml_file_gives_the_values_and_positions_of_a_parse(tmp_path_factory, value) -> None:  # type: ignore[no-untyped-def]
    import json

    from ambtsbericht_build.load.yaml_kept import kept_yaml
    from ambtsbericht_build.load.yamlpos import YamlError, load_yaml

    text = json.dumps(value, ensure_ascii=False, indent=1)  # JSON is YAML, in flow style
    try:
        expected = load_yaml(text)
    except YamlError:
        return
    root = tmp_path_factory.mktemp("yaml")
    (root / ".git").mkdir()
    store = Store(root / "build" / ".cache", repo=root)
    for _ in range(2):  # parsed and kept, then read back
        p = checks.Persisted(store, "tools")
        token = checks._CURRENT.set(p)
        try:
            data, positions = kept_yaml(text)
        finally:
            checks._CURRENT.reset(token)
        for k, v in p.pure.items():
            store.put_json(checks.KIND, k, v)
        assert (data, positions) == expected
        # the order too: == on dicts ignores it, and a mapping's order is the
        # order of the forbidden values the audit's memo is keyed by
        assert json.dumps(data) == json.dumps(expected[0])
        assert list(positions.keys.items()) == list(expected[1].keys.items())
    assert p.hits == 1


def test_findings_kept_from_elsewhere_name_the_files_as_given(
    report: ReportDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finding names its file by the report's path as given on the command
    line: a check from another directory does not print the paths of the first."""
    from ambtsbericht_build.commands.check import CheckOptions, check_reports

    report.chapter(CHAPTER_TEXT)
    report.write("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n")
    seen = []
    for cwd, named in ((report.root, Path("reports/testland")), (report.root / "reports", Path("testland"))):
        monkeypatch.chdir(cwd)
        for cache in (True, False):
            diags = check_reports([named], CheckOptions(cache=cache))
            seen.append([(d.file, d.line, d.column, d.code, d.message) for d in diags])
    assert seen[0] == seen[1] and seen[2] == seen[3]
    assert seen[2][0][0].startswith("testland/"), seen[2]


def test_the_look_at_the_files_never_walks_out_of_the_repository(report: ReportDir, tmp_path: Path) -> None:
    """A link out of the repository (``media/x -> /`` would be the whole file
    system) is looked at as a name, never walked: a file changed out there
    changes nothing, while one in the report does."""
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "file.txt").write_text("een")
    (report.dir / "media").mkdir()
    (report.dir / "media" / "x").symlink_to(outside, target_is_directory=True)
    before = checks.looks(report.dir, ())
    (outside / "deep" / "file.txt").write_text("twee, langer")
    (outside / "deep" / "new.txt").write_text("nieuw")
    assert checks.looks(report.dir, ()) == before
    report.write("media/kaart.txt", "binnen")
    assert checks.looks(report.dir, ()) != before


def test_the_preview_reads_the_kept_parts_and_finds_what_a_check_from_nothing_finds(
    report: ReportDir, monkeypatch: pytest.MonkeyPatch, parts: list[checks.Persisted]
) -> None:
    """The preview's first build takes the parts an ``abuild check`` kept;
    a secret added since is found in the untouched chapter all the same."""
    from ambtsbericht_build.block_memo import BlockMemo
    from ambtsbericht_build.load import LoadOptions
    from ambtsbericht_build.preview.build import build_page

    LIMIT = LoadOptions.max_bytes  # noqa: N806 - the check's default: the same keys

    report.chapter(CHAPTER_TEXT)
    findings(report, cache=True)
    report.write("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n")
    settled(report)
    findings(report, cache=True)
    assert parts[-1].pending and all((p.hits, p.misses) != (0, 0) for p in parts)
    memo = BlockMemo()
    build_page(report.dir, LIMIT, memo)  # the parts from disk (no page: AB302 refuses it)
    assert parts[-1].hits > len(parts[-1].pure) and not parts[-1].pending
    again = build_page(report.dir, LIMIT, memo)  # the parts from the memo
    kept = [(d.file, d.line, d.column, d.code) for d in again.findings]
    monkeypatch.setenv("ABUILD_CACHE", "off")
    fresh = [(d.file, d.line, d.column, d.code) for d in build_page(report.dir, LIMIT).findings]
    assert kept == fresh
    assert ("AB302" in {f[3] for f in kept}) and any(f[3] == "AB302" and f[0].endswith(CHAPTER) for f in kept)


def test_a_check_with_a_smaller_file_limit_keeps_its_own_findings(report: ReportDir) -> None:
    """A file over ``--max-file-size`` is not read: sources.yaml unread, its
    secret is not looked for; the default limit's check must not reuse that."""
    from ambtsbericht_build.commands.check import CheckOptions, check_reports

    report.chapter(CHAPTER_TEXT)
    report.write("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n")

    def found(cache: bool, max_bytes: int) -> list[tuple[str, int, int, str, str]]:
        diags = check_reports([report.dir], CheckOptions(max_bytes=max_bytes, cache=cache))
        return [(d.file, d.line, d.column, d.code, d.message) for d in diags]

    small = report.path("sources.yaml").stat().st_size - 1
    assert found(True, small) == found(False, small)
    assert "AB302" not in {f[3] for f in found(True, small)}
    assert found(True, 5_000_000) == found(False, 5_000_000)
    assert "AB302" in {f[3] for f in found(True, 5_000_000)}


def test_a_po_file_where_the_walk_of_the_report_does_not_look_is_in_the_key(report: ReportDir) -> None:
    """AB302 reads every PO file under translations/ (a ``__pycache__`` too,
    which the key's walk of the report leaves out): a secret put in one is
    found by a check whose other parts are all kept."""
    report.write("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n")
    assert "AB302" not in {f[3] for f in same_as_from_nothing(report)}
    po = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Tekst"\nmsgstr "{}"\n'
    report.write("translations/en/__pycache__/notes.po", po.format(SECRET), dedent_text=False)
    after = same_as_from_nothing(report)
    assert any(f[3] == "AB302" and f[0].endswith("notes.po") for f in after), after


def test_findings_are_not_kept_when_a_file_was_saved_just_before(report: ReportDir) -> None:
    """A file saved less than RACY_NS before the check may be saved again
    during it with the same size and time (a coarse clock): the findings
    are kept only once every file but the chapters is older."""
    report.chapter(CHAPTER_TEXT)
    settled(report)
    report.write("sources.yaml", SOURCES_YAML + f"    codenaam: {SECRET}\n")
    report.chapter(CHAPTER_TEXT + "\nEen alinea.[@hrw-2025]\n")  # a chapter saved just now does not count
    same_as_from_nothing(report)
    yaml_only = {p.name for p in entries(report)}
    settled(report)
    same_as_from_nothing(report)
    settled_ones = {p.name for p in entries(report)}
    assert yaml_only < settled_ones
    report.chapter(CHAPTER_TEXT + "\nNog een alinea.[@hrw-2025]\n")  # only a chapter saved: its parts are kept
    same_as_from_nothing(report)
    assert settled_ones < {p.name for p in entries(report)}


def test_a_chapter_pandoc_could_not_read_is_neither_kept_nor_reused(
    report: ReportDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pandoc's reading (a timeout under load, say: simulated by
    pandoc_batch refusing the text) a chapter's walks read the scanner's
    blocks; the next check, with pandoc's reading, must not reuse them."""
    from ambtsbericht_build.load.markdown import pandoc_batch

    report.chapter(CHAPTER_TEXT + "\nEen alinea.^[Zie [de site][r].]\n\n[r]: https://example.org/r\n")
    settled(report)
    with monkeypatch.context() as m:
        m.setattr(pandoc_batch, "hostile", lambda text: "a test")
        unread = same_as_from_nothing(report)
        assert "AB006" in {f[3] for f in unread}
    read = same_as_from_nothing(report)
    assert "AB006" not in {f[3] for f in read} and read != unread
