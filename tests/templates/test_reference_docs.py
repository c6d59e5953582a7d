"""Tests for the house font and the reference DOCX/ODT (templates/).

Standalone: no conftest, no package. Needs pandoc (pypandoc-binary, or
``pandoc`` / ``pandoc-probe`` on PATH), found the same way as
templates/build_reference.py finds it.
"""

from __future__ import annotations

import importlib.util
import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "ambtsbericht_build" / "templates"
SCRIPT = ROOT / "templates" / "build_reference.py"
FONTS = TEMPLATES / "fonts"
DOCX = TEMPLATES / "reference.docx"
ODT = TEMPLATES / "reference.odt"

HOUSE_FONT = "Noto Sans"
BLUE = "154273"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _load_builder():
    spec = importlib.util.spec_from_file_location("abuild_build_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


@pytest.fixture(scope="module")
def pandoc() -> str:
    try:
        return builder.find_pandoc()
    except SystemExit as exc:  # pragma: no cover - depends on the machine
        pytest.skip(str(exc))


def run_build(out_dir: Path) -> dict[str, bytes]:
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out-dir", str(out_dir)],
        check=True,
        capture_output=True,
        text=True,
    )
    return {name: (out_dir / name).read_bytes() for name in ("reference.docx", "reference.odt")}


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory, pandoc) -> dict[str, bytes]:
    return run_build(tmp_path_factory.mktemp("build1"))


def zip_xml(path: Path | bytes, member: str) -> ET.Element:
    source = path if isinstance(path, Path) else io.BytesIO(path)
    with zipfile.ZipFile(source) as zf:
        return ET.fromstring(zf.read(member))


def docx_style(styles: ET.Element, style_id: str) -> ET.Element:
    for style in styles.findall(f"{W}style"):
        if style.get(f"{W}styleId") == style_id:
            return style
    raise AssertionError(f"no style {style_id} in reference.docx")


def odt_style(styles: ET.Element, name: str) -> ET.Element:
    for style in styles.iter(q("style:style")):
        if style.get(q("style:name")) == name:
            return style
    raise AssertionError(f"no style {name} in reference.odt")


# --------------------------------------------------------------------------
# Reproducibility
# --------------------------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path, fresh_build):
    second = run_build(tmp_path)
    for name, data in fresh_build.items():
        assert data == second[name], f"{name} differs between two builds"


def test_committed_files_equal_a_fresh_build(fresh_build, pandoc):
    current = builder.pandoc_version(pandoc)
    with zipfile.ZipFile(DOCX) as zf:
        custom = zf.read("docProps/custom.xml").decode("utf-8")
    match = re.search(r'name="abuild-reference-pandoc"><vt:lpwstr>([^<]+)<', custom)
    assert match, "templates/reference.docx does not record its pandoc version"
    if match.group(1) != current:
        pytest.skip(
            f"templates/reference.* were built with pandoc {match.group(1)}, this is "
            f"pandoc {current}: rebuild with `python templates/build_reference.py`"
        )
    assert DOCX.read_bytes() == fresh_build["reference.docx"], (
        "templates/reference.docx is stale: run `python templates/build_reference.py`"
    )
    assert ODT.read_bytes() == fresh_build["reference.odt"], (
        "templates/reference.odt is stale: run `python templates/build_reference.py`"
    )


@pytest.mark.parametrize("path", [DOCX, ODT], ids=["docx", "odt"])
def test_zip_metadata_is_fixed(path):
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0), info.filename
        assert info.compress_type == zipfile.ZIP_STORED, info.filename
        assert info.external_attr == 0o100644 << 16, info.filename
    names = [i.filename for i in infos]
    if path.suffix == ".odt":
        assert names[0] == "mimetype"
        with zipfile.ZipFile(path) as zf:
            assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    else:
        assert names[0] == "[Content_Types].xml"


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------


