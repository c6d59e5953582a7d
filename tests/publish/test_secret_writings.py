"""Writings of a secret the matcher used to miss (red team pass 4, issue #10):
backwards, also behind a right-to-left override that shows it forwards (R01,
R02); letter by letter (R03); in regional indicator letters (R05); a rare
word the frequency list has, split (R06); a reference's segments in another
order or its year written short (R07); a number in digits NFKC leaves
alone (dingbat ❶, double circled ⓵; R08); and the limits pass 4 left (red
team pass 5): a number spelt out in Dutch or English words, text written
upside down, a first name with the surname's initial, a word in pieces of
two or three letters. Each is found on both paths of the
matcher (the check's offset tokens and the audit's folded texts), by the
check where it was written, and by the render's audit in real HTML, PDF,
DOCX and ODT when the check is bypassed."""

from __future__ import annotations

import string
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.publish import fingerprint as F
from ambtsbericht_build.publish import text as T
from ambtsbericht_build.publish.fingerprint import CODE_NAME, Index, common, fingerprints
from ambtsbericht_build.publish.fingerprint_words import ordinary_phrase
from ambtsbericht_build.render.pipeline import AuditFailed, RenderOptions, render_report
from tests.fixtures.report_kit import CHAPTER, make_report

# what hides the order of the letters: the right-to-left override shows
# "laaweleiW" as Wielewaal; the isolates and marks around it print nothing
BIDI = ["", "\u202e{}\u202c", "\u2067\u202e{}\u202c\u2069", "\u202e{}", "\u200f{}\u200f"]
SEPARATORS = [" ", ".", ". ", "-", " - ", "\u00a0", "\u2009", "\u00b7", "_", "/", " . "]


def index_of(value: str, label: str = "") -> Index:
    """The fingerprints of ``value`` (written under the key ``label``), indexed."""
    index = Index()
    for k, p in enumerate(fingerprints(value, label=label)):
        index.add(p.tokens, k, cased=p.what == CODE_NAME)
    return index


def found(index: Index, text: str) -> bool:
    """Found by the check's path (offset tokens, case known) and by the
    audit's (folded texts, then the case confirmed): both must agree."""
    check = index.may_match(text) and bool(index.find(T.tokens(text), text))
    hits = {p for t, g in T.token_texts(text) for _, _, p in index.find_texts(t, g)} if index.may_match(text) else set()
    audit = bool(index.confirm(text, hits))
    assert check == audit, (text, check, audit)
    return check


# an invented word (no frequency list has it), capitalised
WORDS = (
    st.text(alphabet=string.ascii_lowercase, min_size=6, max_size=12)
    .filter(lambda w: w not in common() and w[::-1] not in common())
    .map(str.capitalize)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    word=WORDS,
    kind=st.sampled_from(["word", "name", "phone", "reference", "code name"]),
    bidi=st.sampled_from(BIDI),
)
def test_a_secret_written_backwards_is_found_on_every_path(word, kind, bidi):
    value, secret = {
        "word": (f"gesprek met {word}", word),
        "name": (f"contactpersoon Anna {word}", f"Anna {word}"),
        "phone": ("tel 06-8765 4321", "06-8765 4321"),
        "reference": (f"verslag {word[:3].upper()}/2025/0{len(word)}18", f"{word[:3].upper()}/2025/0{len(word)}18"),
        "code name": ("Kompas", "Kompas"),
    }[kind]
    index = index_of(value, "codenaam" if kind == "code name" else "")
    assert found(index, f"Volgens {secret} was het rustig.")
    assert found(index, f"Volgens {bidi.format(secret[::-1]) if bidi else secret[::-1]} was het rustig.")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word=WORDS, seps=st.lists(st.sampled_from(SEPARATORS), min_size=11, max_size=11), upper=st.booleans())
def test_a_secret_written_letter_by_letter_is_found_on_every_path(word, seps, upper):
    index = index_of(f"gesprek met {word}")
    spaced = word[0] + "".join(seps[k] + c for k, c in enumerate(word[1:]))
    assert found(index, f"Volgens {spaced.upper() if upper else spaced} was het rustig.")


