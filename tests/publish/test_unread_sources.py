"""A bibliography abuild could not read may hold confidential sources, and a
cited key in no bibliography may be a mistyped confidential one (issue #10,
red-team L1 and L11).

Before: one YAML slip in sources.yaml (a duplicate key in a *public* entry, a
tab, an unquoted colon) left the confidential sources unread; a concept then
rendered with their keys printed ("Vb-informant-wielewaal?") and with no
internal value looked for. A key one letter off printed as itself.
"""

from __future__ import annotations

import os

import pytest

from ambtsbericht_build.commands.check import CheckOptions
from ambtsbericht_build.render.pipeline import RenderOptions, render_report

from ..fixtures.report_kit import APPENDED, SOURCES_YAML, make_report
from .conftest import FORMATS, occurrences

SECRET = "Wielewaal-7731"
CONFIDENTIAL = f"""
- id: vb-informant-wielewaal
  type: interview
  confidential: true
  issued: 2025-02-18
  internal:
    who: contact {SECRET}
"""
CHAPTER = f"""\
# Politiek {{#h-politiek}}

## Ontwikkelingen {{tor="1.1"}}

Er waren gevechten in het noorden.[@hrw-2025] Volgens {SECRET} was het rustig.[@vb-informant-wielewaal]

## Veiligheid {{tor="1.2"}}

Het was rustig in het zuiden.[@hrw-2025]
"""

# each one a slip a drafter makes in sources.yaml, in a public entry
BREAKAGES = {
    "a duplicate key": SOURCES_YAML.replace("  title: World", "  title: World Report\n  title: World", 1),
    "a tab for indentation": SOURCES_YAML.replace("  type: report", "\ttype: report", 1),
    "an unquoted colon": SOURCES_YAML.replace("title: World Report 2025", "title: World: Report: 2025", 1),
    "a second document": SOURCES_YAML + "---\n- id: x\n",
}


def _report(tmp_path, sources: str | bytes):
    rd = make_report(tmp_path)
    if isinstance(sources, bytes):
        rd.write("sources.yaml", sources)
    else:
        rd.write("sources.yaml", sources + CONFIDENTIAL, dedent_text=False)
    rd.chapter(CHAPTER)
    return rd


@pytest.mark.parametrize("breakage", [*BREAKAGES, "an invalid UTF-8 byte", "a symlink"])
def test_an_unreadable_sources_file_refuses_a_concept(tmp_path, breakage):
    if breakage == "an invalid UTF-8 byte":
        rd = _report(tmp_path, (SOURCES_YAML + CONFIDENTIAL).encode().replace(b"Watch", b"Wa\xfftch", 1))
    elif breakage == "a symlink":
        rd = _report(tmp_path, SOURCES_YAML)
        real = tmp_path / "elders.yaml"  # outside the repository: not read
        real.write_text(SOURCES_YAML + CONFIDENTIAL, encoding="utf-8")
        rd.remove("sources.yaml")
        os.symlink(real, rd.path("sources.yaml"))
    else:
        rd = _report(tmp_path, BREAKAGES[breakage])
    out = tmp_path / "out"
    result = render_report(rd.dir, RenderOptions(out_dir=out))
    assert result.refused and not result.outputs, result.reason
    assert "sources.yaml" in result.reason and "cannot tell which sources are confidential" in result.reason
    assert SECRET not in result.reason
    assert not out.exists() or not any(out.iterdir())


def test_a_bibliography_list_that_leaves_out_sources_yaml_is_an_error_and_refuses(tmp_path):
    rd = _report(tmp_path, SOURCES_YAML)
    rd.write("extra.yaml", SOURCES_YAML.replace("hrw-2025", "hrw-2025b"))
    rd.write("report.yaml", rd.path("report.yaml").read_text(encoding="utf-8") + "bibliography: [extra.yaml]\n")
    found = [d for d in rd.check() if d.code == "AB002" and "leaves out" in d.message]
    assert len(found) == 1 and found[0].file.endswith("report.yaml") and found[0].line == APPENDED
    result = render_report(rd.dir, RenderOptions(out_dir=tmp_path / "out"))
    assert result.refused and not result.outputs


def test_a_listed_sources_yaml_is_no_finding(tmp_path):
    rd = _report(tmp_path, SOURCES_YAML)
    rd.write("report.yaml", rd.path("report.yaml").read_text(encoding="utf-8") + "bibliography: [sources.yaml]\n")
    assert not [d for d in rd.check() if d.code == "AB002"]


def test_a_mistyped_key_never_prints(tmp_path):
    """A key in no bibliography (AB104) prints under a neutral name in every
    format, in the note and in the heading ids it reaches."""
    rd = _report(tmp_path, SOURCES_YAML)
    rd.chapter(
        CHAPTER.replace(f"Volgens {SECRET} was", "Volgens een bron was")
        .replace("[@vb-informant-wielewaal]", "[@vb-informant-wielewal]")
        .replace("## Veiligheid", "## Veiligheid [@vb-informant-wielewal]")
        # two bracketed citations side by side, which pandoc first reads as a
        # reference link and the render turns back into citations
        .replace("rustig in het zuiden.[@hrw-2025]", "rustig in het zuiden.[@vb-informant-wielewaal-2][@hrw-2025]")
    )
    result = render_report(rd.dir, RenderOptions(out_dir=tmp_path / "out", check=CheckOptions(select=set())))
    assert set(result.outputs) == set(FORMATS)
    assert occurrences(result.outputs.values(), ["wielewal", "wielewaal-2"]) == []
    for fmt, path in result.outputs.items():
        assert occurrences([path], ["onbekende-bron-1"]) != [], fmt
