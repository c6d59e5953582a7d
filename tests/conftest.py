"""Shared fixtures: a minimal valid report in a throw-away repository.

``report`` (a :class:`ReportDir`) writes ``<tmp>/repo/reports/testland/``
(with a ``.git`` marker so the repository root is found) holding a report that
``abuild check --strict`` accepts without a single finding. A test overrides
one file (``report.write("chapters/02-politiek.md", ...)``) and looks at what
the checker says, either through the Python API (``report.check()`` returns
:class:`~ambtsbericht_build.diagnostics.Diagnostic` objects) or through the
real command line (``report.cli()``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from ambtsbericht_build.commands.check import CheckOptions, check_reports
from ambtsbericht_build.diagnostics import Diagnostic

ROOT = Path(__file__).resolve().parent.parent
ABUILD = Path(sys.executable).parent / "abuild"
if not ABUILD.exists():
    ABUILD = ROOT / ".venv" / "bin" / "abuild"

REPORT_YAML = """\
title: Algemeen ambtsbericht Testland
kind: algemeen
country: Testland
language: nl
date: 2026-03-01
reference_period: {start: 2024-09-01, end: 2026-01-31}
status: concept
version: "1.0"
issuer: Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten
"""

TOR_YAML = """\
title: Terms of Reference algemeen ambtsbericht Testland
requested_by: Ministerie van Justitie en Veiligheid
date: 2025-06-10
themes:
  - id: "1"
    title: Politieke en veiligheidssituatie
    questions:
      - id: "1.1"
        text: Wat zijn de belangrijkste politieke ontwikkelingen?
      - id: "1.2"
        text: Hoe is de veiligheidssituatie?
"""

SOURCES_YAML = """\
- id: hrw-2025
  type: report
  author: [{literal: Human Rights Watch}]
  title: World Report 2025 – Testland
  issued: 2025-01-16
  URL: https://www.hrw.org/world-report/2025/testland
  accessed: 2025-02-03

- id: vb-2025-11-04
  type: interview
  confidential: true
  issued: 2025-11-04
  internal:
    who: medewerker VN-organisatie, Genève
"""

INTRO_MD = """\
---
claims: false
numbered: false
---

# Inleiding {#h-inleiding}

Dit ambtsbericht beschrijft de situatie in Testland. Het bevat geen bronnen.
"""

CHAPTER_MD = """\
# Politiek en veiligheid {#h-politiek}

## Verkiezingen {#sec-verkiezingen tor="1.1"}

Op 1 maart 2025 vonden in Testland verkiezingen plaats.[@hrw-2025]

## Veiligheid {#sec-veiligheid tor="1.2"}

Een vertrouwelijke bron meldde gevechten in het noorden (zie [](#sec-verkiezingen)).[@vb-2025-11-04]
"""

CHAPTER = "chapters/02-politiek.md"
INTRO = "chapters/01-inleiding.md"


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@dataclass
class ReportDir:
    root: Path  # the repository
    dir: Path  # reports/testland

    def path(self, rel: str) -> Path:
        return self.dir / rel

    def write(self, rel: str, text: str | bytes, *, dedent_text: bool = True) -> Path:
        """Write a file of the report (``rel`` is relative to the report directory)."""
        p = self.dir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_bytes((dedent(text) if dedent_text else text).encode("utf-8"))
        return p

    def write_root(self, rel: str, text: str) -> Path:
        """Write a file relative to the repository root (e.g. bibliography/x.yaml)."""
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(dedent(text), encoding="utf-8")
        return p

    def chapter(self, body: str, name: str = CHAPTER) -> Path:
        return self.write(name, body)

    def remove(self, rel: str) -> None:
        (self.dir / rel).unlink()

    def check(self, **opts) -> list[Diagnostic]:
        return check_reports([self.dir], CheckOptions(**opts)).sorted()

    def codes(self, **opts) -> list[str]:
        return [d.code for d in self.check(**opts)]

    def cli(self, *args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        """Run the real ``abuild`` from the repository root."""
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        return subprocess.run([str(ABUILD), *args], cwd=cwd or self.root, capture_output=True, text=True,
                              timeout=timeout, env=env)

    def cli_json(self, *args: str) -> tuple[int, dict, str]:
        proc = self.cli("check", "--format", "json", *args)
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc.returncode, json.loads(proc.stdout) if proc.stdout.strip() else {}, proc.stderr

    def expect(self, code: str, rel: str, line: int, column: int, **opts) -> Diagnostic:
        """Check; assert exactly one ``code`` finding, at ``rel:line:column``; return it."""
        diags = self.check(**opts)
        found = [d for d in diags if d.code == code]
        assert len(found) == 1, f"expected one {code}, got {diags}"
        d = found[0]
        where = (Path(d.file).resolve(), d.line, d.column)
        assert where == ((self.dir / rel).resolve(), line, column), d
        return d

    def expect_none(self, code: str | None = None, **opts) -> None:
        """Check; assert no ``code`` finding (no finding at all when ``code`` is None)."""
        diags = self.check(**opts)
        found = [d for d in diags if code is None or d.code == code]
        assert not found, found

    @property
    def rel(self) -> str:
        """The report directory relative to the repository root (what the CLI prints)."""
        return self.dir.relative_to(self.root).as_posix()


def make_report(base: Path) -> ReportDir:
    root = base / "repo"
    (root / ".git").mkdir(parents=True)
    rd = ReportDir(root, root / "reports" / "testland")
    rd.write("report.yaml", REPORT_YAML)
    rd.write("tor.yaml", TOR_YAML)
    rd.write("sources.yaml", SOURCES_YAML)
    rd.write(INTRO, INTRO_MD)
    rd.write(CHAPTER, CHAPTER_MD)
    return rd


@pytest.fixture
def report(tmp_path) -> ReportDir:
    return make_report(tmp_path)


