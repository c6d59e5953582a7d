"""Dutch typesetting of the resolved document, for every format at once.

Applied by :func:`...document.build_document` after citeproc, so the text
citeproc generated (notes, the source annex) is typeset like the drafters'
text. Drafters type ordinary spaces and hyphens; the renderer decides:

* **non-breaking spaces** (U+00A0) between a day, its month and its year
  ("17 januari 2026"),
  after an abbreviation that announces a number ("p. 12", "pp. 14–16",
  "nr. 7", "art. 5", "par. 3", "§ 2"), before "nr." after a word ("Wet nr.
  7/2025"), between a number and its unit or "%" ("45 %", "12 km",
  "€ 300"), a number and what it counts ("3,1 miljoen", "18 jaar", "1.700
  MLF"), an organisation's code and its document number ("AI 35/1695/2026"),
  a title and the name after it ("prof. Janssen", "dr. Smit"), initials and
  the name after them ("A.B. Janssen", "J.K. Doe"), a label and its number
  ("versie 2.0", "deel 3", "bijlage 2"), and before a spaced en or em dash
  ("News – Targeting": a dash never starts a line);
* **word joiners** (U+2060) after each slash of a document number
  ("A/HRC/55/23", "S/2025/123", "nr. 7/2025"): Pango, LibreOffice and Word
  may break a line after a slash ("A/HRC/55/" | "23", issue #11); the joiner
  prints nothing and forbids that break;
* **en dashes** (U+2013) in ranges: a locator after "p.", "pp.", "par.",
  "art." ("pp. 14-16" becomes "pp. 14–16") and a range of two years
  ("2019-2021", the second later than the first);
* **quotation marks**: pandoc's ``Quoted`` becomes the house style's marks
  (‘…’ outside, “…” inside, in Dutch and in British English alike), so every
  format prints the same characters (pandoc's writers otherwise choose per
  format); text that never met pandoc's smart reader (glossary, ToR, source
  titles: :func:`straight_marks`) gets ’ for an apostrophe, ‘…’ for straight
  double quotes and – for a hyphen between spaces;
* **note calls stay with the word before them**: a call (and a run of calls
  "141,142") and the word it follows go in one ``<span class="note-call">``
  that may not break (CSS ``white-space: nowrap``); a space before a call
  is dropped.

Code, math, raw output, link targets, ids and attributes are never touched,
nor any word that looks like a URL, an e-mail address or a path. Ties and
ranges change the visible text only by space → U+00A0, hyphen → U+2013 and
a U+2060 after the slash of a document number,
the marks only ' " - into ’ ‘ ’ –, the note calls only by dropping a space
before a call: ``tests/render/test_typography_property.py`` proves each.
"""

from __future__ import annotations

import re
from typing import Any

from . import ast as A
from .ast import Node

NBSP = "\u00a0"
EN_DASH = "\u2013"
WORD_JOINER = "\u2060"

MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}
# abbreviations that announce a number (Dutch and English locators, "nr." and "no."),
# the word of a cross-reference ("zie paragraaf 2.2") and a label before a number
# ("versie 2.0": the source annex's UK Home Office entry broke there); lower case
# only for words a heading starts with (not "Bijlage 3": a heading, whose bookmark
# and TOC text other formats compare as typed)
_BEFORE_NUMBER = re.compile(
    r"(?:^|[(\[‘“'\"])(?:p|pp|par|para|nr|no|art|artt|vol|hfst|ch|sec)\.$|§§?$"
    r"|(?:^|[(\[])(?:paragraaf|versie|version)$"
    r"|(?-i:(?:^|[(\[])(?:deel|bijlage|hoofdstuk|annex|part|chapter|appendix)$)",
    re.I,
)
# the locators whose number may be a range of pages, paragraphs or articles
_RANGE_LOCATOR = re.compile(r"(?:^|[(\[‘“'\"])(?:p|pp|par|para|art|artt|§|§§)\.?$", re.I)
_NUMBER_WORD = re.compile(r"^[(\[]?\d[\d.,/:]*[a-z]?[-–]?\d*[\d.,/:]*[a-z]?[)\].,;:!?]*$")
_ROMAN = re.compile(r"^[IVXLC]+[)\].,;:!?]*$")
_NUMBER_BEFORE_UNIT = re.compile(r"^[(\[]?[-+−]?\d[\d.,]*$")
_UNITS = {
    "%",
    "procent",
    "percent",
    "euro",
    "‰",
    "km",
    "m",
    "cm",
    "mm",
    "km²",
    "m²",
    "ha",
    "kg",
    "g",
    "mg",
    "ton",
    "l",
    "ml",
    "°C",
    "°",
    "km/u",
    "km/h",
    "MW",
    "kW",
    "GB",
    "MB",
    # words that count what the number counts: "3,1 miljoen", "18 jaar" (page read of issue #11)
    "miljoen",
    "miljard",
    "duizend",
    "jaar",
    "jaren",
    "maanden",
    "weken",
    "dagen",
    "uur",
    "million",
    "billion",
    "years",
}
_CURRENCY = {"€", "$", "£", "EUR", "USD"}
# a currency code after an amount ("1.700 MLF"): three capitals
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
# an organisation's document code: "AI 35/1695/2026", "USDOS 91/9778/2025"
_CODE_PREFIX = re.compile(r"[(\[]?[A-Z][A-Z&]{1,7}")
_CODE_NUMBER = re.compile(r"\d+(?:/\d+)+[)\].,;:!?]*")
# a title before a name: Dutch and English, as drafters abbreviate them
_TITLES = frozenset(
    "prof. dr. mr. drs. ir. ing. ds. mw. mevr. dhr. hr. mgr. mrs. ms. st. gen. lt. kol. maj. kapt. sgt.".split()
)
# initials: "A.", "A.B.", "J.-P.", "Th."
_INITIALS = re.compile(r"[(\[]?(?:(?:[A-Z][a-z]?|[A-Z]\.-[A-Z])\.)+")
# a name after a title or initials: a capital, or a particle ("van", "de", "ter")
_NAME = re.compile(r"[A-Z\u00c0-\u00de]|(?:van|von|de|der|den|ter|ten|la|le|du|da|di)$")
# a document number: capital codes and numbers between slashes, at least one
# a number ("A/HRC/55/23", "S/2025/123", "7/2025", "AMB-VB/2025/0916"); a
# range of two ("A/79/878–S/2025/247") is two numbers
_DOC_PART = r"(?:[A-Z][A-Z0-9.\-]*|\d[\dA-Z.\-]*)"
_DOC_NUMBER = re.compile(rf"[(\[]?{_DOC_PART}(?:/{_DOC_PART})+[)\].,;:!?]*")
_DOC_SLASH = re.compile(r"(?<=[A-Z0-9.\-])/(?=[A-Z0-9])")
# a word that must be printed as written: a URL, an e-mail address, a path
_VERBATIM = re.compile(r"://|^www\.|@|^/|\\|[A-Za-z0-9]/[A-Za-z]")
# a page/paragraph range as a locator prints it: 14-16, 14-16., (14-16)
_LOCATOR_RANGE = re.compile(r"^([(\[]?\d+[a-z]?)-(\d+[a-z]?[)\].,;:!?]*)$")
_YEAR_RANGE = re.compile(r"(?<![\w/.:\-–])(1[5-9]\d\d|20\d\d)-(1[5-9]\d\d|20\d\d)(?![\w/\-–])")

# Dutch (Taalunie) and British English (the report's en-GB) alike: single
# marks outside, double inside; the same marks citeproc's locales print
QUOTES = {"nl": (("‘", "’"), ("“", "”")), "en": (("‘", "’"), ("“", "”"))}

