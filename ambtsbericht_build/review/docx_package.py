"""Opening a returned DOCX without trusting it.

A DOCX is a zip of XML parts; a hostile one is a zip bomb (a small file
that inflates to gigabytes) or XML with entities (a "billion laughs" that
expands to gigabytes in the parser). Both are refused before anything
large is made:

- the zip's directory is read first, and the declared sizes are checked
  before one byte is inflated: at most :data:`MAX_MEMBERS` members, each
  part abuild reads at most :data:`MAX_PART` bytes, a compression ratio of
  at most :data:`MAX_RATIO` (Word's own XML compresses about 5-10 to 1; a
  bomb of zeros 1000 to 1); a part is then inflated in chunks and cut off
  at its declared size, so a lying directory gains nothing;
- XML with a DOCTYPE is refused (Word and LibreOffice never write one; an
  entity needs one), and what remains is parsed by the standard library,
  which then has no entity to expand and fetches nothing.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

MAX_MEMBERS = 5000
# the largest part abuild reads: document.xml of the benchmark report is
# about 4 MB, a reviewer's comments add little; 64 MB is far beyond
MAX_PART = 64 * 1024 * 1024
MAX_RATIO = 200
_CHUNK = 1024 * 1024
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


class DocxRefused(Exception):
    """The file is not a DOCX abuild can read safely; the message says why."""


class Package:
    """The parts of a DOCX that the import reads, checked as the module says."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise DocxRefused(f"{path}: not a DOCX (not a zip file: {exc})") from None
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise DocxRefused(f"{path}: {len(infos)} parts in the zip; a DOCX has a few dozen")
        self._infos = {i.filename: i for i in infos}

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        info = self._infos[name]
        if info.file_size > MAX_PART:
            raise DocxRefused(f"{self.path}: part {name} would inflate to {info.file_size} bytes (at most {MAX_PART})")
        if info.file_size > _CHUNK and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DocxRefused(
                f"{self.path}: part {name} inflates {info.file_size // max(info.compress_size, 1)} to 1"
                " (a zip bomb?); it is not read"
            )
        out = bytearray()
        try:
            with self._zip.open(info) as fh:
                while len(out) <= info.file_size:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    out += chunk
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise DocxRefused(f"{self.path}: part {name} cannot be read ({exc})") from None
        return bytes(out[: info.file_size])

    def xml(self, name: str) -> ET.Element:
        data = self.read(name)
        if _DOCTYPE.search(data[:4096]) or _DOCTYPE.search(data):
            raise DocxRefused(f"{self.path}: part {name} declares a DOCTYPE or entities; a DOCX never does")
        try:
            return ET.fromstring(data)
        except ET.ParseError as exc:
            raise DocxRefused(f"{self.path}: part {name} is not well-formed XML ({exc})") from None

    def custom_properties(self) -> dict[str, str]:
        if not self.has("docProps/custom.xml"):
            return {}
        out: dict[str, str] = {}
        for prop in self.xml("docProps/custom.xml").iter(f"{CUSTOM}property"):
            name = prop.get("name")
            if name:
                out[name] = "".join(prop.itertext())
        return out
