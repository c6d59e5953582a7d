"""Citation rules: every key resolves, every own source is used."""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Collection, Iterator

from ..diagnostics import Severity
from . import Context, Finding, RuleDoc, chapter, rule, yaml_in


@rule(
    "AB104",
    Severity.ERROR,
    "citation key not in the bibliography",
    RuleDoc(
        finds="""
        A citation `[@key]` whose key is in none of the report's bibliography
        files (sources.yaml, bibliography/*.yaml, or the files report.yaml
        lists). A source entry that breaks the schema (AB002, say an
        impossible `issued` date) still counts as in the bibliography. The
        message suggests up to three existing keys that look
        like it ("did you mean @hrw-2025?"). Not checked while a bibliography
        file is unreadable (AB001).
        """,
        why="""
        A citation that resolves to nothing prints as a bare key: the reader,
        the IND and the court see a claim whose source they cannot find.
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De verkiezingen werden uitgesteld.[@hrw-2024]
            """),
        ),
        fix="Correct the key, or add the source to `sources.yaml` (or the shared `bibliography/`).",
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De verkiezingen werden uitgesteld.[@hrw-2025]
            """),
        ),
    ),
)
def unknown_key(ctx: Context) -> Iterator[Finding]:
    if ctx.report.bib_failed:
        return  # a bibliography file could not be read (AB001/AB003 say so): any key may be in it
    known = ctx.report.source_index()
    hints: dict[str, str] = {}  # per unknown key: a report cites a misspelt key many times
    suggester: Suggester | None = None
    for lc, c in ctx.analysis.cites:
        if c.key not in known and c.key not in ctx.report.broken_ids:
            if c.key not in hints:
                suggester = suggester or Suggester(known)
                hints[c.key] = suggester.hint(c.key)
            yield Finding(lc.file, c.line, c.column, f"citation key @{c.key} is not in the bibliography{hints[c.key]}")


def did_you_mean(key: str, known: Collection[str]) -> str:
    """``"; did you mean @a, @b or @c?"`` for up to three keys like ``key``, or ``""``."""
    return Suggester(known).hint(key)


class Suggester:
    """Existing keys like a misspelt one, case aside (``@HRW-2025`` finds ``@hrw-2025``).

    difflib's ratio decides, but comparing a key with every key of a large
    bibliography is slow when many keys are unknown (a bibliography file
    renamed, say): the keys sharing most pairs of letters with it are
    found first, with set operations, and only those are compared."""

    SHORTLIST = 12

    def __init__(self, known: Collection[str]):
        self.folded: dict[str, list[str]] = {}
        for k in known:
            self.folded.setdefault(k.casefold(), []).append(k)
        self.pairs = [(f, _pairs(f)) for f in self.folded]

    def hint(self, key: str) -> str:
        names = self.similar(key)
        if not names:
            return ""
        shown = [f"@{k}" for k in names]
        listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
        return f"; did you mean {listed}?"

    def similar(self, key: str) -> list[str]:
        folded = key.casefold()
        mine = _pairs(folded)
        scored = heapq.nlargest(
            self.SHORTLIST, ((len(mine & theirs) / (len(mine) + len(theirs)), f) for f, theirs in self.pairs)
        )
        shortlist = [f for score, f in scored if score > 0]
        matches = difflib.get_close_matches(folded, shortlist, n=3, cutoff=0.75)
        return [k for m in matches for k in sorted(self.folded[m])][:3]


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


@rule(
    "AB105",
    Severity.WARNING,
    "source in the bibliography never cited",
    RuleDoc(
        finds="""
        A source in the report's own bibliography (sources.yaml or a file
        report.yaml lists) that no chapter cites. The repository's shared
        `bibliography/` library is exempt: other reports use it.
        """,
        why="""
        The source list of an ambtsbericht says what the report rests on. A
        source that is listed but never cited suggests a claim that lost its
        citation, or pads the list with what the report does not use.
        """,
        example=(
            yaml_in(
                "sources.yaml",
                """
                - id: ai-2025
                  type: report
                  author: [{literal: Amnesty International}]
                  title: Testland 2025
                  issued: 2025-04-29
                """,
            ),
        ),
        fix="Cite the source where the report relies on it, or remove it from `sources.yaml`.",
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De verkiezingen werden uitgesteld.[@ai-2025, p. 7]
            """),
        ),
    ),
)
def uncited_source(ctx: Context) -> Iterator[Finding]:
    if ctx.report.chapters_failed:
        return  # an unreadable chapter may cite them
    cited = ctx.analysis.cited_keys
    for s in ctx.report.sources:
        if not s.shared and s.source.id not in cited:
            line, col = s.pos("id")
            yield Finding(s.file, line, col, f"{s.label} is never cited")
