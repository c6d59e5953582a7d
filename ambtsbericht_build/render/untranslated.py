"""Text of a translated edition still shown in the report's own language:
marked, and in its language (WCAG 3.1.2, language of parts).

The translation (:mod:`..translate`) gives an untranslated or fuzzy entry
as ``::: {.untranslated lang=nl}`` (a block) or ``[…]{.untranslated lang=nl}``
(inline text). In a concept edition they stay; this makes each of them

- carry the source language as a BCP 47 tag (``lang="nl-NL"``), which the
  writers turn into ``lang`` (HTML), ``/Lang`` on its tag (PDF, :mod:`.pdf_lang`),
  ``w:lang`` (DOCX) and ``fo:language``/``fo:country`` (ODT), so a screen reader
  reads it as Dutch and the hyphenation is Dutch; its dates, and those in
  the sources' own titles, get the non-breaking spaces of Dutch dates
  ("1 maart 2025"), which the edition's English typesetting does not know;
- with the cross-references' labels in its language: "(zie paragraaf 2.2)",
  not the edition's "(zie section 2.2)" (generated text takes the language
  of the text around it), and so the words a citation printed within its
  text (a note's "zie Vertrouwelijke bron, 15 april 2026");
- visibly marked in words, not by colour only: a block is preceded by a
  line "Not yet translated (Dutch)", inline text by a badge "[NL]" whose title
  says the same. The marker itself is in the edition's language, outside the
  Dutch element.

A final edition with any such unit is refused before it gets here
(:mod:`.edition`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from . import ast as A
from .labels import MONTHS, bcp47, labels
from .typography import ties_and_ranges

if TYPE_CHECKING:
    from .facts import RenderFacts

CLASS = "untranslated"


@dataclass
class Marked:
    count: int  # the units marked
    headings: set[str]  # ids of the headings whose whole title is one unit

    def tag_headings(self, facts: RenderFacts, source_lang: str) -> RenderFacts:
        """``facts`` with those headings' language, for the contents (WCAG
        3.1.2 there too: the entry "Politieke ontwikkelingen" is Dutch)."""
        tag = bcp47(source_lang)
        heads = [replace(h, lang=tag) if h.ident in self.headings else h for h in facts.headings]
        return replace(facts, headings=heads)


def dutch_headings(blocks: list[Any], inside: bool = False) -> set[str]:
    """Ids of the headers whose whole title is an untranslated unit (a Span
    holding it all, or the header in an untranslated Div)."""
    found: set[str] = set()
    for b in blocks:
        if not isinstance(b, dict):
            continue
        t = b.get("t")
        c: Any = b.get("c")
        if t == "Header":
            # the number document.py put before the title is no word of it
            words = [
                x
                for x in c[2]
                if x.get("t") not in ("Space", "SoftBreak")
                and not (x.get("t") == "Span" and "header-section-number" in x["c"][0][1])
            ]
            whole = len(words) == 1 and words[0].get("t") == "Span" and CLASS in words[0]["c"][0][1]
            if (inside or whole) and c[1][0]:
                found.add(c[1][0])
        elif t == "Div":
            found |= dutch_headings(c[1], inside or CLASS in c[0][1])
    return found


def mark_untranslated(
    doc: dict[str, Any], lang: str, source_lang: str, glossary: frozenset[str] = frozenset()
) -> Marked:
    """Mark every untranslated unit of the pandoc document ``doc`` (the
    edition is in ``lang``, the units in ``source_lang``): how many, and
    which headings are in ``source_lang``. ``glossary``: the abbreviations
    whose meaning is shown in ``source_lang`` (glossary.po has no valid
    translation of it): their cell in the list of abbreviations is a unit too.
    A unit inside another one gets its language but no marker of its own:
    the outer one's says it already, and an English marker inside a Dutch
    element would be tagged Dutch. A note is never inside: it is read apart."""
    L = labels(lang)
    said = L["untranslated"].format(language=L["language_names"].get(source_lang, source_lang))
    tag = bcp47(source_lang)
    count = 0

    def visit(items: list[Any], inside: bool, around: bool = False) -> list[Any]:
        """``around``: the items are a note of a unit (its language is the unit's
        in DOCX, where pandoc writes a note within its paragraph): a marker
        there says its own language."""
        nonlocal count
        out: list[Any] = []
        for item in items:
            if isinstance(item, list):
                out.append(visit(item, inside, around))
                continue
            if not isinstance(item, dict):
                out.append(item)
                continue
            unit = item.get("t") in ("Div", "Span") and CLASS in item["c"][0][1]
            if item.get("t") == "Note":
                # a note is read apart from its paragraph (at the page's foot, at the
                # HTML's end): the paragraph's marker is not there, so its own is
                item["c"] = visit(item["c"], False, inside or unit or around)
            elif isinstance(item.get("c"), list):
                item["c"] = visit(item["c"], inside or unit, around)
            if not unit:
                out.append(item)
                continue
            count += 1
            ident, classes, kv = item["c"][0]
            item["c"][0] = [ident, classes, [[k, v] for k, v in kv if k != "lang"] + [["lang", tag]]]
            if inside:
                out.append(item)
                continue
            dutch_cross_references(item, lang, source_lang)
            if lang == "en" and source_lang == "nl":
                dutch_citations(item)
            if item["t"] == "Span":
                own = [["lang", bcp47(lang)]] if around else []
                badge = A.Span(A.text(f"[{source_lang.upper()}]"), ["untranslated-badge"], kv=[["title", said], *own])
                out += [badge, A.Space(), item]
            else:
                label = A.Div([A.Para([A.Strong(A.text(said))])], classes=["untranslated-label"])
                out.append(A.Div([label, item], classes=["untranslated-unit"]))
        return out

    _glossary_units(doc["blocks"], glossary)
    headings = dutch_headings(doc["blocks"])
    doc["blocks"] = visit(doc["blocks"], False)
    _mark_tor_answers(doc["blocks"], headings, source_lang, said, tag)
    # The edition's typesetting knew its own months only. A date in the
    # source language is Dutch text wherever it is: in a unit shown in Dutch,
    # or in a source's own title ("Arrestaties rond het referendum van 9 maart
    # 2025", as written, docs/translation.md): it gets the ties of a Dutch date.
    # No English word is a Dutch month name that is not an English one too
    # ("april", "september"), so English text is unchanged. One walk: 30 ms.
    ties_and_ranges(doc["blocks"], source_lang)
    return Marked(count, headings)


# the labels document.py gives an empty cross-reference: "section 2.2", "Figure 1"
_XREF_KINDS = ("chapter", "section", "figure", "table")
_XREF = re.compile(r"(\w+)([\s\u00a0\u202f]+\d[\d.]*)")


def dutch_cross_references(unit: dict[str, Any], lang: str, source_lang: str) -> None:
    """Give every cross-reference label in ``unit`` (shown in ``source_lang``
    in an edition in ``lang``) the words of ``source_lang``, in place, the
    way document.py writes them in that language: "paragraaf 2.2", "figuur 1"
    within a sentence, "Tabel 1" at its start. A link whose words are the
    drafter's own is left alone."""
    from ..analyse.sentences import word_ends_sentence

    edition, source = labels(lang), labels(source_lang)
    kinds = {str(edition[k]).lower(): k for k in _XREF_KINDS}

    def relabel(content: list[Any], sentence_start: bool) -> None:
        m = _XREF.fullmatch(A.stringify(content))
        first = next((x for x in content if isinstance(x, dict) and x.get("t") == "Str"), None)
        if m is None or first is None or m.group(1).lower() not in kinds or not first["c"].startswith(m.group(1)):
            return
        kind = kinds[m.group(1).lower()]
        word = str(source[kind])
        if source_lang == "nl" and kind in ("figure", "table"):
            word = word.lower()  # "zie figuur 1", as document.py writes a Dutch report
        # chapter and section: the edition's label is capitalised exactly where a sentence starts
        start = m.group(1)[:1].isupper() if kind in ("chapter", "section") else sentence_start
        if start:
            word = word[:1].upper() + word[1:]
        first["c"] = word + first["c"][len(m.group(1)) :]

    def fill(inlines: list[Any], sentence_start: bool) -> None:
        for node in inlines:
            if not isinstance(node, dict):
                continue
            t = node.get("t")
            if t == "Link" and node["c"][2][0].startswith("#"):
                relabel(node["c"][1], sentence_start)
            if t in ("Space", "SoftBreak", "LineBreak", "Cite", "Note"):
                continue  # a citation after the full stop does not start a sentence
            # typography.py keeps a note call with its word in a Span ("weer.<sup>31</sup>"):
            # that word says whether a sentence ended
            word = node["c"] if t == "Str" else _last_word(node)
            sentence_start = word_ends_sentence(word)

    def fn(node: dict[str, Any]) -> Any:
        if node["t"] in ("Para", "Plain"):
            fill(node["c"], True)
        elif node["t"] in ("Emph", "Strong", "Underline", "SmallCaps", "Span", "Quoted"):
            fill(node["c"][1] if node["t"] in ("Span", "Quoted") else node["c"], False)
        return None

    A.walk([unit], fn)


