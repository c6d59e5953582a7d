"""The load stage's codes: AB001-AB003, and AB008 (a chapter nested too deeply to read).

The loader reports AB001-AB003 itself (it cannot hand a half-read file on to
the rules), so they are registered without a rule function, for their
documentation and for the SARIF rule list.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..load.limits import MAX_BLOCKS, MAX_BRACKETS, MAX_EMPHASIS, MAX_UNCLOSED_COMMENTS, limits_of
from . import Context, Finding, Rule, RuleDoc, chapter, register, rule, yaml_in

register(
    Rule(
        "AB001",
        Severity.ERROR,
        "file unreadable, not UTF-8, or not valid YAML",
        None,
        "load",
        RuleDoc(
            finds="""
            A file of the report that cannot be read as text: it is empty, a
            directory or not a regular file, larger than `--max-file-size`,
            binary or not UTF-8, or outside the repository (a symlink or a `..`
            path leaves it); or a YAML or JSON file (report.yaml, tor.yaml, a
            bibliography file, a chapter's front matter) that does not parse,
            or has a mapping key that is a list, a mapping or empty (keys are
            always text as written: `NO:` is the key "NO", not false).
            The position is where the problem is, as far as it is known.
            Nothing else is checked in that file.
            """,
            why="""
            What cannot be read cannot be checked: an unreadable sources.yaml
            hides every source from the citation checks, an unreadable chapter
            hides its answers to the Terms of Reference. The report is not
            rendered from a guess.
            """,
            example=(
                yaml_in(
                    "sources.yaml",
                    """
                    - id: hrw-2024
                      type: report
                      author: [{literal: Human Rights Watch}]
                      title: World Report 2024: Testland
                      issued: 2024-01-11
                    """,
                ),
            ),
            fix="""
            Correct the file. A YAML value that contains `: ` (or starts with
            a character YAML reserves, such as `[`, `{`, `*`, `&`, `#`) goes
            between double quotes.
            """,
            fixed=(
                yaml_in(
                    "sources.yaml",
                    """
                    - id: hrw-2024
                      type: report
                      author: [{literal: Human Rights Watch}]
                      title: "World Report 2024: Testland"
                      issued: 2024-01-11
                    """,
                ),
                chapter("""
                ## Verkiezingen {tor="1.1"}

                De verkiezingen werden uitgesteld.[@hrw-2024]
                """),
            ),
        ),
    )
)

register(
    Rule(
        "AB002",
        Severity.ERROR,
        "report.yaml, tor.yaml or a source entry breaks its schema",
        None,
        "load",
        RuleDoc(
            finds="""
            report.yaml, tor.yaml, glossary.yaml, a chapter's front matter or a
            source entry with a field the format does not know, without a
            required field, or with a value of the wrong kind (an unknown
            `status`, a date that is not an ISO date, a question id used
            twice). The position is the offending key.
            """,
            why="""
            The metadata ends up on the cover, in the colofon and in the
            manifest that ties a published file to its text: a misspelt key
            would silently be ignored, a wrong status could let a draft pass
            for the established report.
            """,
            example=(yaml_in("report.yaml", "status: in-review\n"),),
            fix="""
            Use a field and a value the format knows (docs/format.md). The
            JSON Schemas in `schemas/` describe every field; an editor that
            reads the `# yaml-language-server: $schema=...` line shows these
            errors while typing.
            """,
            fixed=(yaml_in("report.yaml", "status: review  # concept | review | vastgesteld | gepubliceerd\n"),),
        ),
    )
)

register(
    Rule(
        "AB003",
        Severity.ERROR,
        "a chapter file is missing, or the report has none",
        None,
        "load",
        RuleDoc(
            finds="""
            A report directory, report.yaml, tor.yaml, a chapter that
            report.yaml lists or a bibliography file it names that does not
            exist, or a report without any chapter. Line and column are 0 when
            the finding is about a whole file or directory.
            """,
            why="""
            A chapter that is listed but missing is text the reviewers
            approved that would silently be left out of the published report.
            """,
            example=(
                yaml_in(
                    "report.yaml",
                    """
                    chapters:
                      - chapters/01-inleiding.md
                      - chapters/02-politiek.md
                      - chapters/03-mensenrechten.md
                    """,
                ),
            ),
            fix="""
            Create the chapter, or correct or remove its entry under
            `chapters:` (without `chapters:`, the report is every
            `chapters/*.md` in file name order).
            """,
            fixed=(
                yaml_in(
                    "report.yaml",
                    """
                    chapters:
                      - chapters/01-inleiding.md
                      - chapters/02-politiek.md
                    """,
                ),
            ),
        ),
    )
)


@rule(
    "AB008",
    Severity.ERROR,
    "chapter nested too deeply to be read in reasonable time (brackets, quotes, lists, emphasis, comments)",
    RuleDoc(
        finds=f"""
        A chapter with more than {MAX_BRACKETS} square brackets inside each
        other in one paragraph, block quotes, list items and `:::` blocks
        nested more than {MAX_BLOCKS} deep, emphasis (`*`, `_`) opened inside
        emphasis more than {MAX_EMPHASIS} times in one paragraph, or more than
        {MAX_UNCLOSED_COMMENTS} HTML comments (`<!--`) that are never closed.
        Reported once per kind and chapter: at the bracket or emphasis mark
        that passes the limit, at the text after the quote and list markers
        of the first line nested too deeply, at the first unclosed `<!--`.
        Code blocks and code spans do not count.
        """,
        why="""
        pandoc's time on these grows exponentially or quadratically: 20
        nested brackets or 10,000 nested `>` keep it busy for minutes, 200 KB
        of `<!--` for more than four. abuild does not give such a chapter to
        pandoc at all: the other checks read it with abuild's own scanner
        only, and it is not rendered. A real report nests three or four
        levels.
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De uitslag [zie [de [tabel [in [bijlage [2 [van [het [verslag]]]]]]]]] werd betwist.[@hrw-2025]
            """),
        ),
        fix="""
        Remove the brackets, quote marks or comment openers that were typed by
        accident; close every `<!--` with `-->`; write deeply nested lists
        as a table or as separate paragraphs.
        """,
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De uitslag (zie de tabel in bijlage 2 van het verslag) werd betwist.[@hrw-2025]
            """),
        ),
    ),
)
def too_deep(ctx: Context) -> Iterator[Finding]:
    for lc in ctx.report.chapters:
        for line, column, message in limits_of(lc.chapter.text):
            yield Finding(lc.file, line, column, message)
