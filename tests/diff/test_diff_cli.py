"""``abuild diff`` on a real repository with two commits (tests/diff/repo_kit.py),
through the real command line: the HTML and DOCX it writes mark exactly the
five changes between them and nothing else."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter

import lxml.html
import pypandoc
import pytest
from lxml import etree

from tests.diff.repo_kit import ISSUER, NEW_WHO, OLD_WHO, DiffRepo, git, make_diff_repo
from tests.render.test_accessibility import VIEWPORTS, _format, _run_axe, axe_script, browser  # noqa: F401 (fixtures)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HRW_P3 = "Human Rights Watch, World Report 2025 (herzien) – Testland, 16 januari 2025, p. 3."
HRW_P3 = "Human Rights Watch, World Report 2025 (herzien) – Testland, 16 januari 2025, p. 3."
INTERNAL = "medewerker VN-organisatie"  # the confidential source's internal field (report_kit.SOURCES_YAML)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> DiffRepo:
    return make_diff_repo(tmp_path_factory.mktemp("diff"))


@pytest.fixture(scope="module")
def diffed(repo):
    proc = repo.report.cli("diff", repo.report.rel, "v1")
    assert proc.returncode == 0, proc.stderr
    out = repo.root / "build" / "testland" / "diff"
    return proc, out / "testland.diff.html", out / "testland.diff.docx"


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def test_summary_line_counts_the_changes(diffed):
    proc, html, docx = diffed
    assert proc.stdout.split() == ["build/testland/diff/testland.diff.html", "build/testland/diff/testland.diff.docx"]
    assert (
        "abuild diff: 7 insertion(s), 3 deletion(s), 4 changed note(s) (1 added, 1 deleted, 2 changed)" in proc.stderr
    )


def test_html_marks_exactly_the_five_changes(diffed):
    tree = lxml.html.fromstring(diffed[1].read_bytes())
    marks = Counter((el.tag, _squash(el.text_content())) for el in tree.iter("ins", "del"))
    assert marks == Counter(
        {
            ("del", "gearresteerd."): 1,  # 1. a word
            ("ins", "vastgehouden."): 1,
            ("del", "Na de verkiezingen gold in de hoofdstad twee weken een avondklok.4"): 1,  # 2. a paragraph
            ("del", "Human Rights Watch, World Report 2025 – Testland, 16 januari 2025, p. 14."): 1,  # ... its note
            ("ins", ",2"): 1,  # 3. a note added (its call) ...
            ("ins", "De kiescommissie noemde een opkomst van 61 procent. " + HRW_P3): 1,  # ... and its text
            ("ins", "(herzien)"): 3,  # 4. the source title: in two notes and in the list of sources
            ("ins", "(geen informatie gevonden)"): 1,  # 5. the ToR answer
        }
    )
    # every change has an id the summary links to, and the summary links to nothing else
    ids = {el.get("id") for el in tree.iter("ins", "del")}
    summary = tree.xpath("//div[contains(@class,'diff-summary')]//a/@href")
    assert sorted(summary) == sorted("#" + i for i in ids) and len(ids) == 10
    assert "Politiek en veiligheid" in tree.xpath("string(//div[contains(@class,'diff-summary')])")


def test_html_is_the_report_page_and_keeps_the_confidential_source_protected(diffed):
    text = diffed[1].read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in text and "<title>Wijzigingen in: " in text
    assert "Vertrouwelijke bron, 4 november 2025" in _squash(text)
    assert INTERNAL not in text and "vb-2025-11-04" not in text
    assert "Genève" not in text and "New York" not in text  # OLD's and NEW's internal field


def _docx_parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_docx_is_valid_ooxml_with_word_tracked_changes(diffed):
    parts = _docx_parts(diffed[2])
    types = etree.fromstring(parts["[Content_Types].xml"])
    overrides = {o.get("PartName", "").lstrip("/") for o in types}
    defaults = {d.get("Extension") for d in types if d.get("Extension")}
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(data)  # every XML part parses
        assert name in overrides or name.rsplit(".", 1)[-1] in defaults, name
    changes, marks = [], []
    for name in ("word/document.xml", "word/footnotes.xml"):
        root = etree.fromstring(parts[name])
        changes += root.iter(W + "ins", W + "del")
        marks += root.xpath("//w:pPr/w:rPr/w:del | //w:pPr/w:rPr/w:ins", namespaces={"w": W[1:-1]})
        for d in root.iter(W + "del"):
            assert not list(d.iter(W + "t")), "deleted text must be w:delText"
        for t in root.iter(W + "delText"):
            assert any(a.tag == W + "del" for a in t.iterancestors()), (
                "deleted text outside a deletion: " + etree.tostring(t.getparent().getparent(), encoding=str)[:1200]
            )
    ids = [c.get(W + "id") for c in changes]
    assert len(ids) == len(set(ids)) == 11  # unique: one per change, as in the HTML, and one paragraph mark
    # the deleted paragraph's mark is deleted too (accepting it leaves no empty paragraph)
    assert [m.tag for m in marks] == [W + "del"]
    assert "avondklok" in etree.tostring(marks[0].getparent().getparent().getparent(), encoding="unicode")
    assert {c.get(W + "author") for c in changes} == {ISSUER}
    assert {c.get(W + "date") for c in changes} == {"2026-03-02T10:00:00Z"}  # NEW's commit time
    everything = b"".join(parts.values())
    assert INTERNAL.encode() not in everything
    assert OLD_WHO.split(", ")[1].encode() not in everything and NEW_WHO.split(", ")[1].encode() not in everything


def _pandoc_text(path, mode: str) -> str:
    return _squash(
        pypandoc.convert_file(str(path), "plain", format="docx", extra_args=[f"--track-changes={mode}", "--wrap=none"])
    )


def test_docx_changes_read_back_accept_to_new_and_reject_to_old(repo, diffed, tmp_path):
    """pandoc reads the tracked changes back: accepting them all gives the
    text of NEW's own render, rejecting them all that of OLD's; no other
    word differs."""
    docx = diffed[2]
    renders = {}
    for rev in ("v1", repo.new):
        git(repo.root, "checkout", "-q", rev)
        try:
            proc = repo.report.cli("render", repo.report.rel, "--to", "docx", "--out", str(tmp_path / rev))
            assert proc.returncode == 0, proc.stderr
        finally:
            git(repo.root, "checkout", "-q", "main")
        renders[rev] = _pandoc_text(tmp_path / rev / "testland.docx", "accept")
    accepted, rejected = _pandoc_text(docx, "accept"), _pandoc_text(docx, "reject")
    # the empty paragraph a deleted paragraph leaves is no text
    assert accepted == renders[repo.new]
    assert rejected == renders["v1"]
    assert "vastgehouden" in accepted and "gearresteerd" in rejected


def test_no_change_marks_nothing(repo, tmp_path):
    proc = repo.report.cli("diff", repo.report.rel, "HEAD", "HEAD", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "0 insertion(s), 0 deletion(s), 0 changed note(s)" in proc.stderr
    html = (tmp_path / "testland.diff.html").read_text(encoding="utf-8")
    assert "<ins" not in html and "<del" not in html and "Geen wijzigingen." in html
    document = _docx_parts(tmp_path / "testland.diff.docx")["word/document.xml"]
    assert b"<w:ins " not in document and b"<w:del " not in document


@pytest.mark.parametrize(
    ("args", "status", "said"),
    [
        (("no-such-tag",), 2, "unknown revision 'no-such-tag'"),
        (("--", "--output=x"), 2, "is not a Git revision"),
        (("v0",), 1, "the report reports/testland does not exist at v0"),
    ],
)
def test_bad_revisions_are_clear_messages(repo, args, status, said):
    proc = repo.report.cli("diff", repo.report.rel, *args)
    assert proc.returncode == status, proc.stderr
    assert said in proc.stderr and "Traceback" not in proc.stderr


def test_a_dirty_tree_without_new_is_refused(repo):
    path = repo.report.write("chapters/02-politiek.md", "# Leeg {#h-politiek}\n")
    try:
        proc = repo.report.cli("diff", repo.report.rel, "v1")
    finally:
        git(repo.root, "checkout", "-q", "--", str(path))
    assert proc.returncode == 1
    assert "uncommitted changes to the report (reports/testland/chapters/02-politiek.md)" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_not_a_repository_is_a_usage_error(tmp_path):
    from tests.fixtures.report_kit import make_report

    rd = make_report(tmp_path)
    proc = rd.cli("diff", rd.rel, "HEAD", cwd=rd.root)
    assert proc.returncode == 2 and "is not in a Git repository" in proc.stderr


@pytest.mark.parametrize("who", [OLD_WHO, NEW_WHO])
def test_a_confidential_leak_at_either_side_refuses_the_diff(repo, tmp_path, who):
    """The render's refusal, for the diff: a confidentiality finding at OLD
    or NEW means no diff is written (OLD's value in NEW's text: the audit of
    the diff, against both sides' values; NEW's own: NEW's check)."""
    leaky = repo.report.path("chapters/02-politiek.md").read_text(encoding="utf-8")
    leaky += "\nEen " + who + " meldde dit.[@hrw-2025]\n"
    repo.report.write("chapters/02-politiek.md", leaky, dedent_text=False)
    git(repo.root, "commit", "-q", "-am", "leak")
    try:
        proc = repo.report.cli("diff", repo.report.rel, "v1", "HEAD", "--out", str(tmp_path))
    finally:
        git(repo.root, "reset", "-q", "--hard", repo.new)
    assert proc.returncode == 1 and "refused" in proc.stderr, proc.stderr
    assert "abuild-diff-" not in proc.stderr, proc.stderr
    if who == NEW_WHO:  # the place named from the repository, not from the export the side was checked in
        assert "reports/testland/chapters/02-politiek.md:" in proc.stderr and "AB302" in proc.stderr, proc.stderr
    assert not list(tmp_path.iterdir())
    assert "Genève" not in proc.stderr


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_diff_html_has_no_axe_violations(diffed, browser, axe_script, viewport):  # noqa: F811
    result = _run_axe(browser, axe_script, diffed[1], VIEWPORTS[viewport])
    assert result["violations"] == [], _format(result["violations"])


def test_a_symlink_in_a_revision_is_never_followed(repo, tmp_path):
    """A chapter committed as a symlink to a file outside the repository: the
    export writes a link to nothing, the loader refuses it, and the file's
    text is in no output."""
    import os

    secret = tmp_path / "outside.md"
    secret.write_text("# Buiten\n\nGEHEIM-BUITEN-DE-REPOSITORY\n", encoding="utf-8")
    link = repo.report.path("chapters/03-link.md")
    os.symlink(secret, link)
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "symlink")
    try:
        proc = repo.report.cli("diff", repo.report.rel, "v1", "HEAD", "--out", str(tmp_path / "out"))
    finally:
        git(repo.root, "reset", "-q", "--hard", repo.new)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr  # a concept is built despite an error, as the render renders it
    assert re.search(
        r"^NEW HEAD \(\w+\): reports/testland/chapters/03-link\.md:\d+:\d+: AB\d+ file is outside the repository",
        proc.stderr,
        re.M,
    )
    for path in (tmp_path / "out").glob("*") if (tmp_path / "out").exists() else []:
        assert b"GEHEIM-BUITEN" not in path.read_bytes()
    assert "GEHEIM-BUITEN" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_an_interrupted_diff_writes_nothing_and_names_the_signal(repo, tmp_path, sig):
    """Interrupted while it writes (its staging directory exists): one line
    naming the signal, exit 1, no file in the output directory, no staging
    directory left behind."""
    import signal
    import time

    from tests.fixtures.report_kit import ABUILD

    out = tmp_path / "out"
    p = subprocess.Popen(
        [str(ABUILD), "diff", repo.report.rel, "v1", "HEAD", "--out", str(out)],
        cwd=repo.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    end = time.monotonic() + 120
    while not (out.exists() and any(out.glob(".abuild-diff-*"))) and time.monotonic() < end and p.poll() is None:
        time.sleep(0.005)
    assert p.poll() is None, "the diff ended before it could be interrupted"
    p.send_signal(getattr(signal, sig))
    _, err = p.communicate(timeout=120)
    assert p.returncode == 1, err
    assert f"abuild diff: interrupted by {sig}; no output written" in err
    assert "Traceback" not in err
    assert list(out.iterdir()) == [], [str(x) for x in out.rglob("*")]


def test_libreoffice_reads_the_changes_as_tracked_changes(diffed, tmp_path):
    """LibreOffice (for looking only, never a dependency: skipped without it)
    imports the DOCX's changes as its own tracked changes, each one there to
    accept or reject, with the issuer as author."""
    import shutil

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "odt"]
        + ["--outdir", str(tmp_path), str(diffed[2])],
        capture_output=True,
        timeout=300,
        check=True,
    )
    with zipfile.ZipFile(tmp_path / "testland.diff.odt") as z:
        content = etree.fromstring(z.read("content.xml"))
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0", "dc": "http://purl.org/dc/elements/1.1/"}
    regions = content.findall(".//text:changed-region", ns)
    kinds = Counter(r[0].tag.split("}")[1] for r in regions)
    assert kinds["insertion"] >= 5 and kinds["deletion"] >= 2, kinds
    assert {r.findtext(".//dc:creator", namespaces=ns) for r in regions} == {ISSUER}
    deleted = " ".join(
        _squash("".join(r.find("text:deletion", ns).itertext())) for r in regions if r[0].tag.endswith("deletion")
    )
    assert "gearresteerd." in deleted and "avondklok" in deleted


