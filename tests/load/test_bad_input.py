"""Hostile or broken input: a diagnostic or a one-line error, exit 1 or 2, in seconds, never a traceback."""

from __future__ import annotations

import os
import time
import tracemalloc

import pytest

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load.yamlpos import YamlError, load_yaml
from tests.fixtures.report_kit import APPENDED, CHAPTER, CHAPTER_MD, REPORT_YAML, SOURCES_YAML

LINE = CHAPTER_MD.count("\n") + 2


def run(report, *args: str, timeout: float = 30):
    """The real CLI; returns (exit code, diagnostics as (code, file, line, column), stderr)."""
    start = time.monotonic()
    proc = report.cli("check", "--format", "json", *args, timeout=timeout)
    elapsed = time.monotonic() - start
    assert "Traceback" not in proc.stderr, proc.stderr
    assert elapsed < timeout
    diags = []
    if proc.stdout.strip():
        import json

        diags = [(d["code"], d["file"], d["line"], d["column"]) for d in json.loads(proc.stdout)["diagnostics"]]
    return proc.returncode, diags, proc.stderr


# --- encodings and line endings -------------------------------------------------


def test_bom_and_crlf_keep_line_numbers(report):
    body = CHAPTER_MD + "\nDit staat er zonder bron.\n"
    report.write(CHAPTER, b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode())
    report.write("report.yaml", b"\xef\xbb\xbf" + REPORT_YAML.replace("\n", "\r\n").encode())
    report.write("sources.yaml", SOURCES_YAML.replace("\n", "\r\n").encode())
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert diags == [("AB101", f"{report.rel}/{CHAPTER}", LINE, 1)]


def test_bom_does_not_shift_the_first_line(report):
    report.write(CHAPTER, b"\xef\xbb\xbf" + b"Zonder bron op regel een.\n\n" + CHAPTER_MD.encode())
    report.expect("AB101", CHAPTER, 1, 1)


def test_old_mac_line_endings(report):
    report.write(CHAPTER, (CHAPTER_MD + "\nZonder bron.\n").replace("\n", "\r").encode())
    report.expect("AB101", CHAPTER, LINE, 1)


def test_not_utf8_through_the_cli(report):
    report.write(CHAPTER, "# Politiek\n\nCafé ".encode() + b"\xe9\xe9n\n")
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert ("AB001", f"{report.rel}/{CHAPTER}", 3, 6) in diags


def test_latin1_yaml(report):
    report.write("report.yaml", REPORT_YAML.replace("Testland", "Testländ").encode("latin-1"))
    report.expect("AB001", "report.yaml", 1, 35)


@pytest.mark.parametrize("name", [CHAPTER, "report.yaml", "tor.yaml", "sources.yaml"])
def test_empty_file(report, name):
    report.write(name, b"")
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert ("AB001", f"{report.rel}/{name}", 0, 0) in diags


def test_whitespace_only_chapter(report):
    report.write(CHAPTER, b"\n   \n\t\n")
    d = report.expect("AB001", CHAPTER, 0, 0)
    assert d.message == "file is empty"


