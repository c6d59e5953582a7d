"""Abbreviations the list of abbreviations does not explain (AB506).

The list of abbreviations (the annex printed from ``glossary.yaml``) is where
a reader looks up "TOELT" or "NKC". An abbreviation the text uses and the
list lacks sends that reader nowhere: the example report named "IND, TOELT"
as the requester and listed only IND (page read for issue #11).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..diagnostics import Severity
from ..load import LoadedChapter
from ..load.markdown.model import Block
from . import Context, Finding, RuleDoc, chapter, rule, yaml_in

# a word of two to 15 capital letters, digits allowed ("VN", "UNHCR",
# "G77S"), and a plural or possessive "s" after it ("NGOs", "NGO's"): not a
# piece of a longer word ("VN" in "VNorg" is no abbreviation, "VN" in
# "VN-organisatie" is). The longest in the example report has 6 letters; a
# longer run of capitals is no abbreviation, and the bound keeps the scan of
# a line of 200,000 capitals linear (red team pass 6)
_ABBR = re.compile(r"(?<![\w@])((?=(?:\d*[A-Z]){2})[A-Z][A-Z0-9]{1,14})(?:s\b|(?![\w]))")
# what needs no entry in the list (a reader knows it, or it is no
# abbreviation): units, in capitals as they are written in running text
# ("12 MB", "9 AM"), and the ISO 4217 codes of currencies ("USD", "NOK")
_UNITS = "KB MB GB TB PB KBPS MBPS GBPS KM CM MM KG KW MW GW KWH MWH GWH MHZ GHZ KHZ AM PM BCE CE"
_CURRENCIES = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF "
    "CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD "
    "HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD "
    "MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN "
    "PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY "
    "TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL"
)
_NO_ENTRY = frozenset((_UNITS + " " + _CURRENCIES).split())
# a chemical formula: the one-letter element symbols and at least one digit
# ("CO2", "H2O", "NO2", "CH4"); "G77" is no formula (no element G)
_FORMULA = re.compile(r"(?=[A-Z]*\d)[HBCNOFPSKVYIWU0-9]+")
# a word of the text, for runs of words in capitals
_WORD = re.compile(r"[^\W_]+")
_SHOUTED = 3  # a word in a run of at least 3 words in capitals is a heading, a slogan, a name: no abbreviation
_ROMAN = re.compile(r"M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# the markers AB502 reports ("TODO: opkomst"), not abbreviations
_MARKERS = frozenset({"TODO", "FIXME", "XXX"})
# what is not read as words: inline code, a link (its text too: "[verslag van
# HRW](https://...)" names its target) and an autolink or URL, a citation,
# attributes, raw HTML and comments
_NOT_TEXT = re.compile(
    r"`+[^`]*`+"  # code
    r"|<!--.{0,4096}?-->"  # a comment
    # a link or image, its target; a pattern that may fail after a long
    # span is bounded (each start reads at most 2,048 characters), else a
    # line of 200,000 characters took 104 s (red team pass 6)
    r"|!?\[[^\[\]]*\]\([^)]{0,2048}\)|\]\([^)]{0,2048}\)"
    r"|<[a-zA-Z][^<>]*>"  # an autolink, raw HTML
    r"|\b(?:https?|ftp)://\S+|\bwww\.\S+"  # a bare URL
    r"|(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}"  # an e-mail address, from a word's start
    r"|\[[^\[\]]*@[^\[\]]*\]|(?<![\w])@[\w:.#$%&+?<>~/-]+"  # a citation
    r"|\{[^{}]*\}"  # attributes
)


def abbreviations_in(text: str, terms: re.Pattern[str] | None = None) -> Iterator[tuple[int, str]]:
    """(offset, abbreviation) of each abbreviation in Markdown ``text``;
    ``terms``: the glossary's terms with a "-" or "/" (:func:`terms_pattern`),
    whose capitals are explained where the whole term is written."""
    if not any("A" <= c <= "Z" for c in text):
        return
    # the candidates first, the spans that are not text only when there is
    # one: most blocks have none, and the spans (the words in capitals
    # above all) cost more than the candidates (the benchmark report's
    # blocks: abbreviations_in 0.113 s -> 0.089 s, median of 5, with the
    # regex below)
    found = [
        (m.start(), word)
        for m in _ABBR.finditer(text)
        if not (
            (word := m.group(1)) in _MARKERS or word in _NO_ENTRY or _ROMAN.fullmatch(word) or _FORMULA.fullmatch(word)
        )
    ]
    if not found:
        return
    cut = [(m.start(), m.end()) for m in _NOT_TEXT.finditer(text)]
    if terms is not None:
        cut += [(m.start(), m.end()) for m in terms.finditer(text)]
    cut = sorted(cut + _shouted(text))
    i = 0
    for start, word in found:
        while i < len(cut) and cut[i][1] <= start:
            i += 1
        if i < len(cut) and cut[i][0] <= start:
            continue
        yield start, word


def _shouted(text: str) -> list[tuple[int, int]]:
    """The runs of at least :data:`_SHOUTED` words in capitals on one line
    ("DE OPPOSITIE WON"): a heading or a slogan in capitals, whose words are
    no abbreviations."""
    if text.isascii() or not _WORD_BEYOND_ASCII.search(text):
        return [m.span() for m in _SHOUTED_ASCII.finditer(text)]
    return _shouted_words(text) if _MAYBE_SHOUTED.search(text) else []


# :func:`_shouted_words` as one regex, for text whose words are ASCII (a
# word is then a run of [A-Za-z0-9], and a word in capitals one with a
# capital and no small letter; other characters, curly quotes and dashes
# included, only separate them): at C speed instead of a Python step per
# word (_shouted of every block of the benchmark report: 0.027 -> 0.017 s)
_WORD_BEYOND_ASCII = re.compile(r"[^\W\x00-\x7f]")
# in any other text: three words in a row, on one line, without a small a-z
# letter (the words in capitals are such words); where there are none, no
# word needs its own test
_NO_ASCII_SMALL = r"(?<![^\W_])[^\W_a-z]+(?![^\W_])"
_MAYBE_SHOUTED = re.compile(f"{_NO_ASCII_SMALL}(?:(?:[^\\w\\n]|_)*{_NO_ASCII_SMALL}){{{_SHOUTED - 1}}}")
_CAPITALS_WORD = r"(?<![A-Za-z0-9])[0-9]*[A-Z][A-Z0-9]*(?![A-Za-z0-9])"
_SHOUTED_ASCII = re.compile(f"{_CAPITALS_WORD}(?:[^A-Za-z0-9\\n]*{_CAPITALS_WORD}){{{_SHOUTED - 1},}}")


def _shouted_words(text: str) -> list[tuple[int, int]]:
    """:func:`_shouted`, one pass over the words (any text)."""
    out: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        w = m.group()
        # (ASCII has no title-case letter: isupper() is the test below at C
        # speed: the benchmark report's chapters 0.057 s -> 0.022 s)
        capitals = w.isupper() if w.isascii() else not any(c.islower() for c in w) and any(c.isupper() for c in w)
        if capitals and run and "\n" not in text[run[-1][1] : m.start()]:
            run.append(m.span())
            continue
        if len(run) >= _SHOUTED:
            out.append((run[0][0], run[-1][1]))
        run = [m.span()] if capitals else []
    if len(run) >= _SHOUTED:
        out.append((run[0][0], run[-1][1]))
    return out


def terms_pattern(explained: Iterable[str]) -> re.Pattern[str] | None:
    """The glossary's terms written with a "-" or "/" ("COVID-19",
    "SARS-CoV-2", "DAF/MM"), each as a whole token of the text."""
    terms = sorted({t for t in explained if re.search(r"[-/]", t) and t.strip()}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile(r"(?<![\w/-])(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)")


def _explained(glossary: dict[str, str]) -> set[str]:
    """The glossary's abbreviations, and each without the signs around it
    ("LHBTIQ+" explains "LHBTIQ")."""
    out = set()
    for key in glossary:
        if isinstance(key, str):
            out.add(key.strip())
            out.add(re.sub(r"^\W+|\W+$", "", key.strip()))
    return out


@rule(
    "AB506",
    Severity.WARNING,
    "an abbreviation that the list of abbreviations (glossary.yaml) does not explain",
    RuleDoc(
        finds="""
        A word of two to 15 capital letters, digits allowed (`VN`,
        `UNHCR`, `TOELT`, also in `VN-organisatie` and `NGO's`), in the public
        text of a chapter (headings, paragraphs, notes, captions, tables;
        not `::: intern` notes, code, link targets, citations or
        attributes) or in the printed text of `tor.yaml` (title, requester,
        themes, questions), that `glossary.yaml` does not list. A Roman
        numeral (`II`, `XIV`) and a `TODO`, `FIXME` or `XXX` marker (AB502)
        are no abbreviations, nor are: a word in a run of three or more
        words in capitals on one line (a heading or slogan: `DE OPPOSITIE
        WON`), a chemical formula (`CO2`, `H2O`), a unit written in capitals
        (`KB`, `MB`, `GB`, `TB`, `KM`, `CM`, `MM`, `KG`, `KW`, `KWH`, `MHZ`,
        `AM`, `PM`, ...) and an ISO 4217 currency code (`USD`, `EUR`,
        `NOK`). A glossary term with a `-` or `/` (`COVID-19`, `DAF/MM`)
        explains the capitals in it where the whole term is written. The
        message never quotes a confidential value (a code name in capitals
        shows as `[vertrouwelijk]`). Reported once per abbreviation per file, where
        it is first used. A report without `glossary.yaml` (`abuild new`
        writes one) has no list to complete and is not read.
        """,
        why="""
        The list of abbreviations is where a reader (a lawyer, a judge, an
        IND officer) looks up what an abbreviation stands for. One used in
        the text and missing from the list leaves that reader guessing, and
        the HTML cannot explain it when the mouse is on it.
        """,
        example=(
            yaml_in("glossary.yaml", "HRW: Human Rights Watch\n"),
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De NKC maakte de uitslag op 3 maart 2025 bekend.[@hrw-2025]
            """),
        ),
        fix="""
        Add the abbreviation and its full form to `glossary.yaml`, or write
        it out in the text.
        """,
        fixed=(yaml_in("glossary.yaml", "HRW: Human Rights Watch\nNKC: Nationale Kiescommissie\n"),),
    ),
)
def unexplained_abbreviation(ctx: Context) -> Iterator[Finding]:
    if ctx.report.glossary_doc is None:
        return  # no list of abbreviations to complete (`abuild new` writes one)
    explained = _explained(ctx.report.glossary)
    terms = terms_pattern(explained)
    redact = _Redact(ctx)
    from .memo import FINDINGS, chapter_part

    def walk(lc: LoadedChapter) -> tuple[Finding, ...]:
        first: dict[str, tuple[int, int]] = {}
        for b in lc.chapter.all_blocks():
            if b.kind == "code" or (b.div is not None and b.div.intern):
                continue
            for abbr, pos in _in_block(b, terms):
                if abbr not in explained and (abbr not in first or pos < first[abbr]):
                    first[abbr] = pos
        return tuple(_findings(lc.file, first, redact))

    for lc in ctx.report.chapters:  # the preview walks only the chapters an edit changed (check/memo.py)
        yield from chapter_part("AB506", ctx.report, lc, lambda lc=lc: walk(lc), FINDINGS)  # type: ignore[misc]
    yield from _in_tor(ctx, explained, terms, redact)


