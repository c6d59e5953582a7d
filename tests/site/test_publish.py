"""``abuild publish``: a site from a fixture repository with two tagged
editions of one report and a concept of another, built for real (``abuild
render`` of each edition), then read as a visitor and a harvester would."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.fixtures.report_kit import git_in
from tests.render.test_accessibility import VIEWPORTS, _format, _run_axe, axe_script, browser  # noqa: F401 (fixtures)
from tests.site.conftest import _abuild


@pytest.fixture(scope="module")
def preview(repo, site, tmp_path_factory) -> Path:
    """The same site with concepts: the published editions kept, the concept added."""
    out = tmp_path_factory.mktemp("preview") / "site"
    shutil.copytree(site, out)
    proc = _abuild(repo, "publish", "--out", str(out), "--include-concepts", "--base-url", "https://www.example.nl/ab")
    assert proc.returncode == 0, proc.stderr
    assert "1 edition(s) rendered, 2 kept" in proc.stdout
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_versions_downloads_checksums_and_manifests(site):
    assert sorted(p.name for p in (site / "testland").iterdir()) == ["1.0", "1.1", "index.html", "latest"]
    for version in ("1.0", "1.1"):
        edition = site / "testland" / version
        meta = json.loads((edition / "metadata.json").read_text(encoding="utf-8"))
        assert meta["version"] == version and meta["tag"] == f"testland/v{version}" and len(meta["commit"]) == 40
        assert [d["format"] for d in meta["downloads"]] == ["html", "pdf", "docx", "odt"]
        page = (edition / "index.html").read_text(encoding="utf-8")
        sums = (edition / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
        for d in [*meta["downloads"], meta["manifest"]]:
            f = edition / d["file"]
            assert _sha256(f) == d["sha256"] and f.stat().st_size == d["bytes"]
            assert f"{d['sha256']}  {d['file']}" in sums
            assert d["sha256"] in page and f'href="{d["file"]}"' in page
        manifest = json.loads((edition / meta["manifest"]["file"]).read_text(encoding="utf-8"))
        assert {o["sha256"] for o in manifest["outputs"].values()} == {d["sha256"] for d in meta["downloads"]}
        verify = _abuild(edition, "verify", meta["manifest"]["file"], "--outputs-only")
        assert verify.returncode == 0, verify.stdout + verify.stderr
    # each edition is the text of its tag, not of the working tree
    assert "Testland (herzien)" not in (site / "testland" / "1.0" / "testland.html").read_text(encoding="utf-8")
    assert "Testland (herzien)" in (site / "testland" / "1.1" / "testland.html").read_text(encoding="utf-8")
    latest = (site / "testland" / "latest" / "index.html").read_text(encoding="utf-8")
    assert 'url=../1.1/index.html"' in latest and 'href="../1.1/index.html"' in latest


def test_index_lists_each_report_once_with_its_latest_version(site, preview):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.count('href="testland/index.html"') == 1 and "Conceptland" not in index
    assert re.search(r"<dt>Status</dt><dd>vastgesteld</dd>\n<dt>Versie</dt><dd>1\.1</dd>", index)
    index = (preview / "index.html").read_text(encoding="utf-8")
    assert 'href="conceptland/index.html"' in index and 'class="is-concept"' in index


def test_a_concept_only_with_include_concepts_and_with_a_banner(site, preview):
    assert not (site / "conceptland").exists()
    page = (preview / "conceptland" / "concept" / "index.html").read_text(encoding="utf-8")
    assert '<p class="concept" role="note"><strong>CONCEPT</strong>' in page
    assert not (preview / "conceptland" / "latest").exists()  # a concept is never "the latest edition"
    for version in ("1.0", "1.1"):  # the published files were kept byte for byte (the pages are regenerated)
        for f in (site / "testland" / version).iterdir():
            if f.name == "index.html":
                continue
            assert f.read_bytes() == (preview / "testland" / version / f.name).read_bytes(), f


def test_metadata_diwoo_and_json_ld(preview):
    edition = preview / "testland" / "1.1"
    meta = json.loads((edition / "metadata.json").read_text(encoding="utf-8"))
    diwoo = meta["diwoo"]
    assert diwoo["officieleTitel"] == "Algemeen ambtsbericht Testland"
    assert diwoo["publisher"] == {
        "resource": "https://identifier.overheid.nl/tooi/id/ministerie/mnre1013",
        "label": "Ministerie van Buitenlandse Zaken",
    }
    assert diwoo["taal"]["resource"].endswith("/language/NLD")
    assert [f["label"] for f in diwoo["format"]] == ["HTML", "PDF", "DOCX", "ODT"]
    assert diwoo["documenthandelingen"][0]["soortHandeling"] == {"label": "vaststelling"}
    page = (edition / "index.html").read_text(encoding="utf-8")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert ld["@type"] == "Report" and ld["version"] == "1.1" and ld["inLanguage"] == "nl"
    assert ld["url"] == "https://www.example.nl/ab/testland/1.1/index.html"
    assert {e["contentUrl"] for e in ld["encoding"]} == {
        f"https://www.example.nl/ab/testland/1.1/testland.{ext}" for ext in ("html", "pdf", "docx", "odt")
    }
    assert '<link rel="canonical" href="https://www.example.nl/ab/testland/1.1/index.html">' in page


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for name in ("href", "src"):
            if a.get(name) and not (tag == "link" and a.get("rel") == "canonical"):
                self.links.append(a[name])


def test_no_broken_internal_link_and_no_request_out(preview):
    pages = sorted(p for p in preview.rglob("index.html"))
    assert len(pages) >= 7
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, f"{page}: {link} leaves the site"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(preview)}: {link} is broken"
            assert preview.resolve() in target.parents, f"{page}: {link} leaves the site directory"
            if parts.fragment and target == page:
                assert parts.fragment in parser.ids, f"{page}: #{parts.fragment} is no id"


def test_published_files_never_change(repo, site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(site, out)
    pdf = out / "testland" / "1.0" / "testland.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% gewijzigd\n")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    proc = _abuild(repo, "publish", "--out", str(out))
    assert proc.returncode == 1
    assert "testland/1.0: a published file changed: CHANGED" in proc.stderr and "testland.pdf" in proc.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # nothing was touched


def test_a_rebuild_is_byte_identical(repo, site, tmp_path):
    out = tmp_path / "site"
    proc = _abuild(repo, "publish", "--out", str(out))
    assert proc.returncode == 0, proc.stderr

    def tree(d: Path) -> dict[str, bytes]:
        return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}

    assert tree(out) == tree(site)


def test_refusals(repo, tmp_path):
    other = tmp_path / "not-a-site"
    other.mkdir()
    (other / "notes.txt").write_text("eigen bestand\n", encoding="utf-8")
    proc = _abuild(repo, "publish", "--out", str(other))
    assert proc.returncode == 1 and "no site of abuild publish" in proc.stderr
    assert (other / "notes.txt").exists()
    proc = _abuild(repo, "publish", "--base-url", "javascript:alert(1)")
    assert proc.returncode == 2 and "is not an http(s) address" in proc.stderr
    proc = _abuild(repo, "publish", "reports/bestaat-niet")
    assert proc.returncode == 2 and "is not a report directory" in proc.stderr
    git_in(repo, "tag", "testland/v9.9", "testland/v1.0")
    try:
        proc = _abuild(repo, "publish", "--out", str(tmp_path / "s2"))
        assert proc.returncode == 1 and "tag testland/v9.9: report.yaml there says version 1.0, not 9.9" in proc.stderr
    finally:
        git_in(repo, "tag", "-d", "testland/v9.9")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(
    "page", ["index.html", "testland/index.html", "testland/1.1/index.html", "conceptland/concept/index.html"]
)
def test_no_axe_violations(browser, axe_script, preview, page, viewport):  # noqa: F811
    result = _run_axe(browser, axe_script, preview / page, VIEWPORTS[viewport])
    assert result["violations"] == [], "\n" + _format(result["violations"])


def test_pages_fit_a_phone_and_load_nothing(browser, preview):  # noqa: F811
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        for rel in ("index.html", "testland/1.1/index.html"):
            requests.clear()
            page.goto((preview / rel).resolve().as_uri())
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{rel} is {overflow}px wider than a 375px phone screen"
            assert requests == [(preview / rel).resolve().as_uri()], requests
            # the inline style applies (it was once HTML-escaped, and ignored)
            assert "Noto Sans" in page.evaluate("getComputedStyle(document.body).fontFamily")
    finally:
        page.close()


ROOT = Path(__file__).resolve().parents[2]


def _make(cwd: Path, target: str, site: Path) -> subprocess.CompletedProcess:
    """A target of the repository's Makefile, run in a clone of the fixture
    repository (its set-up files are the repository's, so .venv is current)."""
    for name in ("pyproject.toml", "requirements.lock"):
        if not (cwd / name).exists():
            (cwd / name).symlink_to(ROOT / name)
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), target, f"VENV={ROOT / '.venv'}"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SITE": str(site)},
    )


