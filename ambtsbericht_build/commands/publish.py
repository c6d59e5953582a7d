"""``abuild publish``: the options, checked; the work is
:func:`ambtsbericht_build.site.build.build_site`."""

from __future__ import annotations

import re
from pathlib import Path

from ..site.build import SiteFailed, SiteOptions, SiteResult, build_site

__all__ = ["SiteFailed", "SiteOptions", "SiteResult", "base_url", "build_site", "report_dirs"]


def base_url(value: str | None) -> str | None:
    """The site's public address, ending in "/", or None; ValueError for
    anything but an http(s) URL without query or fragment."""
    if not value:
        return None
    if not re.fullmatch(r"https?://[^\s?#<>\"']+", value):
        raise ValueError(f"{value!r} is not an http(s) address like https://www.example.nl/ambtsberichten/")
    return value if value.endswith("/") else value + "/"


def report_dirs(given: list[Path], default: list[Path]) -> list[Path]:
    """The report directories to publish; ValueError for one that is not a
    report directory of this repository (reports/<slug>/)."""
    out = []
    for d in given or default:
        if not (d / "report.yaml").is_file() or d.resolve().parent != Path("reports").resolve():
            raise ValueError(f"{d} is not a report directory (reports/<slug>/ with report.yaml)")
        out.append(d)
    return out