def test_docx_font_size_and_language():
    styles = zip_xml(DOCX, "word/styles.xml")
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = rpr.find(f"{W}rFonts")
    assert fonts.get(f"{W}ascii") == HOUSE_FONT
    assert fonts.get(f"{W}hAnsi") == HOUSE_FONT
    assert fonts.get(f"{W}asciiTheme") is None  # a theme font would win
    assert rpr.find(f"{W}lang").get(f"{W}val") == "nl-NL"
    body_half_points = int(rpr.find(f"{W}sz").get(f"{W}val"))
    assert 21 <= body_half_points <= 22  # 10.5-11 pt
    # No style brings back a theme font for Latin text.
    for el in styles.iter(f"{W}rFonts"):
        assert el.get(f"{W}asciiTheme") is None and el.get(f"{W}hAnsiTheme") is None
    theme = zip_xml(DOCX, "word/theme/theme1.xml")
    latin = [el.get("typeface") for el in theme.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}latin")]
    assert latin and set(latin) == {HOUSE_FONT}
    fonts_table = zip_xml(DOCX, "word/fontTable.xml")
    assert HOUSE_FONT in [f.get(f"{W}name") for f in fonts_table.findall(f"{W}font")]


@pytest.mark.parametrize("level,half_points", [(1, 32), (2, 26), (3, 23)])
def test_docx_headings(level, half_points):
    styles = zip_xml(DOCX, "word/styles.xml")
    for sid in (f"Heading{level}", f"Heading{level}Char"):
        rpr = docx_style(styles, sid).find(f"{W}rPr")
        assert rpr.find(f"{W}color").get(f"{W}val") == BLUE
        assert rpr.find(f"{W}color").get(f"{W}themeColor") is None
        assert rpr.find(f"{W}sz").get(f"{W}val") == str(half_points)
        bold = rpr.find(f"{W}b")
        assert bold is not None and bold.get(f"{W}val") in (None, "1", "true")


def test_docx_headings_are_not_numbered():
    styles = zip_xml(DOCX, "word/styles.xml")
    assert not list(styles.iter(f"{W}numPr"))


