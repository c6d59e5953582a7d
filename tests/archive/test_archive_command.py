"""``abuild archive REPORT``: captures into WARC files, records in
sources.yaml (comments kept), failures recorded nowhere; ``--add`` and
``--verify``; the check (AB109) catches a tampered copy."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
import yaml
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from ambtsbericht_build.cli import main

from .server import PAGE, PDF, serving

SOURCES = """\
# Bronnen van Testland (commentaar blijft staan)

- id: hrw-2025
  type: report
  author: [{{literal: Human Rights Watch}}]
  title: World Report 2025 – Testland
  issued: 2025-01-16
  URL: {base}/moved   # verhuisd naar /page
  accessed: 2025-02-03

# -- rapporten als PDF --
- id: ai-2025
  type: report
  author: [{{literal: Amnesty International}}]
  title: Testland 2025
  issued: 2025-04-29
  URL: {base}/report.pdf
  accessed: 2025-05-02
{more}
- id: vb-2025-11-04
  type: interview
  confidential: true
  issued: 2025-11-04
  internal:
    who: medewerker VN-organisatie, Genève
    archief: AMB-TL/2025/1104
"""

FAILING = """
- id: weg-2025
  type: webpage
  author: [{{literal: Krant}}]
  title: Verdwenen pagina
  issued: 2025-03-01
  URL: {base}/missing
  accessed: 2025-03-02

- id: traag-2025
  type: webpage
  author: [{{literal: Krant}}]
  title: Trage pagina
  issued: 2025-03-01
  URL: {base}/slow
  accessed: 2025-03-02

- id: groot-2025
  type: webpage
  author: [{{literal: Krant}}]
  title: Te grote pagina
  issued: 2025-03-01
  URL: {base}/chunked/5000
  accessed: 2025-03-02

- id: file-2025
  type: webpage
  author: [{{literal: Krant}}]
  title: Omleiding naar een bestand
  issued: 2025-03-01
  URL: {base}/to-file
  accessed: 2025-03-02
