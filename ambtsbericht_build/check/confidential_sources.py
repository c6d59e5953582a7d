"""Confidential sources: a confidential source prints only "Vertrouwelijke
bron, <date>", so it carries no public identifying field (AB301), declares its
confidentiality only where abuild can enforce it (AB305), declares it
unambiguously (AB303), and has a plain date (AB304). Every one of these is a
confidentiality finding: it refuses every render."""

from __future__ import annotations

from collections.abc import Iterator

from ..confidentiality import plain_date
from ..diagnostics import Severity
from . import Context, Finding, RuleDoc, Snippet, chapter, rule, yaml_in
from .sources import has_field

IDENTIFYING = ("author", "editor", "title", "URL", "DOI", "publisher", "container-title", "note", "abstract")


@rule(
    "AB301",
    Severity.ERROR,
    "confidential source with public identifying fields (author, title, URL)",
    RuleDoc(
        finds="""
        A source with `confidential: true` that has a field which identifies
        it (author, editor, title, URL, DOI, publisher, container-title,
        note, abstract) in its CSL item.
        """,
        why="""
        A confidential source is printed only as "Vertrouwelijke bron,
        4 november 2025". Its identity must never leak: a named contact or
        organisation can be traced, and a person who spoke to the embassy can
        be endangered.
        """,
        example=(
            yaml_in(
                "sources.yaml",
                """
                - id: vb-2025-12-01
                  type: interview
                  confidential: true
                  author: [{literal: medewerker VN-organisatie}]
                  issued: 2025-12-01
                """,
            ),
        ),
        fix="""
        Move what the drafters need to know under `internal`, which is never
        printed in any output.
        """,
        fixed=(
            yaml_in(
                "sources.yaml",
                """
                - id: vb-2025-12-01
                  type: interview
                  confidential: true
                  issued: 2025-12-01
                  internal:
                    who: medewerker VN-organisatie
                    archief: AMB-TL/2025/1201
                """,
            ),
            chapter("""
            ## Veiligheid {tor="1.2"}

            Een vertrouwelijke bron meldde gevechten in het zuiden.[@vb-2025-12-01]
            """),
        ),
    ),
    confidentiality=True,
)
def identifying_confidential(ctx: Context) -> Iterator[Finding]:
    for s in ctx.report.sources:
        if not s.source.confidential or s.foreign_declaration:  # AB305 says what to do with those
            continue
        for key in IDENTIFYING:
            if has_field(s.raw, key):
                line, col = s.pos(key)
                # the place says which source; its key may say too much (CI logs)
                yield Finding(
                    s.file, line, col, f"confidential source has public field {key!r}; move it under 'internal'"
                )


@rule(
    "AB305",
    Severity.ERROR,
    "`confidential` or `internal` in a BibTeX or CSL-JSON entry, where abuild cannot enforce it",
    RuleDoc(
        finds="""
        A `confidential` or `internal` field in an entry of a BibTeX (`.bib`)
        or CSL-JSON (`.json`) bibliography file. Only a CSL YAML file
        (`sources.yaml`, `bibliography/*.yaml`) can declare a source
        confidential. The entry is treated as confidential meanwhile.
        """,
        why="""
        pandoc converts BibTeX without a word about fields it does not know:
        `confidential = {true}` and `internal = {...}` vanish, and the source
        prints in full, title and author included. abuild declares
        confidentiality only where it reads and enforces it.
        """,
        example=(
            yaml_in("report.yaml", "bibliography: [sources.yaml, bibliography/bronnen.bib]"),
            Snippet(
                "bibliography/bronnen.bib",
                "@misc{vb-2025-10-14,\n  title = {Gesprek met een waarnemer},\n"
                "  confidential = {true},\n  year = {2025}\n}\n",
            ),
            chapter("""
            ## Veiligheid {tor="1.2"}

            Een vertrouwelijke bron meldde gevechten in het zuiden.[@vb-2025-10-14]
            """),
        ),
        fix="""
        Move the entry into the report's `sources.yaml` (a CSL YAML list)
        with `confidential: true`, and what identifies the source under
        `internal`.
        """,
        fixed=(
            yaml_in("report.yaml", "bibliography: [sources.yaml]"),
            yaml_in(
                "sources.yaml",
                """
                - id: vb-2025-10-14
                  type: interview
                  confidential: true
                  issued: 2025-10-14
                  internal:
                    who: waarnemer, gesprek op de ambassade
                    archief: AMB-TL/2025/1014
                """,
            ),
        ),
    ),
    confidentiality=True,
)
def foreign_declaration(ctx: Context) -> Iterator[Finding]:
    for s in ctx.report.sources:
        for key, line, col in s.foreign_declaration:
            kind = "BibTeX" if s.file.suffix == ".bib" else "CSL-JSON"
            yield Finding(
                s.file,
                line,
                col,
                f"{key!r} in a {kind} entry is not read by pandoc (the source would print in full):"
                " put the entry in a CSL YAML file such as sources.yaml",
            )


