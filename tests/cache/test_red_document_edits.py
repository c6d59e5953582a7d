"""Red team (session 7): the document's kept blocks and chapter steps
(cache/blocks.py, render/chapter_parts.py, the preview's memo) after random
sequences of the edits tests/cache/test_block_cache.py leaves out: the
glossary, the report's language, the house citation style overridden in
templates/, an image's bytes, a chapter unnumbered or moved, a source's
internal fields, the confidential sources' order, a heading citing one."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.block_memo import BlockMemo
from ambtsbericht_build.cache.store import Store
from ambtsbericht_build.house_style import template_path
from tests.cache.test_block_cache import _built, _confidential
from tests.render.conftest import make_mini_report, tiny_png

POLITIEK = "chapters/01-politiek.md"
CONFIDENTIAL = "  container-title: Testland Dagblad\n"


def _csl(root: Path, report: Path) -> None:
    path = root / "templates" / "csl" / "ambtsbericht.csl"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text() if path.exists() else template_path("csl/ambtsbericht.csl").read_text()
    path.write_text(
        text.replace(
            '<macro name="title">\n    <group delimiter=" ">',
            '<macro name="title">\n    <group delimiter=" " prefix="»">',
            1,
        )
    )


def _move(root: Path, report: Path) -> None:
    intro = report / "chapters" / "00-inleiding.md"
    if intro.exists():
        intro.rename(report / "chapters" / "09-inleiding.md")


def _vb_first(root: Path, report: Path) -> None:
    path = report / "sources.yaml"
    entries = path.read_text().split("- id: ")
    vb = [e for e in entries if e.startswith("vb-geheim")]
    rest = [e for e in entries if e and not e.startswith("vb-geheim")]
    path.write_text("".join("- id: " + e.rstrip("\n") + "\n" for e in vb + rest))


def _image(root: Path, report: Path) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"\x00" + b"\x80\x40\x20" * 2 + b"\x00" + b"\x10\x20\x30" * 2)
    png = tiny_png()[:8] + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
    (report / "media" / "kaart.png").write_bytes(png + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


TEXT_EDITS = {
    "glossary": ("glossary.yaml", "HRW: Human Rights Watch\n", "HRW: Human Rights Watch Nederland\n"),
    "english": ("report.yaml", "language: nl", "language: en"),
    "unnumbered": (POLITIEK, "# Politiek {#politiek}", "---\nnumbered: false\n---\n\n# Politiek {#politiek}"),
    "internal": (
        "sources.yaml",
        "  title: Testland rapport 2025\n",
        "  title: Testland rapport 2025\n  internal: {x: Merel}\n",
    ),
    "krant confidential": ("sources.yaml", CONFIDENTIAL, CONFIDENTIAL + "  confidential: true\n"),
    "heading cites": (
        POLITIEK,
        "## Ontwikkelingen {#sec-politiek",
        "## Ontwikkelingen [@krant-bericht] {#sec-politiek",
    ),
    "note": (POLITIEK, "De regering won", "Eerst.^[Noot [@krant-bericht].] De regering won"),
}
FILE_EDITS = {"csl": _csl, "moved": _move, "vb first": _vb_first, "image": _image}


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(TEXT_EDITS) + sorted(FILE_EDITS)), min_size=2, max_size=3))
def test_kept_blocks_give_the_document_a_build_from_nothing_gives(
    tmp_path_factory: pytest.TempPathFactory, edits: list[str]
) -> None:
    report = make_mini_report(tmp_path_factory.mktemp("red") / "repo")
    root = report.parents[1]
    store = Store(root / "build" / ".cache", repo=root)
    memo = BlockMemo()
    _built(report, store)
    _built(report, None, memo)
    for name in edits:
        if name in FILE_EDITS:
            FILE_EDITS[name](root, report)
        else:
            rel, old, new = TEXT_EDITS[name]
            path = report / rel
            path.write_text(path.read_text().replace(old, new, 1))
        fresh = _built(report)
        assert _built(report, store) == fresh, edits
        assert _built(report, None, memo) == fresh, edits
        for secret in _confidential(report):
            assert secret not in fresh, (edits, secret)