# document.py's list of abbreviations (annex): rows of (abbreviation, meaning)
GLOSSARY_TABLE = "tbl-afkortingen"


def _glossary_units(blocks: list[Any], dutch: frozenset[str]) -> None:
    """Each meaning in the list of abbreviations whose abbreviation is in
    ``dutch`` becomes an untranslated Span, as a table cell of a chapter
    shown in Dutch is, so that it is marked and tagged like one."""
    if not dutch:
        return
    for b in blocks:
        if not (isinstance(b, dict) and b.get("t") == "Table" and b["c"][0][0] == GLOSSARY_TABLE):
            continue
        for body in b["c"][4]:
            for row in body[3]:
                abbr, meaning = row[1][0], row[1][1]
                if A.stringify(abbr[4]) in dutch:
                    meaning[4] = [A.Plain([A.Span(_inlines(meaning[4]), [CLASS])])]


def _inlines(blocks: list[Any]) -> list[Any]:
    return [x for b in blocks if b.get("t") in ("Plain", "Para") for x in b["c"]]


def _mark_tor_answers(blocks: list[Any], headings: set[str], source_lang: str, said: str, tag: str) -> None:
    """The ToR annex's "Answered in: 3.2 Aanhangers van de Nieuwlicht-beweging"
    (document.py writes a heading's number and title into a ``tor-ref``
    link): a title still in ``source_lang`` gets the marker and its language
    there too, as in the contents."""

    def fn(node: dict[str, Any]) -> Any:
        if node["t"] != "Link" or "tor-ref" not in node["c"][0][1]:
            return None
        target, content = node["c"][2][0], node["c"][1]
        if not target.startswith("#") or target[1:] not in headings or not content:
            return None
        number: list[Any] = []
        first = content[0]
        if first.get("t") == "Str" and first["c"][:1].isdigit() and len(content) > 2:
            number, content = [first, A.Space()], content[2:]
        badge = A.Span(A.text(f"[{source_lang.upper()}]"), ["untranslated-badge"], kv=[["title", said]])
        node["c"][1] = [*number, badge, A.Space(), A.Span(content, kv=[["lang", tag]])]
        return node

    A.walk(blocks, fn)


