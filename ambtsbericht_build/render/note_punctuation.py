"""Notes that explain and then cite: the punctuation between the text and
the reference, and the case of the confidential-source label after text
(docs/house-style.md, "Notes that explain and cite")."""

from __future__ import annotations

from typing import Any

from . import ast as A
from .ast import Node

# A note that explains and then cites ("Dit zeiden ook anderen [@vb]."):
# citeproc prints the reference straight after the text ("... anderen
# Vertrouwelijke bron, 4 november 2025."), which reads as one garbled
# sentence. The house style (docs/house-style.md, "Notes that explain and
# cite") makes the reference a sentence of its own, or, in a sentence that
# refers the reader ("Zie voor een breder beeld [@x]."), puts a colon before it.
# Left as written: a citation right after a word that introduces it ("zie",
# "volgens", "in"), after punctuation the drafter chose ("...; [@x]"), or
# followed by more text.
INTRODUCERS = {
    "nl": frozenset(
        "zie ook vgl. vergelijk volgens aldus in bij door van uit naar met over en of dan als bron bron: bronnen: "
        "onder meer o.a. bijvoorbeeld bijv. bv. zoals citaat geciteerd".split()
    ),
    "en": frozenset(
        "see also cf. compare according to in by from of and or as source: sources: e.g. i.e. for example "
        "such quoted".split()
    ),
}
REFERRERS = {"nl": ("zie", "vgl.", "vergelijk"), "en": ("see", "cf.", "compare")}
# The label a confidential source is printed with (render/csl_items.py) is a
# common noun, not a name: it has its capital only where a sentence starts
# (a note's first word, after a full stop), as "zie vertrouwelijke bron, 9
# maart 2026" and "...; vertrouwelijke bron, 3 juni 2025" (the example's
# notes 168 and 248 printed "zie Vertrouwelijke bron"). Both languages'
# labels: an English edition prints "Confidential source" in a Dutch note too.
LABEL_WORDS = (("Vertrouwelijke", "bron"), ("Confidential", "source"))


def punctuate_note_references(blocks: list[Any], lang: str) -> None:
    """The rules above (the punctuation, the label's case), on every note, in place."""

    def para(inl: list[Any], lang: str) -> None:
        base = "en" if lang.lower().startswith("en") else "nl"
        last = next((x for x in reversed(inl) if x.get("t") not in ("Space", "SoftBreak")), None)
        if last is not None and last.get("t") == "Span":
            # a note left in Dutch in an English edition is one Span
            # (render/untranslated.py): the rule in the Span, in its language
            attrs = dict(last["c"][0][2])
            para(last["c"][1], attrs.get("lang", lang))
            return
        at = next((i for i in range(len(inl) - 1, -1, -1) if inl[i].get("t") == "Cite"), None)
        if at is None or at < 2 or inl[at - 1].get("t") not in ("Space", "SoftBreak"):
            return
        after = A.stringify(inl[at + 1 :])
        if after.strip(".!?…)]\"'”’ "):
            return  # more text follows the citation
        before = A.stringify(inl[: at - 1])
        if not before or not before[-1].isalnum() or _last_word(before) in INTRODUCERS[base]:
            return
        start = _sentence_start(before)
        if start.startswith(REFERRERS[base]):
            mark = ":"
        else:
            mark = "."
            _capitalise(inl[at]["c"][1])
        prev = inl[at - 2]
        if prev.get("t") == "Str":
            prev["c"] += mark
        else:
            inl.insert(at - 1, A.Str(mark))

    def fn(node: Node) -> Any:
        if node["t"] == "Note":
            for b in node["c"]:
                if b.get("t") in ("Para", "Plain"):
                    para(b["c"], lang)
                    _label_case(b["c"], sentence_start=True, generated=False)
        elif node["t"] == "Cite":
            # a citation in the text: citeproc made its note, all of it the style's text
            for note in (x for x in node["c"][1] if x.get("t") == "Note"):
                for b in note["c"]:
                    if b.get("t") in ("Para", "Plain"):
                        _label_case(b["c"], sentence_start=True, generated=True)
        return None

    A.visit(blocks, fn)


def _label_case(inl: list[Any], sentence_start: bool, generated: bool) -> bool:
    """Lower-case the confidential-source label where no sentence starts, in
    the Cites of ``inl`` (a note's text), or anywhere when ``generated`` (a
    note citeproc wrote); returns whether a sentence starts after ``inl``."""
    from ..analyse.sentences import word_ends_sentence

    for i, node in enumerate(inl):
        t = node.get("t")
        if t == "Str":
            if generated and not sentence_start and _is_label(inl, i):
                node["c"] = node["c"][:1].lower() + node["c"][1:]
            sentence_start = word_ends_sentence(node["c"])
        elif t == "Cite":
            sentence_start = _label_case(node["c"][1], sentence_start, generated=True)
        elif t in ("Span", "Emph", "Strong", "Quoted"):
            kids = node["c"][1] if t in ("Span", "Quoted") else node["c"]
            sentence_start = _label_case(kids, sentence_start, generated)
        elif t not in ("Space", "SoftBreak", "LineBreak"):
            sentence_start = False
    return sentence_start


def _is_label(inl: list[Any], j: int) -> bool:
    """Whether the label's words start at ``inl[j]`` ("Vertrouwelijke", a
    space, "bron," or "bron")."""
    if j + 2 >= len(inl) or inl[j + 1].get("t") != "Space" or inl[j + 2].get("t") != "Str":
        return False
    first, second = inl[j]["c"], inl[j + 2]["c"].rstrip(",.;")
    return (first, second) in LABEL_WORDS


def _last_word(text: str) -> str:
    return text.split()[-1].casefold() if text.split() else ""


def _sentence_start(text: str) -> str:
    """The first word of the last sentence of ``text``, lower case."""
    from ..analyse.sentences import word_ends_sentence

    words = text.split()
    start = 0
    for i, w in enumerate(words[:-1]):
        if word_ends_sentence(w):
            start = i + 1
    return " ".join(words[start:]).casefold()


def _capitalise(inlines: list[Any]) -> None:
    """The first letter of a reference that now starts a sentence, upper case."""
    for node in inlines:
        if node.get("t") == "Str":
            node["c"] = node["c"][:1].upper() + node["c"][1:]
            return
        if node.get("t") in ("Span", "Emph", "Strong"):
            _capitalise(node["c"][1] if node["t"] == "Span" else node["c"])
            return
