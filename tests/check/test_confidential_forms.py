"""A secret written in another form is still a secret (red-team report
2026-11-29, classes L2-L7, L9, L10; second report, NL3 and NL4).

One report holds one internal field per class and one chapter line that
writes that field's secret in the form of the class. Each is proved three
times, with the real pandoc and WeasyPrint:

- the check reports AB302 at the line and column of the form;
- the render refuses;
- the audit finds it in the real HTML, PDF, DOCX and ODT of a render that
  did not know the secret (the sources' ``internal`` written afterwards:
  the check and the render's own audit bypassed).

Each line was printed by a render that exited 0 before (check, render and
audit clean: /tmp/rt in the red-team report).
"""

from __future__ import annotations

import pytest

from ambtsbericht_build.commands.audit import audit_outputs
from ambtsbericht_build.commands.check import CheckOptions
from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from tests.fixtures.report_kit import CHAPTER, make_report

# field: (value in internal, the chapter line that writes it otherwise)
CASES = {
    # L2 Greek capital Nu (case folding made it ν, which looks like v)
    "greek": ("kapper in Lindenplein", "Op het LI\u039dDE\u039dPLEI\u039d was het rustig."),
    # L2 dotless i, Latin alpha, small capital, click for l, Cyrillic omega
    "dotless": ("koffiehuis Moerbeiboom", "Het koffiehuis Moerbe\u0131boom is dicht."),
    "alpha": ("informant Wielewaal", "De wielew\u0251\u0251l zong."),
    "smallcap": ("straat Vlasakker", "In de \u1d20lasakker was het stil."),
    "click": ("wijk Bolderlaan", "Aan de Bo\u01c0der\u01c0aan was het stil."),
    "omega": ("contact Zwaluwdijk", "Bij Z\u0461aluwdijk was het stil."),
    # L2 small capitals in a word of an e-mail address (Zipf 2.6: rare as a handle)
    "handle": ("mail spreeuw-4410@veilig.example", "Een spr\u1d07\u1d07uw zong."),
    # L6 a Hebrew point (Mn), a Devanagari sign (Mc), an unassigned
    # default-ignorable, an Egyptian format control (Cf), Armenian o
    "mark": ("contact Zwartvoet", "Volgens Zwart\u05b0voet was het rustig."),
    "spacing": ("contact Grintvelder", "Volgens Grint\u0903velder was het rustig."),
    "ignorable": ("contact Kranenburcht", "Volgens Kranen\U000e0080burcht was het rustig."),
    "format": ("contact Stekelbaars", "Volgens Stekel\U00013430baars was het rustig."),
    "armenian": ("contact Brommelvaart", "Volgens Br\u0585mmelvaart was het rustig."),
    # L3 a number in parentheses, internationally; references glued, in part
    "phone": ("tel 0612345670", "Bel (06) 1234 5670 voor informatie."),
    "intl": ("tel 0687654321", "Bel +31 6 8765 4321 voor informatie."),
    # digits of another script (red-team pass 2: N01-N03)
    "arabic": ("tel 0611223344", "Bel \u0660\u0666\u0661\u0661\u0662\u0662\u0663\u0663\u0664\u0664 voor informatie."),
    "devanagari": ("tel 0655667788", "Bel \u0966\u096c-\u096b\u096b\u096c\u096c \u096d\u096d\u096e\u096e nu."),
    "glued": ("verslag AMB-KL/2025/0771", "Verslag AMBKL20250771 bestaat."),
    "partial": ("verslag AMB-TR/2024/1187", "Verslag TR/2024/1187 bestaat."),
    # L4 a code name in right quotes, in backticks, after "="
    "rquotes": ("contact \u2019Kompas\u2019", "Contact Kompas meldde iets."),
    "backticks": ("contact `Lantaarn`", "De Lantaarn meldde iets."),
    "equals": ("bron=\u201cHorizon\u201d", "Horizon meldde iets."),
    # L7 a citation glued inside a word
    "cited": ("bron Merelhof", "Volgens Merel[@hrw-2025]hof was het rustig."),
    # L10 an entity in the internal value
    "entity": ("contact Tr&#111;mpelmaker", "Volgens Trompelmaker was het rustig."),
    # L9 genitive, compound, a name in another order or with an initial
    "genitive": ("contact Tjalkema", "Dat was Tjalkemas zaak."),
    "compound": ("winkel in Stoppelveld", "In de Stoppelveldbuurt was het rustig."),
    "reversed": ("Piet Bakker, kapper", "Volgens Bakker, Piet was het rustig."),
    "initial": ("Kees Visser, visboer", "Volgens K. Visser was het rustig."),
    # NL3 (red-team pass 2, Q01-Q03): a code name that is a common word,
    # recorded without quotes: the whole value under a name key, in
    # parentheses, in emphasis
    "codenaam": ("Vuurtoren", "Bron Vuurtoren meldde dit."),
    "paren": ("contact (Regenboog)", "Volgens Regenboog was het rustig."),
    "emphasis": ("contact *Zeilboot*", "De Zeilboot meldde iets."),
    # NL4 (M01-M04): a rare word at the end of a compound, split by a hyphen,
    # by a hyphen and a space
    "suffix": ("contact Zwartgraaf", "De Oudzwartgraaf-clan was er."),
    "prefixed": ("kapper in Eikenplein", "In Nieuweikenplein was het rustig."),
    "hyphen": ("contact Kleinvoeter", "Volgens Klein-voeter was het rustig."),
    "hyphened": ("koffiehuis Walnotenboom", "In koffiehuis Walnoten-boom was het rustig."),
    "spaced": ("contact Roodkapel", "Volgens Rood- kapel was het rustig."),
    # NL11 (red-team pass 3, Q10-Q12, Q15, Q21-Q25): a code name that is a
    # common word under a key that is no name key, in square brackets,
    # braces or angle brackets, and at the start of a capitalised compound
    "codewoord": ("Vlinder", "De Vlinder meldde dit."),
    "aka": ("Sleutel", "Volgens Sleutel was het rustig."),
    "dekmantel": ("Spiegel", "Spiegel meldde iets."),
    "label": ("Paraplu", "Volgens Paraplu was het rustig."),
    "ook bekend als": ("Trompet", "De Trompet meldde iets."),
    "brackets": ("contact [Lepel]", "Volgens Lepel was het rustig."),
    "braces": ("contact {Zwaan}", "Volgens Zwaan was het rustig."),
    "angles": ("contact <Tulp>", "Volgens Tulp was het rustig."),
    "schuilnaam": ("Fakkel", "De Fakkelgroep meldde dit."),
}
# NL11 (Q09, Q19): a code name as the key of a mapping or a list
HOLDERS = [
    ("Dolfijn", "{rol: informant}", "Dolfijn meldde iets."),
    ("Adelaar", "[informant, kapper]", "Adelaar was er."),
]
# L5: a key of the internal mapping
KEY = ("Hoefijzerpad", "Aan het Hoefijzerpad was het rustig.")
# NL3 (Q04): a code name as the key, its value saying what it is
CODE_KEY = ("Komeet", "codenaam", "Komeet meldde iets.")
# the common words of those code names in lower case are the common nouns:
# no finding (a reader does not read "de vuurtoren" as a name)
COMMON = "Bij de vuurtoren en de komeet was het rustig."


