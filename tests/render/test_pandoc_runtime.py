"""pandoc's runtime settings (tools.PANDOC_RTS, tools.PANDOC_READ_RTS,
odt_pieces.ODT_RTS): the installed pandoc takes each, writes the same output
as with its own defaults, and its young generation is the size the setting
names: the binary is linked with ``-with-rtsopts=-H64m``, which, left on,
grows the allocation area to ~64 MB whatever ``-A`` says (more fresh memory
touched, and a nursery far larger than the cache)."""

from __future__ import annotations

import re
import subprocess

import pytest

from ambtsbericht_build import tools
from ambtsbericht_build.render.formats import odt_pieces

SETTINGS = {
    "PANDOC_RTS": tools.PANDOC_RTS,
    "PANDOC_READ_RTS": tools.PANDOC_READ_RTS,
    "ODT_RTS": odt_pieces.ODT_RTS,
}
# enough text that pandoc allocates some hundreds of MB reading and writing it
TEXT = "".join(f"# Hoofdstuk {i}\n\nTekst *met* een noot.[^{i}]\n\n[^{i}]: Zie p. {i}.\n\n" for i in range(300))


def _pandoc(rts: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [tools.pandoc_path(), *rts, "--sandbox", "-f", "markdown", *args], input=TEXT.encode(), capture_output=True
    )


def _size(flag: str) -> int:
    """Bytes of an RTS size (``4m``, ``512k``)."""
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", flag).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit.lower()]


@pytest.mark.parametrize("name", list(SETTINGS))
def test_pandoc_takes_the_setting_and_writes_the_same(name: str) -> None:
    rts = SETTINGS[name]
    assert rts[0] == "+RTS" and rts[-1] == "-RTS" and "+RTS" not in rts[1:]
    for to in ("json", "html5"):
        tuned, default = _pandoc(rts, "-t", to), _pandoc((), "-t", to)
        assert tuned.returncode == 0, tuned.stderr.decode()
        assert tuned.stdout == default.stdout


@pytest.mark.parametrize("name", list(SETTINGS))
def test_the_young_generation_is_the_settings_size(name: str) -> None:
    """Young collections about every ``-A`` bytes allocated: the binary's
    -H64m is off (with it, a run of this size collects a few times only)."""
    rts = SETTINGS[name]
    area = _size(next(a[2:] for a in rts if a.startswith("-A") and not a.startswith("-AL")))
    proc = _pandoc((*rts[:-1], "-s", "-RTS"), "-t", "html5")
    assert proc.returncode == 0, proc.stderr.decode()
    stats = proc.stderr.decode()
    allocated = int(re.search(r"([\d,]+) bytes allocated in the heap", stats).group(1).replace(",", ""))  # type: ignore[union-attr]
    young = int(re.search(r"Gen  0\s+(\d+) colls", stats).group(1))  # type: ignore[union-attr]
    assert allocated > 16 * area  # the text is large enough to tell the two apart
    assert young >= allocated / area / 2, stats
