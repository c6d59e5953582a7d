"""Look-alikes the shared normaliser (publish/text.py) used to miss: the red
team's NL1 (letters, symbols and digits of other scripts that read as Latin
letters), NL2 (the letters O and l in a number, wide separators), NL8 (a
near-miss of a confidential key in an id, a private-use character or Hangul
filler inside a word) and z02 (a look-alike in a deny-list entry). Each is
found by the check where it was written, and by the audit in real rendered
outputs when the check is bypassed."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ambtsbericht_build.publish import text as T
from ambtsbericht_build.publish.fingerprint import Index
from ambtsbericht_build.publish.near_miss import Keys
from ambtsbericht_build.render.pipeline import AuditFailed, RenderOptions, render_report
from tests.fixtures.report_kit import CHAPTER, PIXEL_PNG, make_report

# (class, the word as the secret has it, as written in the public text)
LOOKALIKES = [
    ("cherokee capital", "Lindenplein", "\u13deindenplein"),  # Ꮮ: was folded to i
    ("math capital", "Lindenplein", "\U0001d40bindenplein"),  # 𝐋: the same generator bug
    ("estimated symbol", "Zwartvoet", "Zwartvo\u212et"),  # ℮ (So)
    ("apl alpha", "Zwartvoet", "Zw\u237artvoet"),  # ⍺ (So)
    ("bengali zero", "Moerbeiboom", "M\u09e6erbeiboom"),  # ০ (Nd)
    ("devanagari zeros", "Moerbeiboom", "Moerbeib\u0966\u0966m"),
    ("v with hook", "Zwartvoet", "Zwart\u028boet"),  # ʋ: UTS #39 says u
    ("schwa", "Lindenplein", "Lind\u0259nplein"),
    ("t with stroke", "Zwartvoet", "Zwar\u0167voet"),
    ("cherokee small", "Zwartvoet", "Zw\uab7artvoet"),  # ꭺ: only its capital is in UTS #39
    ("private use", "Zwartvoet", "Zwart\ue000voet"),
    ("private use plane 16", "Zwartvoet", "Zwart\U00100000voet"),
    ("hangul filler", "Zwartvoet", "Zwart\u3164voet"),  # NFKC makes it the letter U+1160
    ("halfwidth hangul filler", "Zwartvoet", "Zwart\uffa0voet"),
    ("entity, hidden and look-alike", "Zwartvoet", "Zw&#x237A;rt&#x200B;vo&#x435;t"),
    # red team pass 3, NL9: UTS #39 entries the table lost
    ("malayalam anusvara", "Zwartvoet", "Zwartv\u0d02et"),  # Mc: was deleted as a mark
    ("kannada anusvara", "Moerbeiboom", "M\u0c82erbeiboom"),
    ("ideographic zero", "Moerbeiboom", "M\u3007erbeiboom"),  # Nl: skipped by the generator
    ("old italic one", "Lindenplein", "\U00010320indenplein"),  # No
    ("lunate sigma", "Castelijn", "\u03f9astelijn"),  # NFKC made it Σ before the table
    # NL10: by their Unicode names
    ("small capital i", "Moerbeiboom", "Moerbe\ua7aeboom"),  # Latin: AB307 was silent too
    ("dotless j", "Kastanjelaan", "Kastan\u0237elaan"),
    ("negative squared", "Zwartvoet", "Zw\U0001f170rtvoet"),
    ("parenthesized", "Zwartvoet", "Zw\u249crtvoet"),  # NFKC made it "(a)", which cut the word
]
# NL10: look-alikes no table knows, found by masked matching (fingerprint.Index)
MASKED = [
    ("cyrillic soft sign", "Moerbeiboom", "Moer\u044ceiboom"),
    ("armenian liwn", "Lindenplein", "Lindenp\u056cein"),
    ("tifinagh yey", "Lindenplein", "\u2d49indenplein"),
    ("syllabics we", "Zwartvoet", "Z\u15efartvoet"),
    ("gothic ka", "Kompas", "\U0001033aompas"),  # the quoted code name
    ("georgian", "Kompas", "Kompa\u10bd"),
    ("two in a long word", "Moerbeiboom", "Moer\u044ceib\u0585\u0585m"),
    ("vai digit zero", "Zwartvoet", "Zwartv\ua620et"),  # a digit of another script no table lists
]


def readings(text: str) -> list[list[str]]:
    """The words of ``text`` by every path the check and the audit take."""
    out = [[t.text for t in T.tokens(text)], T.token_texts(text)[0][0]]
    words = T.folded_words(text)
    if words is not None:
        out.append(sorted(words))
    return out


@pytest.mark.parametrize("name, secret, written", LOOKALIKES, ids=[c[0] for c in LOOKALIKES])
def test_a_lookalike_reads_as_the_letter_on_every_path(name, secret, written):
    for words in readings(f"Volgens {written} was het rustig."):
        assert secret.lower() in words, (name, words)


def test_every_single_letter_of_the_table_reads_as_that_letter_on_every_path():
    """The generated table, walked whole (red team pass 3, NL9): every entry
    whose prototype is one Latin letter reads as it inside a word, by every
    path. Where NFKC itself makes the letter ASCII (long s ſ: s; the
    digraph capitals ǅ ǈ ǋ ǲ: dz, lj, nj, dz), NFKC's reading stands."""
    nfkc_reads = {"\u017f", "\u01c5", "\u01c8", "\u01cb", "\u01f2"}
    wrong = []
    for code, target, _kind in T._ROWS:
        c = chr(int(code, 16))
        if len(target) != 1 or not target.isalpha() or c in nfkc_reads:
            continue
        for words in readings(f"Volgens zw{c}rtvoet was"):
            if f"zw{target}rtvoet" not in words:
                wrong.append((code, target, words))
    assert wrong == []
    # the 16 of the red team's sweep that did not read as their letter
    # (U+00D7 × stays a sign: 2×3)
    sweep = "\u03f9\u037a\u3007\u0c02\u0c82\u0d02\u0d82\U00010320\U00010322\U000102f5\U000118f2\U000118ef\U000118ec"
    assert all(chr(int(code, 16)) in sweep for code, _, _ in T._ROWS if chr(int(code, 16)) in sweep)
    table = {chr(int(code, 16)) for code, _, _ in T._ROWS}
    assert [hex(ord(c)) for c in sweep + "\u166e" if c not in table] == []


