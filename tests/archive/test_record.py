"""Recording a copy in sources.yaml in place (review/yamledit.py's round
trip): only the source's ``archive`` changes, whatever the file's layout."""

from __future__ import annotations

import pytest
import yaml

from ambtsbericht_build.review import yamledit

A = {"file": "archive/x.warc.gz", "sha256": "ab" * 32, "captured": "2026-11-29T22:00:00Z", "status": 200}
B = {**A, "file": "archive/y.warc.gz", "sha256": "cd" * 32}

TEXT = """\
# bronnen
- id: x
  type: webpage
  title: X   # de titel
  URL: https://x.example/
  archive:
    file: archive/oud.warc.gz
    sha256: "{old}"

# -- kranten --
- id: y
  type: webpage
  URL: https://y.example/

- {{id: z, type: webpage, URL: "https://z.example/"}}
""".format(old="0" * 64)


def lines_kept(old: str, new: str, but: tuple[str, ...] = ()) -> bool:
    rest = iter(new.splitlines())
    return all(any(line == n for n in rest) for line in old.splitlines() if not line.strip().startswith(but))


def test_a_new_record_goes_after_the_last_key_and_the_comments_stay_above_their_source():
    new = yamledit.archived(TEXT, {"y": B, "z": A})
    assert lines_kept(TEXT, new, but=("- {id: z",))  # a flow-style source gains the record on its line
    assert "  URL: https://y.example/\n  archive:\n    file: archive/y.warc.gz\n" in new
    assert "status: 200\n\n- {id: z" in new  # the blank line still separates the sources
    assert '- {id: z, type: webpage, URL: "https://z.example/", archive: {file: archive/x.warc.gz' in new
    data = {s["id"]: s for s in yaml.safe_load(new)}
    assert data["y"]["archive"]["sha256"] == "cd" * 32 and data["z"]["archive"]["status"] == 200


def test_an_earlier_record_is_replaced_where_it_stands():
    new = yamledit.archived(TEXT, {"x": A})
    assert lines_kept(TEXT, new, but=("file:", "sha256:"))
    assert "    status: 200\n\n# -- kranten --\n- id: y" in new
    assert "oud.warc.gz" not in new


def test_windows_line_ends_and_a_byte_order_mark_are_kept():
    text = "\ufeff" + TEXT.replace("\n", "\r\n")
    new = yamledit.archived(text, {"y": B})
    assert new.startswith("\ufeff") and new.count("\r\n") == new.count("\n")


def test_an_unknown_id_or_a_file_that_is_no_list_is_refused():
    with pytest.raises(yamledit.EditRefused, match="no source with id nergens"):
        yamledit.archived(TEXT, {"nergens": A})
    with pytest.raises(yamledit.EditRefused, match="not a list of sources"):
        yamledit.archived("id: x\n", {"x": A})
