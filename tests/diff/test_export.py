"""Exporting a revision (diff/revisions.py) reads git's tar to its end.
tarfile stops at the end-of-archive blocks, but git may still be writing
the zero padding of its last 10 KiB record: the pipe was closed under it
and git died of SIGPIPE ("git archive of HEAD failed:" with no word; seen
twice in tests/diff at load 20, and in 26 of 30 bare reads of the
benchmark report's tar)."""

from __future__ import annotations

import os
import shutil
import stat

from ambtsbericht_build.diff.revisions import export, resolve
from tests.fixtures.report_kit import git_in, make_report


def test_git_writing_its_padding_late_does_not_fail_the_export(tmp_path, monkeypatch):
    """A git that writes its last record's padding 0.3 s after the archive
    (what a loaded machine does to the real one) is read to its end."""
    rd = make_report(tmp_path)
    git_in(rd.root, "init", "-q")
    git_in(rd.root, "add", "-A")
    git_in(rd.root, "commit", "-q", "-m", "x")
    real = shutil.which("git")
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(
        f'#!/bin/sh\n"{real}" "$@" || exit $?\n'
        'case " $* " in *" archive "*) sleep 0.3; head -c 10240 /dev/zero ;; esac\n',
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    out = export(rd.root, resolve(rd.root, "HEAD"), rd.rel, tmp_path / "export", 50_000_000)
    assert (out / "sources.yaml").read_bytes() == rd.path("sources.yaml").read_bytes()