@pytest.mark.parametrize("name, secret, written", MASKED, ids=[c[0] for c in MASKED])
def test_masked_matching_finds_a_lookalike_no_table_knows(name, secret, written):
    index = Index()
    index.add((secret.lower(),), 0)
    text = f"Volgens {written} was het rustig."
    assert index.may_match(text)
    assert index.find(T.tokens(text), text) == [(1, 2, 0)]
    texts, glue = T.token_texts(text)[0]
    assert index.find_texts(texts, glue) == [(1, 2, 0)]


@pytest.mark.parametrize(
    "written",
    [
        "Volgens Moerbeibaom was het rustig.",  # a typo in ASCII: no look-alike
        "Volgens \u041c\u043e\u0441\u043a\u0432\u0430 was het rustig.",  # a Russian word
        "Volgens K\u044c\u044cpas was het rustig.",  # two unknown letters in a short word
        "Volgens Moer\u044ceiboomen was het rustig.",  # a longer word
        "Volgens Moerbeibo\u00f0m was het rustig.",  # a letter of a European orthography (eth)
    ],
)
def test_masked_matching_needs_a_letter_outside_the_expected_alphabet(written):
    index = Index()
    for w in ("moerbeiboom", "zwartvoet", "moskva", "kompas"):
        index.add((w,), 0)
    assert index.find(T.tokens(written), written) == []
    texts, glue = T.token_texts(written)[0]
    assert index.find_texts(texts, glue) == []


def test_the_generator_reads_cherokee_tle_as_l():
    """UTS #39 lists Ꮮ under the prototype L; the generator lower-cased the
    prototype and then took every capital under "l" for an I."""
    assert "\u13de".translate(T.LOOKALIKES) == "l"
    assert "\U0001d40b".translate(T.LOOKALIKES) == "l"  # MATHEMATICAL BOLD CAPITAL L
    # ... while the capitals UTS #39 lists under small l still read as I
    assert "\u0399\u0406".translate(T.LOOKALIKES) == "ii"  # Greek Ι, Cyrillic І
    assert T.IN_WORD["\u212e"] == "e" and T.IN_WORD["\u237a"] == "a" and T.IN_WORD["\u09e6"] == "o"
    assert "\u00d7" not in T.IN_WORD  # 2×3 is no letter x


