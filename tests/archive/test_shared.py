"""The shared bibliography's sources in the archive (issue #15): ``abuild
archive`` captures them from the local test server into
``bibliography/archive/``, records a YAML source's copy in its own file and
a ``.bib``/``.json`` source's in ``bibliography/archive.yaml`` (those files
are never rewritten), and the check catches a tampered shared copy at the
line that records it."""

from __future__ import annotations

import hashlib

import pytest
import yaml
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from ambtsbericht_build.cli import main

from .server import PAGE, PDF, serving

SHARED_YAML = """\
# Gedeelde bronnen (dit commentaar blijft staan)
- id: vn-1951
  type: legislation
  title: Verdrag betreffende de status van vluchtelingen
  issued: 1951-07-28
  URL: {base}/page
  accessed: 2025-01-01
"""

SHARED_BIB = """\
@report{{unhcr-2019,
  title = {{Handbook on Procedures and Criteria}},
  institution = {{UNHCR}},
  date = {{2019-02-01}},
  url = {{{base}/report.pdf}},
}}
"""

SHARED_JSON = """\
[{{"id": "ohchr-1984", "type": "legislation", "title": "Convention against Torture",
  "issued": {{"date-parts": [[1984, 12, 10]]}}, "URL": "{base}/moved"}}]
"""


@pytest.fixture
def shared(report, monkeypatch):
    """The report, a shared bibliography of one source in each format, and the server they are on."""
    monkeypatch.setenv("no_proxy", "*")  # the test server is local, whatever proxy the machine has
    with serving() as srv:
        report.write_root("bibliography/gedeeld.yaml", SHARED_YAML.format(base=srv.base))
        report.write_root("bibliography/gedeeld.bib", SHARED_BIB.format(base=srv.base))
        report.write_root("bibliography/gedeeld.json", SHARED_JSON.format(base=srv.base))
        yield report, srv


def archive(report, *args: str):
    return CliRunner().invoke(main, ["archive", str(report.dir), *args])


