"""Where a report stands on the path to vaststelling, and what blocks its
next step.

The blockers are found by checking the report as it would be once the step
is recorded (its status and history patched in memory, the check pipeline
run in-process): the `::: intern` blocks and TODO markers that AB502 finds
only in a final report then block `vastgesteld` before it is recorded.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics, Severity, display_path
from ..load import LoadedReport, LoadOptions, load_report
from ..models import REVIEW_PATH, Report, ReviewStep
from . import git
from .history import STATUS_AFTER, next_step, path_steps, problems

# the blocking findings abuild status prints; abuild check lists them all
MAX_SHOWN = 10
# codes summed up by name in the list of blockers
_NAMED = {
    "AB201": "unanswered ToR question",
    "AB502": "::: intern block or TODO marker",
    "AB504": "review-history problem",
}


@dataclass
class Standing:
    report_dir: Path
    lr: LoadedReport | None
    findings: Diagnostics  # of the report as it would be after `step`
    step: str | None  # the step these findings and blockers are for
    current: Report | None = None  # report.yaml as it is (``lr.report`` is patched for the check)
    tree: git.Tree | None = None
    blockers: list[str] = field(default_factory=list)

    @property
    def report(self) -> Report | None:
        return self.current


def checked(
    report_dir: Path, max_bytes: int, patch: Callable[[Report], Report] | None
) -> tuple[LoadedReport | None, Diagnostics]:
    """Load and check the report, ``patch`` applied to its report.yaml
    model between the two (the check pipeline of ``abuild check``)."""
    from ..check import run_checks
    from ..load.markdown.pandoc_batch import reading_ahead
    from ..tools import pandoc_path

    diags = Diagnostics()
    with reading_ahead(pandoc_path):
        lr = load_report(report_dir, diags, LoadOptions(max_bytes=max_bytes))
        if lr is not None:
            if lr.report is not None and patch is not None:
                lr.report = patch(lr.report)
            run_checks(lr, diags)
    return lr, diags


def after(step: str, date: dt.date, by: str, role: str | None, commit: str | None) -> Callable[[Report], Report]:
    """The report as it would be with ``step`` recorded."""

    def patch(r: Report) -> Report:
        new = ReviewStep(step=step, date=date, role=role, by=by, commit=commit)
        return r.model_copy(update={"status": STATUS_AFTER[step], "review": [*r.review, new]})

    return patch


def standing(report_dir: Path, max_bytes: int, today: dt.date) -> Standing:
    """The report's place on the path and what blocks its next step: one
    check, of the report with its next step recorded (by nobody yet)."""
    steps: list[str] = []
    found: list[Report] = []

    def with_next(r: Report) -> Report:
        found.append(r)
        step = next_step(r)
        if step is None or problems_block(r):
            return r  # published; or a broken history, reported as it is
        steps.append(step)
        return after(step, today, "?", None, None)(r)

    lr, diags = checked(report_dir, max_bytes, with_next)
    r = found[0] if found else None
    step = steps[0] if steps else next_step(r) if r is not None else None
    out = Standing(report_dir, lr, diags, step, r)
    if r is not None and step is not None:
        out.blockers = blockers(out, step)
    return out


def problems_block(r: Report) -> bool:
    return any(p.code == "AB504" for p in problems(r))


def blockers(s: Standing, step: str) -> list[str]:
    """Why ``step`` cannot be recorded now (empty: it can)."""
    out: list[str] = []
    final = STATUS_AFTER[step].final
    errors = blocking(s.findings, step)
    if errors:
        counts = Counter(_NAMED.get(d.code, "other error") for d in errors)
        parts = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
        kind = "error" if final else "confidentiality or review-history error"
        out.append(f"{len(errors)} {kind}(s): {parts}")
    assert s.lr is not None
    try:
        from ..load.bibliography import bibliography_files

        s.tree = git.tree(s.report_dir, [s.report_dir, *(p for p, _ in bibliography_files(s.lr))])
    except git.GitRefused as exc:
        out.append(str(exc))
    else:
        if s.tree.dirty:
            more = f" and {len(s.tree.dirty) - 5} more" if len(s.tree.dirty) > 5 else ""
            out.append(
                f"uncommitted changes: {', '.join(s.tree.dirty[:5])}{more} (commit them: the step records the commit)"
            )
        r = s.report
        if step == "vastgesteld" and r is not None and git.tag_exists(s.tree.root, edition_tag(s.lr)):
            out.append(f"edition {edition_tag(s.lr)} is already tagged: raise version in report.yaml")
    return out


def blocking(findings: Diagnostics, step: str) -> list[Diagnostic]:
    """The findings that block ``step``: every error for a final step; for a
    review step the confidentiality findings (the reviewers receive the
    text) and the history's own (AB504)."""
    from ..check import confidentiality_codes

    final, secret = STATUS_AFTER[step].final, confidentiality_codes()
    return [d for d in findings if d.severity is Severity.ERROR and (final or d.code in secret or d.code == "AB504")]


def edition_tag(lr: LoadedReport) -> str:
    """The tag of a vastgesteld edition: ``<slug>/v<version>`` (docs/cli.md)."""
    assert lr.report is not None
    return f"{Path(os.path.abspath(lr.dir)).name}/v{lr.report.version}"  # REPORT may be "."


def describe(s: Standing) -> str:
    """``abuild status REPORT``'s text."""
    r = s.report
    shown = display_path(s.report_dir)
    if r is None:
        return ""
    lines = [f"{r.title} ({shown}), version {r.version}", f"status: {r.status.value}"]
    done = path_steps(r)
    if done:
        lines.append("steps done:")
        for _, st in done:
            who = ", ".join(x for x in (st.by or "not signed off", st.role) if x)
            commit = f"  commit {st.commit[:12]}" if st.commit else ""
            lines.append(f"  {st.step:<14} {st.date}  {who}{commit}")
    else:
        lines.append("steps done: none recorded")
    earlier = [st for st in r.review if st.step not in REVIEW_PATH]
    if earlier:  # a history kept before abuild: colofon rows, no part of the path
        lines.append(
            "earlier steps (free text, not on the path): " + ", ".join(f"{st.step} {st.date}" for st in earlier)
        )
    if s.step is None:
        lines.append("next step: none (the report is published)")
        return "\n".join(lines) + "\n"
    lines.append(f"next step: {s.step}")
    if s.blockers:
        lines.append("blocking it:")
        lines += [f"  - {b}" for b in s.blockers]
        # each finding that blocks, at its place: AB502 finds an ::: intern
        # block only in a final report, so abuild check does not list it yet
        found = sorted(blocking(s.findings, s.step))
        lines += [f"    {d.display_path()}:{d.line}:{d.column}: {d.code} {d.message}" for d in found[:MAX_SHOWN]]
        if len(found) > MAX_SHOWN:
            lines.append(f"    ... and {len(found) - MAX_SHOWN} more")
    else:
        lines.append(f"blocking it: nothing (abuild status {shown} --advance {s.step} --by NAME records it)")
    others = [d for d in s.findings if d not in blocking(s.findings, s.step)]
    if others:
        errors = sum(d.severity is Severity.ERROR for d in others)
        lines.append(
            f"other findings: {errors} error(s), {len(others) - errors} warning(s), not blocking {s.step}"
            f" (abuild check {shown} lists them)"
        )
    return "\n".join(lines) + "\n"