def test_binary_file(report):
    report.write(CHAPTER, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    d = report.expect("AB001", CHAPTER, 3, 1)
    assert "binary" in d.message


# --- YAML --------------------------------------------------------------------------


def test_yaml_with_tabs(report):
    report.write("tor.yaml", "title: ToR\nthemes:\n\t- id: 1\n")
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert ("AB001", f"{report.rel}/tor.yaml", 3, 1) in diags


def test_yaml_with_duplicate_keys(report):
    report.write("report.yaml", REPORT_YAML + "status: vastgesteld\n")
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert ("AB001", f"{report.rel}/report.yaml", APPENDED, 1) in diags


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_quickly_in_bounded_memory():
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(YamlError, match="alias bomb"):
            load_yaml(BILLION_LAUGHS)
    finally:
        elapsed = time.monotonic() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < 2
    assert peak < 200 * 1024 * 1024


def test_alias_bomb_through_the_cli(report):
    report.write("sources.yaml", BILLION_LAUGHS)
    start = time.monotonic()
    code, diags, _ = run(report, report.rel)
    assert time.monotonic() - start < 10  # interpreter start-up included
    assert code == 1
    assert [d[:2] for d in diags if d[0] == "AB001"] == [("AB001", f"{report.rel}/sources.yaml")]


def test_deeply_nested_yaml(report):
    report.write("report.yaml", "[" * 10_000 + "]" * 10_000 + "\n")
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert ("AB001", f"{report.rel}/report.yaml", 1, 1) in diags


def test_deeply_nested_yaml_is_refused_quickly():
    for text in ("[" * 10_000 + "]" * 10_000, "{a: " * 10_000 + "}" * 10_000):
        start = time.monotonic()
        with pytest.raises(YamlError, match="nested too deeply"):
            load_yaml(text)
        assert time.monotonic() - start < 0.5


def test_deeply_nested_block_yaml(report):
    report.write("tor.yaml", "".join(" " * k + "- \n" for k in range(2000)))
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert any(d[0] == "AB001" and d[1].endswith("tor.yaml") for d in diags)


def test_deeply_nested_json(report):
    report.remove("sources.yaml")
    report.write("report.yaml", REPORT_YAML + "bibliography: [bronnen.json]\n")
    report.write("bronnen.json", "[" * 100_000 + "]" * 100_000)
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert ("AB001", f"{report.rel}/bronnen.json", 1, 1) in diags


def test_yaml_python_tags_are_not_executed(report):
    report.write("glossary.yaml", "HRW: !!python/object/apply:os.system ['touch hacked']\n")
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert ("AB001", f"{report.rel}/glossary.yaml", 1, 6) in diags
    assert not (report.root / "hacked").exists()
    assert not (report.root / "reports" / "hacked").exists()


@pytest.mark.parametrize(
    "text, line, column",
    [("HRW: Human Rights Watch\n? [a, b]\n: x\n", 2, 3), ("HRW: Human Rights Watch\n? \n: x\n", 2, 2)],
)
def test_yaml_key_that_is_not_text(report, text, line, column):
    report.write("glossary.yaml", text)
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert ("AB001", f"{report.rel}/glossary.yaml", line, column) in diags


# --- Markdown ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "> " * 10_000 + "diep\n",
        "".join("  " * k + "- item\n" for k in range(3_000)),
        "- " * 10_000 + "diep\n",
        "^[" * 5_000 + "x" + "]" * 5_000 + "\n",
        "[" * 200_000 + "\n",
        "`" * 100_000 + " `` ` " * 10_000 + "\n",
        "[a](" * 50_000 + "\n",
        "<span " * 50_000 + "\n",
        "```x\n" * 50_000,
        "Zie [@hrw-2025]." + " Een zin zonder bron. Nog een." * 50_000 + "\n",
        "Tekst" + " a." * 200_000 + " [@hrw-2025] b.\n",
    ],
)
def test_hostile_markdown_is_fast(report, body):
    report.write(CHAPTER, "# Politiek\n\n" + body, dedent_text=False)
    start = time.monotonic()
    diags = report.check()
    assert time.monotonic() - start < 5
    assert all(d.code.startswith("AB") for d in diags)


# --- files -------------------------------------------------------------------------


def test_chapter_over_the_default_size_limit(report):
    with open(report.path("chapters/03-groot.md"), "wb") as fh:
        fh.write(b"# Groot\n\n")
        fh.truncate(5 * 1024 * 1024 + 1)
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert ("AB001", f"{report.rel}/chapters/03-groot.md", 0, 0) in diags


def test_max_file_size_is_configurable(report):
    report.write(CHAPTER, CHAPTER_MD + "\n" + "Lange tekst.[@hrw-2025]\n" * 100)
    code, diags, _ = run(report, "--max-file-size", "1KB", report.rel)
    assert code == 1
    assert diags == [("AB001", f"{report.rel}/{CHAPTER}", 0, 0)] or ("AB001", f"{report.rel}/{CHAPTER}", 0, 0) in diags
    code, diags, _ = run(report, "--max-file-size", "1MB", report.rel)
    assert (code, diags) == (0, [])


def test_max_file_size_nonsense_is_a_usage_error(report):
    proc = report.cli("check", "--max-file-size", "veel", report.rel)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "veel" in proc.stderr


def test_missing_report_directory(report):
    code, diags, stderr = run(report, "reports/bestaat-niet")
    assert code == 1
    assert diags == [("AB003", "reports/bestaat-niet", 0, 0)]