# straight marks in text that never met pandoc's smart reader (glossary,
# ToR, source titles): an apostrophe inside a word or in 's, 't, 'n;
# a double quote at the start or the end of a word; a hyphen between spaces
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])|(?<![\w'])'(?=[stn]\b)")
_OPEN_DOUBLE = re.compile(r'(?<![\w"])"(?=[\w(‘“\[])')
_CLOSE_DOUBLE = re.compile(r'(?<=[\w.,!?)’”\]])"(?![\w"])')
_SPACED_HYPHEN = re.compile(r"(?<!\S)-(?!\S)")


def straight_marks(s: str, lang: str = "nl") -> str:
    """Apostrophes, double quotes and spaced hyphens of ``s`` as the house
    style prints them (Women's → Women’s, "x" → ‘x’, a - b → a – b)."""
    if "'" not in s and '"' not in s and "-" not in s:
        return s
    if _VERBATIM.search(s):
        return s
    (open_, close), _ = QUOTES["en" if lang.lower().startswith("en") else "nl"]
    s = _APOSTROPHE.sub("’", s)
    s = _OPEN_DOUBLE.sub(open_, s)
    s = _CLOSE_DOUBLE.sub(close, s)
    return _SPACED_HYPHEN.sub(EN_DASH, s)


# inline containers: where their inlines are in ``c``
_INLINES_AT: dict[str, int | None] = {
    "Para": None,
    "Plain": None,
    "Emph": None,
    "Strong": None,
    "Underline": None,
    "Strikeout": None,
    "SmallCaps": None,
    "Superscript": None,
    "Subscript": None,
    "Span": 1,
    "Link": 1,
    "Quoted": 1,
    "Cite": 1,
    "Header": 2,
}
# never looked into: their text is printed as written
_VERBATIM_NODES = {"Code", "CodeBlock", "Math", "RawInline", "RawBlock", "Image"}


def typeset(blocks: list[Node], lang: str) -> list[Node]:
    """The typography of the module docstring, in place; returns ``blocks``.
    One walk finds every inline list (and sets the quotation marks); each
    list is then done once, and a pair of words is looked at closely only
    when it holds a digit, "nr." or a label: 30 ms of CPU on the example
    report, 0.2 s on the benchmark report (70,000 words, 960 notes; three
    walks and every pair took 0.45 s)."""
    base = _base(lang)
    lists = _inline_lists(blocks, QUOTES[base])
    for inl in lists:
        for x in inl:
            if type(x) is dict and x.get("t") == "Str":
                x["c"] = straight_marks(x["c"], base)
        _ties(inl, _MONTHS[base])
    _keep_calls(lists)
    return blocks


def ties_and_ranges(blocks: list[Node], lang: str) -> None:
    """Only the non-breaking spaces and the en dashes, in place."""
    for inl in _inline_lists(blocks):
        _ties(inl, _MONTHS[_base(lang)])


def _base(lang: str) -> str:
    return "en" if lang.lower().startswith("en") else "nl"


_MONTHS = {k: frozenset(v.split()) | frozenset(v.lower().split()) for k, v in MONTHS.items()}


# --- inline lists ------------------------------------------------------------------------


def _inline_lists(node: Any, marks: tuple[tuple[str, str], tuple[str, str]] | None = None) -> list[list[Any]]:
    """Every inline list under ``node`` (a block list or node), outermost
    first; verbatim nodes are skipped. With ``marks``, each ``Quoted`` met
    becomes its content between the house style's marks (the outer pair at
    even nesting depth, the inner pair at odd), in a Span that keeps it
    together, so every format prints the same characters."""
    out: list[list[Any]] = []
    stack: list[tuple[Any, int]] = [(node, 0)]
    while stack:
        o, depth = stack.pop()
        if type(o) is list:
            stack.extend((x, depth) for x in reversed(o) if type(x) is list or type(x) is dict)
            continue
        t = o.get("t")
        if t in _LEAVES:
            continue
        c: Any = o.get("c")
        at = _INLINES_AT.get(t, -1)
        if at == -1:
            if type(c) is list or type(c) is dict:
                stack.append((c, depth))
            continue
        inl = c if at is None else c[at]
        out.append(inl)
        for i in range(len(inl) - 1, -1, -1):
            x = inl[i]
            if type(x) is not dict or x.get("t") in _LEAVES:
                continue
            if marks is not None and x.get("t") == "Quoted":
                open_, close = marks[depth % 2]
                x = inl[i] = A.Span([A.Str(open_), *x["c"][1], A.Str(close)], ["quoted"])
                stack.append((x, depth + 1))
            else:
                stack.append((x, depth))
    return out


# never looked into: plain text, and what is printed as written
_LEAVES = _VERBATIM_NODES | {"Str", "Space", "SoftBreak", "LineBreak"}


# --- spaces and dashes ---------------------------------------------------------------------


def _word(x: Any) -> str | None:
    return x["c"] if type(x) is dict and x.get("t") == "Str" else None


def _last_word(s: str) -> str:
    return s.rsplit(NBSP, 1)[-1]


def _first_word(s: str) -> str:
    return s.split(NBSP, 1)[0]


def _strip_punct(w: str) -> str:
    return w.strip("()[]‘’“”'\".,;:!?")


def _nbsp_between(left: str, right: str, months: frozenset[str]) -> bool:
    """Whether the space between the words ``left`` and ``right`` may not break."""
    lw, rw = _last_word(left), _first_word(right)
    if _VERBATIM.search(lw) or _VERBATIM.search(rw):
        return False
    if re.fullmatch(r"[(\[]?\d{1,2}", lw) and _strip_punct(rw) in months:
        return True  # 17 januari
    if _BEFORE_NUMBER.search(lw) and (_NUMBER_WORD.match(rw) or _ROMAN.match(rw)):
        return True  # p. 12, nr. 7/2025, art. 5, § 2, hfst. IV
    if _strip_punct(lw) in months and re.fullmatch(r"\d{1,2}[,.;:)]?", rw):
        return True  # January 17, 2026
    if _strip_punct(lw) in months and re.fullmatch(r"[12]\d{3}[,.;:)\]]*", rw):
        return True  # 17 januari 2026: the year stays with its month
    if _CODE_PREFIX.fullmatch(lw) and _CODE_NUMBER.fullmatch(rw):
        return True  # AI 35/1695/2026
    if (lw.lower().lstrip("([") in _TITLES or _INITIALS.fullmatch(lw)) and _NAME.match(rw):
        return True  # prof. Janssen, A.B. Janssen, dr. van Dijk
    if rw in _NR and re.search(r"\w$", lw):
        return True  # Wet nr. 7/2025
    if _NUMBER_BEFORE_UNIT.match(lw) and (
        rw in _UNITS or rw.rstrip(".,;:!?)]") in _UNITS or _CURRENCY_CODE.fullmatch(rw.rstrip(".,;:!?)]"))
    ):
        return True  # 45 %, 12 km, 3,1 miljoen, 1.700 MLF
    return lw in _CURRENCY and bool(re.match(r"\d", rw))  # € 300


def _ties(inl: list[Any], months: frozenset[str]) -> None:
    _tie_dashes(inl)
    _join_nbsp(inl, months)
    for x in inl:
        if type(x) is dict and x.get("t") == "Str":
            if "-" in x["c"]:
                x["c"] = _dashes(x["c"])
            if "/" in x["c"]:
                x["c"] = _join_slashes(x["c"])


# a spaced dash: "–" or "—" as a word of its own (straight_marks made " - " one)
_SPACED_DASHES = frozenset({EN_DASH, "\u2014"})


def _tie_dashes(inl: list[Any]) -> None:
    """The space before a spaced en or em dash becomes U+00A0: in Dutch
    typesetting the dash stays with the word before it (the PDF's notes 138
    and 152 started a line with "– News", "– Targeting"). The gap is replaced
    whatever precedes it (a word, an emphasis, a link)."""
    for i in range(1, len(inl) - 1):
        x = inl[i + 1]
        if type(x) is dict and x.get("t") == "Str" and x["c"] in _SPACED_DASHES and _is_gap(inl[i]):
            if type(inl[i - 1]) is dict and inl[i - 1].get("t") not in ("Space", "SoftBreak", "LineBreak"):
                inl[i] = A.Str(NBSP)


def _join_slashes(s: str) -> str:
    """A word joiner after each slash of every document number in ``s`` (one
    word, possibly joined with U+00A0; a range "A/79/878–S/2025/247" is two)."""
    words = s.split(NBSP)
    for k, w in enumerate(words):
        if "/" not in w or WORD_JOINER in w:
            continue
        parts = w.split(EN_DASH)
        if all(_DOC_NUMBER.fullmatch(p) and _DIGIT.search(p) for p in parts if "/" in p):
            words[k] = EN_DASH.join(_DOC_SLASH.sub("/" + WORD_JOINER, p) for p in parts)
    return NBSP.join(words)


_DIGIT = re.compile(r"\d")
_NR = frozenset({"nr.", "Nr.", "No."})


def _join_nbsp(inl: list[Any], months: frozenset[str]) -> None:
    """Str Space Str → one Str with U+00A0 where the two may not be parted."""
    i, n = 0, len(inl)
    while i + 2 < n:
        gap = inl[i + 1]
        if type(gap) is not dict or gap.get("t") != "Space":
            i += 1
            continue
        left, right = _word(inl[i]), _word(inl[i + 2])
        if (
            left
            and right
            # every rule needs a digit, "nr." or a Roman number after a label: most pairs are done here
            and (_DIGIT.search(left) or _DIGIT.search(right) or right in _NR or left[-1] in ".§")
            and _nbsp_between(left, right, months)
        ):
            inl[i] = A.Str(left + NBSP + right)
            del inl[i + 1 : i + 3]
            n -= 2
            continue
        i += 1


def _dashes(s: str) -> str:
    """Hyphen → en dash in a locator range and a year range of ``s`` (one word,
    possibly joined with U+00A0)."""
    if "-" not in s or _VERBATIM.search(s):
        return s
    words = s.split(NBSP)
    for k in range(1, len(words)):
        if _RANGE_LOCATOR.search(words[k - 1]):
            m = _LOCATOR_RANGE.match(words[k])
            if m:
                words[k] = m.group(1) + EN_DASH + m.group(2)
    for k, w in enumerate(words):
        if k and _BEFORE_NUMBER.search(words[k - 1]) and not _RANGE_LOCATOR.search(words[k - 1]):
            continue  # "nr. 2019-2021" is a number, not a period
        words[k] = _YEAR_RANGE.sub(lambda m: m[0] if m[2] <= m[1] else m[1] + EN_DASH + m[2], w)
    return NBSP.join(words)


# --- note calls ----------------------------------------------------------------------------


def _is_gap(node: Any) -> bool:
    return isinstance(node, dict) and node.get("t") in ("Space", "SoftBreak")


def is_note_call(node: Any) -> bool:
    """A Note, or a Cite that citeproc turned into one."""
    if not isinstance(node, dict):
        return False
    if node.get("t") == "Note":
        return True
    return node.get("t") == "Cite" and any(isinstance(n, dict) and n.get("t") == "Note" for n in node["c"][1])


def _is_separator(node: Any) -> bool:
    return isinstance(node, dict) and node.get("t") == "Superscript" and A.stringify(node["c"]) == ","


# inline containers that may be cut in two without changing what they mean
_SPLITTABLE = {"Emph", "Strong", "Underline", "Strikeout", "SmallCaps"}


def _tail(node: Node) -> tuple[Node | None, Node | None]:
    """``node`` cut into (the part before its last word, its last word), or
    (node, None) when it cannot be cut."""
    t = node.get("t")
    if t == "Str":
        return None, node
    if t in ("Space", "SoftBreak", "LineBreak"):
        return node, None
    if not re.search(r"\s", A.stringify([node])):
        return None, node  # one word: kept whole
    if t not in _SPLITTABLE and not (t == "Span" and not node["c"][0][0]):
        return node, None  # a link or a code span with spaces: not cut
    inl = node["c"] if t in _SPLITTABLE else node["c"][1]
    if not inl:
        return node, None
    rest, last = _tail(inl[-1])
    if last is None:
        return node, None

    def same(content: list[Any]) -> Node:
        return {"t": t, "c": content} if t in _SPLITTABLE else A.Span(content, node["c"][0][1], "", node["c"][0][2])

    head = inl[:-1] + ([rest] if rest is not None else [])
    return (same(head) if head else None), same([last])


def keep_calls_with_words(blocks: list[Node]) -> None:
    """Every note call (or run of calls "141,142") and the word before it in
    one ``Span`` of class ``note-call``, which CSS keeps on one line; a space
    before a call goes (a call never follows a space)."""
    _keep_calls(_inline_lists(blocks))


def _keep_calls(lists: list[list[Any]]) -> None:
    for inl in reversed(lists):  # innermost first: a cut container is new
        i = 0
        while i < len(inl):
            x = inl[i]
            if type(x) is not dict or x.get("t") not in ("Note", "Cite") or not is_note_call(x):
                i += 1
                continue
            j = i + 1
            while j < len(inl):
                if is_note_call(inl[j]):
                    j += 1
                elif _is_separator(inl[j]) and j + 1 < len(inl) and is_note_call(inl[j + 1]):
                    j += 2
                else:
                    break
            while i > 0 and isinstance(inl[i - 1], dict) and (_is_gap(inl[i - 1]) or inl[i - 1] == A.Str("")):
                del inl[i - 1]
                i -= 1
                j -= 1
            start, head = i, []
            if i > 0 and isinstance(inl[i - 1], dict):
                rest, last = _tail(inl[i - 1])
                if last is not None:
                    start = i - 1
                    head = [last] if rest is None else [rest, last]
            calls = inl[i:j]
            if not head and len(calls) == 1:
                i = j  # one call and nothing to keep it with (a Cite's own Note)
                continue
            keep = A.Span([head[-1], *calls] if head else calls, ["note-call"])
            inl[start:j] = [*head[:-1], keep]
            i = start + len(head[:-1]) + 1