@pytest.mark.parametrize(
    "value, written",
    [
        ("contact 'Kompas'", "K o m p a s"),  # a code name that is a common word: capitalised
        ("verslag AMB-VB/2025/0218", "A M B - V B / 2025 / 0218"),
        ("archief AMB-VB/2025/0218", "A.M.B.-V.B./2025/0218"),
    ],
)
def test_a_code_name_or_reference_written_letter_by_letter_is_found(value, written):
    assert found(index_of(value), f"Zie {written} voor meer.")


@pytest.mark.parametrize(
    "written", ["W i el e w a a l", "x y z W i e le wa al", "en in de W i e l e w a a l", "W.i.el.e.w.a.a.l"]
)
def test_a_word_written_in_pieces_of_one_or_two_letters_is_found(written):
    """R04: spaced partly (the fix of R03 joined only one-letter pieces), or
    after other short words; found where three letters alone stand in a row."""
    assert found(index_of("gesprek met Wielewaal"), f"Volgens {written} was het rustig.")
    index = index_of("Kompas", "codenaam")
    assert found(index, "Volgens K o m pa s.") and not found(index, "het k o m pa s")


def test_a_long_run_of_letters_is_read_in_linear_time():
    """A hostile run of 200,000 letters alone, most of them starting the
    secret: the pieces are joined only while they start a secret word."""
    import random
    import time

    rng = random.Random(1)
    text = " ".join(rng.choice("wielabc") for _ in range(200_000))
    index = index_of("gesprek met Wielewaal")
    found(index, "x")  # the word list loaded
    start = time.process_time()
    assert not found(index, text)
    assert time.process_time() - start < 20  # 0.7 s here; the square would be hours


def test_initials_and_enumerations_are_not_joined_into_a_secret():
    """Only runs of three letters alone are joined, and only the joined word
    is compared: initials, an enumeration and a lower-case spaced common
    code name stay what they are."""
    index = index_of("Kompas", "codenaam")
    for text in ["J. R. de Vries zei a, b en c.", "Zie de punten a, b, c en d.", "k o m p a s", "het k.o.m.p.a.s"]:
        assert not found(index, text), text
    assert found(index, "het K.o.m.p.a.s")
    index = index_of("Jan Zwartvoet, verslag AB/2025/0218")
    for text in ["J. R. de Vries zei a, b en c.", "Zie de punten a, b, c en d.", "Z. Wartvoet", "A. B. 2025"]:
        assert not found(index, text), text


@pytest.mark.parametrize("word", ["Lager", "Regal", "Stressed", "Level"])
def test_a_common_word_backwards_or_a_palindrome_adds_nothing(word):
    seq = (word.lower(),)
    assert F.backwards(seq) is None
    assert not found(index_of(f"gesprek met {word}"), f"Volgens {word[::-1].lower()} was het rustig.")


def test_every_regional_indicator_letter_reads_as_its_letter_in_a_word():
    """A font without the flag draws the letter in a box: 🇼🇮🇪🇱... reads as a word."""
    for k, letter in enumerate(string.ascii_lowercase):
        indicator = chr(0x1F1E6 + k)
        for words in ([t.text for t in T.tokens(f"x{indicator}y")], T.token_texts(f"x{indicator}y")[0][0]):
            assert words == [f"x{letter}y"], (letter, words)
    word = "Doornzwaluw"
    flagged = "".join(chr(0x1F1E6 + ord(c) - ord("a")) for c in word.lower())
    assert found(index_of(f"gesprek met {word}"), f"Volgens {flagged} was het rustig.")