@rule(
    "AB303",
    Severity.ERROR,
    "`confidential` that is not true or false, or `internal` that is not a mapping",
    RuleDoc(
        finds="""
        A source whose `confidential` is neither true nor false (`ja`,
        `nee`, `n`, `2`, a list) or whose `internal` is not a mapping of
        fields (a text, a list). `true`, `yes`, `on`, `1` and `false`, `no`,
        `off`, `0` are read (docs/format.md §1.1). Until it is corrected the
        source is treated as confidential: its key is renamed, it prints as
        "Vertrouwelijke bron" and the audit looks for every value of it.
        """,
        why="""
        What the drafter meant is not clear, and guessing "public" could
        print an informant's name. So abuild guesses "confidential", and no
        render goes ahead until the drafter says which it is.
        """,
        example=(
            yaml_in(
                "sources.yaml",
                """
                - id: vb-2025-12-01
                  type: interview
                  confidential: ja
                  issued: 2025-12-01
                  internal: medewerker VN-organisatie
                """,
            ),
            chapter("""
            ## Veiligheid {tor="1.2"}

            Een vertrouwelijke bron meldde gevechten in het zuiden.[@vb-2025-12-01]
            """),
        ),
        fix="Write `confidential: true` (or `false`), and put internal notes in named fields under `internal`.",
        fixed=(
            yaml_in(
                "sources.yaml",
                """
                - id: vb-2025-12-01
                  type: interview
                  confidential: true
                  issued: 2025-12-01
                  internal:
                    who: medewerker VN-organisatie
                    archief: AMB-TL/2025/1201
                """,
            ),
        ),
    ),
    confidentiality=True,
)
def bad_declaration(ctx: Context) -> Iterator[Finding]:
    for s in ctx.report.sources:
        for key, message in s.bad_declaration:
            line, col = s.pos(key)
            yield Finding(s.file, line, col, message)


@rule(
    "AB304",
    Severity.ERROR,
    "confidential source whose `issued` is not a plain date (a `literal`, `raw` or worded date)",
    RuleDoc(
        finds="""
        A confidential source whose `issued` is anything but a plain date:
        an ISO date (`2025-11-04`), month (`2025-11`) or year (`2025`),
        `undated`, or CSL `date-parts` of numbers. A `literal` or `raw`
        date, or text, is refused.
        """,
        why="""
        A confidential source prints as "Vertrouwelijke bron, <date>" and
        nothing else. A literal date prints as written: "3 maart 2025, hotel
        Centraal" tells the reader where the meeting was. The render prints
        such a source as "Vertrouwelijke bron, ongedateerd".
        """,
        example=(
            yaml_in(
                "sources.yaml",
                """
                - id: vb-2025-03-03
                  type: interview
                  confidential: true
                  issued: {literal: "3 maart 2025, hotel Centraal"}
                """,
            ),
            chapter("""
            ## Veiligheid {tor="1.2"}

            Een vertrouwelijke bron meldde gevechten in het zuiden.[@vb-2025-03-03]
            """),
        ),
        fix="Write the date only; where the conversation took place goes under `internal`.",
        fixed=(
            yaml_in(
                "sources.yaml",
                """
                - id: vb-2025-03-03
                  type: interview
                  confidential: true
                  issued: 2025-03-03
                  internal:
                    where: hotel Centraal
                    archief: AMB-TL/2025/0303
                """,
            ),
        ),
    ),
    confidentiality=True,
)
def confidential_date(ctx: Context) -> Iterator[Finding]:
    for s in ctx.report.sources:
        if not s.source.confidential or s.raw.get("issued") is None or plain_date(s.raw.get("issued")):
            continue
        line, col = s.pos("issued")
        yield Finding(
            s.file,
            line,
            col,
            "a confidential source's 'issued' must be a plain date (2025-11-04, 2025-11, 2025 or undated):"
            " it prints beside 'Vertrouwelijke bron'",
        )