def test_symbols_and_other_digits_stay_what_they_are_outside_a_word():
    # a symbol between digit groups still glues them: one number
    assert [t.glue for t in T.tokens("06 \u2223 1234 \u2223 5670")] == [False, True, True]
    # a number in Arabic-Indic or Bengali digits stays a number, even glued to
    # a word: a run of more than two digits is no letter
    assert [t.text for t in T.tokens("Bel \u0660\u0666\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0660 nu")] == [
        "bel",
        "0612345670",
        "nu",
    ]
    assert [t.text for t in T.tokens("tel\u09e6\u09ec\u09e7\u09e8")][-1] == "0612"
    # a fullwidth or mathematical digit between letters stays the digit NFKC
    # makes of it; a digit of another script no table lists is an unknown letter
    assert [t.text for t in T.tokens("Zw\U0001d7d0rt Zw\uff12rt")] == ["zw", "2", "rt", "zw", "2", "rt"]
    assert [t.text for t in T.tokens("Zw\ua620rt")] == ["zw" + T.UNKNOWN_LETTER + "rt"]
    # a symbol next to a digit stays a separator; elsewhere it is a letter
    assert [t.text for t in T.tokens("2 \u212e 3")] == ["2", "3"]
    assert [t.text for t in T.tokens("\u237a. Bakker")] == ["a", "bakker"]
    # a digit of another script is a letter only inside a word
    assert [t.text for t in T.tokens("Bel \u09e6 nu")] == ["bel", "0", "nu"]


def test_letters_for_digits_only_in_a_word_that_is_otherwise_a_number():
    assert [t.text for t in T.joined(T.tokens("Bel O6-1234 567O of 06-l234 5670"))] == [
        "bel",
        "0612345670",
        "of",
        "0612345670",
    ]
    # a word of letters stays one, and so does a reference with letters
    assert [t.text for t in T.tokens("IO Olie BZ2O25")] == ["io", "olie", "bz", "2", "o", "25"]


def test_every_group_of_lookalike_letters_after_a_number_reads_as_digits():
    """CI's property test: "O6-OOOO OOOO" for 0600000000 (the third group
    followed a letter as written, so it stayed letters), and "06-OOOO OOOO",
    where no letter touches a digit at all."""
    index = Index()
    index.add(("0600000000",), 0)
    for written in ("O6-OOOO OOOO", "06-OOOO OOOO", "O6 OO OO OO OO", "06 - OOOO - OOOO"):
        assert index.find(T.tokens(written)), written
        assert any(index.find_texts(t, g) for t, g in T.token_texts(written)), written
    # a word after the number ends it, as before
    assert [t.text for t in T.tokens("In 2025 Olie")] == ["in", "2025", "olie"]


def test_a_separator_of_up_to_twelve_marks_glues_a_number():
    index = Index()
    index.add(("0612345670",), 0)

    def found(text: str) -> bool:
        return bool(index.find(T.tokens(text))) and any(index.find_texts(t, g) for t, g in T.token_texts(text))

    assert found("06 -//- 1234 -//- 5670")
    assert found("06" + " -/" * 4 + "1234" + "_" * 12 + "5670")  # 12 marks
    assert not found("06" + "-" * 13 + "1234 5670")  # 13: no longer one number
    assert not found("06 en 1234 5670")  # a word always ends it


def test_hidden_characters_include_private_use_and_hangul_fillers():
    for ch in ("\ue000", "\uf8ff", "\U000f0000", "\U0010fffd", "\u3164", "\uffa0"):
        assert T._INVISIBLE_RE.fullmatch(ch), unicodedata.name(ch, hex(ord(ch)))


# --- the check: AB302 where it was written -------------------------------------------------

WHO = (
    "contact 'Kompas', Jan Zwartvoet, kapper in Lindenplein; gesprek in koffiehuis Moerbeiboom,"
    " tel 0612345670, woont aan de Kastanjelaan bij Castelijn"
)


def report_with_secrets(tmp_path: Path):
    r = make_report(tmp_path)
    sources = r.path("sources.yaml").read_text(encoding="utf-8")
    r.write("sources.yaml", sources.replace("who: medewerker VN-organisatie, Genève", f"who: {WHO}"), dedent_text=False)
    r.expect_none("AB302")
    return r