def test_every_digit_symbol_reads_as_its_digit_on_every_path():
    """Dingbat, double circled, parenthesized and other digits NFKC leaves
    alone (❶, ➀, ⓵, ⓿, ⑴; R08): a number written in them is a number."""
    symbols = T._DIGIT_SYMBOLS
    assert len(symbols) > 100 and {"\u2776", "\u2780", "\u24f5", "\u24ff", "\u2474", "\U0001f10b"} <= set(symbols)
    for c, d in symbols.items():
        text = f"tel {c * 5}."
        words = [[t.text for t in T.tokens(text)], T.token_texts(text)[0][0]]
        cheap = T.folded_words(text)  # None: only the tokens can tell (an astral character)
        assert words == [["tel", d * 5]] * 2 and (cheap is None or d * 5 in cheap), (hex(ord(c)), words, cheap)
    index = index_of("tel 06-1122 3344")
    for family in (
        "\u24ff\u2776\u2777\u2778\u2779",
        "\U0001f10b\u2780\u2781\u2782\u2783",
        "\u24ea\u24f5\u24f6\u24f7\u24f8",
    ):
        zero, six = family[0], chr(ord(family[1]) + 5)
        one, two, three, four = family[1:5]
        assert found(index, f"Bel {zero}{six}-{one}{one}{two}{two} {three}{three}{four}{four} nu."), family


@settings(max_examples=100, deadline=None)
@given(
    letters=st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=4),
    year=st.integers(1990, 2030),
    number=st.integers(1000, 9999),
    order=st.permutations([0, 1, 2]),
    short=st.booleans(),
    sep=st.sampled_from(["/", "-", ".", " / ", " "]),
)
def test_a_reference_is_found_in_any_order_and_with_its_year_short(letters, year, number, order, short, sep):
    segs = [letters, str(year), str(number)]
    index = index_of(f"verslag {'/'.join(segs)}")
    if short:
        segs[1] = segs[1][2:]
    assert found(index, f"Dossier {sep.join(segs[k] for k in order)} is gesloten.")


@pytest.mark.parametrize("written", ["Wiele-waal", "Wiele waal", "Wiele- waal", "Wie-le-waal", "wiele waals"])
def test_a_listed_rare_word_split_is_found(written):
    """Wielewaal is in the frequency list (Zipf 2.5): it was found whole only.
    Inside a longer word it still is not (a word of the language starts and
    ends others: tests/publish/test_secrets.py, Wielewaalkoning)."""
    index = index_of("codenaam Wielewaal")
    assert found(index, f"Volgens {written} was het rustig.")
    assert not found(index, "Volgens Wiele waalkoning was het rustig.")


# --- the check and the render ------------------------------------------------------------

# one secret per class, each in its own internal field (the audit's finding
# names the field: so which class it found), and how the text writes it
FORMS = {
    "backwards": ("Moerbeiboom", "moobiebreoM"),
    "override": ("Kastanjelaan", "\u202enaalejnatsaK\u202c"),
    "phone_backwards": ("0687654321", "1234 5678-60"),
    "letters": ("Kwelderhaan", "K w e l d e r h a a n"),
    "regional": ("Doornzwaluw", "".join(chr(0x1F1E6 + ord(c) - 97) for c in "doornzwaluw")),
    "reordered": ("TR/2026/4471", "4471-TR-2026"),
    "short_year": ("KL/2025/7731", "KL/25/7731"),
    "split": ("Wielewaal", "Wiele-waal"),
    "dingbat_digits": ("0611223344", "\u24ff\u277b-\u2776\u2776\u2777\u2777 \u2778\u2778\u2779\u2779"),
    # red team pass 5: the limits pass 4 left
    "spoken_nl": ("0611447733", "nul zes elf vierenveertig zevenenzeventig drie\u00ebndertig"),
    "spoken_en": ("0622558811", "zero six two two five five eight eight one one"),
    "upside_down": ("Brakelhoven", "u\u01dd\u028co\u0265\u0285\u01dd\u029e\u0250\u0279\u15fa"),
    "initial": ("Marleen Oosterhuis", "Marleen O."),
    "pieces": ("Quelderhaven", "Qu el der ha ven"),
    # red team pass 6: a name of two words in pieces (T12)
    "pieces_name": ("Karel Smit", "Ka rel Sm it"),
}


def report_with_forms(tmp_path: Path):
    r = make_report(tmp_path)
    fields = "".join(f"\n    {k}: '{secret}'" for k, (secret, _) in FORMS.items())
    sources = r.path("sources.yaml").read_text(encoding="utf-8")
    r.write("sources.yaml", sources.replace("Genève", "Genève" + fields), dedent_text=False)
    r.expect_none("AB302")
    body = r.path(CHAPTER).read_text(encoding="utf-8").rstrip("\n")
    lines = {}
    for k, (_, written) in FORMS.items():
        body += f"\n\nVolgens {written} was het rustig.[@hrw-2025]"
        lines[k] = body.count("\n") + 1
    r.write(CHAPTER, body + "\n", dedent_text=False)
    return r, lines


