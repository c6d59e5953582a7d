"""The documentation is the repository's own and matches the code.

docs/format.md is the complete report format: its field tables list exactly
the fields of the JSON Schemas (which are generated from the models the loader
validates with), and its table of check codes is the rule registry's.
docs/checks.md is generated from the registry (tests/output/test_rules.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ambtsbericht_build.check import REGISTRY
from ambtsbericht_build.output.rules import rule_level

ROOT = Path(__file__).resolve().parents[1]
FORMAT_MD = ROOT / "docs" / "format.md"
# the site's files are documented with the site (docs/publishing.md)
PUBLISHING_MD = ROOT / "docs" / "publishing.md"
SCHEMAS = ("report", "tor", "sources", "glossary", "chapter-front-matter", "check-output", "publication", "edition")


def _docs_text() -> str:
    return FORMAT_MD.read_text(encoding="utf-8") + "\n" + PUBLISHING_MD.read_text(encoding="utf-8")


def schema_fields(schema: dict[str, Any]) -> set[str]:
    """Every property of a schema as a dotted path (``reference_period.start``),
    through arrays, ``anyOf`` and ``$ref``."""
    defs = schema.get("$defs", {})
    out: set[str] = set()

    def walk(node: Any, prefix: str, seen: frozenset[str]) -> None:
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                walk(defs[name], prefix, seen | {name})
            return
        for key, sub in node.get("properties", {}).items():
            path = prefix + key
            out.add(path)
            walk(sub, path + ".", seen)
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                walk(sub, prefix, seen)
        if isinstance(node.get("items"), dict):
            walk(node["items"], prefix, seen)

    walk(schema, "", frozenset())
    return out


def documented_fields(name: str) -> set[str]:
    """The first-column keys of the table after ``<!-- fields: name -->``."""
    text = _docs_text()
    m = re.search(rf"<!-- fields: {re.escape(name)} -->\n((?:\|.*\n)+)", text)
    assert m, f"docs/format.md has no field table for {name}"
    rows = m.group(1).splitlines()[2:]  # header and separator
    return {re.fullmatch(r"\| `([^`]+)` \|.*", row).group(1) for row in rows}  # type: ignore[union-attr]


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_schema_field_is_documented_and_nothing_else(name):
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    fields = schema_fields(schema)
    if name == "glossary":
        # abbreviation -> full form: no fixed keys, but the page must describe it
        assert not fields and schema["additionalProperties"] == {"type": "string"}
        assert "`glossary.yaml` maps abbreviations to their full form" in FORMAT_MD.read_text(encoding="utf-8")
        return
    documented = documented_fields(name)
    assert fields - documented == set(), f"fields of {name}.schema.json missing from docs/format.md"
    assert documented - fields == set(), f"docs/format.md documents fields {name}.schema.json does not have"


def test_every_schema_field_is_mentioned():
    text = _docs_text()
    for name in SCHEMAS:
        schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        for path in schema_fields(schema):
            assert f"`{path}`" in text, (name, path)


def test_no_schema_is_left_out():
    assert {p.name.removesuffix(".schema.json") for p in (ROOT / "schemas").glob("*.schema.json")} == set(SCHEMAS)


def test_the_code_table_is_the_registry():
    text = FORMAT_MD.read_text(encoding="utf-8")
    m = re.search(r"<!-- codes -->\n((?:\|.*\n)+)", text)
    assert m
    rows = [[c.strip() for c in row.strip("|").split("|")] for row in m.group(1).splitlines()[2:]]
    assert rows == [[code, rule_level(r), r.summary] for code, r in sorted(REGISTRY.items())]


def test_the_docs_point_at_no_contract_outside_the_repository():
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "SPEC.md" not in text, path


def test_links_between_the_docs_resolve():
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)  # examples are not links
        text = re.sub(r"`[^`\n]*`", "", text)
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            assert (path.parent / target).exists(), (path.name, target)


def _console_blocks(path: Path, command: str) -> list[list[str]]:
    """The output lines shown under ``$ <command>`` in the console examples of ``path``."""
    blocks = []
    for block in re.findall(r"```console\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line == f"$ {command}":
                out = []
                for ln in lines[i + 1 :]:
                    if ln.startswith("$ "):
                        break
                    out.append(ln)
                blocks.append(out)
    return blocks


@pytest.mark.parametrize("doc", ["README.md", "docs/cli.md"])
@pytest.mark.parametrize("args", [(), ("AB203",)])
def test_rules_examples_are_what_abuild_rules_prints(doc, args):
    from click.testing import CliRunner

    from ambtsbericht_build.cli import main

    printed = CliRunner().invoke(main, ["rules", *args]).output.splitlines()
    blocks = _console_blocks(ROOT / doc, " ".join(["abuild rules", *args]))
    assert blocks, f"{doc} shows no `abuild rules {' '.join(args)}`"
    for shown in blocks:
        # "..." stands for lines left out; every other line is printed, in order
        it = iter(printed)
        for line in shown:
            if line != "...":
                assert line in it, (doc, line)
