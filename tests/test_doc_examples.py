"""The console examples of README.md and docs/cli.md are what the commands
print: every ``$ abuild check/tor/new/render/verify/audit ...`` example is
run for real, in a copy of the example report's repository, and the lines
shown must be printed, in that order ("..." stands for lines left out).
Render and verify lines are compared by shape: numbers (timings, sizes,
counts) and commit hashes may differ, the words may not. A render's
progress lines come in the order its writers finish, so there only the
lines themselves are compared."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from .fixtures.report_kit import ABUILD
from .publish.conftest import git

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("README.md", "docs/cli.md")
TOR_KALAND = ROOT / "tests" / "fixtures" / "tor-kaland.yaml"


def examples(doc: str, command: str) -> list[tuple[str, list[str]]]:
    """(command line, shown output lines) of every console example in
    ``doc`` whose command starts with ``abuild <command>``; a ``# comment``
    after the command is dropped."""
    found = []
    text = (ROOT / doc).read_text(encoding="utf-8")
    for block in re.findall(r"^( *)```console\n(.*?)^\1```", text, flags=re.S | re.M):
        lines = textwrap.dedent(block[1]).splitlines()
        for i, line in enumerate(lines):
            if not line.startswith(f"$ abuild {command}"):
                continue
            out = []
            for ln in lines[i + 1 :]:
                if ln.startswith("$ "):
                    break
                out.append(ln)
            found.append((line[2:].split("  #", 1)[0].split(" >", 1)[0].strip(), out))
    return found


def run(cmdline: str, cwd: Path, *, cache: bool = False) -> list[str]:
    args = shlex.split(cmdline)[1:]
    args = [str(TOR_KALAND) if a == "~/Downloads/tor-kaland.yaml" else a for a in args]
    # unbuffered: standard output and error interleave as on a terminal
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "SOURCE_DATE_EPOCH")}
    env["PYTHONUNBUFFERED"] = "1"
    if cache:  # the suite turns the cache off (tests/conftest.py); the examples of it need it
        env.pop("ABUILD_CACHE", None)
    proc = subprocess.run(
        [str(ABUILD), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in proc.stdout, proc.stdout
    return proc.stdout.splitlines()


def shape(line: str) -> str:
    line = re.sub(r"\b[0-9a-f]{12,40}\b", "<commit>", line)
    # timings are right-aligned in a column: "document      2.8 s" and "document     21.0 s"
    return re.sub(r" +", " ", re.sub(r"\d[\d,.]*", "<n>", line))


def assert_shown(shown: list[str], printed: list[str], where: str, *, ordered: bool = True, exact: bool = True) -> None:
    norm = (lambda s: s) if exact else shape
    printed_n = [norm(p) for p in printed]
    it = iter(printed_n)
    for line in shown:
        if line.strip() == "...":
            continue
        assert norm(line) in (it if ordered else printed_n), f"{where}: not printed: {line!r}\nprinted:\n" + "\n".join(
            printed
        )


@pytest.fixture()
def repo(tmp_path) -> Path:
    """A repository with the example report, its bibliography, and the
    report with findings (tests/output/data/bad) as reports/testland."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "reports" / "voorbeeldland", root / "reports" / "voorbeeldland")
    shutil.copytree(ROOT / "bibliography", root / "bibliography")
    shutil.copytree(ROOT / "tests" / "output" / "data" / "bad", root / "reports" / "testland")
    (root / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "voorbeeld")
    return root


def test_check_tor_and_new_examples(repo):
    seen = set()
    for command in ("new", "check", "tor"):  # new first: `abuild check reports/kaland` checks its scaffold
        for doc in DOCS:
            for cmdline, shown in examples(doc, command):
                if not shown or (command == "new" and (repo / "reports" / "kaland").exists()):
                    continue  # the same `abuild new` in both documents: its output was compared once
                printed = run(cmdline, repo)
                assert_shown(shown, printed, f"{doc}: {cmdline}")
                seen.add(command)
    assert seen == {"new", "check", "tor"}


def test_render_verify_and_audit_examples(repo):
    def check(command: str, *, ordered: bool = True, cache: bool = False) -> None:
        found = [(doc, shown) for doc in DOCS for c, shown in examples(doc, command.split(" ", 1)[1]) if c == command]
        found = [(doc, shown) for doc, shown in found if shown]
        # the examples of a render with nothing changed are shown by running it again
        again = [(doc, shown) for doc, shown in found if any("nothing changed since" in s for s in shown)]
        found = [f for f in found if f not in again]
        assert found, f"no example of `{command}`"
        printed = run(command, repo, cache=cache)
        for doc, shown in found:
            assert_shown(shown, printed, f"{doc}: {command}", ordered=ordered, exact=False)
        if again:
            printed = run(command, repo, cache=cache)
            for doc, shown in again:
                assert_shown(shown, printed, f"{doc}: {command} (again)", ordered=ordered, exact=False)

    check("abuild render reports/voorbeeldland", ordered=False, cache=True)
    verify = "abuild verify build/voorbeeldland/voorbeeldland.manifest.json"
    shown_ok = [s for doc in DOCS for c, s in examples(doc, "verify") if c == verify and "STALE" not in "".join(s)]
    assert shown_ok
    printed = run(verify, repo)
    for s in shown_ok:
        assert_shown(s, printed, verify, exact=False)
    check("abuild audit build/voorbeeldland --report reports/voorbeeldland")
    check("abuild render reports/voorbeeldland --to pdf,docx", ordered=False)

    # a changed chapter, then --to html: the other outputs are stale
    chapter = repo / "reports" / "voorbeeldland" / "chapters" / "02-mensenrechten.md"
    text = chapter.read_text(encoding="utf-8")
    assert "ten minste" in text
    chapter.write_text(text.replace("ten minste", "minstens", 1), encoding="utf-8")
    check("abuild render reports/voorbeeldland --to html", ordered=False)
    shown_stale = [s for doc in DOCS for c, s in examples(doc, "verify") if c == verify and "STALE" in "".join(s)]
    assert shown_stale
    printed = run(verify, repo)
    for s in shown_stale:
        assert_shown(s, printed, verify, exact=False)