def test_a_file_too_large_in_a_revision_is_refused_by_its_size_unread(repo, tmp_path):
    """A 21 MB chapter at NEW (over any limit of the loader): exported as a
    sparse file of its size, refused by the loader by that size, as in a
    working tree; the diff goes on (a concept)."""
    big = repo.report.path("chapters/03-groot.md")
    line = "Dit is een heel lange regel tekst zonder bron, steeds weer dezelfde.\n"
    with open(big, "w", encoding="utf-8") as fh:
        for _ in range(21 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    size = big.stat().st_size
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "groot")
    try:
        proc = repo.report.cli("diff", repo.report.rel, "v1", "HEAD", "--out", str(tmp_path / "out"), timeout=300)
        from ambtsbericht_build.diff.revisions import export, resolve

        exported = export(repo.root, resolve(repo.root, "HEAD"), repo.report.rel, tmp_path / "export", 5_000_000)
    finally:
        git(repo.root, "reset", "-q", "--hard", repo.new)
    st = (exported / "chapters" / "03-groot.md").stat()
    assert st.st_size == size and st.st_blocks * 512 < 1024 * 1024  # its size, none of its bytes
    assert proc.returncode == 0, proc.stderr
    assert re.search(rf"03-groot\.md:0:0: AB\d+ file is {size:,} bytes, over the limit", proc.stderr), proc.stderr


