"""In the preview (a block memo active) the forbidden values of unchanged
sources and chapters, and git's answers on the user, are kept between
builds (publish/forbidden_memo.py, forbidden_git.py), and never stale: a
changed identity file, commit or chapter is seen in the next build."""

from __future__ import annotations

from pathlib import Path

import pytest

from ambtsbericht_build import tools
from ambtsbericht_build.block_memo import BlockMemo
from ambtsbericht_build.publish import forbidden
from ambtsbericht_build.publish.forbidden import COMMENT, USER, collect, user_needles
from tests.fixtures.report_kit import git_in


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    root = tmp_path / "repo"
    root.mkdir()
    git_in(root, "init", "-q")
    (root / "a.txt").write_text("a\n")
    git_in(root, "add", "-A")
    git_in(root, "-c", "user.name=Eerste Auteurnaam", "commit", "-qm", "een")
    return root


@pytest.fixture
def git_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    runs: list[list[str]] = []
    real = tools.run

    def run(args: list[str], **kw: object) -> object:
        if args and args[0] == "git":
            runs.append(args)
        return real(args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(tools, "run", run)
    return runs


def names(repo: Path, memo: BlockMemo) -> set[str]:
    with memo.build():
        return {n.value for n in user_needles(repo) if n.kind == USER}


def test_git_is_asked_once_while_nothing_it_reads_changed(repo: Path, git_runs: list[list[str]]) -> None:
    memo = BlockMemo()
    first = names(repo, memo)
    assert "Eerste Auteurnaam" in first and git_runs
    git_runs.clear()
    assert names(repo, memo) == first
    assert git_runs == []


def test_a_changed_identity_or_commit_is_seen_at_once(repo: Path, git_runs: list[list[str]]) -> None:
    memo = BlockMemo()
    names(repo, memo)
    git_in(repo, "config", "user.name", "Lokale Gebruikersnaam")  # .git/config
    assert "Lokale Gebruikersnaam" in names(repo, memo)
    (Path.home() / ".gitconfig").write_text("[user]\n\temail = iemand.anders@voorbeeld.example\n")
    assert "iemand.anders@voorbeeld.example" in names(repo, memo)
    (repo / "a.txt").write_text("b\n")
    git_in(repo, "-c", "user.name=Tweede Auteurnaam", "commit", "-qam", "twee")  # HEAD's branch moved
    got = names(repo, memo)
    assert "Tweede Auteurnaam" in got
    assert got == {n.value for n in user_needles(repo) if n.kind == USER}  # as without a memo


def test_nothing_is_kept_where_git_may_read_other_files(
    repo: Path, git_runs: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    (Path.home() / ".gitconfig").write_text("[include]\n\tpath = elders.inc\n")
    memo = BlockMemo()
    names(repo, memo)
    git_runs.clear()
    names(repo, memo)
    assert git_runs  # an [include] may name any file
    (Path.home() / ".gitconfig").unlink()
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(Path.home() / "elders"))
    names(repo, memo)
    git_runs.clear()
    names(repo, memo)
    assert git_runs


def test_a_chapter_edit_gives_its_needles_at_once(tmp_path: Path) -> None:
    from ambtsbericht_build.commands.check import CheckOptions, check_report
    from ambtsbericht_build.diagnostics import Diagnostics
    from tests.fixtures.report_kit import CHAPTER_MD, make_report

    report = make_report(tmp_path)
    memo = BlockMemo()

    def both() -> tuple[forbidden.Forbidden, forbidden.Forbidden]:
        lr = check_report(report.dir, Diagnostics(), CheckOptions(max_bytes=5 << 20))
        assert lr is not None
        with memo.build():
            kept = collect(lr, paths=[tmp_path])
        return kept, collect(lr, paths=[tmp_path])

    kept, fresh = both()
    assert kept == fresh
    report.chapter(CHAPTER_MD + "\n<!-- de bron zei het ons in vertrouwen, na afloop -->\n")
    kept, fresh = both()
    assert kept == fresh
    assert any(n.kind == COMMENT for n in kept.needles)
