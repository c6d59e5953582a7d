"""The render's "nothing changed" shortcut (cache/fast.py) never takes a
changed input for an unchanged one, whatever a save does to the file's
times: random sequences (hypothesis) of saves in place of the same size
(a letter changed) and of the first text put back, each with the file's
mtime put back (``touch -r``, tools that keep dates, ``git checkout`` of a
file's old text), to a chapter, the YAML, a template and a bibliography
file; some of them while a "render" runs (between the key taken at its
start and its record). After every save, what the shortcut replays is what
a render found in exactly these texts (a finding that names them), or
nothing.

The shortcut keys a render by the content of every input (cache/inputs.py
``fingerprint``), so no time can fool it; this proves it stays so. One real
render (HTML) makes the outputs a record names; the records are then made
by :meth:`RenderCache.record` itself, with abuild's own code and tools left
out of the key (they do not change here, and hashing the package's files
at every step would cost 0.1 s each). CPU: ~0.01 s a step.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.cache import inputs
from ambtsbericht_build.cache.fast import RenderCache
from ambtsbericht_build.cli import main
from ambtsbericht_build.diagnostics import Diagnostics, Severity
from tests.cache.conftest import committed
from tests.render.conftest import make_mini_report

FILES = ("reports/testland/chapters/01-politiek.md", "reports/testland/sources.yaml", "templates/css/print.css")
FILES += ("bibliography/gedeeld.yaml",)
OPTIONS = {"command": "test"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    """A committed small report rendered once (HTML): (report, output directory, the inputs' texts)."""
    root = tmp_path_factory.mktemp("fast") / "repo"
    report = make_mini_report(root)
    shutil.rmtree(root / ".git")
    (root / "templates" / "css").mkdir(parents=True)
    (root / "templates" / "css" / "print.css").write_text("h1 { color: black; }\n")
    committed(root)
    out = root.parent / "out"
    result = CliRunner().invoke(main, ["render", str(report), "--to", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (root / "bibliography").mkdir()
    (root / FILES[3]).write_text("# a shared bibliography file, not yet in git\n")
    return report, out, {rel: (root / rel).read_bytes() for rel in FILES}


def save_keeping_mtime(path: Path, data: bytes) -> None:
    st = os.stat(path)
    with open(path, "r+b") as fh:
        fh.write(data)
        fh.truncate()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


STEP = st.tuples(
    st.sampled_from(range(len(FILES))),
    st.one_of(st.integers(0, 10_000), st.just("first text")),  # a letter changed at this place, or the first text
    st.booleans(),  # during a render
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=6))
def test_a_changed_input_is_never_taken_as_unchanged(
    rendered: tuple[Path, Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[int, object, bool]],
) -> None:
    report, out, first = rendered
    root = out.parent / "repo"
    monkeypatch.setattr(inputs, "environment", lambda: {"tools": "as they are"})
    shutil.rmtree(root / "build" / ".cache" / "render", ignore_errors=True)
    for rel, data in first.items():
        save_keeping_mtime(root / rel, data)
    manifest = out / "testland.manifest.json"

    def now() -> str:
        """The inputs' texts, as what a render of them finds (its one finding's message)."""
        return hashlib.sha256(b"\0".join((root / rel).read_bytes() for rel in FILES)).hexdigest()

    def record(rc: RenderCache) -> None:
        """A render of the inputs as they are now ends (the last texts it could read)."""
        found = Diagnostics()
        found.add("AB000", Severity.WARNING, "found", 1, 1, now())
        rc.record(found, {"html": out / "testland.html"}, manifest, {"html": ".html"})

    def replayed() -> list[str] | None:
        """The findings the shortcut replays for the inputs as they are now (None: a real render)."""
        replay = RenderCache.open(report, out, OPTIONS).unchanged()
        return None if replay is None else [d.message for d in replay.diagnostics]

    record(RenderCache.open(report, out, OPTIONS))
    pristine = now()
    assert replayed() == [pristine], "the record of the first texts is replayed"
    started: RenderCache | None = None
    for i, what, during in steps:
        if during and started is None:
            started = RenderCache.open(report, out, OPTIONS)  # a render begins: its key
        elif not during and started is not None:
            record(started)  # ... and ends: recorded only if its inputs held still
            started = None
        path = root / FILES[i]
        data = path.read_bytes()
        if what == "first text":
            data = first[FILES[i]]
        elif data:
            at = int(str(what)) % len(data)
            data = data[:at] + (b"x" if data[at : at + 1] != b"x" else b"y") + data[at + 1 :]
        save_keeping_mtime(path, data)
        got = replayed()
        assert got in (None, [now()]), f"changed inputs taken as unchanged after {steps}"
        assert got is not None or now() != pristine, f"the first texts' record not replayed after {steps}"