def test_the_audit_looks_for_both_revisions_confidential_values(repo, tmp_path):
    """NEW drops the confidential source and its text now says where the
    source was (OLD's internal field: New York): NEW's own check and render
    have nothing to look for, but the diff, which shows OLD's text too, is
    audited against OLD's internal fields as well: refused, nothing written,
    and the value is not printed."""
    from tests.fixtures.report_kit import SOURCES_YAML

    public = SOURCES_YAML.split("\n\n- id: vb-2025-11-04")[0] + "\n"
    chapter = repo.report.path("chapters/02-politiek.md").read_text(encoding="utf-8")
    chapter = chapter.replace(
        "Een vertrouwelijke bron meldde gevechten in het noorden (zie [](#sec-verkiezingen)).[@vb-2025-11-04]",
        "Een medewerker van een VN-organisatie in New York meldde gevechten in het noorden.[@hrw-2025]",
    )
    repo.report.write("chapters/02-politiek.md", chapter, dedent_text=False)
    repo.report.write("sources.yaml", public, dedent_text=False)
    git(repo.root, "commit", "-q", "-am", "source dropped, its who in the text")
    try:
        render = repo.report.cli("render", repo.report.rel, "--to", "html", "--out", str(tmp_path / "render"))
        proc = repo.report.cli("diff", repo.report.rel, repo.new, "HEAD", "--out", str(tmp_path / "out"))
    finally:
        git(repo.root, "reset", "-q", "--hard", repo.new)
    assert render.returncode == 0, render.stderr  # NEW alone knows nothing to look for
    assert "New York" in (tmp_path / "render" / "testland.html").read_text(encoding="utf-8")
    assert proc.returncode == 1, proc.stderr
    assert "refused: the audit of the diff found" in proc.stderr
    assert "New York" not in proc.stdout + proc.stderr
    assert not (tmp_path / "out").exists() or not [p for p in (tmp_path / "out").iterdir()]