def test_the_check_finds_every_form_where_it_was_written_and_the_audit_in_every_format(tmp_path):
    r, lines = report_with_forms(tmp_path)
    found_at = {(d.line, d.column): d for d in r.check() if d.code == "AB302"}
    for k, line in lines.items():
        d = found_at.get((line, 9 + FORMS[k][1].startswith("\u202e")))  # the override is not the word
        assert d is not None and f"internal field {k} " in d.message, (k, sorted(found_at))
        assert FORMS[k][0] not in d.message and FORMS[k][1] not in d.message
    # the check bypassed: the render's audit of the real outputs finds every
    # form in every format, and nothing is published
    with pytest.raises(AuditFailed) as err:
        render_report(r.dir, RenderOptions(out_dir=tmp_path / "out", refuse_confidentiality=False))
    for ext in ("html", "pdf", "docx", "odt"):
        origins = " ".join(f.origin for f in err.value.findings if f.file.endswith(f".{ext}"))
        missed = [k for k in FORMS if f"internal.{k} " not in origins]
        assert not missed, (ext, missed)
    assert not any((tmp_path / "out").glob("testland.*"))


# markup inside a word (M01): pandoc takes it out, every output prints the
# word joined; the render's audit found it, the check did not say where
MARKUP = ["Wi*ele*waal", "Wiele^waal^", "Wiele~~waal~~", "[Wiele]{.x}waal", "Wiele<!-- x -->waal", "Wi**ele**waal"]


def test_the_check_finds_a_secret_split_by_markup_where_it_was_written(tmp_path):
    r = make_report(tmp_path)
    sources = r.path("sources.yaml").read_text(encoding="utf-8")
    r.write("sources.yaml", sources.replace("Genève", "Genève (codenaam Wielewaal)"), dedent_text=False)
    r.expect_none("AB302")
    body = r.path(CHAPTER).read_text(encoding="utf-8").rstrip("\n")
    lines = []
    for written in MARKUP:
        body += f"\n\nVolgens {written} was het rustig.[@hrw-2025]"
        lines.append(body.count("\n") + 1)
    r.write(CHAPTER, body + "\n", dedent_text=False)
    found = {(d.line, d.column) for d in r.check() if d.code == "AB302"}
    # the column of the word itself (after a span's "[")
    missed = [w for w, line in zip(MARKUP, lines, strict=True) if (line, 9 + w.startswith("[")) not in found]
    assert not missed, (missed, sorted(found))


# --- red team pass 5 -------------------------------------------------------------

_NL_UNITS = "nul een twee drie vier vijf zes zeven acht negen".split()
_NL_TEENS = "tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien".split()
_NL_TENS = "twintig dertig veertig vijftig zestig zeventig tachtig negentig".split()
_EN_UNITS = "zero one two three four five six seven eight nine".split()
_EN_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def spoken(group: str, lang: str) -> str:
    """A group of one or two digits as a reader says it ("06": "nul zes")."""
    units, teens, tens = (_NL_UNITS, _NL_TEENS, _NL_TENS) if lang == "nl" else (_EN_UNITS, _EN_TEENS, _EN_TENS)
    if len(group) == 1 or group[0] == "0":
        return " ".join(units[int(c)] for c in group)
    n = int(group)
    if n < 20:
        return teens[n - 10]
    t, u = divmod(n, 10)
    if not u:
        return tens[t - 2]
    if lang == "en":
        return f"{tens[t - 2]}-{units[u]}"
    return units[u] + ("\u00ebn" if units[u].endswith("e") else "en") + tens[t - 2]