def test_the_site_of_record_lives_on_the_branch_publication(repo, site, tmp_path):
    """What CI does on a tag: site-fetch, site-release, site-push; a second
    run (a fresh clone) gets the published editions back and keeps them."""
    origin = tmp_path / "origin.git"
    git_in(tmp_path, "clone", "-q", "--bare", str(repo), str(origin))
    first, second = tmp_path / "ci1", tmp_path / "ci2"
    git_in(tmp_path, "clone", "-q", str(origin), str(first))
    out1 = tmp_path / "site1"
    proc = _make(first, "site-fetch", out1)
    assert proc.returncode == 0 and "no branch publication on origin yet" in proc.stdout, proc.stderr
    # the editions rendered by the `site` fixture stand for this run's renders
    for p in site.iterdir():
        (shutil.copytree if p.is_dir() else shutil.copy2)(p, out1 / p.name)
    proc = _make(first, "site-release", out1)
    assert proc.returncode == 0 and "0 edition(s) rendered, 2 kept" in proc.stdout, proc.stderr
    proc = _make(first, "site-push", out1)
    assert proc.returncode == 0 and "site-push: branch publication is now" in proc.stdout, proc.stderr

    git_in(tmp_path, "clone", "-q", str(origin), str(second))
    out2 = tmp_path / "site2"
    proc = _make(second, "site-fetch", out2)
    assert proc.returncode == 0 and "the published site of branch publication" in proc.stdout, proc.stderr
    proc = _make(second, "site-release", out2)
    assert proc.returncode == 0 and "0 edition(s) rendered, 2 kept" in proc.stdout, proc.stderr
    proc = _make(second, "site-push", out2)
    assert proc.returncode == 0 and "already holds this site" in proc.stdout, proc.stderr
    for f in (out1 / "testland" / "1.0").iterdir():
        assert f.read_bytes() == (out2 / "testland" / "1.0" / f.name).read_bytes(), f
