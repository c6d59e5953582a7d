"""Structure rules: the Markdown is read the way the drafter meant it."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from . import Context, Finding, RuleDoc, chapter, rule


@rule(
    "AB004",
    Severity.ERROR,
    "fenced div (`:::`) opened but never closed",
    RuleDoc(
        finds="""
        A `:::` fence without its closing `:::`: it runs to the end of the
        chapter. The finding points at the opening fence.
        """,
        why="""
        After an unclosed `::: geen-bron` every following paragraph is
        silently exempt from the citation rules, and after an unclosed
        `::: intern` the rest of the chapter is never published: claims
        without a source, or answers to the Terms of Reference that the
        reader never gets.
        """,
        example=(
            chapter("""
            ::: geen-bron
            De namen van de provincies zijn in de Nederlandse spelling weergegeven.

            ## Verkiezingen {#sec-verkiezingen-2025 tor="1.1"}

            Op 1 maart 2025 vonden verkiezingen plaats.[@hrw-2025]
            """),
        ),
        fix="Close the div with a `:::` line where its text ends.",
        fixed=(
            chapter("""
            ::: geen-bron
            De namen van de provincies zijn in de Nederlandse spelling weergegeven.
            :::

            ## Verkiezingen {#sec-verkiezingen-2025 tor="1.1"}

            Op 1 maart 2025 vonden verkiezingen plaats.[@hrw-2025]
            """),
        ),
    ),
)
def unclosed_div(ctx: Context) -> Iterator[Finding]:
    for lc in ctx.report.chapters:
        for line, column, what in lc.chapter.unclosed:
            yield Finding(lc.file, line, column, f"{what} opened here is never closed (add a ':::' line)")
