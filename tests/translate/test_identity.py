"""Any chapter round-trips through the translation units: with every msgstr
equal to its msgid (placeholders restored) pandoc reads the same document as
the Dutch, and with none translated the same document once the
``.untranslated`` Divs and Spans are unwrapped. Soft line breaks become
spaces (a msgid is one line), and a pipe table row made longer than pandoc's
72 columns gets relative column widths: both are normalised away."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.load.markdown import parse_chapter
from ambtsbericht_build.load.markdown.pandoc_batch import parse_batch
from ambtsbericht_build.tools import pandoc_path
from ambtsbericht_build.translate import plain_heading
from ambtsbericht_build.translate.apply import Tally, header_ids, translate_chapter

WORDS = st.sampled_from(
    ["Voorbeeldland", "de", "rechtbank", "veroordeelde", "café", "18,4", "1.184", "(zie", "ook)", '"niet', 'vrij"']
    + ["a{b}", "x}", "{y", "–", "art.", "12;", "*nadruk*", "**sterk**", "\\*", "per\u00a0cent", "O'Neill"]
)
INLINE = st.sampled_from(
    ["[@hrw-2025]", "[zie @hrw-2025, p. 3; @ai-2026]", "@hrw-2025", "[^1]", "^[Een noot [@ai-2026].]"]
    + ["[tekst](#sec-a)", "[](#sec-a)", "`code|x`", "[span]{.x}", "<https://example.org/a>", "![kaart](m.png)"]
)


@st.composite
def line(draw: Any) -> str:
    parts = draw(st.lists(st.one_of(WORDS, WORDS, INLINE), min_size=1, max_size=8))
    return " ".join(parts)


@st.composite
def text(draw: Any) -> str:
    lines = draw(st.lists(line(), min_size=1, max_size=3))
    joints = [draw(st.sampled_from(["\n", "\n", "\\\n", "  \n"])) for _ in lines[1:]]
    out = lines[0]
    for j, ln in zip(joints, lines[1:], strict=True):
        out += j + ln
    return "Tekst " + out


@st.composite
def block(draw: Any) -> str:
    kind = draw(st.sampled_from(["para", "heading", "list", "olist", "quote", "table", "figure", "div", "intern"]))
    t = draw(text())
    one = t.replace("\\\n", " ").replace("  \n", " ").replace("\n", " ")
    if kind == "heading":
        attrs = draw(st.sampled_from(["", " {#sec-a}", " {.unnumbered}", ' {#sec-b tor="1.1"}']))
        # an unpaired '"' before attributes: pandoc's smart quotes pair it with the
        # attributes' own quote (no attributes), the scanner reads attributes
        head = one.replace("[^1]", "").replace('"', "")
        return f"## {head}{attrs}"
    if kind in ("list", "olist"):
        mark = "-" if kind == "list" else "1."
        pad = " " * (len(mark) + 1)
        nested = draw(st.booleans())
        item = t.replace("\n", "\n" + pad)
        sub = f"\n{pad}- {draw(line())}" if nested else ""
        return f"{mark} {item}{sub}\n{mark} {draw(line())}"
    if kind == "quote":
        return "> " + t.replace("\n", "\n> ")
    if kind == "table":
        cells = [draw(line()).replace("|", "/") for _ in range(4)]
        rows = f"| {cells[0]} | Aantal |\n|---|--:|\n| {cells[1]} | 1.184 |\n| {cells[2]} | 3 |"
        return f"{rows}\n\n: {cells[3]} {{#tbl-x}}"
    if kind == "figure":
        alt = draw(line()).replace("[", "").replace("]", "").replace("^", "")  # "![^1](..)" is no image to pandoc
        return f"![{alt}](media/k.png){{#fig-k}}"
    if kind == "div":
        return f'::: {{tor="1.1"}}\n{t}\n:::'
    if kind == "intern":
        return f"::: intern\n{t}\n:::"
    return t


@st.composite
def chapter(draw: Any) -> str:
    blocks = draw(st.lists(block(), min_size=1, max_size=5))
    body = "\n\n".join(blocks)
    if "[^1]" in body:
        body += "\n\n[^1]: Een voetnoot [@ai-2026].\n\n    Tweede alinea van de noot."
    return "# Hoofdstuk {#h-x}\n\n" + body + "\n"


def _norm(x: Any) -> Any:
    """pandoc's blocks with soft breaks as spaces and default column widths;
    with ``unwrap``, the .untranslated Divs and Spans replaced by their content."""
    if isinstance(x, list):
        out: list[Any] = []
        for v in x:
            if isinstance(v, dict) and v.get("t") in ("Div", "Span") and "untranslated" in v["c"][0][1]:
                out.extend(_norm(v["c"][1]))
                continue
            v = _norm(v)
            if v == {"t": "Space"} and out and out[-1] == {"t": "Space"}:
                continue
            out.append(v)
        # a Str split by a Span boundary reads as two Strs
        merged: list[Any] = []
        for v in out:
            if merged and isinstance(v, dict) and v.get("t") == "Str" and merged[-1].get("t") == "Str":
                merged[-1] = {"t": "Str", "c": merged[-1]["c"] + v["c"]}
            else:
                merged.append(v)
        return merged
    if isinstance(x, dict):
        if x.get("t") == "SoftBreak":
            return {"t": "Space"}
        if x.get("t") == "ColWidth":
            return {"t": "ColWidthDefault"}
        return {k: _norm(v) for k, v in x.items()}
    return x


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chapter())
def test_identity_and_untranslated_read_as_the_dutch(dutch):
    ch = parse_chapter(Path("chapters/x.md"), dutch)
    (read,) = parse_batch([dutch], pandoc_path())
    ids = header_ids(read.ast)
    # translate_report asks pandoc only for headings that are not plain words: the scanner's ids are right for those
    assert len(ids) == len(ch.headings)
    for h, pandoc_id in zip(ch.headings, ids, strict=True):
        if plain_heading(dutch, h):
            assert h.attrs.id is not None or h.id == pandoc_id, h.text
    same = translate_chapter(ch, lambda msgid: msgid, lambda msgid: False, Tally(), ids)
    marked = translate_chapter(ch, lambda msgid: None, lambda msgid: False, Tally(), ids)
    asts = parse_batch([same, marked], pandoc_path())
    want = _norm(read.ast["blocks"])
    assert _norm(asts[0].ast["blocks"]) == want, same
    assert _norm(asts[1].ast["blocks"]) == want, marked
