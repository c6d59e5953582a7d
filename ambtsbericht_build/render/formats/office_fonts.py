"""The house font inside the DOCX and the ODT, so that a machine without it
lays the report out as the PDF does (issue #11: with DejaVu Sans in its
place, wider by 11 %, words broke inside the cells of table 2).

The house font (Noto Sans, SIL OFL 1.1, ``fsType`` 0: installable embedding,
templates/fonts/README.md) is embedded whole in its four styles: 1.05 MB
more per file once deflated, and 0.12 s of CPU a format (reading and
deflating). Subsetting them to the document's characters made 4 x 31 KB but
cost 0.43 s of CPU and 0.3 s to import fontTools' subsetter in each of the
two office writers, which made them slower than the PDF of a small report
(tests/publish/test_faults.py); whole fonts also let a drafter who edits the
DOCX on a machine without the font type any character of it. A font whose
``fsType`` forbids embedding (restricted licence, bitmap only) is left out.

- DOCX (ECMA-376 Part 1, §17.8.1): ``word/fonts/fontN.odttf``, the font's
  first 32 bytes XORed with the key its ``w:embedRegular`` (etc.) in
  ``fontTable.xml`` names, a relationship of type ``font`` from the font
  table, the ``odttf`` content type, and ``w:embedTrueTypeFonts`` in the
  settings, so Word keeps them on saving.
- ODT (ODF 1.3, §16.23 and §20.9): ``Fonts/<file>.ttf`` in the package and
  the manifest, a ``style:font-face`` with ``svg:font-face-src`` pointing at
  them, and LibreOffice's ``EmbedFonts`` setting.

The key is derived from the font's bytes (a name-based UUID), so the same
report gives the same package.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    from ...house_style import HouseStyle

# the four styles: (file under templates/, DOCX element)
STYLES = (
    ("fonts/NotoSans-Regular.ttf", "embedRegular"),
    ("fonts/NotoSans-Bold.ttf", "embedBold"),
    ("fonts/NotoSans-Italic.ttf", "embedItalic"),
    ("fonts/NotoSans-BoldItalic.ttf", "embedBoldItalic"),
)
# OS/2 fsType bits (OpenType spec): restricted licence, bitmap embedding only
_NO_EMBEDDING = 0x0002 | 0x0200
_NS = uuid.UUID("6f1c5a4e-6b1d-4c55-9d1a-0a8b7f1e2c11")


@dataclass(frozen=True)
class Font:
    family: str  # the name a document's styles use ("Noto Sans")
    file: str  # the file name in templates/fonts
    docx: str  # embedRegular, embedBold, ...
    data: bytes  # TrueType


def house_fonts(style: HouseStyle) -> list[Font]:
    """The house font's styles that may be embedded, whole."""
    out = []
    for rel, docx in STYLES:
        path = style.path(rel)
        if not path.is_file():
            continue
        data = path.read_bytes()
        family = embeddable(data)
        if family is not None:
            out.append(Font(family, path.name, docx, data))
    return out