def responses(path) -> list[tuple[str, bytes]]:
    with open(path, "rb") as fh:
        return [
            (r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(fh, check_digests="raise")
            if r.rec_type == "response"
        ]


def codes(report, *which: str) -> list:
    return [d for d in report.check() if d.code in which]


def test_shared_sources_are_captured_into_the_shared_archive_and_recorded(shared):
    report, srv = shared
    bib = report.root / "bibliography"
    before = {name: (bib / name).read_bytes() for name in ("gedeeld.bib", "gedeeld.json")}
    # before: no copy anywhere, a warning each (a concept) at the source's place
    found = {(d.file.rsplit("/", 1)[-1], d.severity.value) for d in codes(report, "AB111")}
    assert found == {("gedeeld.yaml", "warning"), ("gedeeld.bib", "warning"), ("gedeeld.json", "warning")}
    res = archive(report)
    assert res.exit_code == 0, res.output
    assert "3 captured and recorded, 0 failed" in res.output
    # the YAML source records its copy in place, its comment kept; relative to bibliography/
    text = (bib / "gedeeld.yaml").read_text(encoding="utf-8")
    assert text.startswith(SHARED_YAML.format(base=srv.base).split("\n- id")[0])
    [item] = yaml.safe_load(text)
    # the .bib and .json files are never rewritten: their copies are in archive.yaml
    assert {name: (bib / name).read_bytes() for name in before} == before
    sidecar = yaml.safe_load((bib / "archive.yaml").read_text(encoding="utf-8"))
    assert set(sidecar) == {"unhcr-2019", "ohchr-1984"}
    for a, url, body in (
        (item["archive"], "/page", PAGE),
        (sidecar["unhcr-2019"], "/report.pdf", PDF),
        (sidecar["ohchr-1984"], "/page", PAGE),
    ):
        # bibliography/archive/: one copy for every report, relative to the report directory as every copy
        assert a["file"].startswith("../../bibliography/archive/") and a["file"].endswith(".warc.gz")
        assert a["status"] == 200
        warc = report.dir / a["file"]
        assert hashlib.sha256(warc.read_bytes()).hexdigest() == a["sha256"]
        assert (srv.base + url, body) in responses(warc)
    assert not list(report.dir.joinpath("archive").glob("*.warc.gz"))  # nothing in the report's own archive
    assert codes(report, "AB109", "AB111") == []
    ok = archive(report, "--verify")
    assert ok.exit_code == 0 and "OK unhcr-2019: ../../bibliography/archive/unhcr-2019-" in ok.output, ok.output
    again = archive(report)
    assert again.exit_code == 0 and "nothing to fetch" in again.output


def test_a_tampered_shared_copy_is_caught_where_it_is_recorded(shared):
    report, _ = shared
    assert archive(report).exit_code == 0
    bib = report.root / "bibliography"
    sidecar_text = (bib / "archive.yaml").read_text(encoding="utf-8")
    tampered = []
    for name in (
        yaml.safe_load(sidecar_text)["unhcr-2019"]["file"],
        yaml.safe_load((bib / "gedeeld.yaml").read_text(encoding="utf-8"))[0]["archive"]["file"],
    ):
        data = bytearray((report.dir / name).read_bytes())
        data[len(data) // 2] ^= 0x01
        (report.dir / name).write_bytes(bytes(data))
        tampered.append(name)
    found = codes(report, "AB109")
    assert {(d.file.rsplit("/", 1)[-1], d.severity.value) for d in found} == {
        ("archive.yaml", "error"),
        ("gedeeld.yaml", "error"),
    }
    [in_sidecar] = [d for d in found if d.file.endswith("archive.yaml")]
    sha_line = next(i for i, ln in enumerate(sidecar_text.splitlines(), 1) if ln.strip().startswith("sha256:"))
    assert in_sidecar.line == sha_line and "the copy changed" in in_sidecar.message
    res = archive(report, "--verify")
    assert res.exit_code == 1 and res.output.count("BAD ") == 2, res.output
    # a copy that is gone: at the line naming its file
    (report.dir / tampered[0]).unlink()
    [gone] = [d for d in codes(report, "AB109") if d.file.endswith("archive.yaml")]
    assert "does not exist" in gone.message and gone.line == sha_line - 1  # at its file


def test_a_broken_sidecar_is_one_clear_error(shared):
    report, _ = shared
    report.write_root("bibliography/archive.yaml", "- dit is geen mapping\n")
    found = [d for d in report.check() if d.file.endswith("archive.yaml")]
    assert [(d.code, d.line, d.severity.value) for d in found] == [("AB002", 1, "error")]
    assert "mapping of source id to archived copy" in found[0].message
    report.write_root("bibliography/archive.yaml", "unhcr-2019: {file: archive/x.warc.gz, sha256: kapot}\n")
    [d] = [d for d in report.check() if d.file.endswith("archive.yaml")]
    assert d.code == "AB002" and d.line == 1


def test_a_reports_own_bib_source_is_recorded_beside_its_file(report, monkeypatch):
    """A report's own BibTeX file is never rewritten either: its source's copy
    goes to the report's archive/ and is recorded in the archive.yaml beside it."""
    from tests.fixtures.report_kit import REPORT_YAML

    monkeypatch.setenv("no_proxy", "*")
    with serving() as srv:
        report.write("bronnen.bib", SHARED_BIB.format(base=srv.base), dedent_text=False)
        report.write("report.yaml", REPORT_YAML + "bibliography: [sources.yaml, bronnen.bib]\n", dedent_text=False)
        before = report.path("bronnen.bib").read_bytes()
        [d] = codes(report, "AB111")
        assert d.file.endswith("bronnen.bib") and "--add unhcr-2019 FILE" in d.message
        res = archive(report)
        assert res.exit_code == 0 and "1 captured and recorded" in res.output, res.output
    assert report.path("bronnen.bib").read_bytes() == before
    a = yaml.safe_load(report.path("archive.yaml").read_text(encoding="utf-8"))["unhcr-2019"]
    assert a["file"].startswith("archive/unhcr-2019-") and (srv.base + "/report.pdf", PDF) in responses(
        report.dir / a["file"]
    )
    assert codes(report, "AB109", "AB111") == []


def test_add_records_a_shared_copy_saved_by_hand_in_the_shared_archive(shared, tmp_path):
    report, _ = shared
    saved = tmp_path / "verdrag.pdf"
    saved.write_bytes(PDF)
    res = archive(report, "--add", "unhcr-2019", str(saved))
    assert res.exit_code == 0, res.output
    a = yaml.safe_load((report.root / "bibliography" / "archive.yaml").read_text(encoding="utf-8"))["unhcr-2019"]
    assert a["file"].startswith("../../bibliography/archive/unhcr-2019-") and a["file"].endswith(".pdf")
    assert (report.dir / a["file"]).read_bytes() == PDF
    assert [d.file for d in codes(report, "AB109", "AB111") if "unhcr" in d.message] == []
