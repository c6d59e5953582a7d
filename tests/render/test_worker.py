"""The writer process: with ``--wait`` it imports first and writes only once
it is given its paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ambtsbericht_build.render.facts import default_house_style
from ambtsbericht_build.render.worker import ABANDONED

FACTS = {
    "meta": {
        "title": "T",
        "kind": "Algemeen ambtsbericht",
        "country": "L",
        "date": "1 mei 2026",
        "period": "",
        "issuer": "",
        "version": "1",
        "status": "concept",
        "draft": True,
        "lang": "nl-NL",
    },
    "lang": "nl",
    "headings": [],
    "glossary": {},
    "epoch": 0,
    "created": "1970-01-01T00:00:00Z",
    "month_year": "mei 2026",
    "notes": 0,
    "sidecars": False,
    "house_style": default_house_style().to_json(),
}


@pytest.fixture()
def inputs(tmp_path):
    doc = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [{"t": "Para", "c": [{"t": "Str", "c": "Hallo"}]}]}
    (tmp_path / "doc.json").write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "facts.json").write_text(json.dumps(FACTS), encoding="utf-8")
    return tmp_path


def _paths(d: Path) -> list[str]:
    return [str(d / "doc.json"), str(d / "facts.json"), str(d / "out.html")]


def _worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ambtsbericht_build.render.worker", "html", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_given_its_paths_it_writes_the_output(inputs):
    p = _worker("--wait")
    _, err = p.communicate(json.dumps(_paths(inputs)) + "\n", timeout=120)
    assert p.returncode == 0, err
    assert "Hallo" in (inputs / "out.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("said", ["", "stop\n", "[1, 2]\n", "7\n"])
def test_without_its_paths_nothing_is_read_or_written(inputs, said):
    # the inputs may not exist yet while a worker waits: it must not read them
    (inputs / "doc.json").unlink()
    p = _worker("--wait")
    _, err = p.communicate(said, timeout=120)
    assert p.returncode == ABANDONED, err
    assert err == ""
    assert not (inputs / "out.html").exists()


def test_without_wait_it_writes_at_once(inputs):
    p = _worker(*_paths(inputs))
    _, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert (inputs / "out.html").exists()


def _spy_pandoc(tmp_path: Path) -> Path:
    """A pandoc that records its scheduling priority, then runs the real one."""
    from ambtsbericht_build.tools import pandoc_path

    script = tmp_path / "pandoc"
    script.write_text(f"""#!/bin/sh
{{ nice; cat /proc/self/autogroup 2>/dev/null || echo none; }} > "{tmp_path}/priority"
exec "{pandoc_path()}" "$@"
""")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("fmt, lowered", [("html", True), ("pdf", False)])
def test_only_the_pdf_writer_keeps_full_priority(inputs, monkeypatch, fmt, lowered):
    # the writers run in sessions of their own; with autogroup scheduling the
    # group's nice value is what counts, so both must be lowered
    monkeypatch.setenv("ABUILD_PANDOC", str(_spy_pandoc(inputs)))
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ambtsbericht_build.render.worker",
            fmt,
            str(inputs / "doc.json"),
            str(inputs / "facts.json"),
            str(inputs / f"out.{fmt}"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    _, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    base = os.nice(0)
    niceness, group = (inputs / "priority").read_text().split("\n", 1)
    assert int(niceness) == (base + 10 if lowered else base)
    if group.strip() != "none":
        assert group.strip().endswith("nice 10" if lowered else "nice 0")


@pytest.mark.parametrize(
    "change, said",
    [
        ({"epoch": "0"}, "facts.epoch: expected int, got str"),
        ({"sidecars": 1}, "facts.sidecars: expected bool, got int"),
        ({"notes": True}, "facts.notes: expected int, got bool"),
        ({"extra": 1}, "facts: unexpected field(s) extra"),
        ({"meta": {**FACTS["meta"], "title": None}}, "facts.meta.title: expected str, got NoneType"),
        ({"headings": [{"level": 1, "number": "1", "ident": "a"}]}, "facts.headings[0]: missing field(s) title"),
    ],
)
def test_facts_are_checked_on_load(inputs, change, said):
    (inputs / "facts.json").write_text(json.dumps({**FACTS, **change}), encoding="utf-8")
    p = _worker("--wait")
    _, err = p.communicate(json.dumps(_paths(inputs)) + "\n", timeout=120)
    assert p.returncode == 1
    assert err.strip() == f"html: FactsError: {said}"
    assert not (inputs / "out.html").exists()


def test_facts_survive_the_trip_to_the_worker():
    from ambtsbericht_build.render.facts import RenderFacts

    facts = RenderFacts.from_dict(FACTS)
    assert RenderFacts.from_json(facts.to_json()) == facts


def test_what_the_writer_imported_is_frozen(inputs):
    # every full collection walked the writer's modules (WeasyPrint, fontTools, pydantic) again
    out = inputs / "out.gc.txt"
    p = subprocess.run(
        [sys.executable, "-m", "ambtsbericht_build.render.worker", "tests.render.toy_format:GcTextWriter"]
        + [str(inputs / "doc.json"), str(inputs / "facts.json"), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert out.read_text(encoding="utf-8") == "True\n"
