"""Secrets are found in any form, not only as whole values (issue #10).

The normaliser (publish/text.py), the fingerprints (publish/fingerprint.py),
the check (AB302, check/confidential.py) and the audit's matcher share one
idea: a secret is a sequence of folded tokens. These tests fail on a main
that matched whole internal values only.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import quote

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.publish.audit import Matcher
from ambtsbericht_build.publish.extract import Part
from ambtsbericht_build.publish.fingerprint import (
    EMAIL,
    NAME,
    NUMBER,
    QUOTED,
    RARE,
    REFERENCE,
    RUN,
    Index,
    common,
    compound,
    fingerprints,
)
from ambtsbericht_build.publish.forbidden import INTERNAL, Forbidden, Needle
from ambtsbericht_build.publish.text import dehyphenated, joined, tokens
from tests.fixtures.report_kit import CHAPTER, make_report


def words(s: str) -> list[str]:
    return [t.text for t in joined(tokens(s))]


# --- the normaliser ----------------------------------------------------------------------------

CYRILLIC = str.maketrans("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ")


def found(text: str) -> set[int]:
    index = Index()
    for k, seq in enumerate([("kwartel",), ("bz", "20250412"), ("0612345670",)]):
        index.add(seq, k)
    return {payload for _, _, payload in index.find(tokens(text))}


def test_every_perturbation_folds_to_the_same_tokens():
    plain = words("Kwartel BZ-2025/0412, 06-1234 5670")
    assert plain == ["kwartel", "bz", "20250412", "0612345670"]
    for variant in [
        "KWARTEL bz 2025 0412 0612345670",  # case, separators
        "Ｋｗａｒｔｅｌ ＢＺ－２０２５／０４１２ ０６－１２３４ ５６７０",  # fullwidth (NFKC)
        "Kw\u200bar\u200dtel BZ\u2011\u200b2025/0412 06\u2060-1234 5670",  # zero-width, word joiner
        "\u202eKwar\u200ftel\u202c BZ\u20132025\u20140412 06\u20121234\u00a05670",  # bidi, dashes, nbsp
        "Kwa\ufe0frtel BZ---2025/0412 06--1234 5670",  # variation selector, -- and ---
        "Kwar\U000e0041tel BZ/2025/0412 06.1234.5670",  # a tag character
        "Kwartel".translate(CYRILLIC) + " BZ-2025/0412 06-1234 5670",  # look-alike letters
        "Kwa\u0301rtel BZ2025/0412 06/1234/5670",  # a combining accent; letters glued to digits
        "Kwar\u00adtel BZ 2025 0412 06 12 34 56 70",  # soft hyphen; another grouping
    ]:
        assert found(variant) == {0, 1, 2}, variant
    # percent-encoding (a link target)
    assert words(quote("Jan de Vries BZ-2025/0412", safe="")) == words("Jan de Vries BZ-2025/0412")
    # NFC and NFD spell one word
    assert words(unicodedata.normalize("NFD", "Genève")) == words("Genève") == ["geneve"]


def test_a_hyphen_at_a_line_end_is_undone_for_the_pdf_text():
    text = "bron Kwar-\ntel in de havenpolitie"
    toks = tokens(text)
    assert "kwartel" not in [t.text for t in toks]
    joined = dehyphenated(text, toks)
    assert joined is not None and "kwartel" in [t.text for t in joined]


def test_offsets_point_into_the_original_text():
    text = "a\u200bb Jan%20de%20Vries 06-1234"
    for t in tokens(text):
        assert t.start < t.end <= len(text)
    jan = next(t for t in tokens(text) if t.text == "jan")
    assert text[jan.start : jan.end] == "Jan"


# --- fingerprints ---------------------------------------------------------------------------------


def kinds(value: str, allow=frozenset()) -> dict[tuple[str, ...], str]:
    return {p.tokens: p.what for p in fingerprints(value, allow)}


def test_fingerprints_of_an_internal_note():
    k = kinds("contact 'Kompas', Jan de Vries, tel. 06-1234 5670, jan.devries@example.org; verslag BZ-2025/0412")
    assert k[("kompas",)] == QUOTED  # a common word, but quoted: a code name
    assert k[("jan", "de", "vries")] == NAME
    assert k[("0612345670",)] == NUMBER
    assert k[("jan", "devries", "example", "org")] == EMAIL
    assert k[("bz", "20250412")] == REFERENCE
    assert RUN in k.values()
    assert ("bz",) not in k  # the letters of a reference are not looked for alone
    assert kinds("informant Wielewaal")[("wielewaal",)] == RARE


def test_common_words_dates_and_short_numbers_are_not_fingerprints_alone():
    assert kinds("ja") == {}
    assert kinds("Havenstad") == {}  # a common Dutch word (havenstad: port city)
    assert kinds("2026-09-01") == {}  # the report's own date is printed everywhere
    assert kinds("1187") == {}
    # a date is part of a run of words
    k = kinds("gesprek op 2026-09-01 met Wielewaal")
    assert ("20260901",) not in k and any("20260901" in seq for seq in k)


def test_the_allow_list_drops_a_term_alone_and_its_pieces():
    value = "ambtenaar ministerie van Binnenlandse Veiligheid, Steenrijk"
    assert ("steenrijk",) in kinds(value)
    allowed = kinds(value, {("steenrijk",), ("ministerie", "van", "binnenlandse", "veiligheid")})
    assert ("steenrijk",) not in allowed
    assert all(seq not in {("ministerie", "van", "binnenlandse")} for seq in allowed)


def test_dutch_compounds_are_ordinary_words():
    freq = common()
    for w in ("gespreksverslag", "detentiecentra", "documentdeskundige", "strafrechtadvocaat"):
        assert compound(w, freq), w
    assert not compound("specimina", freq)  # (a capitalised Wielewaal is a rare word, compound or not)


def test_yaml_keeps_numbers_as_text_end_to_end(tmp_path):
    """`0612345670` and `0214_0377` stay text (not octal 0o612345670 or 2140377)."""
    r = make_report(tmp_path)
    r.write(
        "sources.yaml",
        """
        - id: vb-2025-11-04
          type: interview
          confidential: true
          issued: 2025-11-04
          internal:
            phone: 0612345670
            dossier: 0214_0377
        """,
    )
    r.chapter(
        """
        # Politiek en veiligheid {#h-politiek}

        ## Verkiezingen {#sec-verkiezingen tor="1.1"}

        Bel 06-1234 5670 of zie dossier 0214-0377.[@vb-2025-11-04]

        ## Veiligheid {#sec-veiligheid tor="1.2"}

        Een vertrouwelijke bron meldde gevechten.[@vb-2025-11-04]
        """
    )
    found = [d for d in r.check() if d.code == "AB302"]
    assert {d.message.split(" of source")[0] for d in found} == {
        "number from internal field phone",
        "number from internal field dossier",
    }
    for d in found:
        assert "0612" not in d.message and "0214" not in d.message and "5670" not in d.message


# --- the check: where, and never the value -------------------------------------------------------

SOURCE = """
- id: vb-2025-11-04
  type: interview
  confidential: true
  issued: 2025-11-04
  internal:
    who: "informant {piece}, havenpolitie"
