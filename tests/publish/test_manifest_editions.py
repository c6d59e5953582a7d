"""Two editions in one output directory (issue #15): the Dutch ``<slug>.*``
and the English ``<slug>.en.*``, each with its own manifest. Whatever each
render writes (``--to``) and whatever files lie there, an edition's
:func:`carry_over` keeps or removes only files of its own edition. Pure: no
render, a few empty files per example (about 1 s for the 60 examples)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.load.files import sha256_file
from ambtsbericht_build.publish.manifest import CURRENT, carry_over, edition_stem

SUFFIXES = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "odt": ".odt"}
STEMS = {"nl": "testland", "en": "testland.en"}


def _manifest(stem: str, outputs: dict[str, str]) -> dict:
    return {
        "manifest_version": 2,
        "slug": "testland",
        "stem": stem,
        "inputs": [],
        "outputs": {fmt: {"file": name, "sha256": "0" * 64, "build": CURRENT} for fmt, name in outputs.items()},
        "earlier_builds": [],
    }


formats = st.sets(st.sampled_from(sorted(SUFFIXES)))


@settings(max_examples=60, deadline=None)
@given(
    lying=st.fixed_dictionaries({lang: formats for lang in STEMS}),  # files on disk, per edition
    listed=st.fixed_dictionaries({lang: formats for lang in STEMS}),  # of those, in the edition's previous manifest
    rendering=st.sampled_from(sorted(STEMS)),
    written=formats.filter(bool),
)
def test_an_edition_never_removes_or_claims_the_other_editions_files(lying, listed, rendering, written):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for lang, stem in STEMS.items():
            for fmt in lying[lang]:
                (out / f"{stem}{SUFFIXES[fmt]}").write_bytes(f"{lang} {fmt}".encode())
            kept = {f: f"{stem}{SUFFIXES[f]}" for f in lying[lang] & listed[lang]}
            prev = _manifest(stem, kept)
            for f, name in kept.items():
                prev["outputs"][f]["sha256"] = sha256_file(out / name)
            (out / f"{stem}.manifest.json").write_text(json.dumps(prev), encoding="utf-8")
        stem = STEMS[rendering]
        manifest = _manifest(stem, {f: f"{stem}{SUFFIXES[f]}" for f in written})
        carried = carry_over(manifest, out, SUFFIXES)
        own = {f"{stem}{s}" for s in SUFFIXES.values()}
        assert {p.name for p in carried.remove} <= own
        assert {o["file"] for o in manifest["outputs"].values()} <= own
        # what it keeps is exactly its own listed, unchanged files it did not write again
        assert set(carried.kept) == (lying[rendering] & listed[rendering]) - written


def test_a_manifest_without_a_stem_is_its_slugs():
    assert edition_stem({"slug": "testland"}) == "testland"
    assert edition_stem({"slug": "testland", "stem": "testland.en"}) == "testland.en"
