"""The example report's archive: every public source of reports/voorbeeldland
has a WARC copy that verifies, and make-archive.py (which serves the
fictional pages locally) makes it again from nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from ambtsbericht_build.cli import main
from ambtsbericht_build.commands.check import CheckOptions, check_reports

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "reports" / "voorbeeldland"


def public_urls(report: Path) -> dict[str, str]:
    items = yaml.safe_load((report / "sources.yaml").read_text(encoding="utf-8"))
    return {s["id"]: s["URL"] for s in items if s.get("URL") and not s.get("confidential")}


def shared_urls(repo: Path) -> dict[str, str]:
    """The shared bibliography's public sources with a URL (every report reads them)."""
    out = {}
    for path in sorted((repo / "bibliography").glob("*.yaml")):
        out |= {s["id"]: s["URL"] for s in yaml.safe_load(path.read_text(encoding="utf-8")) if s.get("URL")}
    return out


def test_every_public_source_of_the_example_has_a_verified_copy():
    res = CliRunner().invoke(main, ["archive", str(EXAMPLE), "--verify"])
    assert res.exit_code == 0, res.output
    urls, shared = public_urls(EXAMPLE), shared_urls(ROOT)
    assert len(urls) > 50 and len(shared) == 5
    assert f"{len(urls) + len(shared)} copy(ies) verified, 0 problem(s)" in res.output
    for sid in urls:
        assert f"OK {sid}: archive/{sid}-" in res.output
    for sid in shared:  # in the shared archive, once for every report
        assert f"OK {sid}: ../../bibliography/archive/{sid}-" in res.output
    # small: made-up pages of a few hundred bytes
    warcs = [*(EXAMPLE / "archive").glob("*.warc.gz"), *(ROOT / "bibliography" / "archive").glob("*.warc.gz")]
    assert sum(p.stat().st_size for p in warcs) < 200_000


def test_make_archive_captures_the_example_again(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    for part in ("bibliography", "templates", "schemas"):
        shutil.copytree(ROOT / part, repo / part)
    report = repo / "reports" / "voorbeeldland"
    shutil.copytree(EXAMPLE, report)
    for warc in [*(report / "archive").glob("*.warc.gz"), *(repo / "bibliography" / "archive").glob("*.warc.gz")]:
        warc.unlink()  # every recorded copy is now missing: each source is captured anew
    env = {**os.environ, "PYTHONPATH": str(ROOT), "no_proxy": "*"}
    proc = subprocess.run(
        [sys.executable, str(report / "archive" / "make-archive.py"), str(report)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("captured ") == len(public_urls(report)) + len(shared_urls(repo))
    res = CliRunner().invoke(main, ["archive", str(report), "--verify"])
    assert res.exit_code == 0, res.output
    diags = check_reports([report], CheckOptions())
    assert [d for d in diags.sorted() if d.code in ("AB109", "AB111")] == []
    # the comments of sources.yaml are where they were
    assert (report / "sources.yaml").read_text(encoding="utf-8").count("\n# ") == (EXAMPLE / "sources.yaml").read_text(
        encoding="utf-8"
    ).count("\n# ")
