"""Every build is verifiable: <slug>.manifest.json and abuild verify."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import pytest

from ambtsbericht_build.render.pipeline import RenderOptions, render_report

from .conftest import abuild_cmd, git


def manifest_of(outputs) -> dict:
    return json.loads((outputs["html"].parent / "leaky.manifest.json").read_text(encoding="utf-8"))


def verify(*args, cwd=None):
    return subprocess.run(
        [*abuild_cmd(), "verify", *map(str, args)], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_manifest_lists_outputs_inputs_templates_tools_and_commit(leaky):
    result, report, outputs = leaky
    root = report.parent.parent
    m = manifest_of(outputs)
    assert result.manifest == outputs["html"].parent / "leaky.manifest.json"
    for fmt, path in outputs.items():
        assert m["outputs"][fmt] == {
            "file": path.name,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "bytes": path.stat().st_size,
            "build": "current",
        }
    assert m["manifest_version"] == 2 and m["earlier_builds"] == []
    assert [i["path"] for i in m["inputs"]] == [
        f"reports/leaky/{n}"
        for n in (
            "chapters/01-veiligheid.md",
            "glossary.yaml",
            "media/bijlage.txt",
            "report.yaml",
            "sources.yaml",
            "tor.yaml",
        )
    ]
    for i in m["inputs"]:
        assert i["sha256"] == hashlib.sha256((root / i["path"]).read_bytes()).hexdigest()
    templates = {t["path"] for t in m["templates"]["files"]}
    assert {
        "ambtsbericht_build/templates/csl/ambtsbericht.csl",
        "ambtsbericht_build/templates/reference.docx",
        "ambtsbericht_build/templates/reference.odt",
        "ambtsbericht_build/templates/html/report.html.j2",
        "ambtsbericht_build/templates/css/print.css",
    } <= templates
    assert {"abuild", "pandoc", "weasyprint", "citeproc", "python", "pydyf", "fonttools", "pango"} <= set(m["tools"])
    assert m["tools"]["citeproc"].startswith("pandoc ")
    assert m["git"] == {
        "commit": git(root, "rev-parse", "HEAD").strip(),
        "dirty": False,
        "uncommitted": [],
        "untracked": [],
    }
    assert m["report"] == "reports/leaky" and m["status"] == "concept"
    assert m["audit"]["findings"] == 0 and m["audit"]["checked"]["internal field"] > 0


def test_manifest_holds_no_path_user_or_clock(leaky):
    _, report, outputs = leaky
    text = (outputs["html"].parent / "leaky.manifest.json").read_text(encoding="utf-8")
    root = str(report.parent.parent)
    assert root not in text and "/tmp" not in text and "Fixture Author" not in text
    assert "fixture@example.invalid" not in text


def test_verify_ok_in_the_repository(leaky):
    _, report, outputs = leaky
    proc = verify(outputs["html"].parent / "leaky.manifest.json", cwd=report.parent.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK       output    leaky.pdf  (current)" in proc.stdout
    assert "OK       input     reports/leaky/chapters/01-veiligheid.md" in proc.stdout
    assert "OK       template  ambtsbericht_build/templates/reference.docx" in proc.stdout


@pytest.fixture()
def copy(leaky, tmp_path):
    """A copy of the repository and its outputs to tamper with."""
    _, report, outputs = leaky
    root = tmp_path / "repo"
    shutil.copytree(report.parent.parent, root)
    return root, root / "build" / "leaky.manifest.json"


def test_verify_reports_a_changed_or_missing_output(copy):
    root, manifest = copy
    with open(root / "build" / "leaky.pdf", "ab") as fh:
        fh.write(b"\n%")
    (root / "build" / "leaky.odt").unlink()
    proc = verify(manifest, "--repo", root)
    assert proc.returncode == 1
    assert "CHANGED  output    leaky.pdf" in proc.stdout
    assert "MISSING  output    leaky.odt" in proc.stdout
    assert "OK       output    leaky.html" in proc.stdout
    assert "2 difference(s)" in proc.stderr


def test_verify_reports_a_changed_input(copy):
    root, manifest = copy
    chapter = root / "reports" / "leaky" / "chapters" / "01-veiligheid.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
    proc = verify(manifest, "--repo", root)
    assert proc.returncode == 1
    assert "CHANGED  input     reports/leaky/chapters/01-veiligheid.md" in proc.stdout
    only = verify(manifest, "--outputs-only")
    assert only.returncode == 0, only.stdout


def test_verify_without_the_repository_checks_outputs_and_says_so(copy, tmp_path):
    root, manifest = copy
    published = tmp_path / "published"
    published.mkdir()
    for p in (root / "build").iterdir():
        shutil.copy(p, published / p.name)
    proc = verify(published / "leaky.manifest.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "SKIPPED  input" in proc.stdout and "repository not found" in proc.stdout


def test_verify_refuses_an_unreadable_manifest(tmp_path):
    bad = tmp_path / "x.manifest.json"
    bad.write_text("{not json")
    assert verify(bad).returncode == 2
    bad.write_text(json.dumps({"hello": 1}))
    assert verify(bad).returncode == 2
    assert verify(tmp_path / "missing.json").returncode == 2


def test_verify_never_leaves_the_manifest_directory(tmp_path):
    """A crafted manifest cannot make verify read files elsewhere."""
    (tmp_path / "out").mkdir()
    (tmp_path / "secret").write_text("x")
    m = {
        "manifest_version": 1,
        "report": "../..",
        "outputs": {"html": {"file": "../secret", "sha256": "0"}},
        "inputs": [{"path": "/etc/passwd", "sha256": "0"}],
    }
    (tmp_path / "out" / "m.json").write_text(json.dumps(m))
    proc = verify(tmp_path / "out" / "m.json")
    assert proc.returncode == 1 and "MISSING  output    secret" in proc.stdout


def test_dirty_tree_and_uncommitted_inputs_are_recorded(copy):
    root, _ = copy
    chapter = root / "reports" / "leaky" / "chapters" / "01-veiligheid.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("verslechterde", "verbeterde"), encoding="utf-8")
    result = render_report(
        root / "reports" / "leaky",
        RenderOptions(out_dir=root / "build", formats=("html",), refuse_confidentiality=False),
    )
    m = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert m["git"]["dirty"] is True
    assert m["git"]["uncommitted"] == ["reports/leaky/chapters/01-veiligheid.md"]
    assert m["git"]["untracked"] == []
    assert m["outputs"]["html"]["build"] == "current"


def test_repository_override_is_recorded_and_verified(copy):
    """A template of the repository's own templates/ is recorded with its
    origin and hash in place of abuild's, and verify re-hashes it there."""
    root, _ = copy
    css = root / "templates" / "css" / "screen.css"
    css.parent.mkdir(parents=True)
    css.write_text("/* eigen huisstijl */ body { color: #123456 }\n", encoding="utf-8")
    git(root, "add", "templates")
    git(root, "commit", "-q", "-m", "eigen huisstijl")
    result = render_report(
        root / "reports" / "leaky",
        RenderOptions(out_dir=root / "build", formats=("html",), refuse_confidentiality=False),
    )
    m = json.loads(result.manifest.read_text(encoding="utf-8"))
    files = {t["path"]: t for t in m["templates"]["files"]}
    assert files["templates/css/screen.css"] == {
        "path": "templates/css/screen.css",
        "sha256": hashlib.sha256(css.read_bytes()).hexdigest(),
        "bytes": css.stat().st_size,
        "from": "repository",
    }
    assert "ambtsbericht_build/templates/css/screen.css" not in files
    assert files["ambtsbericht_build/templates/css/print.css"]["from"] == "abuild"
    assert m["git"]["dirty"] is False
    # the PDF, DOCX and ODT of the earlier render were made with abuild's screen.css
    proc = verify(result.manifest, "--repo", root, "--allow-stale")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK       template  templates/css/screen.css" in proc.stdout
    assert "templates/css/screen.css added, ambtsbericht_build/templates/css/screen.css removed" in proc.stdout
    css.write_text("body { color: red }\n", encoding="utf-8")
    proc = verify(result.manifest, "--repo", root, "--allow-stale")
    assert proc.returncode == 1 and "CHANGED  template  templates/css/screen.css" in proc.stdout


