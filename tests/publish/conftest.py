"""Fixtures for the publication-safety tests: real renders of the leaky
fixture report (tests/fixtures/leaky/), made in a temporary Git repository,
and an independent way to read every byte of an output.

"Independent": the tests do not trust abuild's own extractor
(:mod:`ambtsbericht_build.publish.extract`) to prove that nothing leaked;
they decompress every zip entry and every PDF stream, read the PDF's page
text with pdfplumber, and search the raw bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ambtsbericht_build.render.pipeline import RenderOptions, render_report

REPO = Path(__file__).resolve().parents[2]
LEAKY = REPO / "tests" / "fixtures" / "leaky"
FORMATS = ("html", "pdf", "docx", "odt")
COMMIT_DATE = "2026-02-01T12:00:00+00:00"
COMMIT_EPOCH = 1769947200

# values the leaky report must never let through, whatever the format
SECRETS = [
    "Wielewaal",  # internal.who, internal.contact.email, ::: intern
    "havenpolitie",  # internal.who, internal.tags
    "ZX-99812",  # internal.notes
    "kluis 4B",  # internal.notes
    "Zuiddorp",  # internal.notes and an HTML comment
    "9876 5432",  # internal.contact.phone
    "sleutelbron",  # internal.tags
    "Kwikstaart",  # an HTML comment
    "Boomklever",  # a confidential source's title and internal.who
    "vb-informant",  # a confidential source key
    "vb-ambtenaar",
    "bereid is nogmaals te spreken",  # ::: intern
    "herkend worden",  # ::: intern
    "Zilvermeeuw",  # report.yaml deny
]
ACTIVE = ["<script", "onerror", "onclick", "javascript:", "alert("]


def abuild_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("abuild")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("abuild")
    assert found, "the abuild command is not installed"
    return [found]


def git(root: Path, *args: str) -> str:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="Fixture Author",
        GIT_AUTHOR_EMAIL="fixture@example.invalid",
        GIT_COMMITTER_NAME="Fixture Author",
        GIT_COMMITTER_EMAIL="fixture@example.invalid",
        GIT_AUTHOR_DATE=COMMIT_DATE,
        GIT_COMMITTER_DATE=COMMIT_DATE,
    )
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def make_leaky_repo(root: Path, *, real_git: bool = True, report_yaml: str | None = None, cli: bool = False) -> Path:
    """A repository holding reports/leaky; returns the report directory.

    ``cli``: without what makes a confidentiality finding (the public title
    of a confidential source, AB301; remote and escaping images and a remote
    link, AB401), which refuses every render: for tests that need ``abuild
    render`` to go through. In-process renders keep them and pass
    ``RenderOptions(refuse_confidentiality=False)``."""
    report = root / "reports" / "leaky"
    shutil.copytree(LEAKY, report)
    if cli:
        src = report / "sources.yaml"
        src.write_text(src.read_text(encoding="utf-8").replace("  title: Gesprek met kabinetschef Boomklever\n", ""))
        ch = report / "chapters" / "01-veiligheid.md"
        text = ch.read_text(encoding="utf-8")
        text = re.sub(r"!\[[^\]]*\]\((https://tegels|\.\./)[^)]*\)\n", "", text)
        text = text.replace("[website van de NGO](https://mensenrechtenwacht.example/)", "website van de NGO")
        ch.write_text(text, encoding="utf-8")
    if report_yaml is not None:
        (report / "report.yaml").write_text(report_yaml, encoding="utf-8")
    if real_git:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "leaky fixture")
    else:
        (root / ".git").mkdir()
    return report


def with_status(status: str, extra: str = "") -> str:
    text = (LEAKY / "report.yaml").read_text(encoding="utf-8").replace("status: concept", f"status: {status}")
    return text + extra


@pytest.fixture(scope="session")
def leaky(tmp_path_factory):
    """The leaky report rendered once to all four formats: (result, report dir, outputs)."""
    root = tmp_path_factory.mktemp("leaky-repo")
    report = make_leaky_repo(root)
    result = render_report(report, RenderOptions(out_dir=root / "build", refuse_confidentiality=False))
    assert set(result.outputs) == set(FORMATS)
    return result, report, result.outputs


# --- reading every byte of an output, independently ----------------------------------------


def pdf_strings(path: Path) -> list[tuple[str, str]]:
    """(where, text) of a PDF: page text (pdfplumber), every decompressed
    stream that is not a font or image, every string and name in objects."""
    import pdfplumber
    import pikepdf

    out: list[tuple[str, str]] = []
    with pdfplumber.open(str(path)) as pdf:
        for i, page in enumerate(pdf.pages, 1):
            out.append((f"page {i}", page.extract_text() or ""))
        out.append(("metadata", repr(pdf.metadata)))
    with pikepdf.open(str(path)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                d = obj.stream_dict
                if d.get("/Subtype") in ("/Image", "/Type1C", "/CIDFontType0C", "/OpenType") or "/Length1" in d:
                    continue
                try:
                    out.append((f"stream {obj.objgen}", obj.read_bytes().decode("latin-1")))
                except pikepdf.PdfError:
                    pass
            out.append((f"object {getattr(obj, 'objgen', '')}", repr(obj)))
    return out


def package_strings(path: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i).decode("utf-8", "replace")) for i in z.infolist()] + [
            ("entry names", "\n".join(z.namelist())),
            ("comment", z.comment.decode("latin-1")),
        ]


def every_string(path: Path) -> list[tuple[str, str]]:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_strings(path) + [("raw", path.read_bytes().decode("latin-1"))]
    if suffix in (".docx", ".odt"):
        return package_strings(path)
    return [("raw", path.read_text(encoding="utf-8"))]


def occurrences(paths, needles, *, case=False) -> list[str]:
    """Where any of ``needles`` occurs in any of the files: ["file: where: needle"]."""
    found = []
    for p in paths:
        for where, text in every_string(Path(p)):
            hay = " ".join(text.split())
            if not case:
                hay = hay.casefold()
            for n in needles:
                if (n if case else n.casefold()) in hay:
                    found.append(f"{Path(p).name}: {where}: {n}")
    return found
