"""A translator's PO file held to what the Dutch text is held to (red team
pass of the English edition: T1 attributes, T3 limits, T5 every text field,
and entries keyed by (msgctxt, msgid)). The kit's small report; one real
render (HTML) for what reaches the document."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import load_report
from ambtsbericht_build.load.markdown.pandoc_batch import READER
from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from ambtsbericht_build.tools import pandoc_path
from ambtsbericht_build.translate import translate_report
from ambtsbericht_build.translate.extract import extract
from ambtsbericht_build.translate.placeholders import protect, restore
from ambtsbericht_build.translate.state import dutch, entry_problems

PO = "translations/en/chapters/02-politiek.po"
SENTENCE = "Op 1 maart 2025 vonden in Testland verkiezingen plaats.{1}"
SECURITY = "Een vertrouwelijke bron meldde gevechten in het noorden (zie {1}).{2}"
SECRET = "medewerker VN-organisatie, Genève"  # the kit's confidential source's internal fields


def _po(report) -> polib.POFile:
    extract(load_report(report.dir, Diagnostics()), "en", Diagnostics())
    return polib.pofile(str(report.path(PO)), wrapwidth=0)


def _translate(report, **by_msgid: str) -> Path:
    po = _po(report)
    for msgid, msgstr in by_msgid.items():
        entry = po.find(msgid)
        assert entry is not None
        entry.msgstr = msgstr
    po.save(str(report.path(PO)))
    return report.path(PO)


def _translated_body(report) -> tuple[str, int]:
    tr = translate_report(load_report(report.dir, Diagnostics()), "en", Diagnostics())
    return tr.report.chapters[1].chapter.text, tr.broken


# --- T1: a translation adds no attributes ------------------------------------------------------

ATTRIBUTES = [
    "Elections [x]{{.intern}} were held.{1}",
    "Elections [x]{{.Intern}} were held.{1}",
    "Elections [x]{{.int\u0435rn}} were held.{1}",  # a Cyrillic е
    "Elections [x]{{.verborgen}} were held.{1}",
    'Elections [hidden words]{{hidden=""}} were held.{1}',
    'Elections [x]{{style="display:none"}} were held.{1}',
    "Elections [x]{{onclick=alert(1)}} were held.{1}",
    'Elections [x]{{style="background:url(https://t.example/p.png)"}} were held.{1}',
    "Elections were held.{1}{{.intern}}",  # after the citation's placeholder
    "Elections `x`{{=html}} were held.{1}",
    "Elections were held.{1} <span class=x>",
    "Elections were held.{1} <?php x ?>",
]


@pytest.mark.parametrize("msgstr", ATTRIBUTES)
def test_an_attribute_block_or_html_in_a_msgstr_is_ab604_and_never_rendered(report, msgstr):
    path = _translate(report, **{SENTENCE: msgstr})
    found = [d for d in report.check() if d.code == "AB604"]
    assert found and all(Path(d.file).resolve() == path.resolve() for d in found), found
    body, broken = _translated_body(report)
    assert broken == 1 and "were held" not in body, body


def test_a_headings_attribute_block_is_ab604(report):
    _translate(report, Verkiezingen="Elections {{.intern}}")
    assert "AB604" in report.codes()
    body, broken = _translated_body(report)
    assert broken == 1 and "Elections" not in body


def test_braces_the_dutch_has_are_still_allowed_in_the_text(report):
    report.chapter(
        """
        # Politiek en veiligheid {#h-politiek}

        ## Verkiezingen {#sec-verkiezingen tor="1.1"}

        De partij {Nieuw} won de verkiezingen.[@hrw-2025]

        ## Veiligheid {#sec-veiligheid tor="1.2"}

        Een vertrouwelijke bron meldde gevechten in het noorden.[@vb-2025-11-04]
        """
    )
    _translate(report, **{"De partij {{Nieuw}} won de verkiezingen.{1}": "The party {{Nieuw}} won.{1}"})
    report.expect_none("AB604")
    body, broken = _translated_body(report)
    assert broken == 0 and "The party {Nieuw} won." in body


def _attrs_in(ast: object) -> list[object]:
    """Every Attr with a class, id or key, and every raw element, of a pandoc AST."""
    found: list[object] = []
    stack = [ast]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            t, c = x.get("t"), x.get("c")
            if t in ("RawInline", "RawBlock", "Header"):
                found.append(x)
            elif t in ("Span", "Code", "Link", "Image") and isinstance(c, list) and c[0] != ["", [], []]:
                found.append(c[0])
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return found


_PIECES = ["Elections ", "held", " ", "[", "]", "(", ")", "{{", "}}", "{1}", "`", "<", "#", ".intern", "hidden", "="]
_PIECES += ['style="display:none"', ".int\u0435rn", "-", "span", "!", "?", "\\", "x", "]{{", "`{{", "{{#", "{{."]


_ATTR_BODY = [".intern", ".Intern", ".int\u0435rn", ".verborgen", "hidden", 'hidden=""', 'style="display:none"']
_ATTR_BODY += ["#id", "onclick=alert(1)", 'style="background:url(https://t.example/p)"', " ", "-", "x"]
_free = st.lists(st.sampled_from(_PIECES), max_size=6).map("".join)
_block = st.tuples(
    st.sampled_from(["[x]", "`x`", "{1}", "x", " ", "[x] ", "\\[x]"]),
    st.sampled_from(["{{", "{{ "]),
    st.lists(st.sampled_from(_ATTR_BODY), min_size=1, max_size=3).map(" ".join),
).map(lambda t: t[0] + t[1] + t[2] + "}}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.tuples(_free, st.one_of(_block, _free), _free).map("".join))
def test_a_msgstr_the_check_passes_reads_without_attributes_or_html(msgstr):
    """Property (T1): whatever a translator types, an attribute block, a class
    or an intern spelling included, a msgstr with no problem reads, in pandoc
    (the render's reader), with no attribute, raw HTML or heading of its own."""
    p = protect("Op 1 maart vonden verkiezingen plaats.[@hrw-2025]", lambda _o: "")
    msgstr += "" if "{1}" in msgstr else "{1}"
    if entry_problems(p, msgstr):
        return
    text, _ = restore(msgstr, p, [])
    assert dutch(p) and text
    out = subprocess.run(
        [pandoc_path(), "-f", READER, "-t", "json"], input=text, capture_output=True, text=True, check=True
    )
    assert _attrs_in(json.loads(out.stdout)["blocks"]) == [], (msgstr, text)


# --- T3: the limits on Markdown apply to a msgstr -----------------------------------------------


def test_nine_nested_brackets_are_a_finding_in_the_po_file_and_the_render_keeps_the_dutch(report, tmp_path):
    path = _translate(report, **{SENTENCE: "[[[[[[[[[x]]]]]]]]] Elections were held.{1}"})
    found = [d for d in report.check() if d.code == "AB604"]
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(k for k, ln in enumerate(lines, 1) if ln.startswith('msgstr "[[['))
    assert len(found) == 1 and Path(found[0].file).resolve() == path.resolve() and found[0].line == line, found
    assert "nested" in found[0].message
    body, broken = _translated_body(report)
    assert broken == 1 and "[[[[" not in body
    _translate(report, **{SENTENCE: "[[[[[[[[[x]]]]]]]]] Elections were held.{1}", "Verkiezingen": "[x]{{.intern}}"})
    result = render_report(report.dir, RenderOptions(formats=("html",), out_dir=tmp_path / "out", lang="en"))
    assert not result.refused and set(result.outputs) == {"html"}, result
    html = result.outputs["html"].read_text(encoding="utf-8")
    assert "vonden in Testland verkiezingen" in html and "[[[[" not in html
    assert 'class="intern"' not in html and ">x<" not in html


# --- T5: every text of a PO file is scanned for secrets -----------------------------------------


@pytest.mark.parametrize(
    "where",
    ["msgctxt", "plural", "tcomment", "previous", "obsolete", "header", "metadata"],
)
def test_a_secret_anywhere_in_a_po_file_is_ab302(report, where):
    path = _translate(report)
    text = path.read_text(encoding="utf-8")
    entry = {
        "msgctxt": f'msgctxt "{SECRET}"\nmsgid "Elders"\nmsgstr ""\n',
        "plural": f'msgid "Een"\nmsgid_plural "Twee"\nmsgstr[0] "One"\nmsgstr[1] "{SECRET}"\n',
        "tcomment": f'# {SECRET}\nmsgid "Elders"\nmsgstr ""\n',
        "previous": f'#, fuzzy\n#| msgid "{SECRET}"\nmsgid "Elders"\nmsgstr "Elsewhere"\n',
        "obsolete": f'#~ msgid "Oud"\n#~ msgstr "{SECRET}"\n',
        "header": "",
        "metadata": "",
    }[where]
    if where == "header":
        text = f"# {SECRET}\n" + text
    elif where == "metadata":
        text = text.replace('"Language: en\\n"\n', f'"Language: en\\n"\n"Last-Translator: {SECRET}\\n"\n', 1)
    path.write_text(text + "\n" + entry, encoding="utf-8")
    found = [d for d in report.check() if d.code == "AB302"]
    assert found and all(Path(d.file).resolve() == path.resolve() for d in found), found


# --- entries keyed by (msgctxt, msgid) ----------------------------------------------------------


def test_an_entry_with_a_msgctxt_never_replaces_the_translation(report):
    path = _translate(report, **{SENTENCE: "Elections were held in Testland on 1 March 2025.{1}"})
    with path.open("a", encoding="utf-8") as f:
        f.write(f'\nmsgctxt "x"\nmsgid "{SENTENCE}"\nmsgstr "Nothing happened.{{1}}"\n')
    body, _ = _translated_body(report)
    assert "Elections were held in Testland" in body and "Nothing happened" not in body


def test_a_duplicate_entry_is_ab603_and_neither_translation_is_used(report):
    path = _translate(report, **{SENTENCE: "Elections were held in Testland on 1 March 2025.{1}"})
    with path.open("a", encoding="utf-8") as f:
        f.write(f'\nmsgid "{SENTENCE}"\nmsgstr "Nothing happened.{{1}}"\n')
    line = len(path.read_text(encoding="utf-8").rstrip("\n").split("\n")) - 1
    report.expect("AB603", PO, line, 1)
    body, _ = _translated_body(report)
    assert "Nothing happened" not in body and "Elections were held" not in body and "Op 1 maart 2025" in body


# --- the Dutch text's rules on the translated text ----------------------------------------------


def _msgstr_line(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(k for k, ln in enumerate(lines, 1) if ln.startswith(f'msgstr "{start}'))


@pytest.mark.parametrize(
    "code, msgstr",
    [
        ("AB307", "Elections were held in the n\u043erth of Testland.{1}"),  # a Cyrillic о
        ("AB406", "Elections \U0001f600 were held in Testland.{1}"),  # the house font has no emoji
    ],
)
def test_a_chapter_text_rule_finds_a_translators_text_at_its_po_line(report, code, msgstr):
    path = _translate(report, **{SENTENCE: msgstr})
    found = [d for d in report.check() if d.code == code]
    assert len(found) == 1 and Path(found[0].file).resolve() == path.resolve(), found
    assert found[0].line == _msgstr_line(path, "Elections") and "in this translation ('en')" in found[0].message


def test_ab306_reads_the_translated_report_where_a_markup_rule_would_miss(report, monkeypatch):
    """Defence in depth: were the attribute rule ever to miss a form, AB306
    itself reads the translated chapter as the render does."""
    from ambtsbericht_build.translate import placeholders

    monkeypatch.setattr(placeholders, "added_attributes", lambda msgstr, msgid: [])
    path = _translate(report, **{SENTENCE: "Elections [x]{{.intern}} were held.{1}"})
    found = [d for d in report.check() if d.code == "AB306"]
    assert len(found) == 1 and Path(found[0].file).resolve() == path.resolve(), found
    assert found[0].line == _msgstr_line(path, "Elections")