def embeddable(data: bytes) -> str | None:
    """The family name of the TrueType font ``data`` ("Noto Sans"), or None
    when its licence (OS/2 ``fsType``) forbids embedding it."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    if "OS/2" in font and font["OS/2"].fsType & _NO_EMBEDDING:
        return None
    name = font["name"]
    return str(name.getDebugName(16) or name.getDebugName(1) or "")


# --- DOCX --------------------------------------------------------------------------------

REL_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
ODTTF = "application/vnd.openxmlformats-officedocument.obfuscatedFont"


def font_key(data: bytes) -> str:
    """The GUID a DOCX font is obfuscated with, as ``w:fontKey`` writes it."""
    return "{" + str(uuid.uuid5(_NS, data[:2048].hex() + str(len(data)))).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1, §17.8.1: the first 32 bytes XORed with the key's 16
    bytes taken from its last hex pair to its first (twice)."""
    digits = key.strip("{}").replace("-", "")
    k = bytes.fromhex(digits)[::-1]
    head = bytes(b ^ k[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def embed_docx(entries: dict[str, bytes], fonts: list[Font]) -> None:
    """Put ``fonts`` into the DOCX package ``entries`` (in place), each under
    the font table's entry of its family; a family the document does not
    name is left out."""
    table = entries.get("word/fontTable.xml", b"").decode("utf-8")
    if not table or not fonts:
        return
    rels_name = "word/_rels/fontTable.xml.rels"
    rels = entries.get(rels_name, b"").decode("utf-8") or (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
    )
    by_family: dict[str, list[str]] = {}
    for n, font in enumerate(fonts, start=1):
        if f'w:name="{font.family}"' not in table:
            continue
        key = font_key(font.data)
        rid = f"rIdAbuildFont{n}"
        entries[f"word/fonts/abuild-font{n}.odttf"] = obfuscate(font.data, key)
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="{rid}" Type="{REL_FONT}" Target="fonts/abuild-font{n}.odttf"/></Relationships>',
        )
        by_family.setdefault(font.family, []).append(f'<w:{font.docx} r:id="{rid}" w:fontKey="{key}"/>')
    if not by_family:
        return
    for family, embeds in by_family.items():
        # the embeds close CT_Font (after w:sig); a font entry written as <w:font .../> gets a body
        pattern = re.compile(rf'<w:font w:name="{re.escape(family)}"(\s*/>|>(?:(?!</w:font>).)*)(</w:font>)?', re.S)

        def add(m: re.Match[str], embeds: list[str] = embeds, family: str = family) -> str:
            body = "" if m.group(1).strip() == "/>" else m.group(1)[1:]
            body = re.sub(r"<w:embed(?:Regular|Bold|Italic|BoldItalic)\b[^>]*/>", "", body)
            return f'<w:font w:name="{family}">{body}{"".join(embeds)}</w:font>'

        table = pattern.sub(add, table, count=1)
    if "xmlns:r=" not in table[: table.find(">", table.find("<w:fonts"))]:
        table = table.replace(
            "<w:fonts ", '<w:fonts xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1
        )
    entries["word/fontTable.xml"] = table.encode("utf-8")
    entries[rels_name] = rels.encode("utf-8")
    types = entries["[Content_Types].xml"].decode("utf-8")
    if 'Extension="odttf"' not in types:
        types = re.sub(r"(<Types\b[^>]*>)", rf'\1<Default Extension="odttf" ContentType="{ODTTF}"/>', types, count=1)
    entries["[Content_Types].xml"] = types.encode("utf-8")
    settings = entries.get("word/settings.xml", b"").decode("utf-8")
    if settings and "<w:embedTrueTypeFonts" not in settings:
        settings = _settings(settings)
        entries["word/settings.xml"] = settings.encode("utf-8")


# CT_Settings: ... printFormsData, embedTrueTypeFonts, embedSystemFonts, ...
_AFTER: tuple[str, ...] = (
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
)


def _settings(settings: str) -> str:
    """``w:embedTrueTypeFonts`` where CT_Settings orders it."""
    at = settings.find(">", settings.find("<w:settings")) + 1
    for name in _AFTER:
        for m in re.finditer(rf"<w:{name}\b[^>]*?(?:/>|>.*?</w:{name}>)", settings, re.S):
            at = max(at, m.end())
    return settings[:at] + "<w:embedTrueTypeFonts />" + settings[at:]


# --- ODT ---------------------------------------------------------------------------------

FONT_DIR = "Fonts/"
TTF_MEDIA = "application/x-font-ttf"


def embed_odt(entries: dict[str, bytes], styles: ET.Element, fonts: list[Font]) -> list[str]:
    """Put ``fonts`` into the ODT package ``entries`` and declare them in
    ``styles`` (styles.xml's root): one ``style:font-face`` per family with
    a ``svg:font-face-uri`` per file. Returns the package paths the manifest
    must list."""
    from .odt_package import q

    if not fonts:
        return []
    office_styles = styles.find(q("office:styles"))
    decls = styles.find(q("office:font-face-decls"))
    if decls is None:
        # office:document-styles orders: office:meta? office:settings? office:scripts?, font-face-decls, styles, ...
        decls = ET.Element(q("office:font-face-decls"))
        at = list(styles).index(office_styles) if office_styles is not None else len(styles)
        styles.insert(at, decls)
    paths = []
    for family in dict.fromkeys(f.family for f in fonts):
        face = next((f for f in decls.iter(q("style:font-face")) if f.get(q("style:name")) == family), None)
        if face is None:
            face = ET.SubElement(
                decls,
                q("style:font-face"),
                {
                    q("style:name"): family,
                    q("svg:font-family"): f"'{family}'",
                    q("style:font-family-generic"): "swiss",
                    q("style:font-pitch"): "variable",
                },
            )
        for old in face.findall(q("svg:font-face-src")):
            face.remove(old)
        src = ET.SubElement(face, q("svg:font-face-src"))
        for font in (f for f in fonts if f.family == family):
            path = FONT_DIR + font.file
            entries[path] = font.data
            paths.append(path)
            uri = ET.SubElement(src, q("svg:font-face-uri"), {q("xlink:href"): path, q("xlink:type"): "simple"})
            ET.SubElement(uri, q("svg:font-face-format"), {q("svg:string"): "truetype"})
    return paths
