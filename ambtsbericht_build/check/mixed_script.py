"""Mixed-script words: a Latin word with a letter of another script in it.

The fingerprints (AB302) fold every look-alike in Unicode's table to the
Latin letter it imitates, but a table is never complete (the second red team
found Cherokee, APL and Bengali characters outside it). UTS #39 adds a rule
that needs no table: a word that mixes scripts is suspect. A Dutch word with
one Cyrillic, Greek or Cherokee letter, a symbol that reads as a letter or a
digit of another script inside it reads as the Latin word, but is spelt
otherwise: for a search, a spelling checker or a screen reader, and for the
fingerprints when the character is not in their table. Warned, not refused:
it is an error only when it spells a secret (AB302).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from ..diagnostics import Severity
from ..publish.text import _HIDDEN, IN_WORD
from . import Context, Finding, RuleDoc, chapter, rule

# a word: letters, digits, marks, hidden characters and the symbols that read
# as a letter (publish/text.py IN_WORD: ℮, ⍺), so that none of them cuts it
_WORD = re.compile(f"(?:[^\\W_]|{_HIDDEN}|[{''.join(re.escape(c) for c in IN_WORD)}])+")
# letters that belong to no script of their own (UTS #39: Common), written
# beside Latin letters in ordinary text: nº, 1ª, µg, ʼ, ª
_NEUTRAL = ("MODIFIER ", "MICRO SIGN", "FEMININE ORDINAL", "MASCULINE ORDINAL", "SUPERSCRIPT ", "SUBSCRIPT ")


# what ordinary Dutch, English and other Latin-script text is made of: ASCII,
# Latin-1, Latin Extended-A/B, IPA, spacing modifiers and combining
# accents, Latin Extended Additional, general punctuation; a block without
# any other character has no mixed word (the look-alike symbols of Latin-1,
# ¢ and ¥, are taken out of it). One C-speed search per block instead of
# a walk over its words: 0.01 s on the benchmark report's 163 blocks that
# are not ASCII
_SAFE = [(0x00, 0x036F), (0x1E00, 0x1EFF), (0x2000, 0x206F)]
_SUSPECT = re.compile(
    "[^"
    + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _SAFE)
    + "]|["
    + "".join(re.escape(c) for c in IN_WORD if any(a <= ord(c) <= b for a, b in _SAFE))
    + "]"
)


@lru_cache(maxsize=4096)
def _kind(ch: str) -> str:
    """'latin', 'other' (a letter of another script, a symbol that reads as a
    letter, a digit of another script) or '' (neutral)."""
    if ch in IN_WORD and not ch.isalpha():
        return "other"
    cat = unicodedata.category(ch)
    if cat == "Nd":
        return "" if ch.isascii() else "other"
    if not cat.startswith("L"):
        return ""  # a mark, a hidden character
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN ") or name.startswith(_NEUTRAL):
        return "latin" if name.startswith("LATIN ") else ""
    return "other"


@lru_cache(maxsize=65536)
def _foreign(word: str) -> str | None:
    """The first character of another script in a word that has Latin
    letters, or None."""
    kinds = [_kind(c) for c in word]
    if "latin" in kinds and "other" in kinds:
        return word[kinds.index("other")]
    return None


def foreign_in(text: str) -> Iterator[tuple[int, str]]:
    """(offset, character) of each mixed-script word in ``text``."""
    if text.isascii() or _SUSPECT.search(text) is None:
        return
    for m in _WORD.finditer(text):
        w = m.group(0)
        if not w.isascii():
            ch = _foreign(w)
            if ch is not None:
                yield m.start() + w.index(ch), ch


@rule(
    "AB307",
    Severity.WARNING,
    "a Latin word with a letter, symbol or digit of another script in it",
    RuleDoc(
        finds="""
        A word in the public text of a chapter (headings, paragraphs, notes,
        captions, tables; not `::: intern` notes) that has Latin letters
        and also a letter of another script (Cyrillic `о`, Greek `Ν`,
        Cherokee `Ꮮ`), a symbol that reads as a Latin letter (`℮`, `⍺`) or a
        digit of another script (Bengali `০`). A word is a run of letters,
        digits and marks; a hyphen or space ends it, so `α-test` and a
        Greek or Cyrillic name beside Dutch words are not reported.
        Letters of no script of their own (`nº`, `µg`) do not count. The
        message names the character, never the word.
        """,
        why="""
        Such a word reads as the Latin word but is spelt otherwise: a search
        of the published report, a spelling checker and a screen reader
        miss it, and it is how a secret is disguised from a checker. When
        the word spells a secret, it is AB302, an error; this warning finds
        the disguise also where the look-alike is in no table.
        """,
        example=(
            chapter("""
            ## Veiligheid {tor="1.2"}

            In het centrum van Havenst\u0430d waren gevechten.[@hrw-2025]
            """),
        ),
        fix="""
        Retype the word in Latin letters. A word that really mixes scripts
        (a brand name) may stay: the warning does not refuse the render.
        """,
        fixed=(
            chapter("""
            ## Veiligheid {tor="1.2"}

            In het centrum van Havenstad waren gevechten.[@hrw-2025]
            """),
        ),
    ),
)
def mixed_script_word(ctx: Context) -> Iterator[Finding]:
    from .translated_text import in_translations  # a translator's words too

    yield from _mixed(ctx)
    yield from in_translations(ctx, _mixed)


def _mixed(ctx: Context) -> Iterator[Finding]:
    for lc in ctx.report.chapters:
        for b in lc.chapter.all_blocks():
            if b.div is not None and b.div.intern:
                continue
            for offset, ch in foreign_in(b.text):
                line, col = b.pos(offset)
                name = unicodedata.name(ch, f"U+{ord(ch):04X}")
                yield Finding(
                    lc.file,
                    line,
                    col,
                    f"a word mixes Latin letters with {name} (U+{ord(ch):04X}): it reads as a Latin word but is"
                    " spelt otherwise; type the Latin letter",
                )