def sources(with_internal: bool) -> str:
    internal = "".join(f"    {field}: {value!r}\n" for field, (value, _) in CASES.items())
    internal += f"    {KEY[0]}: ja\n"
    internal += f"    {CODE_KEY[0]}: {CODE_KEY[1]}\n"
    internal += "".join(f"    {key}: {held}\n" for key, held, _ in HOLDERS)
    if not with_internal:
        internal = "    who: medewerker\n"
    return (
        "- id: hrw-2025\n  type: report\n  author: [{literal: Human Rights Watch}]\n"
        "  title: World Report 2025 – Testland\n  issued: 2025-01-16\n"
        "  URL: https://www.hrw.org/world-report/2025/testland\n  accessed: 2025-02-03\n\n"
        "- id: vb-2025-11-04\n  type: interview\n  confidential: true\n  issued: 2025-11-04\n"
        "  internal:\n" + internal
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    r = make_report(tmp_path_factory.mktemp("forms"))
    r.write("sources.yaml", sources(True), dedent_text=False)
    body = r.path(CHAPTER).read_text(encoding="utf-8").rstrip("\n")
    lines = [line for _, line in CASES.values()] + [KEY[1], CODE_KEY[2], COMMON] + [h[2] for h in HOLDERS]
    body += "".join(f"\n\n{line}" + ("" if "[@" in line else "[@hrw-2025]") for line in lines)
    r.write(CHAPTER, body + "\n", dedent_text=False)
    return r


def where(r, line: str) -> tuple[int, int]:
    text = r.path(CHAPTER).read_text(encoding="utf-8").split("\n")
    n = next(i for i, t in enumerate(text, 1) if t.startswith(line.split(".")[0]))
    return n, 1


def test_the_check_finds_every_form_at_its_line(report):
    found = [d for d in report.check() if d.code == "AB302"]
    lines = {d.line for d in found if d.file.endswith(CHAPTER.split("/")[-1])}
    missing = [f for f, (_, text) in CASES.items() if where(report, text)[0] not in lines]
    assert missing == []
    assert where(report, KEY[1])[0] in lines
    assert [h for h in HOLDERS if where(report, h[2])[0] not in lines] == []
    code_key = [d for d in found if d.line == where(report, CODE_KEY[2])[0]]
    assert code_key and all("code name from internal key" in d.message for d in code_key), code_key
    assert where(report, COMMON)[0] not in lines
    for d in found:
        assert "source vb-2025-11-04" in d.message
        assert not any(v.split()[-1].strip("’`”“&#;()*") in d.message for v, _ in CASES.values())
        assert KEY[0] not in d.message and CODE_KEY[0] not in d.message


def test_the_check_reports_the_column_of_the_form(report):
    text = report.path(CHAPTER).read_text(encoding="utf-8").split("\n")
    places = {(d.line, d.column) for d in report.check() if d.code == "AB302"}
    for field, start in [
        ("greek", "LI\u039d"),
        ("intl", "31"),
        ("cited", "Merel"),
        ("dotless", "Moerbe"),
        ("codenaam", "Vuurtoren"),
        ("suffix", "Oudzwart"),
        ("hyphen", "Klein-"),
        ("spaced", "Rood-"),
    ]:
        line, _ = where(report, CASES[field][1])
        assert (line, text[line - 1].index(start) + 1) in places, field


def test_the_render_refuses(report, tmp_path):
    result = render_report(report.dir, RenderOptions(out_dir=tmp_path / "out", formats=("html",)))
    assert result.refused and not result.outputs
    assert "AB302" in result.reason
    lines = {d.line for d in result.diagnostics if d.code == "AB302"}
    assert [f for f, (_, text) in CASES.items() if where(report, text)[0] not in lines] == []


def test_the_audit_finds_every_form_in_real_outputs(report, tmp_path):
    """The render knows no secret (internal written afterwards), so neither
    the check nor the render's own audit stops it: the outputs hold every
    line; `abuild audit` with the secrets must find each."""
    report.write("sources.yaml", sources(False), dedent_text=False)
    try:
        result = render_report(report.dir, RenderOptions(out_dir=tmp_path / "out", check=CheckOptions(select=set())))
    finally:
        report.write("sources.yaml", sources(True), dedent_text=False)
    assert set(result.outputs) == {"html", "pdf", "docx", "odt"}, result.reason
    audit = audit_outputs(list(result.outputs.values()), report.dir)
    for fmt, path in result.outputs.items():
        origins = {f.origin.split(" (")[0] for f in audit.findings if f.file.endswith(path.name)}
        # every field of CASES, and the key, in every format (the PDF's text
        # is read by pypdfium2: a format control there is drawn as a box but
        # has no text, so the word is whole)
        missing = [f for f in CASES if f"source vb-2025-11-04 internal.{f}" not in origins]
        if fmt == "odt":
            # an ODT note's body sits inside the paragraph, between the two
            # halves of the word: the check (and so the render) finds it
            missing.remove("cited")
        assert missing == [], (fmt, missing)
        keys = [o for o in origins if "internal key" in o]
        # the rare word, the code name and the keys holding a mapping or a list
        assert len(keys) == 2 + len(HOLDERS), (fmt, keys)
