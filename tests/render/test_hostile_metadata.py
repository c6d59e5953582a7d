"""Metadata values are escaped for their context: a title (or issuer, country)
with ``</style>``, quotes, backslashes, newlines or ``<script>`` stays text in
the screen HTML, in the print HTML WeasyPrint lays out (where the title is
also a CSS string in the running header) and in DOCX/ODT metadata."""

from __future__ import annotations

from html.parser import HTMLParser

import tinycss2
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render.facts import RenderFacts, ReportMeta, default_house_style
from ambtsbericht_build.render.formats.html import html_page
from ambtsbericht_build.render.formats.pdf import print_css

_PIECES = list("</>\"'\\&;:{}()@!-\n\r\t\f\x00 é\u2028") + ["</style>", "<script>", "*/", "/*", "\\A", "&lt;", "]]>"]
HOSTILE = st.lists(st.sampled_from(_PIECES), max_size=20).map("".join) | st.text(max_size=30)


def _facts(title: str, issuer: str = "Ministerie") -> RenderFacts:
    meta = ReportMeta(
        title=title,
        kind="Algemeen ambtsbericht",
        country=title,
        date="1 mei 2026",
        period="1 januari 2025 tot en met 1 mei 2026",
        issuer=issuer,
        version="1.0",
        status="concept",
        draft=True,
        lang="nl-NL",
    )
    return RenderFacts(
        meta=meta,
        lang="nl",
        headings=[],
        glossary={},
        epoch=0,
        created="1970-01-01T00:00:00Z",
        month_year="mei 2026",
        notes=0,
        sidecars=False,
        house_style=default_house_style(),
    )


class _Page(HTMLParser):
    """The elements of the page, the way a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.styles: list[str] = []
        self.title = ""
        self.cover_title = ""
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        cls = dict(attrs).get("class", "")
        self._in = (
            "title" if tag == "title" else "cover" if cls == "cover-title" else "style" if tag == "style" else None
        )
        if tag == "style":
            self.styles.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "cover":
            self.cover_title += data
        elif self._in == "style":
            self.styles[-1] += data


def _running_header(css: str) -> str | None:
    """The last ``content`` string of ``@page { @top-left {} }`` (the one that applies)."""
    found = None
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content:
            for inner in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True):
                if inner.type == "at-rule" and inner.lower_at_keyword == "top-left":
                    for decl in tinycss2.parse_blocks_contents(inner.content, skip_whitespace=True):
                        if decl.type == "declaration" and decl.lower_name == "content":
                            strings = [t.value for t in decl.value if t.type == "string"]
                            found = strings[0] if strings else found
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE)
@example("</style><script>alert(1)</script>")
@example('x"; } body { display: none } @page { @top-left { content: "y')
@example("a\\\nb")
def test_a_hostile_title_stays_text_in_the_print_html(title):
    facts = _facts(title)
    page = html_page(facts, "<p>tekst</p>", "print", print_css(facts))
    parsed = _Page()
    parsed.feed(page)
    parsed.close()
    assert "script" not in parsed.tags
    assert len(parsed.styles) == 1  # the one <style>, closed where we close it
    assert parsed.tags.count("p") == page.count("<p")  # nothing added to the body
    # the title is the running header's text exactly, once CSS escapes are
    # decoded (a NUL, escaped or not, is U+FFFD in CSS)
    expected = title.replace("\x00", "\ufffd")
    assert _running_header(parsed.styles[0]) == expected
    assert _norm(parsed.cover_title) == _norm(title)


def _norm(s: str) -> str:
    """What an HTML parser makes of the text: CR LF and CR are LF, NUL is U+FFFD."""
    return s.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


@settings(max_examples=100, deadline=None)
@given(HOSTILE)
def test_a_hostile_title_stays_text_in_the_screen_html(title):
    facts = _facts(title, issuer=title)
    page = html_page(facts, "<p>tekst</p>", "screen")
    parsed = _Page()
    parsed.feed(page)
    parsed.close()
    assert "script" not in parsed.tags
    assert len(parsed.styles) == 1
    assert parsed.tags.count("meta") == page.count("<meta")


HOSTILE_TITLE = 'Ambtsbericht </style><script>alert(1)</script> & "x" ]]> <!-- \\"'


def test_a_hostile_title_in_all_four_real_outputs(tmp_path):
    """Rendered for real: the title is the same text in the HTML <title>, the
    PDF's /Title and running header, DOCX core.xml and ODT meta.xml, and
    nowhere is there a <script> element."""
    import zipfile
    from xml.etree import ElementTree as ET

    import pdfplumber
    import pikepdf

    from ambtsbericht_build.render.pipeline import RenderOptions, render_report
    from tests.publish.conftest import LEAKY, make_leaky_repo

    yaml = (LEAKY / "report.yaml").read_text(encoding="utf-8")
    title_line = next(line for line in yaml.splitlines() if line.startswith("title:"))
    quoted = "'" + HOSTILE_TITLE.replace("'", "''") + "'"
    report = make_leaky_repo(tmp_path, real_git=False, report_yaml=yaml.replace(title_line, f"title: {quoted}"))
    # the leaky report carries confidentiality findings on purpose
    out = render_report(report, RenderOptions(out_dir=tmp_path / "out", refuse_confidentiality=False)).outputs

    parsed = _Page()
    parsed.feed(out["html"].read_text(encoding="utf-8"))
    assert parsed.title == HOSTILE_TITLE and "script" not in parsed.tags
    with pikepdf.open(out["pdf"]) as pdf:
        assert str(pdf.docinfo["/Title"]) == HOSTILE_TITLE
    with pdfplumber.open(out["pdf"]) as pdf:
        assert HOSTILE_TITLE in " ".join((pdf.pages[2].extract_text() or "").split())  # the running header
    dc = "{http://purl.org/dc/elements/1.1/}title"
    with zipfile.ZipFile(out["docx"]) as z:
        assert ET.fromstring(z.read("docProps/core.xml")).find(dc).text == HOSTILE_TITLE
    with zipfile.ZipFile(out["odt"]) as z:
        assert next(ET.fromstring(z.read("meta.xml")).iter(dc)).text == HOSTILE_TITLE
