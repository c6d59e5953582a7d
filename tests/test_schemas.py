"""JSON Schemas: the generated ones are committed and up to date, valid, and accept
real reports; the hand-written check-output schema matches real ``abuild check
--format json`` output."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from ambtsbericht_build import models
from ambtsbericht_build.cli import main
from ambtsbericht_build.commands.schemas import generate_all, write_schemas

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "schemas"
DATA = REPO / "tests" / "output" / "data"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_schema(name), format_checker=jsonschema.FormatChecker())


def _as_json(data):
    """YAML data as an editor sees it: dates are strings."""
    return json.loads(
        json.dumps(data, default=lambda o: o.isoformat() if isinstance(o, (dt.date, dt.datetime)) else str(o))
    )


def _yaml(path: Path):
    return _as_json(yaml.safe_load(path.read_text(encoding="utf-8")))


# --- generated schemas -------------------------------------------------------------


def test_committed_schemas_are_up_to_date(tmp_path):
    result = write_schemas(tmp_path / "schemas")
    written = sorted(p.name for p in result.written)
    assert written == sorted(f"{name}.schema.json" for name in models.SCHEMA_MODELS)
    for name in written:
        committed = SCHEMAS / name
        assert committed.is_file(), f"{name} is not committed: run `abuild schemas`"
        assert committed.read_bytes() == (tmp_path / "schemas" / name).read_bytes(), (
            f"schemas/{name} is out of date: run `abuild schemas`"
        )


def test_generated_schemas_are_stable_and_valid():
    for _filename, text in generate_all().items():
        schema = json.loads(text)
        assert text == json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        assert schema["$schema"] == DRAFT
        assert schema["title"]
        jsonschema.Draft202012Validator.check_schema(schema)
    assert generate_all() == generate_all()


def test_schemas_command(tmp_path):
    runner = CliRunner()
    out = tmp_path / "schemas"
    res = runner.invoke(main, ["schemas", str(out)])
    assert res.exit_code == 0
    assert len(res.stdout.splitlines()) == len(models.SCHEMA_MODELS)
    # an unchanged file is not rewritten; a stale one is found by --check
    assert runner.invoke(main, ["schemas", str(out)]).stdout == ""
    assert runner.invoke(main, ["schemas", "--check", str(out)]).exit_code == 0
    (out / "tor.schema.json").write_text("{}\n", encoding="utf-8")
    res = runner.invoke(main, ["schemas", "--check", str(out)])
    assert res.exit_code == 1 and "tor.schema.json" in res.output
    assert runner.invoke(main, ["schemas", "--check", str(SCHEMAS)]).exit_code == 0


def test_schemas_command_leaves_check_output_schema_alone(tmp_path):
    out = tmp_path / "schemas"
    out.mkdir()
    shutil.copy(SCHEMAS / "check-output.schema.json", out)
    before = (out / "check-output.schema.json").read_bytes()
    assert CliRunner().invoke(main, ["schemas", str(out)]).exit_code == 0
    assert (out / "check-output.schema.json").read_bytes() == before


EXAMPLE = REPO / "reports" / "voorbeeldland"


@pytest.mark.parametrize("report", [EXAMPLE, DATA / "good"], ids=["voorbeeldland", "good"])
def test_real_reports_validate(report):
    assert not _list_errors(_validator("report"), _yaml(report / "report.yaml"))
    assert not _list_errors(_validator("tor"), _yaml(report / "tor.yaml"))
    assert not _list_errors(_validator("sources"), _yaml(report / "sources.yaml"))
    if (report / "glossary.yaml").exists():
        assert not _list_errors(_validator("glossary"), _yaml(report / "glossary.yaml"))


def test_shared_bibliography_validates():
    for path in sorted((REPO / "bibliography").glob("*.yaml")):
        assert not _list_errors(_validator("sources"), _yaml(path)), path


def test_chapter_front_matter():
    v = _validator("chapter-front-matter")
    assert not _list_errors(v, {"claims": False, "numbered": False})
    assert _list_errors(v, {"claims": "nee"})
    assert _list_errors(v, {"claim": False})


def test_schemas_reject_what_the_loader_rejects():
    report = _yaml(DATA / "good" / "report.yaml")
    v = _validator("report")
    for broken in (
        dict(report, status="klaar"),
        dict(report, kind="lang"),
        dict(report, onbekend=1),
        {k: val for k, val in report.items() if k != "title"},
        dict(report, date="1 maart 2026"),
        dict(report, reference_period={"start": "2025-01-01"}),
    ):
        assert _list_errors(v, broken), broken
    tor = _yaml(DATA / "good" / "tor.yaml")
    broken = copy.deepcopy(tor)
    broken["themes"][0]["questions"] = []
    assert _list_errors(_validator("tor"), broken)
    assert _list_errors(_validator("sources"), [{"type": "report"}])  # no id
    assert _list_errors(_validator("glossary"), {"HRW": ["Human Rights Watch"]})


def _list_errors(validator, data) -> list[str]:
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]


# --- check-output.schema.json (hand-written) ----------------------------------------


@pytest.fixture
def check_output_validator():
    schema = _schema("check-output")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT and schema["title"]
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("good", "bad"):
        shutil.copytree(DATA / name, tmp_path / "reports" / name)
    return tmp_path


def test_real_check_output_validates(workdir, check_output_validator):
    res = CliRunner().invoke(main, ["check", "--format", "json", "reports/bad", "reports/bestaat-niet"])
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert not _list_errors(check_output_validator, doc)
    codes = {d["code"] for d in doc["diagnostics"]}
    assert len(codes) >= 8, codes  # several different findings
    assert {d["severity"] for d in doc["diagnostics"]} == {"error", "warning"}
    assert any(d["line"] == 0 for d in doc["diagnostics"])  # the missing directory

    res = CliRunner().invoke(main, ["check", "--format", "json", "reports/good"])
    assert res.exit_code == 0
    assert not _list_errors(check_output_validator, json.loads(res.stdout))


def test_check_output_schema_is_strict(workdir, check_output_validator):
    doc = json.loads(CliRunner().invoke(main, ["check", "--format", "json", "reports/bad"]).stdout)
    d0 = doc["diagnostics"][0]
    mutations = [
        dict(doc, version=2),
        dict(doc, extra=True),
        {k: v for k, v in doc.items() if k != "summary"},
        dict(doc, summary={"errors": -1, "warnings": 0}),
        dict(doc, summary={"errors": 1}),
        dict(doc, diagnostics=[dict(d0, code="AB1")]),
        dict(doc, diagnostics=[dict(d0, code="XY101")]),
        dict(doc, diagnostics=[dict(d0, severity="info")]),
        dict(doc, diagnostics=[dict(d0, line=-1)]),
        dict(doc, diagnostics=[dict(d0, column=1.5)]),
        dict(doc, diagnostics=[dict(d0, line="7")]),
        dict(doc, diagnostics=[dict(d0, message="")]),
        dict(doc, diagnostics=[dict(d0, hint="x")]),
        dict(doc, diagnostics=[{k: v for k, v in d0.items() if k != "file"}]),
    ]
    for m in mutations:
        assert _list_errors(check_output_validator, m), m
