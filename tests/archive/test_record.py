"""Recording a copy in sources.yaml in place (review/yamledit.py's round
trip): only the source's ``archive`` changes, whatever the file's layout."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

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


_comment = st.text(alphabet="abc xyz-#é", min_size=0, max_size=12).map(lambda t: "# " + t.strip())
_title = st.text(alphabet="abcdefghij XYZ:–'\"", min_size=1, max_size=20)


@st.composite
def source_files(draw) -> tuple[str, list[str]]:
    """A sources.yaml as drafters write it: sources with and without a URL,
    comment lines between them, blank lines or none, end-of-line comments,
    titles that need quoting."""
    out: list[str] = [draw(_comment)] if draw(st.booleans()) else []
    ids = []
    for n in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            out.append(draw(_comment))
        sid = f"bron-{n}"
        ids.append(sid)
        out += [f"- id: {sid}", "  type: webpage", f"  title: {json.dumps(draw(_title), ensure_ascii=False)}"]
        if draw(st.booleans()):
            out.append(f"  author: [{{literal: Org {n}}}]")
        out.append(f"  URL: https://bron{n}.example/pagina" + (f"   {draw(_comment)}" if draw(st.booleans()) else ""))
        if draw(st.booleans()):
            out.append("")
    return "\n".join(out) + "\n", ids


@settings(max_examples=60, deadline=None)
@given(data=source_files(), pick=st.sets(st.integers(0, 4), min_size=1))
def test_any_layout_keeps_every_line_and_reads_back_as_the_same_sources(data, pick):
    text, ids = data
    chosen = {ids[i % len(ids)]: A for i in pick}
    new = yamledit.archived(text, chosen)
    assert lines_kept(text, new)
    before = {s["id"]: s for s in yaml.safe_load(text)}
    after = {s["id"]: s for s in yaml.safe_load(new)}
    assert list(after) == list(before)
    for sid, s in after.items():
        expected = {**before[sid], "archive": A} if sid in chosen else before[sid]
        assert s == expected
    # a comment line stays above the source it was above
    for i, line in enumerate(text.splitlines()):
        if line.startswith("#") and i + 1 < len(text.splitlines()):
            nxt = text.splitlines()[i + 1]
            if nxt.startswith("- id:"):
                assert f"{line}\n{nxt}" in new
