"""``abuild schemas``: JSON Schemas for the YAML files, generated from the models.

Editors use them for completion and validation (the first line of every
YAML file a report is made of names its schema, see ``abuild new``). The
output is stable: sorted keys, two-space indent, a trailing newline, so that
``git diff`` shows only real changes and a test can compare byte for byte.

``check-output.schema.json`` (the ``--format json`` output of ``abuild check``)
is written by hand and is not touched here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import models

DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: file the schema describes, shown as the schema's title
TITLES: dict[str, str] = {
    "report": "abuild report.yaml: the report's metadata",
    "tor": "abuild tor.yaml: the Terms of Reference",
    "sources": "abuild sources.yaml and bibliography/*.yaml: a list of CSL items",
    "glossary": "abuild glossary.yaml: abbreviation -> full form",
    "chapter-front-matter": "abuild chapter front matter (the YAML between --- lines at the top of a chapter)",
    "publication": "abuild templates/publication.yaml: how abuild publish describes an edition",
    "edition": "abuild publish: metadata.json of a published edition",
}


def schema_filename(name: str) -> str:
    return f"{name}.schema.json"


def generate_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one model in :data:`models.SCHEMA_MODELS`."""
    model = models.SCHEMA_MODELS[name]
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = DRAFT
    schema["title"] = TITLES.get(name, schema.get("title", name))
    return schema


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate_all() -> dict[str, str]:
    """file name -> file text, for every generated schema."""
    return {schema_filename(name): dumps(generate_schema(name)) for name in models.SCHEMA_MODELS}


@dataclass
class SchemasResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)  # with check=True: differ or missing


def write_schemas(out_dir: Path, *, check: bool = False) -> SchemasResult:
    """Write every generated schema into ``out_dir`` (created when missing).

    A file whose text is already right is left alone (its mtime too). With
    ``check=True`` nothing is written: files that are missing or differ are
    listed in ``stale``.
    """
    out_dir = Path(out_dir)
    result = SchemasResult()
    if not check:
        out_dir.mkdir(parents=True, exist_ok=True)
    for filename, text in generate_all().items():
        path = out_dir / filename
        try:
            current = path.read_text(encoding="utf-8")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            current = None
        if current == text:
            result.unchanged.append(path)
        elif check:
            result.stale.append(path)
        else:
            tmp = path.with_name(f".{filename}.tmp")
            tmp.write_text(text, encoding="utf-8", newline="\n")
            tmp.replace(path)
            result.written.append(path)
    return result
