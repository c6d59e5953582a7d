"""The checker never crashes: random Markdown and random YAML give
diagnostics, never an exception, in bounded time."""

from __future__ import annotations

import datetime as dt
import tempfile
import textwrap
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.check import REGISTRY
from ambtsbericht_build.commands.check import check_report
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.publish.forbidden import collect, scan_chapter
from tests.load.test_lexer import assert_drafter_covers_pandoc

MD_FRAGMENTS = [
    "[",
    "]",
    "(",
    ")",
    "[@",
    "@",
    "[@hrw-2025",
    "[@vb-geheim, p. 3]",
    "[@onbekend]",
    "; @hrw-2025",
    "^[",
    "[^1]",
    "[^1]: Noot.",
    "[^x]:",
    ":::",
    "::: intern",
    "::: geen-bron",
    "::: {.intern}",
    '::: {tor="1.1"}',
    "{tor=",
    '{tor="1.1"}',
    '{tor="9.9 1.1"}',
    "{#id .geen-informatie}",
    "{#",
    "}",
    "{",
    "#",
    "# Kop",
    "## Sectie",
    "###### Diep",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "1) ",
    "    ",
    "> ",
    "| a | b |",
    "|---|---|",
    "| 1 |",
    ": Bijschrift",
    "`",
    "``",
    "```",
    "~~~",
    "<!--",
    "-->",
    "<!-- opmerking -->",
    "<b>",
    "</b>",
    "<script>alert(1)</script>",
    "<img src=x onerror=y>",
    "![",
    "](",
    "](media/x.png)",
    "](https://example.org)",
    "](../../etc/passwd)",
    "[](#id)",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "é",
    "ë",
    "—",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "𝔘",
    "🙂",
    "TODO",
    "FIXME",
    ".",
    ". ",
    "o.a.",
    ":",
    '"',
    "'",
    "\\",
    "*",
    "**",
    "_",
    "=",
    "---",
    "...",
    "\\[",
    "&amp;",
    "Dit is een zin.",
    "Een bron meldde dat.[@hrw-2025]",
    "claims: false",
    "numbered: false",
]
YAML_FRAGMENTS = [
    "title: ",
    "kind: ",
    "status: ",
    "date: ",
    "2026-03-01",
    "2025-13-45",
    "concept",
    "vastgesteld",
    "\n",
    "  ",
    "- ",
    "id: ",
    "type: report",
    "confidential: true",
    "internal:",
    "who: x",
    "&a ",
    "*a",
    "<<: *a",
    "[",
    "]",
    "{",
    "}",
    ", ",
    '"',
    "'",
    "!!str ",
    "!!python/name:os.system ",
    "? ",
    "|",
    ">",
    "%YAML 1.1",
    "---",
    "...",
    "#",
    "\t",
    "1.0",
    "~",
    "null",
    "yes",
    "é",
    "\ufeff",
    "issued: undated",
    "URL: https://x",
    "themes:",
    "questions:",
    "deny: [a, b]",
    "chapters: [chapters/a.md]",
    "bibliography: [../../../etc/passwd]",
]

GOOD = {
    "report.yaml": """
        title: Fuzz
        kind: algemeen
        country: Fuzzland
        date: 2026-03-01
        reference_period: {start: 2025-01-01, end: 2026-01-31}
        status: vastgesteld
        version: "1.0"
        issuer: Ministerie
        place: Den Haag
        responsible_unit: Afdeling Ambtsberichten
        """,
    "tor.yaml": """
        title: ToR
        requested_by: IND
        date: 2025-06-10
        themes:
          - id: "1"
            title: Thema
            questions:
              - {id: "1.1", text: Vraag?}
        """,
    "sources.yaml": """
        - id: hrw-2025
          type: report
          author: [{literal: HRW}]
          title: Rapport
          issued: 2025-01-16
        - id: vb-geheim
          type: interview
          confidential: true
          issued: 2025-11-04
          internal: {who: iemand}
        """,
}

markdown = st.lists(st.one_of(st.sampled_from(MD_FRAGMENTS), st.text(max_size=4)), max_size=80).map("".join)
yaml_text = st.lists(st.one_of(st.sampled_from(YAML_FRAGMENTS), st.text(max_size=3)), max_size=40).map("".join)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
structured = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20,
).map(lambda v: yaml.safe_dump(v, allow_unicode=True))
any_yaml = st.one_of(yaml_text, structured)

FUZZ = settings(
    max_examples=200,
    deadline=dt.timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def run_check(files: dict[str, str]) -> Diagnostics:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".git").mkdir()
        report = root / "reports" / "fuzz"
        for name, text in {**{k: textwrap.dedent(v).lstrip() for k, v in GOOD.items()}, **files}.items():
            path = report / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        diags = Diagnostics()
        lr = check_report(report, diags)
        if lr is not None:
            collect(lr)  # what the render's audit takes from the same files
        for d in diags:
            assert d.code in REGISTRY, d
            assert d.line >= 0 and d.column >= 0
        return diags


@FUZZ
@given(text=markdown)
def test_random_markdown_gives_diagnostics_only(text):
    run_check({"chapters/01-fuzz.md": text})
    scan_chapter(text)


@FUZZ
@given(text=markdown)
def test_random_markdown_drafter_reading_covers_pandoc_reading(text):
    # the audit's needles (DRAFTER) cover what render drops (PANDOC), on the
    # fuzzer's brackets, CRLF and Unicode as well
    assert_drafter_covers_pandoc(text)


@settings(FUZZ, max_examples=100)
@given(front=any_yaml, text=markdown)
def test_random_front_matter(front, text):
    run_check({"chapters/01-fuzz.md": f"---\n{front}\n---\n{text}"})


@settings(FUZZ, max_examples=150)
@given(which=st.sampled_from(["report.yaml", "tor.yaml", "sources.yaml", "glossary.yaml"]), text=any_yaml)
def test_random_yaml_gives_diagnostics_only(which, text):
    run_check({which: text, "chapters/01-fuzz.md": "# Kop\n\nTekst.[@hrw-2025]\n"})