def test_docx_page_is_a4_with_25mm_margins():
    document = zip_xml(DOCX, "word/document.xml")
    sect = document.find(f"{W}body/{W}sectPr")
    size = sect.find(f"{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    margins = sect.find(f"{W}pgMar")
    for side in ("top", "right", "bottom", "left"):
        assert margins.get(f"{W}{side}") == "1417"  # 2.5 cm


def test_docx_footnote_text_and_table_borders():
    styles = zip_xml(DOCX, "word/styles.xml")
    size = docx_style(styles, "FootnoteText").find(f"{W}rPr/{W}sz").get(f"{W}val")
    assert 17 <= int(size) <= 18  # 8.5-9 pt
    borders = docx_style(styles, "Table").find(f"{W}tblPr/{W}tblBorders")
    assert borders is not None
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = borders.find(f"{W}{side}")
        assert border.get(f"{W}val") == "single"
        assert int(border.get(f"{W}sz")) <= 4  # at most 0.5 pt


def test_docx_language_settings():
    settings = zip_xml(DOCX, "word/settings.xml")
    assert settings.find(f"{W}themeFontLang").get(f"{W}val") == "nl-NL"


# --------------------------------------------------------------------------
# ODT
# --------------------------------------------------------------------------


def test_odt_font_size_and_language():
    root = zip_xml(ODT, "styles.xml")
    faces = [f.get(q("style:name")) for f in root.find(q("office:font-face-decls"))]
    assert HOUSE_FONT in faces
    defaults = {
        d.get(q("style:family")): d.find(q("style:text-properties")) for d in root.iter(q("style:default-style"))
    }
    para = defaults["paragraph"]
    assert para.get(q("style:font-name")) == HOUSE_FONT
    assert para.get(q("fo:language")) == "nl"
    assert para.get(q("fo:country")) == "NL"
    size = float(para.get(q("fo:font-size")).removesuffix("pt"))
    assert 10.5 <= size <= 11
    heading = odt_style(root, "Heading").find(q("style:text-properties"))
    assert heading.get(q("style:font-name")) == HOUSE_FONT


@pytest.mark.parametrize("level,size", [(1, "16pt"), (2, "13pt"), (3, "11.5pt")])
def test_odt_headings(level, size):
    root = zip_xml(ODT, "styles.xml")
    props = odt_style(root, f"Heading_20_{level}").find(q("style:text-properties"))
    assert props.get(q("fo:font-size")) == size
    assert props.get(q("fo:font-weight")) == "bold"
    assert props.get(q("fo:color")) == f"#{BLUE}"


def test_odt_headings_are_not_numbered():
    root = zip_xml(ODT, "styles.xml")
    outline = root.find(f".//{q('text:outline-style')}")
    assert outline is not None
    for level in outline:
        assert level.get(q("style:num-format")) == ""


def test_odt_page_footnotes_and_meta():
    root = zip_xml(ODT, "styles.xml")
    layout = root.find(f".//{q('style:page-layout-properties')}")
    assert layout.get(q("fo:page-width")) == "21cm"
    assert layout.get(q("fo:page-height")) == "29.7cm"
    for side in ("top", "bottom", "left", "right"):
        assert layout.get(q(f"fo:margin-{side}")) == "2.5cm"
    footnote = odt_style(root, "Footnote").find(q("style:text-properties"))
    assert 8.5 <= float(footnote.get(q("fo:font-size")).removesuffix("pt")) <= 9
    meta = zip_xml(ODT, "meta.xml")
    language = meta.find(".//{http://purl.org/dc/elements/1.1/}language")
    assert language is not None and language.text == "nl-NL"


# --------------------------------------------------------------------------
# Through pandoc
# --------------------------------------------------------------------------

SAMPLE = """\
# 1 Veiligheidssituatie

De situatie is – volgens bronnen – gespannen.[^1]

[^1]: Ministerie van Buitenlandse Zaken, gesprek, 3 maart 2025; ’t geëvalueerde rapport…
"""


def test_pandoc_docx_with_reference_keeps_footnote_and_style(tmp_path, pandoc):
    source = tmp_path / "t.md"
    source.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "t.docx"
    subprocess.run(
        [pandoc, str(source), "-f", "markdown", "-o", str(out), "--reference-doc", str(DOCX)],
        check=True,
        capture_output=True,
    )
    with zipfile.ZipFile(out) as zf:
        footnotes = zf.read("word/footnotes.xml").decode("utf-8")
        styles = ET.fromstring(zf.read("word/styles.xml"))
        document = ET.fromstring(zf.read("word/document.xml"))
    assert "3 maart 2025; ’t geëvalueerde rapport…" in footnotes
    assert 'w:val="FootnoteText"' in footnotes
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}ascii") == HOUSE_FONT
    size = document.find(f"{W}body/{W}sectPr/{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    # The heading keeps the number written in its text, and no numPr.
    assert not list(document.iter(f"{W}numPr"))


def test_pandoc_odt_with_reference_uses_house_style(tmp_path, pandoc):
    source = tmp_path / "t.md"
    source.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "t.odt"
    subprocess.run(
        [pandoc, str(source), "-f", "markdown", "-o", str(out), "--reference-doc", str(ODT)],
        check=True,
        capture_output=True,
    )
    with zipfile.ZipFile(out) as zf:
        content = zf.read("content.xml").decode("utf-8")
        styles = zf.read("styles.xml").decode("utf-8")
    assert "’t geëvalueerde rapport…" in content
    assert 'text:note-class="footnote"' in content
    assert 'fo:page-width="21cm"' in styles
    assert f'style:font-name="{HOUSE_FONT}"' in styles


# --------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------


def css_urls() -> list[str]:
    css = (FONTS / "fonts.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)


def test_fonts_css_references_only_existing_files():
    urls = css_urls()
    assert len(urls) == 4
    for url in urls:
        assert "://" not in url and not url.startswith("/"), f"{url} is not relative"
        assert (FONTS / url).is_file(), f"fonts.css points to missing {url}"


def test_fonts_css_covers_four_styles_of_one_family():
    css = (FONTS / "fonts.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    faces = re.findall(r"@font-face\s*{([^}]*)}", css)
    combos = set()
    for face in faces:
        family = re.search(r"font-family:\s*\"([^\"]+)\"", face).group(1)
        assert family == "Abuild Noto Sans"
        style = re.search(r"font-style:\s*(\w+)", face).group(1)
        weight = re.search(r"font-weight:\s*(\d+)", face).group(1)
        combos.add((style, weight))
    assert combos == {("normal", "400"), ("italic", "400"), ("normal", "700"), ("italic", "700")}


def test_font_files_are_truetype_with_license_and_small_enough():
    files = sorted(FONTS.glob("*.ttf"))
    assert len(files) == 4
    for path in files:
        assert path.read_bytes()[:4] == b"\x00\x01\x00\x00", f"{path.name} is not TrueType"
    assert sum(p.stat().st_size for p in FONTS.iterdir()) < 3 * 1024 * 1024
    license_text = (FONTS / "LICENSE-NotoSans.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in license_text
    assert "fonts-noto-core" in (FONTS / "README.md").read_text(encoding="utf-8")