def test_repository_override_shapes_the_output(copy):
    root, _ = copy
    css = root / "templates" / "css" / "screen.css"
    css.parent.mkdir(parents=True)
    css.write_text("/* eigen huisstijl */ body { color: #123456 }\n", encoding="utf-8")
    result = render_report(
        root / "reports" / "leaky",
        RenderOptions(out_dir=root / "build", formats=("html",), refuse_confidentiality=False),
    )
    assert "#123456" in result.outputs["html"].read_text(encoding="utf-8")


# --- partial renders: outputs of earlier renders --------------------------------------------


def _edit_chapter(root, old="verslechterde", new="verbeterde"):
    chapter = root / "reports" / "leaky" / "chapters" / "01-veiligheid.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def _render(root, *formats, out=None):
    return render_report(
        root / "reports" / "leaky",
        # the leaky report carries confidentiality findings on purpose
        RenderOptions(out_dir=out or root / "build", formats=tuple(formats), refuse_confidentiality=False),
    )


def test_partial_render_keeps_earlier_outputs_as_stale_and_verify_says_so(copy):
    """Issue #9: ``--to html`` after a full render used to leave the PDF,
    DOCX and ODT of the old text beside a manifest that verified "OK"."""
    root, manifest = copy
    before = json.loads(manifest.read_text(encoding="utf-8"))
    _edit_chapter(root)
    _render(root, "html")
    m = json.loads(manifest.read_text(encoding="utf-8"))
    assert m["outputs"]["html"]["build"] == "current"
    assert m["outputs"]["html"]["sha256"] != before["outputs"]["html"]["sha256"]
    for fmt in ("pdf", "docx", "odt"):  # the earlier files, with the hashes of the earlier manifest
        assert m["outputs"][fmt] == {**before["outputs"][fmt], "build": "earlier-1"}
        assert (root / "build" / f"leaky.{fmt}").is_file()
    (earlier,) = m["earlier_builds"]
    assert earlier["id"] == "earlier-1"
    assert earlier["inputs"] == before["inputs"] and earlier["git"] == before["git"]
    assert earlier["tools"] == before["tools"] and earlier["templates"] == before["templates"]
    chapter = "reports/leaky/chapters/01-veiligheid.md"
    assert m["git"]["uncommitted"] == [chapter]

    proc = verify(manifest, "--repo", root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    commit = before["git"]["commit"][:12]
    assert "OK       output    leaky.html  (current)" in proc.stdout
    for name in ("leaky.pdf", "leaky.docx", "leaky.odt"):
        assert f"STALE    output    {name}  (built from older inputs at commit {commit}: {chapter} changed)" in (
            proc.stdout
        )
    assert "3 stale output(s), built from older inputs" in proc.stderr
    assert "rendered from 1 uncommitted and 0 untracked input(s)" in proc.stderr
    allowed = verify(manifest, "--repo", root, "--allow-stale")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "STALE    output    leaky.pdf" in allowed.stdout and "3 stale output(s) (allowed)" in allowed.stderr
    # a stale output that was changed as well is CHANGED, whatever --allow-stale says
    with open(root / "build" / "leaky.pdf", "ab") as fh:
        fh.write(b"\n%")
    proc = verify(manifest, "--outputs-only", "--allow-stale")
    assert proc.returncode == 1 and "CHANGED  output    leaky.pdf" in proc.stdout


def test_partial_render_of_the_same_inputs_keeps_earlier_outputs_current(copy):
    root, manifest = copy
    _render(root, "html")
    m = json.loads(manifest.read_text(encoding="utf-8"))
    assert {f: o["build"] for f, o in m["outputs"].items()} == {
        "docx": "earlier-1",
        "html": "current",
        "odt": "earlier-1",
        "pdf": "earlier-1",
    }
    proc = verify(manifest, "--repo", root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK       output    leaky.pdf  (current: an earlier render at commit" in proc.stdout


def test_outputs_of_three_renders_each_keep_their_own_build(copy):
    root, manifest = copy
    first = json.loads(manifest.read_text(encoding="utf-8"))
    _edit_chapter(root)
    _render(root, "html")
    second = json.loads(manifest.read_text(encoding="utf-8"))
    _edit_chapter(root, "verbeterde", "veranderde")
    _render(root, "docx")
    m = json.loads(manifest.read_text(encoding="utf-8"))
    assert {f: o["build"] for f, o in m["outputs"].items()} == {
        "docx": "current",
        "html": "earlier-1",  # the second render
        "odt": "earlier-2",  # the first
        "pdf": "earlier-2",
    }
    assert [b["id"] for b in m["earlier_builds"]] == ["earlier-1", "earlier-2"]
    assert m["earlier_builds"][0]["inputs"] == second["inputs"]
    assert m["earlier_builds"][1]["inputs"] == first["inputs"]
    assert m["outputs"]["html"]["sha256"] == second["outputs"]["html"]["sha256"]
    proc = verify(manifest, "--repo", root)
    assert proc.returncode == 1
    assert proc.stdout.count("STALE    output") == 3 and "OK       output    leaky.docx  (current)" in proc.stdout


@pytest.mark.parametrize("damage", ["changed output", "no manifest", "unreadable manifest"])
def test_earlier_outputs_nothing_ties_to_a_text_are_removed(copy, damage):
    root, manifest = copy
    if damage == "changed output":
        with open(root / "build" / "leaky.pdf", "ab") as fh:
            fh.write(b"\n%")
    elif damage == "no manifest":
        manifest.unlink()
    else:
        manifest.write_text("{not json", encoding="utf-8")
    progress: list[str] = []
    render_report(
        root / "reports" / "leaky",
        RenderOptions(
            out_dir=root / "build", formats=("html",), progress=progress.append, refuse_confidentiality=False
        ),
    )
    m = json.loads(manifest.read_text(encoding="utf-8"))
    gone = ["pdf"] if damage == "changed output" else ["pdf", "docx", "odt"]
    for fmt in gone:
        assert not (root / "build" / f"leaky.{fmt}").exists()
        assert fmt not in m["outputs"]
        assert any(line.split()[:3] == [fmt, "removed", f"leaky.{fmt}:"] for line in progress), progress
    proc = verify(manifest, "--repo", root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.name for p in (root / "build").iterdir()) == sorted(
        f"leaky.{f}" for f in ["html", "pdf", "docx", "odt", "manifest.json"] if f not in gone
    )


def test_verify_refuses_an_output_whose_build_is_not_described(copy):
    root, manifest = copy
    m = json.loads(manifest.read_text(encoding="utf-8"))
    m["outputs"]["pdf"]["build"] = "earlier-7"
    manifest.write_text(json.dumps(m), encoding="utf-8")
    proc = verify(manifest, "--outputs-only", "--allow-stale")
    assert proc.returncode == 1
    assert "CHANGED  output    leaky.pdf  (its build 'earlier-7' is not in the manifest)" in proc.stdout


def test_version_1_manifests_still_verify(copy):
    root, manifest = copy
    m = json.loads(manifest.read_text(encoding="utf-8"))
    m["manifest_version"] = 1
    del m["earlier_builds"]
    for o in m["outputs"].values():
        del o["build"]
    m["git"] = {"commit": m["git"]["commit"], "dirty": False, "changed_inputs": []}
    manifest.write_text(json.dumps(m), encoding="utf-8")
    proc = verify(manifest, "--repo", root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK       output    leaky.pdf  (current)" in proc.stdout
    # and a partial render over a version 1 manifest keeps its outputs
    _render(root, "html")
    new = json.loads(manifest.read_text(encoding="utf-8"))
    assert new["manifest_version"] == 2 and new["outputs"]["pdf"]["build"] == "earlier-1"
    assert new["earlier_builds"][0]["git"] == m["git"]


def test_untracked_and_ignored_inputs_are_listed(copy):
    """An input in a new directory (``git status`` shows only the directory)
    and one Git ignores are in no commit: both are untracked."""
    root, _ = copy
    (root / "reports" / "leaky" / "media" / "nieuw").mkdir()
    (root / "reports" / "leaky" / "media" / "nieuw" / "kaart.txt").write_text("kaart\n", encoding="utf-8")
    (root / "reports" / "leaky" / "media" / "genegeerd.txt").write_text("x\n", encoding="utf-8")
    (root / ".gitignore").write_text("genegeerd.txt\n", encoding="utf-8")
    git(root, "add", ".gitignore")
    git(root, "commit", "-q", "-m", "ignore")
    _edit_chapter(root)
    result = _render(root, "html")
    m = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert m["git"]["dirty"] is True
    assert m["git"]["uncommitted"] == ["reports/leaky/chapters/01-veiligheid.md"]
    assert m["git"]["untracked"] == ["reports/leaky/media/genegeerd.txt", "reports/leaky/media/nieuw/kaart.txt"]
