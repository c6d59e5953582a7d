"""Claims rules (SPEC §5): every statement in a claims chapter is traceable."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..analyse.sentences import has_words, sentence_ends
from ..diagnostics import Severity
from ..load import LoadedChapter
from ..load.markdown import Block
from . import Context, Finding, RuleDoc, chapter, rule


def _claim_blocks(ctx: Context) -> Iterator[tuple[LoadedChapter, Block, dict[str, bool]]]:
    """(chapter, block, notes-that-cite) for paragraphs and items the rules apply to."""
    for lc in ctx.report.chapters:
        if not lc.meta.claims:
            continue
        notes = ctx.analysis.note_cites.get(lc.file, {})
        for b in lc.chapter.blocks:
            if b.kind in ("para", "item") and not ctx.analysis.is_exempt(b):
                yield lc, b, notes


def _cites(b: Block, notes: dict[str, bool]) -> bool:
    return bool(b.cites) or any(notes.get(r.label) for r in b.note_refs)


def _lead_in_covered(ctx: Context, lc: LoadedChapter, b: Block, notes: dict[str, bool]) -> bool:
    """Whether ``b`` ends with a colon and leads into a list whose items all
    cite: the list's citations cover the lead-in ("De volgende groepen lopen
    risico:")."""
    if not (b.lead_list and b.text.rstrip().endswith(":")):
        return False
    items = ctx.analysis.list_items.get(lc.file, {}).get(b.lead_list, [])
    return bool(items) and all(_cites(x, notes) for x in items)


@rule(
    "AB101",
    Severity.ERROR,
    "paragraph or list item in a claims chapter cites no source",
    RuleDoc(
        finds="""
        A paragraph or list item of a claims chapter that cites no source, in
        its text or in one of its footnotes. A paragraph (or list item) that
        ends with a colon and is directly followed by a list is covered when
        every item of that list cites. Chapters with `claims: false`,
        `::: geen-bron` and `::: intern` blocks and `.geen-informatie`
        sections are exempt.
        """,
        why="""
        An ambtsbericht is evidence: the IND bases asylum decisions on it and
        a court weighs it. A statement that cannot be traced to a source
        cannot be checked by the applicant's lawyer or defended by the
        ministry.
        """,
        example=(
            chapter("""
            ## Arrestaties van journalisten {tor="1.2"}

            In 2025 werden ten minste 23 journalisten gearresteerd.
            """),
        ),
        fix="""
        Cite the source the statement rests on. Text that needs no source (a
        reading guide, a definition) goes in a `::: geen-bron` block; a
        chapter without claims (introduction, method) gets `claims: false` in
        its front matter.
        """,
        fixed=(
            chapter("""
            ## Arrestaties van journalisten {tor="1.2"}

            In 2025 werden ten minste 23 journalisten gearresteerd.[@hrw-2025, p. 12]
            """),
        ),
    ),
)
def uncited_blocks(ctx: Context) -> Iterator[Finding]:
    for lc, b, notes in _claim_blocks(ctx):
        if _cites(b, notes) or _lead_in_covered(ctx, lc, b, notes):
            continue
        what = "list item" if b.kind == "item" else "paragraph"
        yield Finding(lc.file, b.line, b.column, f"{what} cites no source")


@rule(
    "AB102",
    Severity.ERROR,
    "sentence after the last citation of its paragraph",
    RuleDoc(
        finds="""
        A sentence that follows the last citation of its paragraph (or list
        item). Citations are `[@key]`, bare `@key`, and notes (`^[...]` or
        `[^n]`) that cite. The sentence a citation stands in is covered; the
        first sentence after the last one is reported. Sentence ends are found
        the Dutch way: not after an abbreviation (`o.a.`, `p.`, `nr.`), an
        initial or inside a number. As for AB101, a paragraph (or item) that
        ends with a colon and is directly followed by a list whose items all
        cite has its last sentence, the lead-in, covered by that list.
        """,
        why="""
        A citation covers what comes before it. A sentence after it reads as
        sourced but is not: in court, the ministry would have to defend a
        statement nobody can trace.
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            Op 1 maart 2025 vonden verkiezingen plaats.[@hrw-2025] De opkomst was laag.
            """),
        ),
        fix="Cite the sentence too, or move it before the citation that covers it.",
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            Op 1 maart 2025 vonden verkiezingen plaats. De opkomst was laag.[@hrw-2025]
            """),
        ),
    ),
)
def trailing_sentence(ctx: Context) -> Iterator[Finding]:
    for lc, b, notes in _claim_blocks(ctx):
        spans = list(b.cite_spans)
        spans += [(r.offset, r.offset + len(r.label) + 3) for r in b.note_refs if notes.get(r.label)]
        spans += [(n.offset, n.end) for n in b.inline_notes if n.cites]
        if not spans:
            continue  # AB101's business
        start, last = max(spans, key=lambda s: s[1])
        rest = _without_html(b, last)
        if _lead_in_covered(ctx, lc, b, notes):
            # the final sentence leads into a citing list: only what stands
            # between the last citation and that sentence can be uncited
            ends = [e for e in sentence_ends(rest) if has_words(rest[e:])]
            rest = rest[: ends[-1]] if ends else ""
        if not has_words(rest):
            continue
        if _closes_sentence(b.text[:start]):
            first_end = 0  # "... gearresteerd.[@a] Daarna ..." : all of the rest is uncited
        else:
            ends = sentence_ends(rest)
            if not ends:
                continue  # the citation stands inside the final sentence
            first_end = ends[0]
            if not has_words(rest[first_end:]):
                continue
        start = first_end
        while start < len(rest) and not (rest[start].isalnum() or rest[start] in _OPENERS):
            start += 1
        line, col = b.pos(last + start)
        snippet = " ".join(rest[start:].split())
        if len(snippet) > 60:
            snippet = snippet[:57] + "..."
        yield Finding(lc.file, line, col, f'sentence after the last citation of its paragraph: "{snippet}"')


_OPENERS = "'‘’\"“„«(["  # a sentence may start with these: point at them


def _without_html(b: Block, start: int) -> str:
    """The block's text from ``start`` with raw HTML blanked out (AB402 reports
    it; a closing ``</div>`` is not an uncited sentence). Offsets are kept."""
    text: str = b.text
    for r in b.raw_html:
        if r.end > start:
            text = text[: r.offset] + " " * (r.end - r.offset) + text[r.end :]
    # a span's attributes are no sentence: "[... gearresteerd.[@a]]{.nadruk}"
    # (and the English edition's "[...]{.untranslated lang=nl}")
    text = _SPAN_ATTRS.sub(lambda m: "]" + " " * (len(m.group(0)) - 1), text)
    return text[start:]


_SPAN_ATTRS = re.compile(r"\]\{[^{}\n]{0,1000}\}")


def _closes_sentence(before: str) -> bool:
    before = before[-200:].rstrip().rstrip("\"'”’)")
    return before.endswith((".", "!", "?", "…")) and bool(sentence_ends(before + " A"))
