"""Drafters' notes never print (issue #10): an ``::: intern`` note in any
spelling and any container is dropped by the render, and one pandoc reads as
text, or an HTML comment pandoc prints, is AB306 (a confidentiality finding:
every render refused).

The property tests generate notes and comments, run the real ``abuild check``
(``check_report``) and build the real pandoc document the four formats are
written from (``render/document.py`` ``assemble``, on pandoc's own reading):
the note's text is in that document only when the check says AB306, and the
check says AB306 only when it is.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.commands.check import CheckOptions, check_report
from ambtsbericht_build.diagnostics import Diagnostics, Severity
from ambtsbericht_build.load.markdown import is_intern
from ambtsbericht_build.render import document as D
from tests.fixtures.report_kit import CHAPTER, make_report

HEAD = '# Politiek\n\n## Veiligheid {tor="1.1 1.2"}\n\nEr waren gevechten.[@hrw-2025]\n'
SECRET = "Kwartelnest"  # one word: a Str of its own wherever pandoc prints it


def _run(body: str) -> tuple[list, bool]:
    """(the check's findings, whether SECRET is in the rendered document)."""
    with tempfile.TemporaryDirectory() as tmp:
        r = make_report(Path(tmp))
        r.chapter(HEAD + body)
        diags = Diagnostics()
        lr = check_report(r.dir, diags, CheckOptions())
        assert lr is not None
        doc = D.assemble(lr, D.parse_chapters(lr))
        return diags.sorted(), SECRET.casefold() in json.dumps(doc.pandoc, ensure_ascii=False).casefold()


# --- one definition of "intern" ---------------------------------------------------


@pytest.mark.parametrize(
    "classes", [["intern"], ["Intern"], ["INTERN"], ["intern::::"], ["{intern}"], ["x", "iNtErN"]], ids=str
)
def test_any_case_and_pandocs_punctuation_is_intern(classes):
    assert is_intern(classes)


@pytest.mark.parametrize("classes", [["internal"], ["intern-notitie"], ["geen-bron"], []], ids=str)
def test_other_classes_are_not_intern(classes):
    assert not is_intern(classes)


# --- AB306 where pandoc reads the note as text ----------------------------------------

# (body after HEAD, line, column of the finding); HEAD has 5 lines
PRINTED = {
    "fence-glued-to-paragraph": ("Meer.[@hrw-2025]\n::: intern\n" + SECRET + ".\n:::\n", 7, 1),
    "indented-code-block": ("\n    ::: intern\n    " + SECRET + ".\n    :::\n", 7, 5),
    "words-after-the-class": ("\n::: intern notitie\n" + SECRET + ".\n:::\n", 7, 1),
    "indented-three-spaces": ("\n   ::: intern\n   " + SECRET + ".\n   :::\n", 7, 4),
    "lazy-continuation-of-a-quote": ("\n> Citaat.[@hrw-2025]\n::: intern\n" + SECRET + ".\n:::\n", 8, 1),
    "lazy-continuation-of-an-item": ("\n- een [@hrw-2025]\n::: Intern\n" + SECRET + ".\n:::\n", 8, 1),
    "comment-en-dash": (f"\nMeer.[@hrw-2025] <!-- {SECRET} –>\n", 7, 18),
    "comment-spaced-closer": (f"\nMeer.[@hrw-2025] <!-- {SECRET} - ->\n", 7, 18),
    "comment-bang-closer": (f"\nMeer.[@hrw-2025] <!-- {SECRET} --!>\n", 7, 18),
    "comment-never-closed": (f"\n<!-- {SECRET}\n\nMeer.[@hrw-2025]\n", 7, 1),
    "comment-leaves-its-item": (f"\n- een [@hrw-2025] <!-- {SECRET}\n- twee [@hrw-2025] -->\n", 7, 19),
    "comment-in-indented-code": (f"\n    <!-- {SECRET} -->\n", 7, 5),
    "html-span-marked-intern": (f'\nMeer.[@hrw-2025] <span class="Intern">{SECRET}</span>\n', 7, 18),
    "span-marked-intern": (f"\nMeer.[@hrw-2025] [{SECRET} nagaan]{{.intern}}\n", 7, 38),
    "heading-marked-intern": (f"\n### {SECRET} {{.Intern}}\n\nMeer.[@hrw-2025]\n", 7, 17),
}


@pytest.mark.parametrize("name", sorted(PRINTED))
def test_a_note_pandoc_prints_is_ab306(name):
    body, line, column = PRINTED[name]
    found, printed = _run(body)
    assert printed, "the case no longer prints: it tests nothing"
    ab306 = [d for d in found if d.code == "AB306"]
    assert [(Path(d.file).name, d.line, d.column) for d in ab306] == [(Path(CHAPTER).name, line, column)], found
    assert ab306[0].severity is Severity.ERROR
    assert SECRET not in ab306[0].message


def test_an_intern_note_left_open_in_a_list_item_is_ab306_at_its_fence():
    """pandoc ends the note with its item (AB004); the drafter meant the
    paragraph after it to be internal too, and pandoc prints it."""
    body = f"\n- Een punt.[@hrw-2025]\n\n  ::: intern\n  Eerst navragen.\n\n{SECRET} in de haven.[@hrw-2025]\n"
    found, printed = _run(body)
    assert printed
    ab306 = [d for d in found if d.code == "AB306"]
    assert [(d.line, d.column) for d in ab306] == [(9, 3)], found
    assert "never closed" in ab306[0].message and "line 12" in ab306[0].message


KEPT = {
    "Intern": f"\n::: Intern\n{SECRET}.\n:::\n",
    "INTERN-braces": f"\n::: {{.INTERN}}\n{SECRET}.\n:::\n",
    "with-id": f"\n::: {{.intern #x}}\n{SECRET}.\n:::\n",
    "no-space": f"\n:::intern\n{SECRET}.\n:::\n",
    "more-colons": f"\n::::::intern::::::\n{SECRET}.\n::::::\n",
    "in-a-quote": f"\n> ::: intern\n> {SECRET}.\n> :::\n",
    "in-an-item": f"\n- een [@hrw-2025]\n\n  ::: intern\n  {SECRET}.\n  :::\n",
    "in-a-note": f"\nMeer.[^1][@hrw-2025]\n\n[^1]: Noot [@hrw-2025].\n\n    ::: Intern\n    {SECRET}.\n    :::\n",
    "comment": f"\nMeer.[@hrw-2025] <!-- {SECRET} -->\n",
    "comment-two-paragraphs": f"\n<!-- {SECRET}\n\nnog meer -->\n",
    "comment-in-fenced-code": f"\n```\n<!-- {SECRET} -->\n```\n",
    "html-block-marked-intern": f"\n<div class='x intern'>\n\n{SECRET}.\n\n</div>\n",
}


@pytest.mark.parametrize("name", sorted(KEPT))
def test_a_note_pandoc_drops_is_not_printed_and_not_a_finding(name):
    found, printed = _run(KEPT[name])
    if name == "comment-in-fenced-code":
        assert printed  # code is printed on purpose, as code
    else:
        assert not printed
    assert not [d for d in found if d.severity is Severity.ERROR], found


# --- the class: random spellings x random containers --------------------------------------


@st.composite
def intern_fence(draw) -> tuple[str, str]:
    """(opening, closing) fence of an intern note, spelt as drafters do."""
    colons = ":" * draw(st.integers(3, 7))
    word = "".join(draw(st.sampled_from([c, c.upper()])) for c in "intern")
    form = draw(st.sampled_from(["bare", "braces", "braces-more", "bare-trailing"]))
    if form == "bare":
        attrs = word
    elif form == "bare-trailing":
        attrs = word + draw(st.sampled_from(["", " "])) + ":" * draw(st.integers(3, 6))
    elif form == "braces":
        attrs = "{." + word + "}"
    else:
        attrs = "{#n-" + str(draw(st.integers(1, 99))) + " .x ." + word + ' k="v"}'
    space = draw(st.sampled_from(["", " ", "  "]))
    if space == "" and form.startswith("braces"):
        space = " "
    return colons + space + attrs, colons


def _quote(lines: list[str]) -> list[str]:
    return ["> " + s if s else ">" for s in lines]


def _item(lines: list[str], marker: str) -> list[str]:
    pad = " " * len(marker)
    return [marker + lines[0]] + [pad + s if s else "" for s in lines[1:]]


def _note(lines: list[str]) -> list[str]:
    return ["[^n]: " + lines[0]] + ["    " + s if s else "" for s in lines[1:]]


CONTAINERS = ["quote", "bullet", "ordered", "div", "note"]


@st.composite
def chapter_with_a_note(draw) -> str:
    opening, closing = draw(intern_fence())
    indent = " " * draw(st.sampled_from([0, 0, 0, 1, 2, 3, 4, 5]))
    glued = draw(st.sampled_from(["", "", "", "before", "around"]))
    words = draw(st.sampled_from(["", "", "", " notitie"]))
    lines = [indent + opening + words, indent + SECRET + " moet nagevraagd.", indent + closing]
    if glued:  # a fence inside a paragraph: a text line right before it (and after it)
        lines = ["Tekst die de notitie inleidt.[@hrw-2025]", *lines]
        lines += ["Tekst erna.[@hrw-2025]"] if glued == "around" else []
    note = False
    for container in draw(st.lists(st.sampled_from(CONTAINERS), max_size=3)):
        if container == "quote":
            lines = _quote(lines)
            if draw(st.booleans()):  # lazy continuation: a line without its '>'
                k = draw(st.integers(1, len(lines) - 1))
                lines[k] = lines[k][2:]
        elif container == "bullet":
            lines = _item(["Een punt.[@hrw-2025]", "", *lines], "- ")
        elif container == "ordered":
            lines = _item(["Een punt.[@hrw-2025]", "", *lines], "1. ")
        elif container == "div":
            lines = ["::: geen-bron", "Leeswijzer.", "", *lines, ":::"]
        elif not note:
            note = True
            lines = _note(["Noot.[@hrw-2025]", "", *lines])
    body = "\n".join(lines)
    if note:
        body = "Een zin met een noot.[^n][@hrw-2025]\n\n" + body
    return "\n" + body + "\n\nSlotzin.[@hrw-2025]\n"


PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(chapter_with_a_note())
def test_an_intern_note_never_prints_or_is_ab306(body):
    found, printed = _run(body)
    codes = {d.code for d in found if d.severity is Severity.ERROR}
    event("printed" if printed else "dropped")
    assert not printed or "AB306" in codes, (body, found)  # never a silent leak
    alarms = [d for d in found if d.code == "AB306"]
    if alarms and not printed:
        # the one false alarm the reading accepts (lexer.drafter_hidden: a
        # closing fence 4+ columns deep is not taken as closing, since pandoc
        # may read it as code; a note whose quote ends before its fence then
        # reads on, "- a\n\n  > :::intern\n  > x\n    :::"): said to be never
        # closed, which the fix it names (':::' where the note ends) resolves
        assert all("never closed" in d.message for d in alarms), (body, found)
        found = [d for d in found if d.code != "AB306"]
    if not printed:
        # "abuild check" exits 0, but for what a lazy line or a fence too
        # many leaves over: a stray ":::" paragraph (AB101), an unclosed div
        lines = (HEAD + body).split("\n")
        stray = [d for d in found if d.severity is Severity.ERROR]
        stray = [d for d in stray if d.code != "AB004" and lines[d.line - 1].strip(" >:")]
        assert not stray, (body, found)


_CLOSERS = ["-->", "–>", "—>", "- ->", "-- >", "--!>", "->", "", "‐‐>", "-&gt;"]


@PROPERTY
@given(
    opener=st.sampled_from(["<!--", "<!--", "<!--", "<!-", "<!—", "<!–", "<!---"]),
    closer=st.sampled_from(_CLOSERS),
    container=st.sampled_from(["", "- ", "> ", "1. "]),
    where=st.sampled_from(["end", "own-line", "start"]),
)
def test_a_comment_never_prints_or_is_ab306(opener, closer, container, where):
    comment = f"{opener} {SECRET} nog nagaan {closer}"
    if where == "end":
        text = f"Een zin.[@hrw-2025] {comment}"
    elif where == "own-line":
        text = f"{comment}\n\nEen zin.[@hrw-2025]"
    else:
        text = f"{comment} Een zin.[@hrw-2025]"
    body = "\n" + container + text.replace("\n\n", "\n\n" + " " * len(container)) + "\n\nSlotzin.[@hrw-2025]\n"
    found, printed = _run(body)
    codes = {d.code for d in found if d.severity is Severity.ERROR}
    event("printed" if printed else "dropped")
    assert printed == ("AB306" in codes), (body, found)


def test_a_note_whose_quote_ends_before_its_fence_is_the_accepted_false_alarm():
    """The example hypothesis found (CI, session 7): nothing of the note
    prints, and AB306 says it is never closed (see the property test above)."""
    body = (
        "\n- Een punt.[@hrw-2025]\n\n  > - Een punt.[@hrw-2025]\n  >\n  >   :::intern\n"
        f"  >   {SECRET} moet nagevraagd.\n    :::\n\nSlotzin.[@hrw-2025]\n"
    )
    found, printed = _run(body)
    assert not printed
    assert [d.code for d in found if d.code == "AB306"] == ["AB306"]
    assert all("never closed" in d.message for d in found if d.code == "AB306")
