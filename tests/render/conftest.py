"""Fixtures for the render tests: real renders, made once per test session.

The render tests get these fixtures from here by name, as pytest gives every
conftest's fixtures to the tests below it; helpers that read the outputs are in
:mod:`tests.render.render_outputs`.

The example report is rendered once (all four formats) and shared by every
test, also across pytest-xdist workers (a lock file in the run's shared temp
directory lets the first worker render and the others wait and reuse). A small
report built in a temporary repository covers what the example does not: a
final ("vastgesteld") status, an uncited source, edge cases in
cross-references.
"""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import struct
import textwrap
import zlib
from pathlib import Path

import pytest

from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from tests.render.render_outputs import Docx, Html, Odt, read_pdf

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "reports" / "voorbeeldland"
FORMATS = ("html", "pdf", "docx", "odt")


def _shared_dir(tmp_path_factory, name: str) -> Path:
    base = tmp_path_factory.getbasetemp()
    # under xdist each worker has its own basetemp inside the run's directory
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    d = root / name
    d.mkdir(parents=True, exist_ok=True)
    return d


def _render_once(tmp_path_factory, name: str, report_dir_factory) -> dict[str, Path]:
    d = _shared_dir(tmp_path_factory, name)
    done = d / "outputs.json"
    with open(d / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                report_dir = report_dir_factory(d)
                result = render_report(report_dir, RenderOptions(out_dir=d / "out"))
                assert not result.refused, result.diagnostics
                assert set(result.outputs) == set(FORMATS)
                done.write_text(json.dumps({k: str(v) for k, v in result.outputs.items()}))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return {k: Path(v) for k, v in json.loads(done.read_text()).items()}


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> dict[str, Path]:
    """{format: path} of the example report, rendered once."""
    return _render_once(tmp_path_factory, "example", lambda d: EXAMPLE)


@pytest.fixture(scope="session")
def mini(tmp_path_factory) -> dict[str, Path]:
    """{format: path} of the small vastgesteld report, rendered once."""
    return _render_once(tmp_path_factory, "mini", lambda d: make_mini_report(d / "repo"))


def _parsed_once(tmp_path_factory, name: str, fn):
    """``fn()`` computed by one xdist worker and shared (pickled) with the others."""
    d = _shared_dir(tmp_path_factory, "parsed")
    target = d / f"{name}.pickle"
    with open(d / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not target.exists():
                target.write_bytes(pickle.dumps(fn()))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return pickle.loads(target.read_bytes())


@pytest.fixture(scope="session")
def example_pdf(example, tmp_path_factory):
    return _parsed_once(tmp_path_factory, "example-pdf", lambda: read_pdf(example["pdf"]))


@pytest.fixture(scope="session")
def example_html(example):
    return Html(example["html"])


@pytest.fixture(scope="session")
def example_docx(example):
    return Docx(example["docx"])


@pytest.fixture(scope="session")
def example_odt(example):
    return Odt(example["odt"])


@pytest.fixture(scope="session")
def mini_pdf(mini, tmp_path_factory):
    return _parsed_once(tmp_path_factory, "mini-pdf", lambda: read_pdf(mini["pdf"]))


@pytest.fixture(scope="session")
def mini_html(mini):
    return Html(mini["html"])


# --- the small report ---------------------------------------------------------------


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x20\x40\x80" * 2 for _ in range(2))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


MINI_FILES = {
    "report.yaml": """
        title: Thematisch ambtsbericht Testland
        kind: thematisch
        country: Testland
        language: nl
        date: 2026-03-01
        reference_period: {start: 2025-01-01, end: 2026-01-31}
        status: vastgesteld
        version: "2.1"
        issuer: Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten
        place: Den Haag
        responsible_unit: Afdeling Ambtsberichten
        """,
    "tor.yaml": """
        title: Terms of Reference thematisch ambtsbericht Testland
        requested_by: Ministerie van Justitie en Veiligheid
        date: 2025-06-10
        themes:
          - id: "1"
            title: Politiek
            questions:
              - id: "1.1"
                text: Wat zijn de politieke ontwikkelingen?
              - id: "1.2"
                text: Hoe is de dienstplicht geregeld?
        """,
    "glossary.yaml": """
        HRW: Human Rights Watch
        VN: Verenigde Naties
        """,
    "sources.yaml": """
        - id: hrw-rapport
          type: report
          author: [{literal: Human Rights Watch}]
          title: Testland rapport 2025
          issued: 2025-05-01
          URL: https://www.hrw.org/testland-2025
          accessed: 2025-05-03
        - id: krant-bericht
          type: article-newspaper
          author: [{family: Jansen, given: Piet}]
          title: Verkiezingen in Testland
          container-title: Testland Dagblad
          issued: 2025-10-02
          URL: https://dagblad.example/verkiezingen
          accessed: 2025-10-03
        - id: vn-pagina
          type: webpage
          author: [{literal: Verenigde Naties}]
          title: Testland landenpagina
          issued: 2025-02-01
          URL: https://un.example/testland
          accessed: 2025-12-01
        - id: wet-dienstplicht
          type: legislation
          author: [{literal: Republiek Testland}]
          title: Wet op de dienstplicht
          issued: 2019-01-01
        - id: niet-geciteerd
          type: report
          author: [{literal: Niemand Instituut}]
          title: Nooit geciteerd rapport
          issued: 2024-01-01
        - id: vb-geheim
          type: interview
          confidential: true
          issued: 2025-11-04
          internal:
            who: geheime gesprekspartner Kwartel
            notes: nooit afdrukken
        """,
    "chapters/00-inleiding.md": """
        ---
        claims: false
        numbered: false
        ---

        # Inleiding {#inleiding}

        [](#tbl-cijfers) geeft cijfers. Zie ook [](#fig-kaart) en [](#sec-politiek), of o.a. [](#tbl-cijfers).
        """,
    "chapters/01-politiek.md": """
        # Politiek {#politiek}

        ## Ontwikkelingen {#sec-politiek tor="1.1"}

        De regering won de verkiezingen.[@krant-bericht] Een bron bevestigde dat.[@vb-geheim]

        ![Kaart van Testland](media/kaart.png){#fig-kaart}

        | Jaar | Aantal |
        |------|-------:|
        | 2024 | 10     |
        | 2025 | 12     |

        : Arrestaties per jaar [@hrw-rapport, p. 4] {#tbl-cijfers}

        ### Details {#sec-details}

        De VN publiceerde een overzicht.^[Zie ook [@vn-pagina].] HRW meldde meer arrestaties.[@hrw-rapport, p. 5]

        ## Dienstplicht {#sec-dienst tor="1.2" .geen-informatie}

        Er is geen informatie gevonden over de handhaving van de dienstplicht; de wet regelt de duur.[@wet-dienstplicht]
        """,
}


def _archived(files: dict[str, str]) -> None:
    """The mini report is vastgesteld, so AB111 is an error there: each source
    with an ``accessed`` (a URL) gets its archived copy (archive/<id>.html,
    recorded after it) and the confidential source its archief reference."""
    import hashlib

    lines = []
    sid = ""
    for line in files["sources.yaml"].split("\n"):
        lines.append(line)
        if line.strip().startswith("- id: "):
            sid = line.split(":", 1)[1].strip()
        elif line.strip().startswith("accessed: "):
            copy = f"<!doctype html><title>{sid}</title><p>Kopie.</p>\n"
            files[f"archive/{sid}.html"] = copy
            sha = hashlib.sha256(copy.encode("utf-8")).hexdigest()
            lines.append(line.split("accessed")[0] + f"archive: {{file: archive/{sid}.html, sha256: {sha}}}")
        elif line.strip() == "notes: nooit afdrukken":
            lines.append(line.split("notes")[0] + "archief: AMB-TL/2025/1104")
    files["sources.yaml"] = "\n".join(lines)


def make_mini_report(root: Path) -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)  # marks the repository root
    report = root / "reports" / "testland"
    files = dict(MINI_FILES)  # read at the call: a test may have put its own in place
    _archived(files)
    for name, text in files.items():
        path = report / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    (report / "media").mkdir(exist_ok=True)
    (report / "media" / "kaart.png").write_bytes(tiny_png())
    return report