@settings(max_examples=60, deadline=None)
@given(
    digits=st.text(alphabet="0123456789", min_size=9, max_size=9),
    lang=st.sampled_from(["nl", "en"]),
    sizes=st.lists(st.sampled_from([1, 2]), min_size=10, max_size=10),
    sep=st.sampled_from([" ", ", ", " - ", "\u00a0"]),
)
def test_a_number_spelt_out_in_words_is_found_on_every_path(digits, lang, sizes, sep):
    """Digit by digit, in pairs, or mixed, Dutch or English: the number's
    digits are found; one digit more or less is not."""
    number = "0" + digits
    groups, k = [], 0
    for size in sizes:
        if k < len(number):
            groups.append(number[k : k + size])
            k += size
    # "twenty one" is 21 to a reader (and to the matcher), not 20 and 1
    pairs = zip(groups, groups[1:], strict=False)
    assume(not any(lang == "en" and len(a) == 2 and a[1] == "0" and len(b) == 1 for a, b in pairs))
    index = index_of(f"tel {number}")
    assert found(index, f"Bel {sep.join(spoken(g, lang) for g in groups)} voor meer.")
    other = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not found(index, f"Bel {sep.join(spoken(c, lang) for c in other)} voor meer.")


# what an upside-down text generator writes for each letter (reversed order)
_TURN = dict(zip("abcdefghijklmnopqrstuvwxyz", "ɐqɔpǝɟƃɥıɾʞʅɯuodbɹsʇnʌʍxʎz", strict=True))
_TURN.update({"B": "ᗺ", "K": "ꓘ", "M": "W", "W": "M", "P": "Ԁ", "R": "ᴚ", "T": "⊥", "L": "˥"})


