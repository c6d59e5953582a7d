"""The same commit renders byte-identical HTML, PDF, DOCX and ODT, on every
run and machine: two renders of the example report from two copies of the
repository at different paths, at different moments, with different hash
seeds and time zones, one with SOURCE_DATE_EPOCH unset (the commit time is
used) and one with it set to the commit time."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest

from .conftest import COMMIT_EPOCH, REPO, git

FORMATS = ("html", "pdf", "docx", "odt")
STAMP = dt.datetime.fromtimestamp(COMMIT_EPOCH, dt.UTC)


def snapshot(dest: Path) -> Path:
    """The code, templates and the example report as they are now, committed
    at a fixed time in a repository of their own (other work in this tree
    cannot change them halfway through the test)."""
    for part in ("ambtsbericht_build", "templates", "bibliography", "reports/voorbeeldland"):
        shutil.copytree(REPO / part, dest / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return dest


def start(snap: Path, out: Path, env: dict) -> subprocess.Popen:
    full = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    full.update(env, PYTHONPATH=str(snap))
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from ambtsbericht_build.cli import main; main()",
            "render",
            str(snap / "reports" / "voorbeeldland"),
            "--out",
            str(out),
        ],
        cwd=snap,
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def two_renders(tmp_path_factory):
    base = tmp_path_factory.mktemp("repro")
    a = snapshot(base / "machine-a" / "repo")
    b = snapshot(base / "elsewhere" / "b" / "checkout")
    pa = start(a, base / "out-a", {"PYTHONHASHSEED": "1", "TZ": "Europe/Amsterdam", "LC_ALL": "C"})
    time.sleep(2.5)  # another moment on the clock
    pb = start(
        b, base / "out-b", {"PYTHONHASHSEED": "2", "TZ": "Pacific/Auckland", "SOURCE_DATE_EPOCH": str(COMMIT_EPOCH)}
    )
    for p in (pa, pb):
        _, err = p.communicate(timeout=900)
        assert p.returncode == 0, err
    return base / "out-a", base / "out-b"


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt", FORMATS)
def test_byte_identical(two_renders, fmt):
    a, b = two_renders
    assert sha(a / f"voorbeeldland.{fmt}") == sha(b / f"voorbeeldland.{fmt}")


def test_manifests_agree(two_renders):
    a, b = (json.loads((d / "voorbeeldland.manifest.json").read_text()) for d in two_renders)
    assert a["outputs"] == b["outputs"]
    assert a["inputs"] == b["inputs"]
    assert a["git"]["commit"] == b["git"]["commit"] and a["git"]["dirty"] is False
    assert a["source_date_epoch"] == b["source_date_epoch"] == COMMIT_EPOCH
    assert (a["source_date_epoch_from"], b["source_date_epoch_from"]) == ("commit", "SOURCE_DATE_EPOCH")


def test_dates_inside_come_from_the_commit(two_renders):
    out, _ = two_renders
    iso = STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    html = (out / "voorbeeldland.html").read_text(encoding="utf-8")
    assert f'<meta name="dcterms.created" content="{iso}">' in html
    with pikepdf.open(out / "voorbeeldland.pdf") as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith(STAMP.strftime("D:%Y%m%d%H%M%S"))
        assert str(pdf.docinfo["/ModDate"]).startswith(STAMP.strftime("D:%Y%m%d%H%M%S"))
    with zipfile.ZipFile(out / "voorbeeldland.docx") as z:
        core = z.read("docProps/core.xml").decode()
        assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == [iso, iso]
        assert {i.date_time for i in z.infolist()} == {STAMP.timetuple()[:6]}
        assert z.namelist()[0] == "[Content_Types].xml"
    with zipfile.ZipFile(out / "voorbeeldland.odt") as z:
        meta = z.read("meta.xml").decode()
        assert f"<meta:creation-date>{iso}</meta:creation-date>" in meta and f"<dc:date>{iso}</dc:date>" in meta
        assert {i.date_time for i in z.infolist()} == {STAMP.timetuple()[:6]}
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED


def test_outputs_verify_against_their_manifest_and_are_clean(two_renders):
    from .conftest import abuild_cmd

    out, _ = two_renders
    v = subprocess.run(
        [*abuild_cmd(), "verify", str(out / "voorbeeldland.manifest.json"), "--outputs-only"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert v.returncode == 0, v.stdout + v.stderr
    snap = out.parent / "machine-a" / "repo"
    a = subprocess.run(
        [*abuild_cmd(), "audit", str(out), "--report", str(snap / "reports" / "voorbeeldland")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert a.returncode == 0, a.stdout + a.stderr