def test_docx_has_no_review_anchors(diffed):
    """The review anchors name a render's blocks by position: a redline's
    blocks are others, so its DOCX carries none (abuild review import refuses it)."""
    parts = _docx_parts(diffed[2])
    assert b'w:name="ab_' not in parts["word/document.xml"]
    assert b"abuild-report" not in parts["docProps/custom.xml"]


def test_old_is_built_under_the_writers_memory_ceiling(repo, tmp_path):
    """OLD is built in a process of its own (diff/sides.py) under the writers'
    memory ceiling, as a render's writers are: too low a ceiling is one line
    naming it and how to raise it, exit 1, nothing written, no traceback."""
    import os

    from tests.fixtures.report_kit import ABUILD

    env = {**os.environ, "ABUILD_WRITER_MEMORY": "60M"}
    out = tmp_path / "out"
    proc = subprocess.run(
        [str(ABUILD), "diff", repo.report.rel, "v1", "HEAD", "--out", str(out)],
        cwd=repo.root,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 1, proc.stderr
    assert re.search(
        r"^abuild diff: OLD v1 \(\w+\): the build failed: it ran out of its 60 MiB memory limit", proc.stderr, re.M
    )
    assert "ABUILD_WRITER_MEMORY" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists() or not list(out.iterdir())


def test_new_side_is_built_without_the_cyclic_collector(repo, tmp_path, monkeypatch):
    """gc_pause.py: the collector walked each side's millions of objects
    (1.2-1.4 s of the benchmark's 9 s diff); NEW's side is built with it off
    and the imports frozen, and the process gets both back afterwards."""
    import gc

    from ambtsbericht_build.commands import diff as command
    from ambtsbericht_build.diff import sides

    seen: list[tuple[bool, int]] = []
    real = sides.build_side

    def watched(*args, **kwargs):
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return real(*args, **kwargs)

    monkeypatch.setattr(sides, "build_side", watched)
    monkeypatch.chdir(repo.root)
    frozen_before = gc.get_freeze_count()
    result = command.run(repo.root / repo.report.rel, "v1", None, ("html",), tmp_path, 20_000_000)
    assert (tmp_path / "testland.diff.html").is_file() and result.changes is not None
    assert seen and all(not enabled and frozen > 0 for enabled, frozen in seen), seen
    assert gc.isenabled() and gc.get_freeze_count() == frozen_before