def append(r, text: str) -> int:
    """Append a paragraph to the chapter; its line number."""
    body = r.path(CHAPTER).read_text(encoding="utf-8").rstrip("\n")
    r.write(CHAPTER, body + "\n\n" + text + "\n", dedent_text=False)
    return body.count("\n") + 3


@pytest.mark.parametrize("name, secret, written", LOOKALIKES + MASKED, ids=[c[0] for c in LOOKALIKES + MASKED])
def test_the_check_finds_a_lookalike_where_it_was_written(tmp_path, name, secret, written):
    r = report_with_secrets(tmp_path)
    line = append(r, f"Volgens {written} was het rustig.[@hrw-2025]")
    d = r.expect("AB302", CHAPTER, line, 9)
    assert "source vb-2025-11-04" in d.message and secret not in d.message


@pytest.mark.parametrize(
    "written",
    [
        "Bel O6-1234 567O voor info.",
        "Bel 06 -//- 1234 -//- 5670 voor info.",
        "Bel 06-l234-567O nu.",
        "Bel \u30076-1234 567\u3007 voor info.",  # ideographic zero (red team pass 3, V20)
    ],
)
def test_the_check_finds_a_number_with_letters_or_wide_separators(tmp_path, written):
    r = report_with_secrets(tmp_path)
    line = append(r, written + "[@hrw-2025]")
    assert "number" in r.expect("AB302", CHAPTER, line, 5).message


@pytest.mark.parametrize("channel", ["source title", "alt text", "glossary", "table cell", "heading"])
def test_the_check_finds_a_named_lookalike_in_every_public_channel(tmp_path, channel):
    """Red team pass 3, W01-W04 and V22: MoerbeꞮboom (U+A7AE, Latin, so
    AB307 was silent too) in a public source's title, alt text, a glossary
    expansion, a table cell and a heading: "no findings" before."""
    r = report_with_secrets(tmp_path)
    word = "Moerbe\ua7aeboom"
    if channel == "source title":
        r.write(
            "sources.yaml", r.path("sources.yaml").read_text().replace("\u2013 Testland", f"\u2013 Testland {word}")
        )
        where = "sources.yaml"
    elif channel == "glossary":
        r.write("glossary.yaml", f"MBB: '{word} Beheer'\n")
        where = "glossary.yaml"
    else:
        where = CHAPTER
        append(
            r,
            {
                "alt text": f"![Kaart {word}](media/kaart.png)\n\nHet was rustig.[@hrw-2025]",
                "table cell": f"| Plaats | Aantal |\n|---|---|\n| {word} | 3 |\n\n: Plaatsen [@hrw-2025]",
                "heading": f"## Over {word}\n\nHet was rustig.[@hrw-2025]",
            }[channel],
        )
    found = [d for d in r.check() if d.code == "AB302"]
    assert found and all(d.file.endswith(where) for d in found), found


def test_the_check_finds_a_lookalike_in_a_heading(tmp_path):
    r = report_with_secrets(tmp_path)
    line = append(r, "## Over \u13deindenplein\n\nHet was rustig.[@hrw-2025]")
    r.expect("AB302", CHAPTER, line, 9)


@pytest.mark.parametrize(
    "deny, written",
    [
        ("Operatie Noordster", "De Operatie \u039doordster liep."),  # red team z02: Greek capital Nu
        ("Geheimnaam", "De Geheimn\u237aam-zaak."),  # L12: APL alpha
        ("Operatie Noordster", "De Operatie Noordster liep."),  # plain: the check did not look at all
        ("Cederhout", "De \u03f9ederhout-zaak."),  # red team pass 3, V15: lunate sigma
        ("Bijlmerhof", "De Bi\u0237lmerhof-zaak."),  # V21: dotless j
        ("Bijlmerhof", "De Bi\u0237lmer\u056cof-zaak."),  # an unknown look-alike too: masked
    ],
)
def test_the_check_finds_a_deny_list_entry(tmp_path, deny, written):
    r = report_with_secrets(tmp_path)
    report = r.path("report.yaml").read_text(encoding="utf-8")
    r.write("report.yaml", report + f"deny: [{deny}]\n", dedent_text=False)
    r.expect_none("AB302")
    line = append(r, written + "[@hrw-2025]")
    d = r.expect("AB302", CHAPTER, line, 4)
    assert "deny[0]" in d.message and deny not in d.message


