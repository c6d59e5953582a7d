"""GitHub Actions annotations: ``::error file=…,line=…,col=…,title=…::message``, with
the workflow-command escaping (``%``, CR, LF everywhere; also ``:`` and ``,`` in
properties)."""

from __future__ import annotations

import re

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.output.github import render_github

ANNOTATION = re.compile(r"^::(?P<cmd>error|warning) (?P<props>[^:]*)::(?P<data>.*)$")


def _unescape_data(s: str) -> str:
    return s.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def _unescape_prop(s: str) -> str:
    return _unescape_data(s.replace("%3A", ":").replace("%2C", ","))


def _parse(line: str) -> tuple[str, dict, str]:
    m = ANNOTATION.match(line)
    assert m, line
    props = {}
    for part in m["props"].split(","):
        key, _, value = part.partition("=")
        props[key] = _unescape_prop(value)
    return m["cmd"], props, _unescape_data(m["data"])


def test_plain_annotation():
    d = Diagnostics()
    d.error("AB101", "reports/x/chapters/02-veiligheid.md", 14, 1, "paragraph cites no source")
    d.warning("AB105", "reports/x/sources.yaml", 3, 3, "source a is never cited")
    assert render_github(d) == (
        "::error file=reports/x/chapters/02-veiligheid.md,line=14,col=1,title=AB101::AB101: paragraph cites no source\n"
        "::warning file=reports/x/sources.yaml,line=3,col=3,title=AB105::AB105: source a is never cited\n"
    )


def test_escaping_of_message():
    d = Diagnostics()
    d.error("AB102", "a.md", 1, 1, 'zin na de laatste bron: "50% van de 3,5 miljoen:\nnieuwe regel\r"')
    line = render_github(d).rstrip("\n")
    assert "\n" not in line and "\r" not in line
    assert "50%25 van de 3,5 miljoen:%0Anieuwe regel%0D" in line  # ':' and ',' stay in the message
    cmd, props, data = _parse(line)
    assert data == 'AB102: zin na de laatste bron: "50% van de 3,5 miljoen:\nnieuwe regel\r"'


def test_escaping_of_properties():
    d = Diagnostics()
    d.error("AB101", "reports/a,b/c:d%e.md", 2, 5, "m")
    line = render_github(d).rstrip("\n")
    assert "file=reports/a%2Cb/c%3Ad%25e.md,line=2,col=5," in line
    cmd, props, data = _parse(line)
    assert props == {"file": "reports/a,b/c:d%e.md", "line": "2", "col": "5", "title": "AB101"}


def test_whole_file_finding_has_no_line():
    d = Diagnostics()
    d.error("AB003", "reports/x/tor.yaml", 0, 0, "tor.yaml is missing")
    assert render_github(d) == "::error file=reports/x/tor.yaml,title=AB003::AB003: tor.yaml is missing\n"


def test_nothing_for_a_clean_report():
    assert render_github(Diagnostics()) == ""


def test_real_output(fixture_report, abuild, workdir, findings):
    report = fixture_report("bad", as_name="bad,1")
    chapter = report / "chapters" / "01-veiligheid.md"
    chapter.rename(report / "chapters" / "01-veiligheid: 50%.md")
    proc = abuild("check", "--format", "github", "reports/bad,1", cwd=workdir)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == len(findings("reports/bad,1")) > 10
    parsed = [_parse(line) for line in lines]
    assert {cmd for cmd, _, _ in parsed} == {"error", "warning"}
    files = {props["file"] for _, props, _ in parsed}
    assert "reports/bad,1/chapters/01-veiligheid: 50%.md" in files
    assert all((workdir / f).exists() for f in files)
    for _cmd, props, data in parsed:
        assert data.startswith(props["title"] + ": ")
        assert int(props["line"]) >= 1
