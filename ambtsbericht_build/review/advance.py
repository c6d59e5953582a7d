"""``abuild status --advance``: record the next step of the path in
report.yaml, after checking that it may be recorded.

A step is refused when it is not a step of the path, is not the next one
(none is skipped or repeated), when the report's files are not committed
(the step records the commit reviewed, which must be the text reviewed),
when the report would have a confidentiality finding, and, for
``vastgesteld`` and ``gepubliceerd``, when it would have any error at all.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..diagnostics import Diagnostics
from ..load import LoadOptions, load_report
from ..load.yamlpos import YamlError, load_yaml
from ..models import REVIEW_PATH, Report, ReviewStep, Status
from . import yamledit
from .history import STATUS_AFTER, next_step, path_steps, problems
from .status import Standing, after, blockers, blocking, checked, edition_tag

# a person's name or role, as a colofon or a signature would hold it
MAX_NAME = 200


class Refused(Exception):
    """The step is not recorded; the message says why, ``findings`` what the check found."""

    def __init__(self, message: str, findings: Diagnostics | None = None) -> None:
        super().__init__(message)
        self.findings = findings or Diagnostics()


@dataclass(frozen=True)
class Recorded:
    step: str
    status: str
    commit: str
    report_yaml: Path
    tag: str | None  # the edition's tag, for vastgesteld


def _name(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > MAX_NAME or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        raise Refused(f"{what} must be a name on one line, at most {MAX_NAME} characters")
    return text


def advance(
    report_dir: Path, step: str, by: str, role: str | None, date: dt.date, today: dt.date, max_bytes: int
) -> Recorded:
    """Record ``step`` in the report's report.yaml, or raise :class:`Refused`."""
    if step not in REVIEW_PATH:
        raise Refused(f"unknown step {step!r}; the steps are, in order: {', '.join(REVIEW_PATH)}")
    name, role = _name(by, "--by"), _name(role, "--role")
    assert name is not None
    if date > today:
        raise Refused(f"--date {date} is in the future; a step is recorded once it is done")
    diags = Diagnostics()
    lr = load_report(report_dir, diags, LoadOptions(max_bytes=max_bytes))
    if lr is None or lr.report is None or lr.report_doc is None:
        raise Refused(f"{report_dir}/report.yaml cannot be read; fix it first", diags)
    r = lr.report
    broken = [p for p in problems(r) if p.code == "AB504"]
    if broken:
        raise Refused(f"the review history in report.yaml is not in order ({broken[0].message}); fix it first")
    done = {s.step: s for _, s in path_steps(r)}
    if step in done:
        raise Refused(
            f"step {step} is already recorded ({done[step].date}, by {done[step].by}); a step is recorded once"
        )
    expected = next_step(r)
    if expected is None:
        raise Refused("the report is published; no step follows gepubliceerd (a new edition starts a new history)")
    if step != expected:
        raise Refused(f"step {step} cannot be recorded before {expected}: no step of the path is skipped")
    lr, diags = checked(report_dir, max_bytes, after(step, date, name, role, None))
    found = Standing(report_dir, lr, diags, step, r)
    why = blockers(found, step)
    if why:
        shown = Diagnostics()
        shown.extend(blocking(diags, step))
        raise Refused("; ".join(why), shown)
    assert found.tree is not None and found.lr is not None
    path = report_dir / "report.yaml"
    status = STATUS_AFTER[step].value
    entry = yamledit.step_entry(step, date, name, role, found.tree.commit)
    try:
        text = path.read_bytes().decode("utf-8")  # as written: read_text would turn \r\n into \n
        new = yamledit.recorded(text, status, entry)
        _reads_back(new, r, entry, status)
        yamledit.replace(path, text, new)
    except (OSError, UnicodeDecodeError) as exc:
        raise Refused(
            f"{path} cannot be read or written ({getattr(exc, 'strerror', None) or exc.__class__.__name__})"
        ) from None
    except yamledit.EditRefused as exc:
        by_hand = ", ".join(
            f"{k}: {json.dumps(v, ensure_ascii=False) if isinstance(v, str) else v}" for k, v in entry.items()
        )
        raise Refused(
            f"{exc}; record the step by hand under review: and set status: {status}: - {{{by_hand}}}"
        ) from None
    tag = edition_tag(found.lr) if step == "vastgesteld" else None
    return Recorded(step, status, found.tree.commit, path, tag)


def _reads_back(text: str, old: Report, entry: dict[str, Any], status: str) -> None:
    """The edited report.yaml reads, with abuild's own loader, as the old
    report with the step recorded, and as nothing else."""
    try:
        data, _positions = load_yaml(text)
        new = Report.model_validate(data)
    except (YamlError, ValidationError) as exc:
        raise yamledit.EditRefused(f"the edited report.yaml would not read ({exc.__class__.__name__})") from None
    want = old.model_copy(update={"status": Status(status), "review": [*old.review, ReviewStep(**entry)]})
    if new != want:
        raise yamledit.EditRefused("the edited report.yaml would read as another report")