"""


def test_check_reports_file_line_column_source_and_field_never_the_value(tmp_path):
    r = make_report(tmp_path)
    r.write("sources.yaml", SOURCE.format(piece="Wielewaal"))
    body = r.path(CHAPTER).read_text(encoding="utf-8")
    r.write(CHAPTER, body.replace("gevechten in het noorden", "gevechten bij Wiele[^1]waal"), dedent_text=False)
    r.write(CHAPTER, r.path(CHAPTER).read_text(encoding="utf-8") + "\n[^1]: Zie ook de kaart.\n", dedent_text=False)
    line_no = next(i for i, line in enumerate(r.path(CHAPTER).read_text().split("\n"), 1) if "Wiele[^1]" in line)
    col = r.path(CHAPTER).read_text().split("\n")[line_no - 1].index("Wiele") + 1
    d = r.expect("AB302", CHAPTER, line_no, col)
    assert "internal field who of source vb-2025-11-04" in d.message and RARE in d.message
    assert "Wiele" not in d.message and "waal" not in d.message.replace("rare", "")


def test_report_yaml_media_names_and_public_sources_are_public_text(tmp_path):
    r = make_report(tmp_path)
    r.write("sources.yaml", SOURCE.format(piece="Wielewaal") + r.path("sources.yaml").read_text())
    r.write("report.yaml", r.path("report.yaml").read_text().replace("Testland\n", "Testland (Wielewaal)\n", 1))
    r.write("media/kaart-wielewaal.png", b"\x89PNG\r\n\x1a\n")
    found = [d for d in r.check() if d.code == "AB302"]
    files = {Path(d.file).name for d in found}
    assert {"report.yaml", "kaart-wielewaal.png"} <= files, found
    # on the allow list it is public
    r.write("report.yaml", r.path("report.yaml").read_text() + "public_terms: [Wielewaal]\n")
    assert [d for d in r.check() if d.code == "AB302"] == []


# --- the property: found by the check, or absent from every output -----------------------------

LETTERS = "bcdfghjklmnprstvwz"
VOWELS = "aeiou"


@st.composite
def secret_piece(draw):
    """A distinctive piece of an internal value: (as written in internal, as pasted)."""
    kind = draw(st.sampled_from(["name", "reference", "phone", "email", "quoted"]))
    syll = st.tuples(st.sampled_from(LETTERS), st.sampled_from(VOWELS), st.sampled_from(LETTERS))
    word = "".join("".join(s) for s in draw(st.lists(syll, min_size=2, max_size=3)))
    assume(word not in common() and not compound(word, common()))
    if kind == "name":
        return f"bron {word.capitalize()}", word.capitalize()
    if kind == "quoted":
        return f"contact '{word}'", word
    if kind == "reference":
        pre = draw(st.text("ABKMZ", min_size=2, max_size=3))
        num = draw(st.integers(1000, 9999))
        ref = f"{pre}-VB/2025/{num}"
        return f"verslag {ref}", ref
    if kind == "phone":
        digits = "06" + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8)))
        pasted = draw(st.sampled_from([digits, f"{digits[:2]}-{digits[2:6]} {digits[6:]}", " ".join(digits)]))
        return f"tel. {digits}", pasted
    return f"mail {word}@example.org", f"{word}@example.org"


def perturb(piece: str, how: str) -> str:
    mid = max(1, len(piece) // 2)
    if how == "upper":
        return piece.upper()
    if how == "fullwidth":
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in piece)
    if how == "cyrillic":
        return piece.translate(CYRILLIC)
    if how == "dashes":
        return piece.replace("-", "\u2013").replace("/", " / ")
    if how in ("zwsp", "bidi", "vs", "tag", "shy", "accent"):
        ch = {
            "zwsp": "\u200b",
            "bidi": "\u200e",
            "vs": "\ufe0f",
            "tag": "\U000e0020",
            "shy": "\u00ad",
            "accent": "\u0301",
        }[how]
        while mid < len(piece) and not piece[mid - 1].isalnum():
            mid += 1
        return piece[:mid] + ch + piece[mid:]
    return piece


def place(channel: str, text: str) -> tuple[str, str]:
    """(file relative to the report, content to add or to replace with)."""
    url = "https://example.org/zoek?q=" + quote(text, safe="")
    chapters = {
        "para": f"Er waren gevechten, volgens {text}.[@vb-2025-11-04]",
        "note call": f"Er waren gevechten bij {text[: len(text) // 2]}[^9]{text[len(text) // 2 :]} in het noorden."
        "[@vb-2025-11-04]\n\n[^9]: Zie de kaart.",
        "inline note": "Er waren gevechten.^[Zoals " + text + " meldde.] [@vb-2025-11-04]",
        "link text": f"Er waren gevechten ([{text}](https://example.org/a)).[@vb-2025-11-04]",
        "link target": f"Er waren gevechten ([meer]({url})).[@vb-2025-11-04]",
        "alt text": f"![Kaart van {text}](media/kaart.png)\n\nEr waren gevechten.[@vb-2025-11-04]",
        "line break": "Er waren gevechten, volgens de\n" + text + "\nin het noorden.[@vb-2025-11-04]",
        "attribute": f'[gevechten]{{title="{text}"}} in het noorden.[@vb-2025-11-04]',
    }
    if channel in chapters:
        return CHAPTER, chapters[channel]
    return channel, text


CHANNELS = [
    "para",
    "note call",
    "inline note",
    "link text",
    "link target",
    "alt text",
    "line break",
    "attribute",
    "report.yaml",
    "tor.yaml",
    "glossary.yaml",
    "public source",
    "media name",
]
PERTURBATIONS = ["none", "upper", "fullwidth", "cyrillic", "dashes", "zwsp", "bidi", "vs", "tag", "shy", "accent"]


def put(r, channel: str, text: str) -> None:
    rel, content = place(channel, text)
    if rel == CHAPTER:
        body = r.path(CHAPTER).read_text(encoding="utf-8")
        r.write(CHAPTER, body.rstrip("\n") + "\n\n" + content + "\n", dedent_text=False)
    elif channel == "report.yaml":
        report = r.path("report.yaml").read_text(encoding="utf-8")
        r.write("report.yaml", report.replace("title: Algemeen ambtsbericht Testland", f"title: 'Testland {text}'", 1))
    elif channel == "tor.yaml":
        r.write("tor.yaml", r.path("tor.yaml").read_text().replace("ontwikkelingen?", f"ontwikkelingen rond {text}?"))
    elif channel == "glossary.yaml":
        r.write("glossary.yaml", f"XYZ: '{text}'\n")
    elif channel == "public source":
        r.write("sources.yaml", r.path("sources.yaml").read_text().replace("– Testland", f"– Testland {text}"))
    else:
        safe = re.sub(r"[/\\\x00]", "-", text)
        r.write(f"media/{safe}.png", b"")


def ab302(r) -> list:
    return [d for d in r.check() if d.code == "AB302"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(piece=secret_piece(), channel=st.sampled_from(CHANNELS), how=st.sampled_from(PERTURBATIONS))
def test_a_pasted_piece_of_a_secret_is_always_found(piece, channel, how):
    written, pasted = piece
    text = perturb(pasted, how)
    with tempfile.TemporaryDirectory() as tmp:
        r = make_report(Path(tmp))
        r.write("sources.yaml", r.path("sources.yaml").read_text().replace("who: ", f"notes: {written}\n    who: "))
        assert ab302(r) == []
        put(r, channel, text)
        found = ab302(r)
        assert found, (channel, how)
        for d in found:
            assert "source vb-2025-11-04" in d.message
            assert pasted.lower() not in d.message.lower()


def test_the_audit_matcher_finds_fingerprints_in_output_text():
    """The same fingerprints in the render's audit: a piece of the value, in
    an output's text with what the renderers do to it (a PDF's line-end
    hyphen, curly quotes, nbsp), is refused."""
    needles = [
        Needle(INTERNAL, "", "source vb-1 internal.who (sources.yaml:5)", tokens=p.tokens, what=p.what)
        for p in fingerprints("informant Wielewaal, tel. 06-1234 5670")
    ]
    m = Matcher(Forbidden(needles, []))
    for text in ["volgens Wiele-\nwaal", "bel 06\u00a012345670", "WIELE\u200bWAAL", "informant, tel. 0612 34 56 70"]:
        hits = m.match(Part("PDF page text", text))
        assert hits and all(n is not None and n.origin.startswith("source vb-1") for n, _ in hits), text
    assert m.match(Part("PDF page text", "Wielewaalkoning en 1234")) == []