def _last_word(node: Any) -> str:
    """The last word of an inline container, not looking into notes and citations."""
    if not isinstance(node, dict) or node.get("t") in ("Note", "Cite"):
        return ""
    if node.get("t") == "Str":
        return str(node["c"])
    c: Any = node.get("c")
    items = c[1] if node.get("t") in ("Span", "Link", "Quoted", "Image") and isinstance(c, list) else c
    for x in reversed(items if isinstance(items, list) else []):
        w = _last_word(x)
        if w:
            return w
    return ""


_EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_NL_MONTH = dict(zip(_EN_MONTHS.split("|"), MONTHS["nl"], strict=True))
# an item's own date as the house CSL prints it: last, or before a locator or the next item;
# a date inside a title ("Report of 5 March 2025, Org, ...") is followed by other words
_ISSUED = re.compile(
    rf"(\d{{1,2}}[ \u00a0])({_EN_MONTHS})([ \u00a0]\d{{4}})(?=$|[.;]|, (?:p|pp|para|paras|sec|secs)\. )"
)


def dutch_citations(unit: dict[str, Any]) -> None:
    """The citations printed within the text of ``unit`` (shown in Dutch in
    the English edition: a note written in Dutch cites "zie [@vb-2026]") in
    the Dutch edition's words, in place: "Vertrouwelijke bron", the item's
    date with its Dutch month, "§" for "sec.". Only what the house CSL
    writes is changed, never a title: a citation with formatting (a link, an
    emphasis) is left in the edition's words. A citation that is a note of
    its own (of a Dutch paragraph) is a generated note, in the edition's
    language."""

    def fn(node: dict[str, Any]) -> Any:
        if node["t"] != "Cite":
            return None
        content = node["c"][1]
        if not all(isinstance(x, dict) and x.get("t") in ("Str", "Space") for x in content):
            return None  # a note (the citation is one of its own), or formatting
        text = "".join(x["c"] if x["t"] == "Str" else " " for x in content)
        # either case: the label is lower case where no sentence starts (note_punctuation.py)
        text = re.sub(
            r"(^|; |zie |see )([Cc])onfidential source(?=,)",
            lambda m: m.group(1) + ("V" if m.group(2) == "C" else "v") + "ertrouwelijke bron",
            text,
        )
        text = _ISSUED.sub(lambda m: m.group(1) + _NL_MONTH[m.group(2)] + m.group(3), text)
        text = re.sub(r", secs?\. ", lambda m: ", §§ " if "secs" in m.group(0) else ", § ", text)
        out: list[Any] = []
        for k, word in enumerate(text.split(" ")):
            out += ([A.Space()] if k else []) + ([A.Str(word)] if word else [])
        node["c"][1] = out
        return node

    A.walk([unit], fn)