"""


@pytest.fixture
def srv(monkeypatch):
    monkeypatch.setenv("no_proxy", "*")  # the test server is local, whatever proxy the machine has
    with serving() as s:
        yield s


def archive(report, *args: str):
    return CliRunner().invoke(main, ["archive", str(report.dir), *args])


def sources(report) -> dict[str, dict]:
    return {s["id"]: s for s in yaml.safe_load(report.path("sources.yaml").read_text(encoding="utf-8"))}


def records(path) -> list:
    with open(path, "rb") as fh:
        return [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.rec_headers,
                r.http_headers,
                r.content_stream().read(),
            )
            for r in ArchiveIterator(fh, check_digests="raise")
        ]


def test_captures_into_warc_records_and_records_them_keeping_comments(report, srv):
    report.write("sources.yaml", SOURCES.format(base=srv.base, more=""), dedent_text=False)
    before = report.path("sources.yaml").read_text(encoding="utf-8")
    res = archive(report)
    assert res.exit_code == 0, res.output
    after = report.path("sources.yaml").read_text(encoding="utf-8")
    # every line written by the drafter is still there, in order, comments included
    lines = iter(after.splitlines())
    assert all(any(old == new for new in lines) for old in before.splitlines())
    assert "# -- rapporten als PDF --\n- id: ai-2025" in after  # still above the source it is about
    got = sources(report)
    assert "archive" not in got["vb-2025-11-04"]  # a confidential source is never fetched
    for sid, path, body in (("hrw-2025", "/page", PAGE), ("ai-2025", "/report.pdf", PDF)):
        a = got[sid]["archive"]
        assert a["status"] == 200 and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", str(a["captured"]))
        warc = report.dir / a["file"]
        assert a["file"].startswith("archive/") and a["file"].endswith(".warc.gz")
        assert hashlib.sha256(warc.read_bytes()).hexdigest() == a["sha256"]
        recs = records(warc)
        assert recs[0][0] == "warcinfo"
        final = [r for r in recs if r[0] == "response"][-1]
        assert final[1] == srv.base + path and final[4] == body
        digest = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
        assert final[2].get_header("WARC-Payload-Digest") == digest
        assert [r[0] for r in recs].count("request") == [r[0] for r in recs].count("response")
    hrw = records(report.dir / got["hrw-2025"]["archive"]["file"])
    assert [(r[0], r[1], r[3].get_statuscode() if r[0] == "response" else None) for r in hrw[1:]] == [
        ("response", srv.base + "/moved", "301"),
        ("request", srv.base + "/moved", None),
        ("response", srv.base + "/page", "200"),
        ("request", srv.base + "/page", None),
    ]
    # every copy in place, the confidential source referenced (ai-2025 is not cited: AB105)
    assert report.codes() == ["AB105"]
    again = archive(report)  # every copy is valid: nothing is fetched again
    assert again.exit_code == 0 and "nothing to fetch" in again.output
    assert report.path("sources.yaml").read_text(encoding="utf-8") == after


def test_failed_captures_are_reported_and_recorded_nowhere(report, srv):
    report.write("sources.yaml", SOURCES.format(base=srv.base, more=FAILING.format(base=srv.base)), dedent_text=False)
    res = CliRunner().invoke(main, ["archive", str(report.dir), "--timeout", "0.5", "--max-size", "4KB"])
    assert res.exit_code == 1
    for sid, why in (
        ("weg-2025", "answered 404"),
        ("traag-2025", "no answer in time"),
        ("groot-2025", "more than the limit of 4,096 bytes"),
        ("file-2025", "is not an http(s) address"),
    ):
        assert re.search(rf"FAILED {sid}: .*{re.escape(why)}", res.output), res.output
    got = sources(report)
    assert {k for k, v in got.items() if "archive" in v} == {"hrw-2025", "ai-2025"}
    # no file, no temporary file for a failure (beside the copy the kit's report keeps)
    assert len([p for p in report.path("archive").iterdir() if p.name != "hrw-2025.html"]) == 2
    assert "2 captured and recorded, 4 failed" in res.output
    diags = [d for d in report.check() if d.code == "AB111"]
    assert sorted(d.line for d in diags) == sorted(
        i + 1
        for i, line in enumerate(report.path("sources.yaml").read_text().splitlines())
        if re.match(r"- id: (weg|traag|groot|file)-2025", line)
    )


def test_add_records_a_copy_saved_by_hand_and_verify_reads_it(report, srv, tmp_path):
    report.write("sources.yaml", SOURCES.format(base=srv.base, more=""), dedent_text=False)
    saved = tmp_path / "opgeslagen.pdf"
    saved.write_bytes(PDF)
    res = archive(report, "--add", "ai-2025", str(saved))
    assert res.exit_code == 0, res.output
    a = sources(report)["ai-2025"]["archive"]
    assert a["file"].startswith("archive/ai-2025-") and a["file"].endswith(".pdf")
    assert a["sha256"] == hashlib.sha256(PDF).hexdigest() and "status" not in a
    assert (report.dir / a["file"]).read_bytes() == PDF
    refused = archive(report, "--add", "vb-2025-11-04", str(saved))
    assert refused.exit_code == 1 and "archived outside the repository" in refused.output
    unknown = archive(report, "--add", "nergens", str(saved))
    assert unknown.exit_code == 1 and "no source with id nergens" in unknown.output
    assert archive(report).exit_code == 0  # captures hrw-2025 only
    ok = archive(report, "--verify")
    assert ok.exit_code == 0, ok.output
    assert "2 copy(ies) verified, 0 problem(s)" in ok.output and "WARC record(s) read back" in ok.output


def test_verify_and_check_catch_a_tampered_copy(report, srv):
    report.write("sources.yaml", SOURCES.format(base=srv.base, more=""), dedent_text=False)
    assert archive(report).exit_code == 0
    a = sources(report)["hrw-2025"]["archive"]
    warc = report.dir / a["file"]
    data = bytearray(warc.read_bytes())
    data[len(data) // 2] ^= 0x01
    warc.write_bytes(bytes(data))
    res = archive(report, "--verify")
    assert res.exit_code == 1 and "BAD hrw-2025" in res.output and "the copy changed" in res.output
    [d] = [d for d in report.check() if d.code == "AB109"]
    assert d.severity.value == "error" and "the copy changed or the hash is wrong" in d.message
    # the hash written to match the tampered file: the WARC's own digests still catch it
    text = report.path("sources.yaml").read_text(encoding="utf-8")
    report.write("sources.yaml", text.replace(a["sha256"], hashlib.sha256(data).hexdigest()), dedent_text=False)
    res = archive(report, "--verify")
    assert res.exit_code == 1 and "does not read back" in res.output, res.output


def test_an_archive_dir_outside_the_repository_is_refused(report, srv, tmp_path):
    report.write("sources.yaml", SOURCES.format(base=srv.base, more=""), dedent_text=False)
    res = archive(report, "--archive-dir", str(tmp_path / "elders"))
    assert res.exit_code == 1 and "outside the repository" in res.output
    assert not (tmp_path / "elders").exists() and srv.seen == []