def turned(text: str) -> str:
    return "".join(_TURN.get(c, _TURN.get(c.lower(), c) if c.islower() else c) for c in reversed(text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word=WORDS, capital=st.sampled_from("BKMPRTLW"))
def test_a_secret_written_upside_down_is_found_on_every_path(word, capital):
    """The audit reads the text upright as one more reading; the check reads
    the upright view of the text (same offsets): both find it."""
    word = capital + word[1:]
    # only letters that are plain letters turned (qqqqW) are ordinary text
    assume(not turned(word).isascii())
    index = index_of(f"codenaam {word}")
    text = f"Het netwerk heet {turned(word)} sinds 2024."
    assert T.upright(text) is not None and found(index, T.upright(text))
    hits = {p for t, g in T.token_texts(text) for _, _, p in index.find_texts(t, g)}
    assert index.may_match(text) and hits


def test_a_long_word_beside_a_turned_letter_is_read_upright_in_linear_time():
    """H2 (red team pass 6): an upside-down stretch starts only at a word's
    start; tried at each of a word's 19,000 positions, a paragraph with
    "Məmmədov" (ə is ordinary Azerbaijani) cost 25 s in the check. Four
    times the word: about four times the time (the square: 0.53 -> 1.84 s
    for 10,000 -> 20,000 letters)."""
    times = []
    for n in (10_000, 40_000):
        text = "De heer Məmmədov sprak, zie " + "a" * n + ". En " + "ɐ" * 3 + "b" * n
        best = float("inf")
        for _ in range(3):  # the best of three, as test_fingerprint_words' linear-cost test
            start = time.perf_counter()
            up = T.upright(text)
            best = min(best, time.perf_counter() - start)
        assert up is not None and len(up) == len(text) and "Məmmədov" not in up
        times.append(best)
    # 4x the text: ~4x the time (quadratic would be 16x); generous for a loaded machine
    assert times[1] < 10 * max(times[0], 0.005), times


def test_hebrew_pe_reads_as_an_upside_down_capital_g():
    """Generators write G turned as Hebrew פ (U+05E4); red team pass 6 left it
    read as itself (the masked matching alone still found the word)."""
    index = index_of("codenaam Gruttoveld")
    text = f"Het netwerk heet {turned('ruttoveld')}\u05e4 sinds 2024."
    assert T.upright(text) == "Het netwerk heet Gruttoveld sinds 2024."
    assert found(index, T.upright(text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word=WORDS, cuts=st.lists(st.sampled_from([2, 3]), min_size=6, max_size=6))
def test_a_word_in_pieces_of_two_or_three_letters_is_found(word, cuts):
    pieces, k = [], 0
    for c in cuts:
        if k < len(word):
            pieces.append(word[k : k + c])
            k += c
    if k < len(word):
        pieces.append(word[k:])
    if len(pieces) < 3 or len(pieces[-1]) > 3:
        return
    assert found(index_of(f"gesprek met {word}"), f"Volgens {' '.join(pieces)} was het rustig.")


def test_a_first_name_with_the_surnames_initial_is_found_but_not_another_name():
    index = index_of("contact: Marleen Oosterhuis, medewerker")
    assert found(index, "Volgens Marleen O. was het rustig.")
    assert found(index, "Volgens Marleen O was het rustig.")
    assert not found(index, "Volgens Marleen V. was het rustig.")
    assert not found(index, "Volgens Marleen was het rustig.")


# --- red team pass 6 -------------------------------------------------------------

# first names and surnames that are ordinary words or too short alone (Karel
# Smit has no one-word fingerprint): only the name as a whole is a secret
NAMES = st.tuples(
    st.sampled_from(["Karel", "Marleen", "Pieter", "Anouk", "Jeroen", "Fatima", "Bram"]),
    st.sampled_from(["Smit", "Oosterhuis", "Bakker", "Visser", "Mulder", "Dekker", "Brouwer"]),
)


def in_pieces(word: str, cuts: list[int]) -> list[str]:
    """``word`` cut into pieces of the sizes ``cuts`` (cycled), the last what is left."""
    out, k = [], 0
    while k < len(word):
        c = cuts[len(out) % len(cuts)]
        out.append(word[k : k + c])
        k += c
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES, cuts=st.lists(st.integers(1, 3), min_size=1, max_size=4), key=st.sampled_from(["who", "contact"]))
def test_a_name_of_two_words_in_pieces_is_found(name, cuts, key):
    """T12: each word rebuilt from its pieces, the words in sequence
    ("Ka rel Sm it" for Karel Smit); pass 5 rebuilt one-word secrets only."""
    first, last = name
    pieces = in_pieces(first, cuts) + in_pieces(last, cuts)
    assume(len(pieces) >= 3 and not ordinary_phrase([p.lower() for p in pieces]))
    index = index_of(f"{first} {last}", key)
    assert found(index, f"Volgens {' '.join(pieces)} was het rustig.")
    # another surname in pieces is not the name
    assert not found(index, f"Volgens {' '.join(in_pieces(first, cuts))} Ja ns en was het rustig.")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Pieter Vandeweg", "De auto werd van de weg gehaald."),
        ("Pieter Vandeweg", "Van de weg af gezien was het rustig."),
        ("Anna Vandenbos", "Hij liep van den bos naar huis."),
        ("Anna Opdeweg", "Zij was op de weg naar huis."),
        ("Anna Terhal", "De taak is ter hal van de stad."),
    ],
)
def test_an_ordinary_phrase_is_not_read_as_a_surname_in_pieces(name, text):
    """FP1: "van de weg" (function words, then a common word) is not the
    surname Vandeweg; the surname itself, and a name's pieces that are not
    such a phrase, still are."""
    index = index_of(f"who: {name}")
    assert not found(index, text)
    surname = name.split()[1]
    assert found(index, f"Volgens {surname} was het rustig.")
    assert found(index, f"Volgens {' '.join(in_pieces(surname, [2, 3]))} was het rustig.")


def test_a_name_of_several_words_in_pieces_costs_one_pass():
    """A hostile run of one-letter pieces that keep starting the name's
    first word: each start grows at most one piece per letter of the name.
    Four times the run: about four times the time (best of three)."""
    index = index_of("who: Aaaaab Aaaaac")
    times = []
    for n in (10_000, 40_000):
        text = " ".join(["a"] * n)
        best = float("inf")
        for _ in range(3):  # the best of three, as test_fingerprint_words' linear-cost test
            start = time.perf_counter()
            assert not found(index, text)
            best = min(best, time.perf_counter() - start)
        times.append(best)
    # 4x the text: ~4x the time (quadratic would be 16x); generous for a loaded machine
    assert times[1] < 10 * max(times[0], 0.005), times
