"""``--format sarif``: valid SARIF 2.1.0 (the official OASIS schema, vendored) with
what GitHub code scanning needs to show an alert at the right place."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from ambtsbericht_build.check import REGISTRY
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.output.sarif import artifact_uri, render_sarif

VENDORED = Path(__file__).resolve().parents[1] / "vendor" / "sarif-schema-2.1.0.json"
VENDORED_SHA256 = "80cd7ffb9b62a4162d541aa9170862dd264f6cce0f04c57f1ac9f2337b808958"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(VENDORED.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _assert_valid(validator, doc):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_vendored_schema_is_the_official_file():
    data = VENDORED.read_bytes()
    assert hashlib.sha256(data).hexdigest() == VENDORED_SHA256
    schema = json.loads(data)
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def _assert_code_scanning_ready(doc: dict, workdir: Path, files_exist: bool = True):
    """What GitHub code scanning reads from an uploaded SARIF file."""
    assert doc["version"] == "2.1.0"
    assert len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "abuild"
    assert driver["version"]
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert ids == sorted(REGISTRY)
    for r in rules:
        assert r["shortDescription"]["text"]
        assert r["fullDescription"]["text"]
        assert r["help"]["text"] and r["help"]["markdown"]
        assert r["defaultConfiguration"]["level"] == REGISTRY[r["id"]].severity.value
        assert r["name"] and r["name"][0].isupper() and " " not in r["name"]
    assert isinstance(run["results"], list)
    for res in run["results"]:
        assert res["ruleId"] in ids
        assert ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        assert res["level"] == REGISTRY[res["ruleId"]].severity.value
        assert res["message"]["text"].strip()
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        parts = urlsplit(uri)
        assert not parts.scheme and not parts.netloc, uri  # relative
        assert not uri.startswith("/") and "\\" not in uri and " " not in uri
        if files_exist:
            assert (workdir / unquote(uri)).exists(), uri
        assert loc["region"]["startLine"] >= 1
        if "startColumn" in loc["region"]:
            assert loc["region"]["startColumn"] >= 1


def test_real_output_is_valid_and_complete(bad_report, abuild, workdir, validator, findings):
    proc = abuild("check", "--format", "sarif", "reports/bad", cwd=workdir)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    _assert_valid(validator, doc)
    _assert_code_scanning_ready(doc, workdir)
    results = doc["runs"][0]["results"]
    expected = findings("reports/bad")
    assert [(r["ruleId"], r["message"]["text"]) for r in results] == [(d.code, d.message) for d in expected.sorted()]
    assert {r["level"] for r in results} == {"error", "warning"}
    ab101 = next(r for r in results if r["ruleId"] == "AB101")
    loc = ab101["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "reports/bad/chapters/01-veiligheid.md"
    assert loc["region"] == {"startLine": 7, "startColumn": 1}
    assert doc["$schema"] == json.loads(VENDORED.read_text())["$id"]


def test_clean_report_has_an_empty_results_list(good_report, abuild, workdir, validator):
    proc = abuild("check", "--format", "sarif", "reports/good", cwd=workdir)
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    _assert_valid(validator, doc)
    assert doc["runs"][0]["results"] == []
    assert len(doc["runs"][0]["tool"]["driver"]["rules"]) == len(REGISTRY)


def test_whole_file_findings_point_at_line_one(workdir, validator, abuild):
    report = workdir / "reports" / "leeg"
    (report / "chapters").mkdir(parents=True)
    proc = abuild("check", "--format", "sarif", "reports/leeg", cwd=workdir)
    doc = json.loads(proc.stdout)
    _assert_valid(validator, doc)
    _assert_code_scanning_ready(doc, workdir, files_exist=False)  # the findings are missing files
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in doc["runs"][0]["results"]]
    assert regions and all(reg == {"startLine": 1} for reg in regions)


def test_paths_become_uri_references(workdir, validator):
    d = Diagnostics()
    d.error("AB101", workdir / "reports" / "mijn rapport" / "hoofdstuk #1 [50%].md", 3, 2, "m")
    doc = json.loads(render_sarif(d, cwd=workdir))
    _assert_valid(validator, doc)
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "reports/mijn%20rapport/hoofdstuk%20%231%20%5B50%25%5D.md"
    assert unquote(uri) == "reports/mijn rapport/hoofdstuk #1 [50%].md"


def test_artifact_uri():
    assert artifact_uri("reports/x/a.md") == "reports/x/a.md"
    assert artifact_uri("../x/é.md") == "../x/%C3%A9.md"
    assert artifact_uri("/abs/p q.md") == "file:///abs/p%20q.md"
