"""The format registry: one class is a new format, through the real pipeline
(worker process, audit, manifest, atomic replace)."""

from __future__ import annotations

import json

import pytest

from ambtsbericht_build.commands.render import UnknownFormat, parse_formats
from ambtsbericht_build.render.formats import WRITERS, Priority, formats, register, writer_class, writer_ref
from ambtsbericht_build.render.pipeline import AuditFailed, RenderOptions, render_report
from tests.render.conftest import FORMATS, make_mini_report
from tests.render.toy_format import LeakyTextWriter, TextWriter


def test_the_built_in_formats_in_their_order():
    assert formats() == FORMATS
    assert [WRITERS[f].suffix for f in FORMATS] == [".html", ".pdf", ".docx", ".odt"]
    # the PDF is the long pole: only its writer keeps full priority
    assert {f: WRITERS[f].priority for f in FORMATS} == {
        "html": Priority.YIELD,
        "pdf": Priority.FIRST,
        "docx": Priority.YIELD,
        "odt": Priority.YIELD,
    }
    assert all(writer_class(writer_ref(WRITERS[f])) is WRITERS[f] for f in FORMATS)


@pytest.fixture()
def registered():
    """The toy formats, registered for one test only."""
    for cls in (TextWriter, LeakyTextWriter):
        register(cls)
    try:
        yield
    finally:
        for cls in (TextWriter, LeakyTextWriter):
            WRITERS.pop(cls.name, None)


def test_a_registered_class_is_a_format_of_the_command_line(registered):
    assert parse_formats("txt,html") == ("txt", "html")
    assert writer_ref(TextWriter) == "tests.render.toy_format:TextWriter"
    with pytest.raises(UnknownFormat):
        parse_formats("epub")


def test_two_formats_cannot_write_the_same_file(registered):
    class Other(TextWriter):
        name = "other-txt"

    with pytest.raises(ValueError, match="suffix"):
        register(Other)
    assert "other-txt" not in WRITERS


def test_one_class_is_enough_for_a_new_format(registered, tmp_path):
    report = make_mini_report(tmp_path / "repo")
    out = tmp_path / "out"
    result = render_report(report, RenderOptions(formats=("txt",), out_dir=out))
    assert result.outputs == {"txt": out / "testland.txt"}
    text = (out / "testland.txt").read_text(encoding="utf-8")
    assert text.startswith("Thematisch ambtsbericht Testland\n")
    assert "De regering won de verkiezingen." in text
    manifest = json.loads((out / "testland.manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["outputs"]) == ["txt"]
    assert manifest["outputs"]["txt"]["file"] == "testland.txt"
    assert sorted(p.name for p in out.iterdir()) == ["testland.manifest.json", "testland.txt"]


def test_a_new_format_is_audited_like_the_others(registered, tmp_path):
    report = make_mini_report(tmp_path / "repo")
    out = tmp_path / "out"
    with pytest.raises(AuditFailed) as exc:
        render_report(report, RenderOptions(formats=("txt", "leaky-txt"), out_dir=out))
    assert any(f.file == "testland.leak.txt" and f.kind == "internal field" for f in exc.value.findings), exc.value
    assert list(out.iterdir()) == []  # nothing replaced, nothing left behind


def _facts(style):
    from ambtsbericht_build.render.facts import RenderFacts

    from .test_worker import FACTS

    return RenderFacts.from_dict({**FACTS, "house_style": style.to_json()})


def test_every_format_reads_the_house_style_it_is_given(tmp_path):
    """The repository's override reaches the screen HTML, the print HTML (PDF)
    and the office writers' reference document: all read through the one
    style the render resolved and passed in the facts."""
    from ambtsbericht_build.house_style import HouseStyle, template_path
    from ambtsbericht_build.render.formats.html import html_page

    for rel, text in (("css/screen.css", "/* eigen scherm */"), ("css/print.css", "/* eigen druk */")):
        (tmp_path / "templates" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "templates" / rel).write_text(text, encoding="utf-8")
    (tmp_path / "templates" / "reference.odt").write_bytes(b"eigen")
    facts = _facts(HouseStyle.for_repo(tmp_path))
    assert "/* eigen scherm */" in html_page(facts, "", "screen")
    assert "/* eigen druk */" in html_page(facts, "", "print")
    assert facts.house_style.path(WRITERS["odt"].reference) == tmp_path / "templates" / "reference.odt"
    assert facts.house_style.path(WRITERS["docx"].reference) == template_path("reference.docx")  # not overridden
