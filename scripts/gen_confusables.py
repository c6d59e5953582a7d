"""Generate ambtsbericht_build/publish/data/confusables.txt and hidden.txt.

The secret fingerprints (publish/text.py) fold look-alike letters of other
scripts to the Latin letter they imitate, and drop every character that
prints as nothing or only decorates a letter. Both tables come from
Unicode's data, not from a hand list:

- confusables.txt: Unicode's UTS #39 confusables data (Unicode License,
  https://www.unicode.org/license.txt), as shipped in the MIT-licensed wheel
  confusable-homoglyphs 3.3.1 (https://pypi.org/project/confusable-homoglyphs/,
  ``confusable_homoglyphs/confusables.json``). Not a dependency of abuild: it
  is unpacked beside it, once:

      pip download confusable-homoglyphs==3.3.1 --no-deps -d /tmp/cf
      cd /tmp/cf && unzip -o confusable_homoglyphs-3.3.1-py2.py3-none-any.whl
      python scripts/gen_confusables.py /tmp/cf/confusable_homoglyphs/confusables.json

  Kept, each with its kind (third column): every *letter* (L; category L*)
  outside ASCII whose prototype is ASCII letters or digits, after dropping
  the prototype's combining marks (``ŧ`` is ``t`` + U+0335 there); every
  *symbol* (S; ``℮`` U+212E, ``⍺`` U+237A) and every *digit of another
  script* (N; Bengali ``০``) whose prototype is one Latin letter: those are
  read as the letter only inside a word (publish/text.py), so that ``06 ∣
  1234`` stays a number and ``٠٦١٢٣٤٥٦٧٠`` a phone number. The multiplication
  sign is no letter: it stands between digits (``2×3``). The prototype of
  ``I`` is ``l`` in UTS #39; a capital listed under ``l`` (Greek Ι, Cyrillic
  І) folds to ``i`` as the Latin capital does, but not one listed under
  ``L`` (Cherokee Ꮮ U+13DE, which the lower-cased prototype made an i).
  Added by their Unicode names: the small capitals (``ᴍ``), which UTS #39
  leaves out; a Latin letter with a stroke, hook or bar that does not
  decompose (``ŧ``, ``ʋ``, ``ƀ``: the name's letter wins over UTS #39, which
  reads ``ʋ`` as u); schwa and turned e (``ə``, ``ǝ``, Cyrillic ``ә``) as e.
  A small letter whose case folding is in the table (Cherokee small ``ꭺ``
  folds to the capital ``Ꭺ``) gets that letter.
  Added by their digit value (kind D): every character that has one but
  is no decimal digit and that NFKC does not make an ASCII digit (``❶``,
  ``➀``, ``⓵``, ``⑴``), read as the digit before NFKC.
- hidden.txt: the code point ranges of every Default_Ignorable_Code_Point
  (DerivedCoreProperties.txt, Unicode 15.1; assigned or not: U+E0080 and
  U+FFF0 print as nothing too) and of every format character (Cf) and
  combining mark (Mn, Mc, Me) and private-use character (Co) of this
  Python's unicodedata.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "ambtsbericht_build/publish/data"

# DerivedCoreProperties.txt, Default_Ignorable_Code_Point (Unicode 15.1)
DEFAULT_IGNORABLE = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
]  # fmt: skip


def _bare(s: str) -> str:
    """``s`` without bidi marks and combining marks: UTS #39 writes the
    prototype of ``ŧ`` as ``t`` + U+0335 (a combining stroke)."""
    s = unicodedata.normalize("NFD", s.replace("\u200e", ""))
    return "".join(c for c in s if not unicodedata.category(c).startswith("M"))


# letters UTS #39 leaves out or lists only as look-alikes of each other:
# schwa and turned e (``Lindənplein``) read as e
_BY_NAME = {"SCHWA": "e", "TURNED E": "e"}
# a symbol that sits between two digits as often as in a word: 2×3 is no 2x3
_NOT_LETTERS = {"\u00d7"}
# categories besides letters, symbols and decimal digits whose UTS #39 entries
# are read as a Latin letter: spacing marks (Mc), letter-numbers (Nl) and
# other numbers (No), and the one punctuation mark listed so (Canadian
# syllabics full stop ᙮ U+166E, an x). Not Mn: a non-spacing mark decorates
# the letter before it
_READ_IN_WORD = {"Mc", "Nl", "No", "Po"}
# Latin letters by their Unicode names, outside UTS #39's data (red team pass
# 3, NL10): LATIN CAPITAL LETTER SMALL CAPITAL I (Ɪ U+A7AE), LATIN SMALL
# LETTER DOTLESS J (ȷ U+0237) are letters (L); NEGATIVE SQUARED LATIN CAPITAL
# LETTER A (🅰 U+1F170), PARENTHESIZED LATIN SMALL LETTER A (⒜ U+249C) and
# the circled and squared ones are symbols, read as the letter inside a word
_NAMED_LETTER = re.compile(r"LATIN (?:SMALL|CAPITAL) LETTER (?:SMALL CAPITAL|DOTLESS) ([A-Z])")
# REGIONAL INDICATOR SYMBOL LETTER W (U+1F1FC): a font without the flag of a
# pair draws the letter in a box, so 🇼🇮🇪🇱🇪🇼🇦🇦🇱 reads as Wielewaal (red team pass 4, R05)
_NAMED_SYMBOL = re.compile(
    r"(?:(?:NEGATIVE )?(?:SQUARED|CIRCLED|PARENTHESIZED) LATIN (?:SMALL|CAPITAL)|REGIONAL INDICATOR SYMBOL)"
    r" LETTER ([A-Z])"
)


def confusables(path: Path) -> dict[str, tuple[str, str]]:
    """Each look-alike character to (the Latin letter or digit it imitates,
    its kind): L a letter, S a symbol (``℮``, ``⍺``), N a digit of another
    script that imitates a letter (Bengali ``০``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    # UTS #39 as a graph: each key lists the characters confusable with it
    out: dict[str, tuple[str, str]] = {}
    for key, entries in data.items():
        proto = _bare(key)
        for e in entries:
            c = e["c"].replace("\u200e", "")
            if len(c) != 1 or c.isascii():
                continue
            cat = unicodedata.category(c)
            if not (proto.isascii() and proto.isalnum()):
                continue
            target = proto.lower()
            # UTS #39's prototype of I is small l: a capital that imitates
            # *that* (Greek Ι, Cyrillic І) reads as I. Only the key "l": the
            # key "L" lists Cherokee Ꮮ (U+13DE), a capital L, which the test
            # on the lower-cased prototype used to turn into an i
            if key == "l" and cat == "Lu":
                target = "i"
            if cat.startswith("L"):
                out.setdefault(c, (target, "L"))
            elif cat == "Nd" and target.isalpha() and len(target) == 1:
                out.setdefault(c, (target, "N"))  # ০ for o; a digit for a digit stays a digit
            elif cat.startswith("S") and target.isalpha() and len(target) == 1 and c not in _NOT_LETTERS:
                out.setdefault(c, (target, "S"))
            elif cat in _READ_IN_WORD and target.isalpha() and len(target) == 1:
                # a spacing mark that prints as a full-size o (the anusvaras of
                # Telugu, Kannada, Malayalam and Sinhala: U+0C02, U+0C82, U+0D02,
                # U+0D82), a letter-number (ideographic zero 〇 U+3007) or another
                # number (Old Italic 𐌠 U+10320, Warang Citi U+118F2), ᙮: read as the
                # letter inside a word, like a symbol; 16 such entries were
                # dropped (red team pass 3, NL9)
                out.setdefault(c, (target, "S"))
    # small capitals (ᴍ, ʙ, ᴋ) are not in UTS #39 (they are smaller), but
    # read as the capital letter in a word; a Latin letter with a stroke or
    # hook that does not decompose (ŧ, ʋ, ƀ) reads as its letter: by their
    # Unicode names. The name wins over UTS #39 (ʋ, V WITH HOOK, is u there)
    for cp in range(0x110000):
        c = chr(cp)
        name = unicodedata.name(c, "")
        if name.startswith("LATIN LETTER SMALL CAPITAL ") and len(name.rsplit(" ", 1)[1]) == 1:
            out.setdefault(c, (name[-1].lower(), "L"))
        m = re.fullmatch(r"LATIN (?:SMALL|CAPITAL) LETTER ([A-Z]) WITH .*", name)
        if m and unicodedata.normalize("NFD", c) == c:
            out[c] = (m.group(1).lower(), "L")
        if m := _NAMED_LETTER.fullmatch(name):
            out.setdefault(c, (m.group(1).lower(), "L"))
        if (m := _NAMED_SYMBOL.fullmatch(name)) and unicodedata.category(c) == "So":
            out.setdefault(c, (m.group(1).lower(), "S"))
        for part, target in _BY_NAME.items():
            if re.fullmatch(rf"(?:LATIN|CYRILLIC) (?:SMALL|CAPITAL) LETTER {part}", name):
                out.setdefault(c, (target, "L"))
    # a small letter whose case folding is in the table (Cherokee small
    # letters fold to the capitals UTS #39 lists: ꭺ to Ꭺ): the same letter.
    # Not a capital: Greek Γ folds to γ, which looks like y, but Γ does not
    for cp in range(0x110000):
        c = chr(cp)
        f = c.casefold()
        if c not in out and len(f) == 1 and f in out and unicodedata.category(c) == "Ll":
            out[c] = out[f]
    return dict(sorted(out.items()))


def digit_symbols() -> dict[str, tuple[str, str]]:
    """Every character with a digit value that is no decimal digit and that
    NFKC does not make one ASCII digit: dingbat and double circled digits
    (❶ U+2776, ➀ U+2780, ⓵ U+24F5, ⓿ U+24FF), parenthesized ones (⑴, which
    NFKC makes "(1)"), Ethiopic digits: (the digit, kind D). Read as that
    digit before NFKC (red team pass 4, R08: ⓿❻-❶❷❸❹ ❺❻❼⓿ was no number)."""
    out: dict[str, tuple[str, str]] = {}
    for cp in range(0x110000):
        c = chr(cp)
        d = unicodedata.digit(c, None)
        value = unicodedata.numeric(c, -1.0)
        if d is None and "DIGIT" in unicodedata.name(c, "") and value in range(10):
            d = int(value)  # DINGBAT CIRCLED SANS-SERIF DIGIT ZERO (U+1F10B): numeric, not a digit
        if d is None or c.isdecimal():
            continue
        n = unicodedata.normalize("NFKC", c)
        if not (n.isascii() and n.isdigit()):
            out[c] = (str(d), "D")
    return out


def hidden() -> list[tuple[int, int]]:
    cps = {cp for a, b in DEFAULT_IGNORABLE for cp in range(a, b + 1)}
    # private-use characters (Co: U+E000-U+F8FF, planes 15 and 16) have no
    # glyph in any font a reader has: inside a word they print as a box or
    # nothing, and ``Zwart\uE000voet`` reads as Zwartvoet
    cps |= {cp for cp in range(0x110000) if unicodedata.category(chr(cp)) in ("Cf", "Mn", "Mc", "Me", "Co")}
    ranges: list[tuple[int, int]] = []
    for cp in sorted(cps):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return ranges


def main() -> None:
    # a look-alike of a letter stays one (Mende Kikakui digit one U+1E8C7 reads as l)
    table = dict(sorted({**digit_symbols(), **confusables(Path(sys.argv[1]))}.items()))
    head = "# generated by scripts/gen_confusables.py from Unicode's confusables data (UTS #39; Unicode License)\n"
    body = "".join(f"{ord(c):04X}\t{t}\t{kind}\n" for c, (t, kind) in table.items())
    (DATA / "confusables.txt").write_text(head + body, encoding="utf-8")
    head = (
        "# generated by scripts/gen_confusables.py: Default_Ignorable_Code_Point (Unicode 15.1)"
        f" and Cf, Mn, Mc, Me of unicodedata {unicodedata.unidata_version}\n"
    )
    body = "".join(f"{a:04X}\t{b:04X}\n" for a, b in hidden())
    (DATA / "hidden.txt").write_text(head + body, encoding="utf-8")
    kinds = [kind for _, kind in table.values()]
    print(
        f"{kinds.count('L')} look-alike letters, {kinds.count('S')} symbols, {kinds.count('N')} digits,"
        f" {kinds.count('D')} digit symbols;",
        len(hidden()),
        "hidden ranges",
    )


if __name__ == "__main__":
    main()
