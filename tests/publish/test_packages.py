"""publish/office.py: the deterministic rewrite of DOCX/ODT packages."""

from __future__ import annotations

import shutil
import zipfile

from ambtsbericht_build.publish.office import ZIP_MIN_EPOCH, normalise_package


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
