"""The placed review items in ``abuild check``'s formats.

A review item is not a finding: its severity is ``note`` (SARIF level
``note``, a GitHub ``::notice``) and its code ``REVIEW``; the JSON has the
shape of ``abuild check --format json`` (``version``, ``diagnostics``,
``summary``), each entry with check's fields (``code``, ``severity``,
``file``, ``line``, ``column``, ``message``) plus ``kind`` (comment,
insertion, deletion), ``reviewer``, ``date``, ``text`` (the comment, or
the inserted or deleted text), ``anchored`` (a comment's anchored text)
and ``matched`` ("anchor", or why it was matched by its text).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..diagnostics import display_path
from ..output.github import _escape_data, _escape_prop
from ..output.sarif import SCHEMA, artifact_uri
from .importing import Placed

CODE = "REVIEW"
FORMATS = ("text", "json", "sarif", "github")
_KIND = {"comment": "comment", "insertion": "inserted", "deletion": "deleted"}


def _quote(text: str, limit: int = 200) -> str:
    one = " ".join(text.split())
    return '"' + (one if len(one) <= limit else one[: limit - 1] + "…") + '"'


def message(p: Placed) -> str:
    it = p.item
    who = it.author or "unknown reviewer"
    when = f" ({it.date[:10]})" if it.date else ""
    if it.kind == "comment":
        text = f"comment by {who}{when}: {_quote(it.text)}"
        if it.anchored.strip():
            text += f" on {_quote(it.anchored, 80)}"
    else:
        text = f"{_KIND[it.kind]} by {who}{when}: {_quote(it.text)}"
    if it.note:
        text += " (in a note)"
    return text + (f" [{p.how}]" if p.how else "")


def _entry(p: Placed, cwd: Path | None) -> dict[str, Any]:
    it = p.item
    return {
        "code": CODE,
        "severity": "note",
        "file": display_path(p.file, cwd),
        "line": p.line,
        "column": p.column,
        "message": message(p),
        "kind": it.kind,
        "reviewer": it.author,
        "date": it.date,
        "text": it.text,
        "anchored": it.anchored,
        "matched": p.how or "anchor",
    }


def render_items(fmt: str, placed: list[Placed], cwd: Path | None = None) -> str:
    if fmt == "json":
        doc = {
            "version": 1,
            "diagnostics": [_entry(p, cwd) for p in placed],
            "summary": {"errors": 0, "warnings": 0, "notes": len(placed)},
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        lines = []
        for p in placed:
            props = [f"file={_escape_prop(display_path(p.file, cwd))}"]
            props += [f"line={p.line}", f"col={p.column}"] if p.line else []
            props.append(f"title={_escape_prop('Review ' + p.item.kind)}")
            lines.append(f"::notice {','.join(props)}::{_escape_data(message(p))}")
        return "".join(line + "\n" for line in lines)
    if fmt == "sarif":
        rule = {"id": CODE, "name": "ReviewComment", "shortDescription": {"text": "A reviewer's comment or change"}}
        results = [
            {
                "ruleId": CODE,
                "ruleIndex": 0,
                "level": "note",
                "message": {"text": message(p)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": artifact_uri(display_path(p.file, cwd)),
                                "uriBaseId": "%SRCROOT%",
                            },
                            "region": {"startLine": max(p.line, 1), "startColumn": max(p.column, 1)},
                        }
                    }
                ],
            }
            for p in placed
        ]
        driver = {"name": "abuild review import", "version": __version__, "rules": [rule]}
        sarif = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}
        return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"
    lines = [f"{display_path(p.file, cwd)}:{p.line}:{p.column}: {message(p)}" for p in placed]
    lines.append(f"{len(placed)} review item(s)")
    return "\n".join(lines) + "\n"
