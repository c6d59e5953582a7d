"""abuild as a package: the wheel carries everything a render needs, and an
abuild installed from it, outside the checkout, renders the example report
with the same bytes as the editable install.

Nothing is downloaded: the wheel is built with the setuptools of the test
environment (--no-build-isolation) and installed with --no-deps into a fresh
virtual environment, which borrows the test environment's dependencies
through a path file (one line naming its site-packages). Path files in that
borrowed directory are not processed (only those of site directories are),
so the editable install's finder there stays inert; the tests check that
the package is imported from the new environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

import ambtsbericht_build
from ambtsbericht_build.house_style import OVERRIDABLE

CHECKOUT = Path(ambtsbericht_build.__file__).resolve().parent.parent
EXAMPLE = CHECKOUT / "reports" / "voorbeeldland"
FORMATS = ("html", "pdf", "docx", "odt")
# any fixed time: both renders get the same one
EPOCH = "1769947200"

pytestmark = pytest.mark.skipif(
    not (CHECKOUT / "pyproject.toml").is_file(), reason="needs the checkout (pyproject.toml) to build the wheel"
)


def _run(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: int = 300):
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that puts the checkout on sys.path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def wheel_build(tmp_path_factory) -> tuple[Path, str]:
    """The wheel, built from a copy of the source (setuptools writes build/
    and *.egg-info next to pyproject.toml: not into the checkout), and the
    build's verbose output."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(CHECKOUT / name, src / name)
    shutil.copytree(
        CHECKOUT / "ambtsbericht_build", src / "ambtsbericht_build", ignore=shutil.ignore_patterns("__pycache__")
    )
    out = tmp_path_factory.mktemp("dist")
    proc = _run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--no-build-isolation", "-w", str(out), str(src)],
        env=_clean_env(PIP_NO_INDEX="1"),
    )
    (wheel,) = out.glob("ambtsbericht_build-*.whl")
    return wheel, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def installed(wheel_build, tmp_path_factory) -> Path:
    """A fresh virtual environment outside the checkout with the wheel installed; its bin/."""
    wheel, _ = wheel_build
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    py = venv / "bin" / "python"
    _run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        env=_clean_env(),
    )
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    (site / "abuild-test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return venv / "bin"


def test_wheel_carries_the_house_style_licence_and_pins(wheel_build):
    wheel, _ = wheel_build
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = z.read(meta_name).decode("utf-8")
        for rel in OVERRIDABLE:
            data = z.read(f"ambtsbericht_build/templates/{rel}")
            assert data == (CHECKOUT / "ambtsbericht_build" / "templates" / rel).read_bytes(), rel
    assert "ambtsbericht_build/templates/fonts/LICENSE-NotoSans.txt" in names
    assert "ambtsbericht_build/__main__.py" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-Expression: EUPL-1.2" in meta
    deps = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for pin in ("weasyprint==70.0", "pydyf==0.13.0", "pypandoc-binary==1.17"):
        assert pin in deps and f"Requires-Dist: {pin}" in meta
    # the development script and the tests stay out of the package
    assert not any(n.startswith(("templates/", "tests/", "reports/")) for n in names)


def test_building_prints_no_deprecation_warning_of_ours(wheel_build):
    _, log = wheel_build
    assert "Deprecat" not in log and "deprecat" not in log, log


def test_installed_package_is_imported_from_the_new_environment(installed, tmp_path):
    venv = installed.parent
    proc = _run(
        [str(installed / "python"), "-c", "import ambtsbericht_build, weasyprint; print(ambtsbericht_build.__file__)"],
        env=_clean_env(),
        cwd=tmp_path,
    )
    assert Path(proc.stdout.strip()).resolve().is_relative_to(venv.resolve()), proc.stdout
    version = _run([str(installed / "python"), "-m", "ambtsbericht_build", "--version"], env=_clean_env(), cwd=tmp_path)
    assert version.stdout.strip() == f"abuild, version {ambtsbericht_build.__version__}"
    project = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert ambtsbericht_build.__version__ == project["version"]
    assert _run([str(installed / "abuild"), "--version"], env=_clean_env(), cwd=tmp_path).stdout == version.stdout


def _example_repo(root: Path) -> Path:
    """The example report in a repository of its own, committed."""
    shutil.copytree(EXAMPLE, root / "reports" / "voorbeeldland")
    shutil.copytree(CHECKOUT / "bibliography", root / "bibliography")
    git_env = _clean_env(
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_AUTHOR_DATE="@" + EPOCH,
        GIT_COMMITTER_DATE="@" + EPOCH,
    )
    _run(["git", "init", "-q", str(root)], env=git_env)
    _run(["git", "-C", str(root), "add", "."], env=git_env)
    _run(["git", "-C", str(root), "commit", "-q", "-m", "voorbeeld"], env=git_env)
    return root / "reports" / "voorbeeldland"


def test_wheel_renders_the_example_with_the_same_bytes_as_the_editable_install(installed, tmp_path):
    report = _example_repo(tmp_path / "repo")
    repo = report.parent.parent
    renders = {
        # the abuild installed from the wheel, in its own environment
        "wheel": ([str(installed / "abuild")], _clean_env(SOURCE_DATE_EPOCH=EPOCH)),
        # the abuild under test (the checkout), started as python -m
        "editable": ([sys.executable, "-m", "ambtsbericht_build"], dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)),
    }
    out: dict[str, Path] = {}
    for name, (cmd, env) in renders.items():
        out[name] = tmp_path / f"out-{name}"
        _run([*cmd, "render", "reports/voorbeeldland", "--out", str(out[name])], env=env, cwd=repo, timeout=600)
    for fmt in FORMATS:
        wheel_file = out["wheel"] / f"voorbeeldland.{fmt}"
        editable_file = out["editable"] / f"voorbeeldland.{fmt}"
        assert wheel_file.stat().st_size > 10_000, fmt
        assert wheel_file.read_bytes() == editable_file.read_bytes(), f"{fmt} differs between wheel and editable"

    import json

    wm = json.loads((out["wheel"] / "voorbeeldland.manifest.json").read_text(encoding="utf-8"))
    assert wm["templates"]["base"] == "abuild installation"
    assert {t["from"] for t in wm["templates"]["files"]} == {"abuild"}
    assert {"abuild", "pandoc", "weasyprint", "pydyf", "pango"} <= set(wm["tools"])
    # verify, run by the installed abuild, finds abuild's templates in its installation
    proc = _run(
        [str(installed / "abuild"), "verify", str(out["wheel"] / "voorbeeldland.manifest.json")],
        env=_clean_env(),
        cwd=repo,
    )
    assert "OK       template  ambtsbericht_build/templates/reference.docx" in proc.stdout
    assert "CHANGED" not in proc.stdout and "MISSING" not in proc.stdout


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _abuild_completion abuild"),
        ("zsh", "compdef _abuild_completion abuild"),
        ("fish", "complete --no-files --command abuild"),
    ],
)
def test_shell_completion_script(shell, marker):
    """docs/cli.md: eval "$(_ABUILD_COMPLETE=bash_source abuild)" and the like."""
    proc = _run([sys.executable, "-m", "ambtsbericht_build"], env=dict(os.environ, _ABUILD_COMPLETE=f"{shell}_source"))
    assert marker in proc.stdout


def test_shell_completion_completes_commands_and_options():
    env = dict(os.environ, _ABUILD_COMPLETE="bash_complete", COMP_WORDS="abuild re", COMP_CWORD="1")
    proc = _run([sys.executable, "-m", "ambtsbericht_build"], env=env)
    assert "plain,render" in proc.stdout.split()
    env.update(COMP_WORDS="abuild render --t", COMP_CWORD="2")
    assert "plain,--to" in _run([sys.executable, "-m", "ambtsbericht_build"], env=env).stdout.split()