def test_the_check_finds_the_confidential_key_written_with_a_lookalike(tmp_path):
    r = report_with_secrets(tmp_path)
    line = append(r, "Zie dossier vb-2025-11-\u09e6\u0664.[@hrw-2025]")  # Bengali zero, digit 4 (a number: stays one)
    r.expect("AB302", CHAPTER, line, 13)


@pytest.mark.parametrize(
    "heading, column",
    [
        ("## Situatie {#vb-2025-11-4}", 14),  # a digit dropped
        ("## Situatie {#vb_2025.11.04}", 14),  # separators changed
        ("## Situatie {#sec-vb-2025-11-04-b}", 14),  # a prefix and a suffix
        ("## Situatie {#vb-2O25-11-O4 .x}", 14),  # letters for digits
        ("## Situatie {.vb-2025-11-05}", 14),  # a class, one digit changed
        ('## Situatie {title="vb 2025 11 04"}', 14),  # a value
    ],
)
def test_the_check_finds_a_near_miss_of_the_confidential_key_in_an_attribute(tmp_path, heading, column):
    r = report_with_secrets(tmp_path)
    line = append(r, heading + "\n\nHet was rustig.[@hrw-2025]")
    d = r.expect("AB302", CHAPTER, line, column)
    assert "key of confidential source vb-2025-11-04" in d.message


@pytest.mark.parametrize(
    "written, start",
    [
        ("![Kaart](media/kaart.png){#fig-vb-2025-11-4}", "fig-"),  # T07: a figure id
        ("| a | b |\n|---|---|\n| 1 | 2 |\n\n: Gegevens [@hrw-2025] {#tbl-vb-2025-11-4}", "tbl-"),  # T08
        ("Zie [dit]{.vb-2025-11-05} nu.[@hrw-2025]", "vb-"),  # T11: a span class
        ("Zie [dit]{data-x=vb_2025_11_04} nu.[@hrw-2025]", "vb_"),  # a span attribute
        ("Zie [hier](#vb-2025-11-4).[@hrw-2025]", "vb-"),  # T09: a link target
    ],
)
def test_the_check_finds_a_near_miss_of_the_key_inside_a_block(tmp_path, written, start):
    """Red team pass 3, T07-T11: "no findings" (or AB403 only) before; the
    render's audit refused the id, class or href."""
    r = report_with_secrets(tmp_path)
    r.write("media/kaart.png", PIXEL_PNG)
    line = append(r, written)
    line += written[: written.index(start)].count("\n")
    src = r.path(CHAPTER).read_text(encoding="utf-8").split("\n")[line - 1]
    d = r.expect("AB302", CHAPTER, line, src.index(start) + 1)
    assert "key of confidential source vb-2025-11-04" in d.message


def test_the_check_and_the_audit_find_a_near_miss_of_the_key_in_a_media_file_name(tmp_path):
    """T10: media/vb-2025-11-4.png is listed in the published manifest."""
    r = report_with_secrets(tmp_path)
    r.write("media/vb-2025-11-4.png", PIXEL_PNG)
    append(r, "![Kaart van Testland](media/vb-2025-11-4.png)\n\nHet was rustig.[@hrw-2025]")
    d = r.expect("AB302", "media/vb-2025-11-4.png", 1, 1)
    assert "key of confidential source vb-2025-11-04" in d.message and "media file name" in d.message
    with pytest.raises(AuditFailed) as err:
        render_report(r.dir, RenderOptions(out_dir=tmp_path / "out", refuse_confidentiality=False))
    found = {f.file.rsplit("/", 1)[-1] for f in err.value.findings if f.kind == "confidential source key"}
    assert "testland.manifest.json" in found, err.value.findings


def test_a_public_key_or_an_ordinary_id_is_no_near_miss(tmp_path):
    r = report_with_secrets(tmp_path)
    append(r, "## Situatie {#hrw-2025 .sec-2025-12-01}\n\nHet was rustig.[@hrw-2025]")
    r.expect_none("AB302")


# --- the render and the audit --------------------------------------------------------------

