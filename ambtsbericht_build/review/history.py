"""The review history of report.yaml: the path to vaststelling and how the
status must agree with it.

The path is fixed (:data:`~ambtsbericht_build.models.REVIEW_PATH`):
``intern-review``, ``jenv-review``, ``vastgesteld``, ``gepubliceerd``, each
once and in that order. A history kept before abuild may hold free-text
steps ("Collegiale toetsing"): they stay colofon rows and play no part in
the path. The check rules AB503/AB504 (check/review.py), ``abuild status``
and the colofon all read the history through this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import REVIEW_PATH, Report, ReviewStep, Status

# the status a report has once a step is recorded
STATUS_AFTER = {
    "intern-review": Status.review,
    "jenv-review": Status.review,
    "vastgesteld": Status.vastgesteld,
    "gepubliceerd": Status.gepubliceerd,
}

# the colofon's name of each step, per report language
LABELS = {
    "nl": {
        "intern-review": "Interne toetsing",
        "jenv-review": "Toetsing door JenV",
        "vastgesteld": "Vastgesteld",
        "gepubliceerd": "Gepubliceerd",
    },
    "en": {
        "intern-review": "Internal review",
        "jenv-review": "Review by the Ministry of Justice and Security",
        "vastgesteld": "Adopted",
        "gepubliceerd": "Published",
    },
}


@dataclass(frozen=True)
class Problem:
    """Something wrong with the history: ``index`` is the step's place in
    ``review`` (None: the report's status), ``key`` the field to point at."""

    code: str  # AB503 (warning) or AB504 (error)
    index: int | None
    key: str
    message: str


def path_steps(report: Report) -> list[tuple[int, ReviewStep]]:
    """The steps of the path, each with its index in ``review``."""
    return [(i, s) for i, s in enumerate(report.review) if s.step in REVIEW_PATH]


def next_step(report: Report) -> str | None:
    """The step that comes next (None: published, nothing follows)."""
    done = path_steps(report)
    if not done:
        return REVIEW_PATH[0]
    at = REVIEW_PATH.index(done[-1][1].step) + 1
    return REVIEW_PATH[at] if at < len(REVIEW_PATH) else None


def problems(report: Report) -> list[Problem]:
    """Every way the history breaks the path or disagrees with the status."""
    out: list[Problem] = []
    done = path_steps(report)
    seen: dict[str, int] = {}
    last: ReviewStep | None = None
    for i, s in done:
        if s.step in seen:
            out.append(
                Problem("AB504", i, "step", f"step {s.step} is recorded twice (also as review item {seen[s.step] + 1})")
            )
            continue
        seen[s.step] = i
        expected = REVIEW_PATH[len(seen) - 1]
        if s.step != expected:
            out.append(
                Problem(
                    "AB504",
                    i,
                    "step",
                    f"step {s.step} is recorded where {expected} belongs; the order is {', '.join(REVIEW_PATH)}",
                )
            )
        if last is not None and s.date < last.date:
            out.append(
                Problem("AB504", i, "date", f"step {s.step} ({s.date}) is dated before {last.step} ({last.date})")
            )
        if not s.by:
            out.append(Problem("AB504", i, "step", f"step {s.step} is not signed off: add by: <name>"))
        last = s
    final = report.status.final
    if last is None:
        if final:
            out.append(
                Problem(
                    "AB503",
                    None,
                    "status",
                    f"the report is {report.status.value} but records no review history"
                    f" (accepted for a report adopted before abuild; the next edition records its steps)",
                )
            )
        return out
    after = STATUS_AFTER[last.step]
    if (final or after.final) and report.status != after:
        out.append(
            Problem(
                "AB504",
                None,
                "status",
                f"status {report.status.value} disagrees with the last recorded step, {last.step} ({last.date}),"
                f" after which the status is {after.value}",
            )
        )
    return out


def colofon_steps(report: Report, lang: str) -> list[tuple[str, dt.date]]:
    """(name, date) of every step completed, in order, as the colofon prints
    them: a path step by its name in the report's language, a free-text step
    as written. Who signed a step off and the commit are not printed."""
    names = LABELS.get(lang, LABELS["nl"])
    return [(names.get(s.step, s.step), s.date) for s in report.review]
