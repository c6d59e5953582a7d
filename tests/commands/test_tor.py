"""``abuild tor``: the coverage matrix of the Terms of Reference."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ambtsbericht_build.cli import main
from ambtsbericht_build.commands.tor import TorUnavailable, render_coverage, tor_coverage

DATA = Path(__file__).resolve().parents[1] / "output" / "data"


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("good", "bad"):
        shutil.copytree(DATA / name, tmp_path / "reports" / name)
    return tmp_path


def _tor(*args: str):
    return CliRunner().invoke(main, ["tor", *args])


def test_good_report_text(workdir):
    res = _tor("reports/good")
    assert res.exit_code == 0, res.output
    assert res.stdout == (
        "Terms of Reference Testland (reports/good/tor.yaml)\n"
        "\n"
        "1  Veiligheid\n"
        "  1.1  answered         reports/good/chapters/01-veiligheid.md:3  Veiligheidssituatie\n"
        "  1.2  geen informatie  reports/good/chapters/01-veiligheid.md:7  Dienstplicht voor vrouwen\n"
        "\n"
        "2 questions: 1 answered, 0 without source, 1 geen informatie, 0 unanswered\n"
    )


def test_bad_report_text(workdir):
    res = _tor("reports/bad")
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert "  1.2  unanswered" in lines
    assert "  1.3  unanswered" in lines
    assert "Not in the ToR (AB202):" in lines
    assert "  9.9  reports/bad/chapters/01-veiligheid.md:13  Pers" in lines
    assert lines[-1] == "3 questions: 1 answered, 0 without source, 0 geen informatie, 2 unanswered"


def test_json(workdir):
    res = _tor("reports/good", "--format", "json")
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert doc["version"] == 1
    assert doc["report"] == "reports/good"
    assert doc["tor"] == {"file": "reports/good/tor.yaml", "title": "Terms of Reference Testland"}
    (theme,) = doc["themes"]
    assert (theme["id"], theme["title"]) == ("1", "Veiligheid")
    q1, q2 = theme["questions"]
    assert q1 == {
        "id": "1.1",
        "text": "Hoe is de veiligheidssituatie?",
        "status": "answered",
        "answers": [
            {
                "file": "reports/good/chapters/01-veiligheid.md",
                "line": 3,
                "column": 41,
                "title": "Veiligheidssituatie",
                "geen_informatie": False,
                "cites": 1,
            }
        ],
    }
    assert q2["status"] == "geen-informatie" and q2["answers"][0]["geen_informatie"] is True
    assert doc["unknown"] == []
    assert doc["summary"] == {"questions": 2, "answered": 1, "no_source": 0, "geen_informatie": 1, "unanswered": 0}

    doc = json.loads(_tor("reports/bad", "--format", "json").stdout)
    assert [q["status"] for q in doc["themes"][0]["questions"]] == ["answered", "unanswered", "unanswered"]
    assert [u["id"] for u in doc["unknown"]] == ["9.9"]


def test_markdown(workdir):
    res = _tor("reports/bad", "--format", "markdown")
    assert res.exit_code == 1
    md = res.stdout
    assert md.startswith("# Terms of Reference Testland\n")
    assert (
        "| **1.1** Hoe is de veiligheidssituatie? | answered "
        "| Veiligheidssituatie (`reports/bad/chapters/01-veiligheid.md:3`) |" in md
    )
    assert "| **1.3** Worden journalisten vervolgd? | **unanswered** |  |" in md
    assert "## Not in the ToR" in md


def test_several_answers_and_answer_without_source(workdir):
    ch = workdir / "reports/good/chapters/02-meer.md"
    ch.write_text(
        "# Meer {#h-meer}\n\n"
        '## Nog meer veiligheid {#sec-meer tor="1.1 1.2"}\n\n'
        "::: intern\nnog schrijven\n:::\n\n"
        "## Dienstplicht {#sec-dienst}\n\n"
        '::: {tor="1.2"}\nVolgens HRW is er dienstplicht.[@hrw-2025]\n:::\n',
        encoding="utf-8",
    )
    cov = tor_coverage(Path("reports/good"))
    q1, q2 = cov.questions()
    assert [a.line for a in q1.answers] == [3, 3]
    assert q1.status == "answered"
    # geen-informatie in one place, a sourced answer in another: answered
    assert q2.status == "answered" and len(q2.answers) == 3
    text = render_coverage(cov, "text")
    assert "reports/good/chapters/02-meer.md:3  Nog meer veiligheid (cites no source: AB203)" in text
    assert "Dienstplicht voor vrouwen (.geen-informatie)" in text
    assert text.count("reports/good/chapters/02-meer.md:3") == 2
    assert "reports/good/chapters/02-meer.md:11  Dienstplicht\n" in text


def test_unreadable_chapter_is_mentioned(workdir):
    (workdir / "reports/good/chapters/02-kapot.md").write_bytes(b"# Kapot\n\n\xff\xfe\n")
    res = _tor("reports/good")
    assert res.exit_code == 0
    assert "may hide answers" in res.stderr
    assert "may hide answers" not in _tor("reports/bad").stderr  # a broken source hides no answer


def test_missing_report_and_broken_tor(workdir):
    res = _tor("reports/bestaat-niet")
    assert res.exit_code == 1
    assert "AB003" in res.output and "cannot be read" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)

    (workdir / "reports/good/tor.yaml").write_text("title: ToR\nthemes: []\n", encoding="utf-8")
    res = _tor("reports/good")
    assert res.exit_code == 1
    assert "AB002" in res.output
    with pytest.raises(TorUnavailable) as exc:
        tor_coverage(Path("reports/good"))
    assert exc.value.diagnostics.errors >= 1


def test_usage_error(workdir):
    assert _tor("reports/good", "--format", "html").exit_code == 2
    assert _tor().exit_code == 2


def test_no_traceback_in_a_real_process(workdir):
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ambtsbericht_build.cli import main; main(prog_name='abuild')",
            "tor",
            "reports/bestaat-niet",
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout


def test_fresh_scaffold_is_all_without_source(workdir):
    res = CliRunner().invoke(main, ["new", "reports/nieuw", "--tor", "reports/good/tor.yaml", "--country", "Testland"])
    assert res.exit_code == 0
    res = _tor("reports/nieuw")
    assert res.exit_code == 0  # every question has its place; abuild check reports AB203
    assert res.stdout.splitlines()[-1] == "2 questions: 0 answered, 2 without source, 0 geen informatie, 0 unanswered"
    assert "  1.1  no source        reports/nieuw/chapters/01-veiligheid.md:3  Vraag 1.1" in res.stdout
    doc = json.loads(_tor("reports/nieuw", "--format", "json").stdout)
    assert [q["status"] for q in doc["themes"][0]["questions"]] == ["no-source", "no-source"]