# one secret word per class, each in its own internal field: the audit's
# finding names the field, so which class it found
AUDITED = {
    "cherokee": ("Lindenplein", "\u13deindenplein"),
    "symbol": ("Zwartvoet", "Zwartvo\u212et"),
    "digit": ("Moerbeiboom", "M\u09e6erbeiboom"),
    "stroke": ("Kwikstaart", "Kwiks\u0167\u0251ar\u0167"),
    "schwa": ("Wielewaal", "Wiel\u0259waal"),
    "small cherokee": ("Roerdomp", "Roerd\uab74mp"),  # ꭴ, CHEROKEE SMALL LETTER U, reads as o
    "private use": ("Grutto", "Gru\ue000tto"),
    "hangul filler": ("Tureluur", "Ture\u3164luur"),
    "number": ("0687654321", "O6-8765 432l"),
    # red team pass 3: an anusvara (NL9), a small capital by its name and a
    # letter no table knows (NL10), an ideographic zero in a number
    "anusvara": ("Kievitsbloem", "Kievitsbl\u0d02em"),
    "small capital": ("Pimpernel", "P\ua7aempernel"),
    "masked": ("Boterbloem", "Boter\u044cloem"),
    "ideographic zero": ("0698765432", "\u30076-9876 5432"),
    "separators": ("0611223344", "06 -//- 1122 -//- 3344"),
}


def audited_report(tmp_path: Path):
    r = make_report(tmp_path)
    fields = "".join(f"\n    {k.replace(' ', '_')}: '{secret}'" for k, (secret, _) in AUDITED.items())
    sources = r.path("sources.yaml").read_text(encoding="utf-8")
    r.write("sources.yaml", sources.replace("Genève", "Genève" + fields), dedent_text=False)
    r.expect_none("AB302")
    for _, written in AUDITED.values():
        append(r, f"Volgens {written} was het rustig.[@hrw-2025]")
    return r


def test_the_render_refuses_and_the_audit_finds_every_class_in_real_outputs(tmp_path):
    r = audited_report(tmp_path)
    assert sum(d.code == "AB302" for d in r.check()) == len(AUDITED)
    proc = r.cli("render", r.rel, "--out", str(tmp_path / "refused"), timeout=300)
    assert proc.returncode != 0 and "AB302" in proc.stdout + proc.stderr
    assert not any((tmp_path / "refused").glob("*.*"))
    # the check bypassed: the render's audit of the real outputs finds every
    # class in every format, and nothing is published
    with pytest.raises(AuditFailed) as err:
        render_report(r.dir, RenderOptions(out_dir=tmp_path / "out", refuse_confidentiality=False))
    findings = err.value.findings
    for ext in ("html", "pdf", "docx", "odt"):
        origins = " ".join(f.origin for f in findings if f.file.endswith(f".{ext}"))
        missed = [k for k in AUDITED if f"internal.{k.replace(' ', '_')} " not in origins]
        assert not missed, (ext, missed)
    assert not any((tmp_path / "out").glob("testland.*"))


def test_the_near_miss_regex_is_bounded_for_a_hostile_key():
    """A key of a megabyte in a hostile sources.yaml: looked for as written
    only (AB302's key print), no regex of its square."""
    keys = Keys(["vb-" + "a" * 1_000_000, "vb-2025-11-04"])
    assert keys.find("vb-" + "a" * 999_999) is None
    assert keys.find("sec-vb-2025-11-4") == "vb-2025-11-04"
    assert keys.find("vb-2025-11-05") == "vb-2025-11-04" and keys.find("h-inleiding") is None


def test_the_audit_finds_a_near_miss_of_the_key_in_every_format(tmp_path):
    """The check bypassed: a heading id one digit off the confidential key
    reaches the HTML ids, the DOCX and ODT bookmarks and the PDF's anchors;
    the render's audit finds it in each (before: only the check did)."""
    r = report_with_secrets(tmp_path)
    append(r, "## Situatie {#vb-2025-11-4}\n\nHet was rustig.[@hrw-2025]")
    with pytest.raises(AuditFailed) as err:
        render_report(r.dir, RenderOptions(out_dir=tmp_path / "out", refuse_confidentiality=False))
    found = {f.file.rsplit(".", 1)[-1] for f in err.value.findings if f.kind == "confidential source key"}
    assert found == {"html", "pdf", "docx", "odt"}, err.value.findings
