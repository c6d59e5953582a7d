"""The check's work that needs no analysis is done while pandoc reads the
chapters (check/__init__.py run_checks, issue #9): pandoc is given the
chapters before the sources are loaded, AB302 fingerprints the secrets and
walks the YAML while pandoc reads, and AB302, AB110 and the image
inspection of AB405/AB407 walk each chapter as soon as it is pandoc's
reading, before the next is taken. The findings are those of the rules run
on their own, afterwards."""

from __future__ import annotations

import pytest

from ambtsbericht_build.analyse import analyse
from ambtsbericht_build.check import REGISTRY, ByChapter, Context, confidential, images
from ambtsbericht_build.commands.check import check_report
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import bibliography
from ambtsbericht_build.load import load_report as load
from ambtsbericht_build.load.markdown import pandoc_batch
from tests.fixtures.report_kit import CHAPTER, make_report

SECRET_SOURCE = """
- id: vb-2025-11-04
  type: interview
  confidential: true
  issued: 2025-11-04
  internal:
    who: "informant Wielewaal, havenpolitie"
    dossier: AMB-TL/2025/0412
"""


def _leaky(tmp_path):
    """A report with pieces of a secret in three chapters, report.yaml, a public source and a media name."""
    r = make_report(tmp_path)
    r.write("sources.yaml", SECRET_SOURCE + r.path("sources.yaml").read_text(encoding="utf-8"))
    r.write("report.yaml", r.path("report.yaml").read_text().replace("Testland\n", "Testland (Wielewaal)\n", 1))
    r.write("media/kaart-wielewaal.png", b"\x89PNG\r\n\x1a\n")
    body = r.path(CHAPTER).read_text(encoding="utf-8")
    r.write(CHAPTER, body.replace("gevechten in het noorden", "gevechten bij Wiele[^1]waal"), dedent_text=False)
    r.write(CHAPTER, r.path(CHAPTER).read_text(encoding="utf-8") + "\n[^1]: Dossier AMB-TL/2025/0412.\n")
    for k in (3, 4):
        r.write(
            f"chapters/0{k}-extra.md",
            f"## Extra {k}\n\nInformant Wielewaal sprak in hoofdstuk {k} [hrw-2025, p. {k}].\n\n"
            f"![Kaart {k}](media/kapot-{k}.png)\n",
        )
        r.write(f"media/kapot-{k}.png", b"\x89PNG\r\n\x1a\n" + b"\0" * k)
    r.write("chapters/04-extra.md", r.path("chapters/04-extra.md").read_text() + "\n![Diensten](media/bad.svg)\n")
    r.write("media/bad.svg", images._BAD_SVG, dedent_text=False)
    return r


def test_ab302_walks_each_chapter_while_pandoc_reads_the_next(tmp_path, monkeypatch):
    r = _leaky(tmp_path)
    events: list[str] = []
    take, walk, init = pandoc_batch.ReadAhead.take, confidential._Work.chapter, confidential._Work.__init__

    def logged_take(self, text):
        events.append("take")
        return take(self, text)

    def logged_walk(self, lc):
        events.append(f"walk {lc.file.name}")
        walk(self, lc)

    def logged_init(self, lr):
        events.append("secrets and YAML")
        init(self, lr)

    by_chapter_walk = ByChapter.chapter

    def logged_by_chapter(self, lc):
        if id(lc) not in self.done:
            events.append(f"{self.walk.__module__.rsplit('.', 1)[-1]} {lc.file.name}")
        by_chapter_walk(self, lc)

    monkeypatch.setattr(pandoc_batch.ReadAhead, "take", logged_take)
    monkeypatch.setattr(confidential._Work, "chapter", logged_walk)
    monkeypatch.setattr(confidential._Work, "__init__", logged_init)
    monkeypatch.setattr(ByChapter, "chapter", logged_by_chapter)
    diags = Diagnostics()
    lr = check_report(r.dir, diags)
    assert lr is not None
    names = [lc.file.name for lc in lr.chapters]
    assert len(names) == 4
    # the secrets and the YAML before pandoc's first chapter is taken; each
    # chapter's walks right after its own reading, before the next chapter's
    assert events == ["secrets and YAML"] + [
        e for n in names for e in ("take", f"citelike {n}", f"walk {n}", f"images {n}")
    ]
    assert sum(d.code == "AB302" for d in diags) >= 5
    assert [sum(d.code == c for d in diags) for c in ("AB110", "AB405", "AB407")] == [2, 2, 1]


@pytest.mark.parametrize("code", ["AB302", "AB110", "AB405", "AB407"])
def test_the_findings_are_those_of_the_rule_on_its_own(tmp_path, code):
    r = _leaky(tmp_path)
    diags = Diagnostics()
    lr = check_report(r.dir, diags)
    assert lr is not None
    early = [(d.file, d.line, d.column, d.message) for d in diags.sorted() if d.code == code]
    # the same report loaded again, the rule alone after the analysis, with no early work
    fresh = load(r.dir, Diagnostics())
    assert fresh is not None
    alone = Diagnostics()
    rule = REGISTRY[code]
    assert rule.func is not None
    for f in rule.func(Context(fresh, analyse(fresh))):
        alone.add(code, rule.severity, f.file, f.line, f.column, f.message)
    assert early == [(d.file, d.line, d.column, d.message) for d in alone.sorted()]
    if code == "AB302":
        files = {d[0].rsplit("/", 2)[-1] for d in early}
        assert {"02-politiek.md", "03-extra.md", "04-extra.md", "report.yaml", "kaart-wielewaal.png"} <= files, files
    else:
        assert len(early) == {"AB110": 2, "AB405": 2, "AB407": 1}[code]


def test_pandoc_is_given_the_chapters_before_the_sources_are_loaded(tmp_path, monkeypatch):
    r = _leaky(tmp_path)
    events: list[str] = []
    offer, load_sources = pandoc_batch.ReadAhead.offer, bibliography.load_sources

    def logged_offer(self, text):
        events.append("chapter")
        offer(self, text)

    def logged_sources(*args):
        events.append("sources")
        load_sources(*args)

    monkeypatch.setattr(pandoc_batch.ReadAhead, "offer", logged_offer)
    monkeypatch.setattr(bibliography, "load_sources", logged_sources)
    assert check_report(r.dir, Diagnostics()) is not None
    assert events == ["chapter"] * 4 + ["sources"]


def test_a_rule_selected_alone_walks_the_chapters_itself(tmp_path):
    """AB407 shares AB405's early walk; selected without AB405 (or any rule
    selected alone), it walks the chapters after the analysis."""
    r = _leaky(tmp_path)
    codes = ("AB110", "AB302", "AB407")
    every = [(d.code, d.file, d.line, d.column, d.message) for d in r.check() if d.code in codes]
    alone = [(d.code, d.file, d.line, d.column, d.message) for c in codes for d in r.check(select={c})]
    assert alone == sorted(every) and {d[0] for d in alone} == set(codes)


def test_no_cyclic_collection_during_the_check(tmp_path):
    """check_report runs the load and the rules with the collector off (its
    readings stay until the end; ~400 collections walked them) and leaves
    it as it found it."""
    import gc

    r = _leaky(tmp_path)
    seen: list[bool] = []
    assert gc.isenabled()
    assert check_report(r.dir, Diagnostics(), analysed=lambda _lr: seen.append(gc.isenabled())) is not None
    assert seen == [False]
    assert gc.isenabled()