def test_report_path_is_a_file(report):
    """A file of a report stands for the report (what a pre-commit hook
    passes); a file in no report is AB003 (tests/commands/test_check_files.py)."""
    code, diags, _ = run(report, f"{report.rel}/report.yaml")
    assert (code, diags) == (0, [])
    (report.root / "notes.txt").write_text("geen rapport\n", encoding="utf-8")
    code, diags, _ = run(report, "notes.txt")
    assert code == 1
    assert diags == [("AB003", "notes.txt", 0, 0)]


def test_chapter_that_is_a_directory(report):
    (report.dir / "chapters" / "03-map.md").mkdir()
    code, diags, _ = run(report, report.rel)
    assert code == 1
    assert diags == [("AB001", f"{report.rel}/chapters/03-map.md", 0, 0)]


def test_listed_chapter_that_is_a_directory(report):
    (report.dir / "chapters" / "map").mkdir()
    report.write("report.yaml", REPORT_YAML + f"chapters:\n  - {CHAPTER}\n  - chapters/map\n")
    d = report.expect("AB001", "chapters/map", 0, 0)
    assert d.message == "is a directory, not a file"


def test_symlink_outside_the_repository_is_not_read(report, tmp_path):
    # a FIFO: opening it for reading would block, so the test would hang if it were read
    fifo = tmp_path / "buiten.md"
    os.mkfifo(fifo)
    os.symlink(fifo, report.dir / "chapters" / "03-buiten.md")
    code, diags, _ = run(report, report.rel, timeout=20)
    assert code == 1
    assert diags == [("AB001", f"{report.rel}/chapters/03-buiten.md", 0, 0)]


def test_listed_chapter_outside_the_repository(report, tmp_path):
    (tmp_path / "geheim.md").write_text("# Geheim\n")
    report.write("report.yaml", REPORT_YAML + f"chapters:\n  - {CHAPTER}\n  - ../../../geheim.md\n")
    d = report.expect("AB001", "../../../geheim.md", 0, 0)
    assert "outside the repository" in d.message


def test_fifo_inside_the_repository_is_not_read(report):
    os.mkfifo(report.dir / "chapters" / "03-fifo.md")
    d = report.expect("AB001", "chapters/03-fifo.md", 0, 0, max_bytes=1024 * 1024)
    assert d.message == "is not a regular file"


def test_symlink_inside_the_repository_is_followed(report):
    target = report.write_root("gedeeld/03-gedeeld.md", "# Gedeeld\n\nGedeelde tekst.[@hrw-2025]\n")
    os.symlink(target, report.dir / "chapters" / "03-gedeeld.md")
    report.expect_none()


def test_unreadable_file(report):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    report.path(CHAPTER).chmod(0)
    try:
        report.expect("AB001", CHAPTER, 0, 0)
    finally:
        report.path(CHAPTER).chmod(0o644)


def test_no_report_given_and_none_found(tmp_path):
    from tests.fixtures.report_kit import make_report

    rd = make_report(tmp_path)
    proc = rd.cli("check", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "Error: no report given" in proc.stderr


def test_loader_never_raises_on_garbage(report):
    """Every file of the report replaced by random bytes: diagnostics, no exception."""
    import random

    from ambtsbericht_build.load import load_report

    rng = random.Random(7)
    for _ in range(20):
        for name in ("report.yaml", "tor.yaml", "sources.yaml", CHAPTER):
            report.write(name, bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))))
        diags = Diagnostics()
        load_report(report.dir, diags)
        assert len(diags) > 0


def test_a_tree_beyond_the_node_limit_is_refused_as_an_alias_bomb_is():
    """A document without aliases is a tree: its nodes are counted in the walk
    for libyaml's empty values, and the expansion check runs only beyond
    MAX_NODES, where it refuses the document as before."""
    from ambtsbericht_build.load.yamlpos import MAX_NODES

    big = "".join(f"- {i}\n" for i in range(MAX_NODES + 1))
    with pytest.raises(YamlError, match="more than 200,000 values") as exc:
        load_yaml(big)
    assert (exc.value.line, exc.value.column) == (1, 1)
    data, _ = load_yaml("".join(f"- {i}\n" for i in range(1000)) + "- &a x\n- *a\n")
    assert isinstance(data, list) and data[-2:] == ["x", "x"]
