"""``--format json`` is exactly the object of SPEC §7; ``file`` is relative to the
current directory."""

from __future__ import annotations

import json

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.output.jsonout import render_json


def test_exact_shape(tmp_path):
    d = Diagnostics()
    d.warning("AB105", tmp_path / "reports" / "x" / "sources.yaml", 3, 3, "source a is never cited")
    d.error("AB101", tmp_path / "reports" / "x" / "chapters" / "02-veiligheid.md", 14, 1, "paragraph cites no source")
    d.error("AB003", "reports/x/tor.yaml", 0, 0, "tor.yaml is missing")
    out = render_json(d, cwd=tmp_path)
    assert out.endswith("}\n")
    assert json.loads(out) == {
        "version": 1,
        "diagnostics": [
            {
                "code": "AB101",
                "severity": "error",
                "file": "reports/x/chapters/02-veiligheid.md",
                "line": 14,
                "column": 1,
                "message": "paragraph cites no source",
            },
            {
                "code": "AB105",
                "severity": "warning",
                "file": "reports/x/sources.yaml",
                "line": 3,
                "column": 3,
                "message": "source a is never cited",
            },
            {
                "code": "AB003",
                "severity": "error",
                "file": "reports/x/tor.yaml",
                "line": 0,
                "column": 0,
                "message": "tor.yaml is missing",
            },
        ],
        "summary": {"errors": 2, "warnings": 1},
    }


def test_key_order_as_in_the_spec():
    d = Diagnostics()
    d.error("AB101", "a.md", 1, 1, "m")
    doc = json.loads(render_json(d))
    assert list(doc) == ["version", "diagnostics", "summary"]
    assert list(doc["diagnostics"][0]) == ["code", "severity", "file", "line", "column", "message"]
    assert list(doc["summary"]) == ["errors", "warnings"]


def test_empty():
    assert json.loads(render_json(Diagnostics())) == {
        "version": 1,
        "diagnostics": [],
        "summary": {"errors": 0, "warnings": 0},
    }


def test_unicode_kept_readable():
    d = Diagnostics()
    d.error("AB101", "hoofdstuk-één.md", 1, 1, "alinea zonder bron: “Vóór de verkiezingen”")
    out = render_json(d)
    assert "één" in out and "“Vóór" in out
    assert json.loads(out)["diagnostics"][0]["file"] == "hoofdstuk-één.md"


def test_real_output_paths_relative_to_cwd(bad_report, abuild, workdir, findings):
    # the report named by an absolute path, and from a subdirectory
    proc = abuild("check", "--format", "json", str(bad_report), cwd=workdir)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    files = {d["file"] for d in doc["diagnostics"]}
    assert files == {"reports/bad/chapters/01-veiligheid.md", "reports/bad/sources.yaml", "reports/bad/tor.yaml"}
    expected = findings("reports/bad")
    assert doc["summary"] == {"errors": expected.errors, "warnings": expected.warnings}
    assert doc["diagnostics"] == [d.to_json() for d in expected.sorted()]
    assert doc["summary"]["errors"] == sum(d["severity"] == "error" for d in doc["diagnostics"])
    assert doc["summary"]["warnings"] == sum(d["severity"] == "warning" for d in doc["diagnostics"])

    proc = abuild("check", "--format", "json", "bad", cwd=workdir / "reports")
    files = {d["file"] for d in json.loads(proc.stdout)["diagnostics"]}
    assert files == {"bad/chapters/01-veiligheid.md", "bad/sources.yaml", "bad/tor.yaml"}

    (workdir / "elsewhere").mkdir()
    proc = abuild("check", "--format", "json", "../reports/bad", cwd=workdir / "elsewhere")
    files = {d["file"] for d in json.loads(proc.stdout)["diagnostics"]}
    assert "../reports/bad/tor.yaml" in files


def test_real_output_positions(bad_report, abuild, workdir):
    doc = json.loads(abuild("check", "--format", "json", "reports/bad", cwd=workdir).stdout)
    by_code = {}
    for d in doc["diagnostics"]:
        by_code.setdefault(d["code"], []).append(d)
    # the paragraph's first line, the tor.yaml key, the source entry
    assert (by_code["AB101"][0]["line"], by_code["AB101"][0]["column"]) == (7, 1)
    assert [(d["line"], d["column"]) for d in by_code["AB201"]] == [(10, 9), (12, 9)]
    assert all(d["file"] == "reports/bad/tor.yaml" for d in by_code["AB201"])
    assert by_code["AB106"][0]["file"] == "reports/bad/sources.yaml"
    # sorted by file, line, column
    keys = [(d["file"], d["line"], d["column"]) for d in doc["diagnostics"]]
    assert keys == sorted(keys)


def test_whole_file_finding_has_line_and_column_zero(workdir, abuild):
    proc = abuild("check", "--format", "json", "reports/nope", cwd=workdir)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["diagnostics"] == [
        {
            "code": "AB003",
            "severity": "error",
            "file": "reports/nope",
            "line": 0,
            "column": 0,
            "message": "report directory does not exist",
        }
    ]
