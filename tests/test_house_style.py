"""house_style.py: abuild's own files, and a report repository's overrides."""

from __future__ import annotations

import os

import pytest

from ambtsbericht_build.house_style import (
    OVERRIDABLE,
    PUBLICATION_FILES,
    SITE_DIR,
    TEMPLATES,
    HouseStyle,
    HouseStyleError,
)


def test_every_overridable_file_is_shipped_and_every_shipped_file_can_be_overridden():
    shipped = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.is_file()}
    shipped -= {n for n in shipped if "__pycache__" in n}
    # read by people, never by a render; the publication site's files (its
    # description, overridable by abuild publish; its pages, abuild's own)
    site = {n for n in shipped if n.startswith(SITE_DIR + "/")}
    assert site >= {"site/base.html.j2", "site/site.css"}
    assert shipped - set(OVERRIDABLE) - site == {"fonts/README.md", "fonts/LICENSE-NotoSans.txt", *PUBLICATION_FILES}
    assert set(OVERRIDABLE) <= shipped


def test_without_a_repository_every_file_is_abuilds():
    style = HouseStyle.for_repo(None)
    assert [f.rel for f in style.files()] == list(OVERRIDABLE)
    assert {f.origin for f in style.files()} == {"abuild"}
    assert style.path("css/screen.css") == TEMPLATES / "css" / "screen.css"


def test_a_repository_file_wins_and_the_rest_stay_abuilds(tmp_path):
    (tmp_path / "templates" / "css").mkdir(parents=True)
    (tmp_path / "templates" / "css" / "screen.css").write_text("body { color: red }\n")
    (tmp_path / "templates" / "reference.docx").write_bytes(b"PK eigen huisstijl")
    # kept in templates/ but not a house-style file: ignored, and shown as unused
    (tmp_path / "templates" / "css" / "extra.css").write_text("x")
    (tmp_path / "templates" / "README.md").write_text("uitleg")
    style = HouseStyle.for_repo(tmp_path)
    assert style.path("css/screen.css") == tmp_path / "templates" / "css" / "screen.css"
    assert style.read_text("css/screen.css") == "body { color: red }\n"
    assert style.path("reference.docx") == tmp_path / "templates" / "reference.docx"
    assert style.path("css/print.css") == TEMPLATES / "css" / "print.css"
    assert [(f.rel, f.origin) for f in style.overrides()] == [
        ("css/screen.css", "repository"),
        ("reference.docx", "repository"),
    ]
    assert style.unused() == ["css/extra.css"]
    with pytest.raises(KeyError):
        style.path("css/extra.css")


def test_this_repository_overrides_nothing():
    """The checkout's templates/ holds the build script and its README only."""
    root = TEMPLATES.parent.parent
    if not (root / "templates" / "build_reference.py").is_file():
        pytest.skip("not run from the checkout")
    assert HouseStyle.for_repo(root).overrides() == []
    assert HouseStyle.for_repo(root).unused() == []


@pytest.mark.parametrize("link", ["file", "directory", "templates"])
def test_a_symbolic_link_is_refused_not_followed(tmp_path, link):
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (outside / "css").mkdir(parents=True)
    (outside / "css" / "screen.css").write_text("geheim")
    (repo / "templates").mkdir(parents=True)
    if link == "file":
        (repo / "templates" / "css").mkdir()
        os.symlink(outside / "css" / "screen.css", repo / "templates" / "css" / "screen.css")
    elif link == "directory":
        os.symlink(outside / "css", repo / "templates" / "css")
    else:
        (repo / "templates").rmdir()
        os.symlink(outside, repo / "templates")
    with pytest.raises(HouseStyleError, match="symbolic link"):
        HouseStyle.for_repo(repo)


def test_a_fifo_or_directory_in_place_of_a_file(tmp_path):
    (tmp_path / "templates" / "reference.odt").mkdir(parents=True)  # a directory: nothing overridden
    assert HouseStyle.for_repo(tmp_path).overrides() == []
    os.mkfifo(tmp_path / "templates" / "reference.docx")  # reading it would block the render
    with pytest.raises(HouseStyleError, match="not a regular file"):
        HouseStyle.for_repo(tmp_path)


def test_fetch_path_serves_overridden_fonts_under_abuilds_names(tmp_path):
    (tmp_path / "templates" / "fonts").mkdir(parents=True)
    (tmp_path / "templates" / "fonts" / "NotoSans-Bold.ttf").write_bytes(b"font")
    style = HouseStyle.for_repo(tmp_path)
    # WeasyPrint resolves fonts.css's URLs against abuild's fonts directory
    assert style.fetch_path(TEMPLATES / "fonts" / "NotoSans-Bold.ttf") == tmp_path / "templates/fonts/NotoSans-Bold.ttf"
    assert style.fetch_path(TEMPLATES / "fonts" / "NotoSans-Regular.ttf") == TEMPLATES / "fonts/NotoSans-Regular.ttf"
    assert style.fetch_path(TEMPLATES / "fonts" / "README.md") is None
    assert style.fetch_path(tmp_path / "templates/fonts/NotoSans-Bold.ttf") is None


def test_jinja_loader_serves_the_html_template_only(tmp_path):
    (tmp_path / "templates" / "html").mkdir(parents=True)
    (tmp_path / "templates" / "html" / "report.html.j2").write_text("<p>{{ title }}</p>")
    (tmp_path / "templates" / "html" / "other.j2").write_text("x")
    import jinja2

    env = jinja2.Environment(loader=HouseStyle.for_repo(tmp_path).jinja_loader())
    assert env.get_template("report.html.j2").render(title="Eigen") == "<p>Eigen</p>"
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template("other.j2")
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template("../css/common.css")


def test_a_resolved_style_travels_to_a_writer_process_as_json(tmp_path):
    import json

    (tmp_path / "templates" / "csl").mkdir(parents=True)
    (tmp_path / "templates" / "csl" / "ambtsbericht.csl").write_text("<style/>")
    style = HouseStyle.for_repo(tmp_path)
    again = HouseStyle.from_json(json.loads(json.dumps(style.to_json())))
    assert again.files() == style.files() and again.root == tmp_path
    assert again.path("csl/ambtsbericht.csl") == tmp_path / "templates" / "csl" / "ambtsbericht.csl"
