"""The allow list cannot allow what is never public (AB410).

``public_terms`` in report.yaml lets a term of an internal field be printed
(a town, a party, the country): AB302's message suggests it for a term that
is public. A drafter who meets AB302 on a code name, a reference number, a
phone number or an e-mail address and puts it there has silenced the check,
the render's audit and ``abuild audit`` at once (red team pass 4, P01: the
code name printed in all four formats, every command at exit 0). Those
pieces identify a person or a file and are never public: an entry that
allows one is refused.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..load import LoadedReport
from ..publish.fingerprint import CODE_NAME, EMAIL, NUMBER, QUOTED, REFERENCE, fingerprints, token_seq
from ..publish.forbidden import secret_fields
from . import Context, Finding, RuleDoc, chapter, rule, yaml_in

# the pieces no allow list may allow: what a name of a person or a file is
NEVER_PUBLIC = frozenset({CODE_NAME, QUOTED, REFERENCE, NUMBER, EMAIL})


def _covers(term: tuple[str, ...], piece: tuple[str, ...]) -> bool:
    """Does the allowed term allow ``piece``: the same words, or a longer
    name that holds them (publish/fingerprint.py allows a piece of one)."""
    k = len(piece)
    return any(term[i : i + k] == piece for i in range(len(term) - k + 1))


@rule(
    "AB410",
    Severity.ERROR,
    "an entry of `public_terms` allows a code name, reference number, number or e-mail address of a secret",
    RuleDoc(
        finds="""
        An entry of `public_terms` in `report.yaml` that is, or holds, a
        code name (quoted, or recorded as a name: `codenaam: Kompas`), a
        reference number, a number of five digits or more or an e-mail
        address of an `internal` field (or an unprinted field of a
        confidential source). The finding points at the entry and names
        the source and the field, never the value.
        """,
        why="""
        `public_terms` switches a term off for the check (AB302), the
        render's audit and `abuild audit` at once, so that a public town
        or party named in an internal note can be printed. A code name, a
        reference number, a phone number or an e-mail address is never
        public: it points at a person or a file. Allowing one publishes
        the informant's name in every format while every command exits 0.
        """,
        example=(
            yaml_in(
                "sources.yaml",
                """
                - id: vb-2025-12-01
                  type: interview
                  confidential: true
                  issued: 2025-12-01
                  internal:
                    who: contact 'Kwartel', havenpolitie Noordkaap
                    archief: AMB-TL/2025/1201
                """,
            ),
            yaml_in("report.yaml", "public_terms: [Noordkaap, Kwartel]"),
            chapter("""
            ## Veiligheid {tor="1.2"}

            In Noordkaap waren gevechten, zei Kwartel.[@vb-2025-12-01]
            """),
        ),
        fix="""
        Remove the entry, and rephrase the text that printed it: the source
        is cited as "Vertrouwelijke bron". Only words that are public
        although an internal note uses them (a town, a region, a party, the
        country) belong on the list. A term that is public after all (a
        newspaper's name) must not be recorded as a name in the internal
        note: write it there without quotes and not under a name key.
        """,
        fixed=(
            yaml_in("report.yaml", "public_terms: [Noordkaap]"),
            chapter("""
            ## Veiligheid {tor="1.2"}

            In Noordkaap waren gevechten.[@vb-2025-12-01]
            """),
        ),
    ),
    confidentiality=True,
)
def public_term_allows_an_identifier(ctx: Context) -> Iterator[Finding]:
    from .memo import FINDINGS, report_part

    # it reads report.yaml and the sources only: kept while they are the
    # same (check/memo.py; 0.04 s of CPU on the benchmark report's 6 entries)
    yield from report_part("AB410", ctx.report, lambda: tuple(_allowed(ctx.report)), FINDINGS)


def _allowed(lr: LoadedReport) -> Iterator[Finding]:
    if lr.report is None or lr.report_doc is None or not lr.report.public_terms:
        return
    # the entries by each of their words: a print is compared with the
    # entries that hold its first word only (50,000 entries: 25 s otherwise)
    by_word: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for i, t in enumerate(lr.report.public_terms):
        seq = token_seq(t)
        for w in dict.fromkeys(seq):
            by_word.setdefault(w, []).append((i, seq))
    seen: set[tuple[int, str, str]] = set()
    for f in secret_fields(lr):
        for p in fingerprints(f.value, frozenset(), f.label):
            if p.what not in NEVER_PUBLIC:
                continue
            for i, seq in by_word.get(p.tokens[0], ()) if p.tokens else ():
                if (i, f.source, f.field) in seen or not _covers(seq, p.tokens):
                    continue
                seen.add((i, f.source, f.field))
                line, col = lr.report_doc.positions.of(("public_terms", i))
                field = f.field.removeprefix("internal.")
                yield Finding(
                    lr.report_doc.file,
                    line,
                    col,
                    f"public_terms[{i}] allows a {p.what} from internal field {field} of source {f.source}:"
                    " a code name, reference number, number or e-mail address is never public (remove the entry"
                    " and rephrase the text that prints it; a term that is public after all must not be recorded"
                    " as a name, in quotes or under a name key, in the internal note)",
                )