class _Redact:
    """check/confidential.py's redactor of the report, made when a first
    finding is written (the secrets are read once)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.redact: Callable[[str], str] | None = None

    def __call__(self, text: str) -> str:
        if self.redact is None:
            from .confidential import redactor

            self.redact = redactor(self.ctx.report)
        return self.redact(text)


def _in_block(b: Block, terms: re.Pattern[str] | None) -> Iterator[tuple[str, tuple[int, int]]]:
    for offset, abbr in abbreviations_in(b.text, terms):
        yield abbr, b.pos(offset)


def _in_tor(ctx: Context, explained: set[str], terms: re.Pattern[str] | None, redact: _Redact) -> Iterator[Finding]:
    tor, doc = ctx.report.tor, ctx.report.tor_doc
    if tor is None or doc is None:
        return
    fields: list[tuple[tuple[str | int, ...], str]] = [(("title",), tor.title), (("requested_by",), tor.requested_by)]
    for i, theme in enumerate(tor.themes):
        fields.append((("themes", i, "title"), theme.title))
        for j, q in enumerate(theme.questions):
            fields.append((("themes", i, "questions", j, "text"), q.text))
    first: dict[str, tuple[int, int]] = {}
    lines: list[str] | None = None
    for path, text in fields:
        for offset, abbr in abbreviations_in(text, terms):
            if abbr not in explained and abbr not in first:
                lines = _lines(doc.file) if lines is None else lines
                first[abbr] = _scalar_pos(doc.positions.values.get(path) or doc.pos(path), lines, text, offset)
    yield from _findings(doc.file, first, redact)


def _lines(file: Path) -> list[str]:
    try:
        return file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _scalar_pos(at: tuple[int, int], lines: list[str], text: str, offset: int) -> tuple[int, int]:
    """Where ``text[offset]`` is, when the scalar at ``at`` is written on its
    line as it reads (plain or quoted, without escapes); else ``at``."""
    line, col = at
    written = lines[line - 1][col - 1 :] if 0 < line <= len(lines) else ""
    for skip in (0, 1):  # plain, or after its opening quote
        if written[skip:].startswith(text[: offset + 1]):
            return line, col + skip + offset
    return at


def _findings(file: Path, first: dict[str, tuple[int, int]], redact: Callable[[str], str]) -> Iterator[Finding]:
    for abbr, (line, col) in sorted(first.items(), key=lambda kv: kv[1]):
        # a code name may be written in capitals ("WIELEWAAL"): a finding's
        # message never shows a secret (docs/publication-safety.md)
        yield Finding(
            file,
            line,
            col,
            redact(
                f"'{abbr}' is an abbreviation the list of abbreviations does not explain: add '{abbr}: <full form>'"
                " to glossary.yaml, or write it out"
            ),
        )


__all__ = ["abbreviations_in", "terms_pattern", "unexplained_abbreviation"]
