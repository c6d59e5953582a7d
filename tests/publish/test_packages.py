"""publish/office.py: the deterministic rewrite of DOCX/ODT packages."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.publish.office import ZIP_MIN_EPOCH, normalise_package, write_package


def test_rewrite_is_idempotent_and_keeps_every_entry(leaky, tmp_path):
    _, _, outputs = leaky
    for fmt in ("docx", "odt"):
        p = tmp_path / outputs[fmt].name
        shutil.copy(outputs[fmt], p)
        before = p.read_bytes()
        normalise_package(p, 1769947200, fmt)
        assert p.read_bytes() == before  # the render already did it
        with zipfile.ZipFile(outputs[fmt]) as a, zipfile.ZipFile(p) as b:
            assert a.namelist() == b.namelist()
            for name in a.namelist():
                assert a.read(name) == b.read(name)
        assert not list(tmp_path.glob("*.zip-part"))


def test_rewrite_dates_and_order(leaky, tmp_path):
    _, _, outputs = leaky
    p = tmp_path / "x.odt"
    # shuffle the entries and give them the current time, as another zip writer might
    with zipfile.ZipFile(outputs["odt"]) as z, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as out:
        for name in reversed(z.namelist()):
            out.writestr(name, z.read(name))
    normalise_package(p, 0, "odt")  # before 1980: zip entries cannot say 1970
    with zipfile.ZipFile(p) as z:
        infos = z.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        meta = z.read("meta.xml").decode()
        assert "<meta:creation-date>1970-01-01T00:00:00Z</meta:creation-date>" in meta
    assert ZIP_MIN_EPOCH == 315532800


_NAMES = st.sampled_from(["content.xml", "styles.xml", "meta.xml", "Pictures/1.png", "META-INF/manifest.xml", "b"])
_CORE = b'<cp:coreProperties><dcterms:created xsi:type="x">1970-01-01</dcterms:created></cp:coreProperties>'
_META = b"<office:meta><meta:creation-date>1970-01-01T00:00:00Z</meta:creation-date><dc:date>x</dc:date></office:meta>"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=st.dictionaries(_NAMES, st.binary(max_size=300), max_size=5),
    epoch=st.sampled_from([0, ZIP_MIN_EPOCH, 1796038288]),
    pandoc_order=st.booleans(),
    kind=st.sampled_from(["odt", "docx"]),
)
def test_a_package_written_deterministic_is_the_rewrite_and_is_left_alone(
    tmp_path: Path, entries: dict[str, bytes], epoch: int, pandoc_order: bool, kind: str
) -> None:
    """write_package (the ODT writer's write) writes the bytes the rewrite
    writes of the same entries as pandoc leaves them (its own order, its
    dates, meta.xml undated), and the rewrite leaves such a package as it
    is; one written otherwise (another epoch, meta.xml's dates not the
    epoch's) is rewritten."""
    dated = "meta.xml" if kind == "odt" else "docProps/core.xml"
    first = {"mimetype": b"application/vnd.oasis.opendocument.text"} if kind == "odt" else {"[Content_Types].xml": b""}
    entries = {**entries, **first, dated: _META if kind == "odt" else _CORE}
    raw = tmp_path / "raw.odt"
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name in sorted(entries, reverse=pandoc_order):
            z.writestr(name, entries[name])
    normalise_package(raw, epoch, kind)
    once = tmp_path / "once.odt"
    write_package(once, dict(entries), epoch, kind)
    assert once.read_bytes() == raw.read_bytes()
    normalise_package(once, epoch, kind)  # left alone: the same bytes
    assert once.read_bytes() == raw.read_bytes()
    # another epoch's package, and one whose meta.xml kept pandoc's dates
    # in an otherwise deterministic package, are both rewritten
    normalise_package(once, epoch + 86400, kind)
    assert once.read_bytes() != raw.read_bytes()
    undated = tmp_path / "undated.odt"
    with zipfile.ZipFile(once) as src, zipfile.ZipFile(undated, "w") as z:
        for info in src.infolist():
            z.writestr(info, entries[info.filename] if info.filename == dated else src.read(info))
    assert undated.read_bytes() != raw.read_bytes()
    normalise_package(undated, epoch + 86400, kind)
    normalise_package(undated, epoch, kind)
    assert undated.read_bytes() == raw.read_bytes()
