"""AB109: a source's archived copy exists inside the repository and has the SHA-256 written beside it.

On main, ``archive: {file, sha256}`` was validated for its shape only: a
missing copy, a copy outside the repository or a changed copy all passed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fixtures.report_kit import SOURCES_YAML, make_report

COPY = b"%PDF-1.7 kopie van het rapport\n"
SHA = hashlib.sha256(COPY).hexdigest()

BASE_LINES = SOURCES_YAML.count("\n")
FILE_LINE = BASE_LINES + 8  # the "file:" line of entry() below
SHA_LINE = FILE_LINE + 1


def entry(file: str, sha: str = SHA) -> str:
    return f"""
- id: ai-2025
  type: report
  author: [{{literal: Amnesty International}}]
  title: Testland 2025
  issued: 2025-04-29
  archive:
    file: {file}
    sha256: "{sha}"
"""


CITE = '# Politiek\n\n## V {tor="1.1 1.2"}\n\nTekst.[@hrw-2025; @vb-2025-11-04; @ai-2025]\n'


def setup(report, file: str, sha: str = SHA) -> None:
    report.write("sources.yaml", SOURCES_YAML + entry(file, sha))
    report.chapter(CITE)


def test_a_good_copy_passes(report):
    report.write("archive/ai-2025.pdf", COPY)
    setup(report, "archive/ai-2025.pdf")
    report.expect_none()


def test_missing_copy(report):
    setup(report, "archive/ai-2025.pdf")
    d = report.expect("AB109", "sources.yaml", FILE_LINE, 5)
    assert d.message == "archived copy archive/ai-2025.pdf of source ai-2025 does not exist (relative to testland/)"


def test_changed_copy_is_reported_at_the_hash(report):
    report.write("archive/ai-2025.pdf", COPY + b"later bijgewerkt\n")
    setup(report, "archive/ai-2025.pdf")
    d = report.expect("AB109", "sources.yaml", SHA_LINE, 5)
    actual = hashlib.sha256(COPY + b"later bijgewerkt\n").hexdigest()
    assert f"has SHA-256 {actual}, not the {SHA[:12]}... written here" in d.message


def test_dot_dot_out_of_the_repository(report, tmp_path):
    (tmp_path / "buiten.pdf").write_bytes(COPY)
    setup(report, "../../../buiten.pdf")
    assert "is outside the repository" in report.expect("AB109", "sources.yaml", FILE_LINE, 5).message


def test_dot_dot_inside_the_repository_is_fine(report):
    report.write_root("archive/ai-2025.pdf", COPY.decode())
    setup(report, "../../archive/ai-2025.pdf")
    report.expect_none()


def test_symlink_out_of_the_repository(report, tmp_path):
    (tmp_path / "buiten.pdf").write_bytes(COPY)
    report.path("archive").mkdir(exist_ok=True)  # the kit's report keeps a copy there
    os.symlink(tmp_path / "buiten.pdf", report.path("archive/ai-2025.pdf"))
    setup(report, "archive/ai-2025.pdf")
    assert "is outside the repository" in report.expect("AB109", "sources.yaml", FILE_LINE, 5).message


def test_symlink_inside_the_repository_is_followed_and_hashed(report):
    report.write("archive/echt.pdf", COPY)
    os.symlink("echt.pdf", report.path("archive/ai-2025.pdf"))
    setup(report, "archive/ai-2025.pdf")
    report.expect_none()


def test_absolute_path_and_url(report, tmp_path):
    (tmp_path / "a.pdf").write_bytes(COPY)
    setup(report, str(tmp_path / "a.pdf"))
    assert "is not a path relative" in report.expect("AB109", "sources.yaml", FILE_LINE, 5).message
    setup(report, "https://web.archive.org/web/2025/x")
    assert "is not a path relative" in report.expect("AB109", "sources.yaml", FILE_LINE, 5).message


def test_a_directory(report):
    report.path("archive/ai-2025.pdf").mkdir(parents=True)
    setup(report, "archive/ai-2025.pdf")
    assert "is not a file" in report.expect("AB109", "sources.yaml", FILE_LINE, 5).message


def test_csl_json_entry(report):
    item = {
        "id": "ai-2025",
        "type": "report",
        "title": "Testland 2025",
        "author": [{"literal": "Amnesty International"}],
        "issued": "2025-04-29",
        "archive": {"file": "archive/weg.pdf", "sha256": SHA},
    }
    report.write("extra.json", json.dumps([item], indent=1))
    report.write("report.yaml", report.path("report.yaml").read_text() + "bibliography: [sources.yaml, extra.json]\n")
    report.chapter(CITE)
    d = report.expect("AB109", "extra.json", 3, 3)  # the entry's "id" (JSON keeps no key positions)
    assert "does not exist" in d.message


def test_a_shared_source_is_checked_from_the_report(report):
    report.write_root("archive/ai-2025.pdf", COPY.decode())
    report.write_root("bibliography/gedeeld.yaml", entry("../../archive/ai-2025.pdf", "f" * 64))
    diags = [d for d in report.check() if d.code == "AB109"]
    assert len(diags) == 1 and Path(diags[0].file).name == "gedeeld.yaml"


def test_uppercase_hash_is_a_schema_error(report):
    report.write("archive/ai-2025.pdf", COPY)
    setup(report, "archive/ai-2025.pdf", SHA.upper())
    assert "AB002" in report.codes()


@settings(max_examples=30, deadline=None)
@given(content=st.binary(max_size=2000), other=st.text("0123456789abcdef", min_size=64, max_size=64))
def test_only_the_copys_own_hash_passes(content, other):
    with tempfile.TemporaryDirectory() as tmp:
        report = make_report(Path(tmp))
        report.write("archive/kopie.bin", content)
        own = hashlib.sha256(content).hexdigest()
        setup(report, "archive/kopie.bin", own)
        assert "AB109" not in report.codes()
        setup(report, "archive/kopie.bin", other)
        assert ("AB109" in report.codes()) == (other != own)
