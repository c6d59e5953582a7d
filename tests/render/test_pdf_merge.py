"""Joining PDF parts (render/pdf_merge*.py): a small three-chapter HTML is
laid out by WeasyPrint once whole and once in parts (split at its h1s, as
the render's splitter does), the parts are joined, and the joined file is
compared with the single layout: structure tree, parent tree, bookmarks,
destinations, links, fonts and page text. One module-scoped layout (about
1 s of CPU) serves every test."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render.errors import RenderFailed
from ambtsbericht_build.render.pdf_merge import PART_LINK, PartFile, merge_parts
from ambtsbericht_build.render.pdf_merge_fonts import _to_unicode, _widths, _widths_array

IDENT = b"0123456789abcdef0123456789abcdef"
PIXEL = "data:image/png;base64," + (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

HEAD = """<!DOCTYPE html><html lang="nl-NL"><head><meta charset="utf-8"><title>Proefbericht</title>
<meta name="dcterms.created" content="2026-01-01T00:00:00+00:00">
<meta name="dcterms.modified" content="2026-01-01T00:00:00+00:00">
<style>@import url("fonts.css"); body { font-family: "Abuild Noto Sans" } h1 { break-before: page }
.fn { float: footnote }</style></head><body><main>"""


def _chapter(i: int, other: int) -> str:
    filler = "".join(f"<p>Alinea {i}.{k} " + "tekst " * (90 if i == 2 else 20) + "</p>" for k in range(5))
    return (
        f'<h1 id="h{i}">Hoofdstuk {i}</h1>'
        f'<p>Zie <a href="#h{other}">hoofdstuk {other}</a>, <a href="#s{other}-één">ook</a> en '
        f'<a href="#s{i}-één">hieronder</a>.'
        f'<span class="fn">Noot bij hoofdstuk {i}.</span></p>'
        f'<h2 id="s{i}-één">Paragraaf {i}.1</h2><p lang="en">English words {i}.</p>'
        f"<table><caption>Tabel {i}</caption><tr><th>Kop</th><th>Waarde</th></tr>"
        f"<tr><td>rij</td><td>{i}</td></tr></table>"
        f'<figure><img alt="Kaart van gebied {i}" src="{PIXEL}" width="40" height="40">'
        f"<figcaption>Figuur {i}</figcaption></figure>" + filler
    )


WHOLE = HEAD + _chapter(1, 3) + _chapter(2, 1) + _chapter(3, 2) + "</main></body></html>"


def split_at_h1(html: str) -> list[str]:
    """The print HTML's parts, as the render's splitter makes them: the
    <head> in each, one chapter (from a top-level h1 in <main>) each, the
    footnote counter continued, links to another part's ids as PART_LINK."""
    start = html.index(">", html.index("<main")) + 1
    end = html.index("</main>")
    chunks = [c for c in re.split(r"(?=<h1[ >])", html[start:end]) if c.strip()]
    parts, notes = [], 0
    for chunk in chunks:
        ids = set(re.findall(r'\bid="([^"]+)"', chunk))
        chunk = re.sub(r'href="#([^"]+)"', lambda m: m[0] if m[1] in ids else f'href="{PART_LINK}{m[1]}"', chunk)
        counter = f"<style>body {{ counter-reset: footnote {notes} }}</style></head>"
        parts.append(html[:start].replace("</head>", counter) + chunk + html[end:])
        notes += chunk.count('class="fn"')
    return parts


def _write(html: str, out: Path, fetcher) -> Path:
    from ambtsbericht_build.render.pdf import _layout

    _layout(html, fetcher).write_pdf(str(out), pdf_variant="pdf/ua-1", pdf_identifier=IDENT, pdf_tags=True)
    return out


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    """(whole.pdf, [part PDFs], merged.pdf, what merge_parts returned)."""
    from ambtsbericht_build.house_style import template_path
    from ambtsbericht_build.render import pdf_lang
    from ambtsbericht_build.render.facts import default_house_style
    from ambtsbericht_build.render.pdf import LocalOnlyFetcher, package_fonts_only

    pdf_lang.apply()  # as the PDF writer does: /Lang on the English paragraph's tags
    d = tmp_path_factory.mktemp("merge")
    fetcher = LocalOnlyFetcher([template_path("")], default_house_style())
    with package_fonts_only():
        whole = _write(WHOLE, d / "whole.pdf", fetcher)
        parts = [_write(h, d / f"part{i}.pdf", fetcher) for i, h in enumerate(split_at_h1(WHOLE))]
    merged = d / "merged.pdf"
    result = merge_parts([PartFile(p) for p in parts], merged, identifier=IDENT)
    return whole, parts, merged, result


# --- reading a PDF as a reader sees it ----------------------------------------------------


def _page_index(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {p.obj.objgen: i for i, p in enumerate(pdf.pages)}


def _kids(e):
    k = e.get("/K")
    return [] if k is None else list(k) if isinstance(k, pikepdf.Array) else [k]


def role_tree(pdf: pikepdf.Pdf):
    """Roles, nesting, /Alt, /Lang, and each marked-content id with its page."""
    pages = _page_index(pdf)

    def walk(e, page):
        if isinstance(e, int):
            return ("mcid", page, int(e))
        if e.get("/Type") == "/MCR":
            return ("mcid", pages[e.Pg.objgen], int(e.MCID))
        if e.get("/Type") == "/OBJR":
            return ("objr", str(e.Obj.Subtype))
        pg = e.get("/Pg")
        page = pages[pg.objgen] if pg is not None else page
        extra = tuple(str(e[k]) for k in ("/Alt", "/Lang", "/ActualText") if k in e)
        return (str(e.S), extra, tuple(walk(k, page) for k in _kids(e)))

    return tuple(walk(k, None) for k in _kids(pdf.Root.StructTreeRoot))


def parent_tree_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Every /P, /Pg, /StructParents, /StructParent and parent-tree entry
    checked against the tree: a screen reader finds the element of a piece
    of text through them."""
    root = pdf.Root.StructTreeRoot
    nums = list(root.ParentTree.Nums)
    keys = [int(k) for k in nums[::2]]
    problems = []
    if keys != sorted(set(keys)):
        problems.append(f"parent tree keys not unique and sorted: {keys}")
    table = dict(zip(keys, nums[1::2], strict=True))
    if "/ParentTreeNextKey" in root and int(root.ParentTreeNextKey) <= max(keys):
        problems.append("/ParentTreeNextKey not above every key")
    pages = list(pdf.pages)
    stack = [(k, root) for k in _kids(root)]
    while stack:
        e, parent = stack.pop()
        if e.get("/P") is None or e.P.objgen != parent.objgen:
            problems.append(f"{e.S} has the wrong /P")
        pg = e.get("/Pg")
        for k in _kids(e):
            if isinstance(k, int) or k.get("/Type") == "/MCR":
                page = pg if isinstance(k, int) else k.Pg
                mcid = int(k) if isinstance(k, int) else int(k.MCID)
                key = int(next(p for p in pages if p.obj.objgen == page.objgen).obj.StructParents)
                if table[key][mcid].objgen != e.objgen:
                    problems.append(f"MCID {mcid} on page with key {key}: parent tree names another element")
            elif k.get("/Type") == "/OBJR":
                if table[int(k.Obj.StructParent)].objgen != e.objgen:
                    problems.append("an annotation's parent tree entry is not its Link element")
            else:
                stack.append((k, e))
    return problems


def outline(pdf: pikepdf.Pdf):
    pages = _page_index(pdf)
    out = []

    def walk(item, level):
        while item is not None:
            out.append((level, str(item.Title), pages[item.Dest[0].objgen], int(item.get("/Count", 0))))
            walk(item.get("/First"), level + 1)
            item = item.get("/Next")

    walk(pdf.Root.Outlines.get("/First"), 1)
    return out, int(pdf.Root.Outlines.Count)


def dests(pdf: pikepdf.Pdf) -> dict[bytes, int]:
    """{name as its bytes: page}: a link's /Dest must have the key's bytes (a
    non-ASCII id is UTF-16 in WeasyPrint's file)."""
    pages = _page_index(pdf)
    flat = list(pdf.Root.Names.Dests.Names)
    return {bytes(k): pages[v[0].objgen] for k, v in zip(flat[::2], flat[1::2], strict=True)}


def links(pdf: pikepdf.Pdf) -> list[list[tuple[bytes, str]]]:
    return [
        [(bytes(a.get("/Dest", b"")), str(a.get("/A", {}).get("/URI", ""))) for a in p.obj.get("/Annots", [])]
        for p in pdf.pages
    ]


def page_texts(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def fonts(pdf: pikepdf.Pdf) -> dict[str, list]:
    """{BaseFont: [distinct font objects]} over every page."""
    seen: dict[str, dict] = {}
    for page in pdf.pages:
        for _, f in page.Resources.get("/Font", {}).items():
            seen.setdefault(str(f.BaseFont), {})[f.objgen] = f
    return {k: list(v.values()) for k, v in seen.items()}


def glyphs(font) -> set[int]:
    from fontTools.ttLib import TTFont

    tt = TTFont(io.BytesIO(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()))
    return {i for i, n in enumerate(tt.getGlyphOrder()) if tt["glyf"][n].numberOfContours != 0}


# --- 1. catalog, metadata, identifier, determinism --------------------------------------------


def test_catalog_and_metadata_are_the_first_parts_and_the_output_is_deterministic(laid_out, tmp_path):
    _, parts, merged, _ = laid_out
    again = tmp_path / "again.pdf"
    merge_parts([PartFile(p) for p in parts], again, identifier=IDENT)
    assert again.read_bytes() == merged.read_bytes()
    assert not list(tmp_path.glob("*.part")), "the .part file is renamed, not left"
    with pikepdf.open(parts[0]) as first, pikepdf.open(merged) as pdf:
        assert bytes(pdf.trailer.ID[0]) == IDENT
        for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
            assert repr(pdf.Root[key]) == repr(first.Root[key]), key
        assert pdf.Root.Metadata.read_bytes() == first.Root.Metadata.read_bytes()
        assert dict(pdf.docinfo) == dict(first.docinfo)
        assert repr(pdf.Root.get("/OutputIntents")) == repr(first.Root.get("/OutputIntents"))


# --- 2. pages ----------------------------------------------------------------------------------


def test_pages_in_part_order_with_their_resources(laid_out):
    _, parts, merged, result = laid_out
    with pikepdf.open(merged) as pdf:
        sources = [pikepdf.open(p) for p in parts]
        expected = [page for src in sources for page in src.pages]
        assert len(pdf.pages) == len(expected) == result.pages
        for page, src in zip(pdf.pages, expected, strict=True):
            assert page.obj.Contents.read_bytes() == src.obj.Contents.read_bytes()
            for kind in ("/Font", "/XObject", "/ExtGState"):
                assert set(page.Resources.get(kind, {}).keys()) == set(src.Resources.get(kind, {}).keys())
        for src in sources:
            src.close()


# --- 3. one structure tree ----------------------------------------------------------------------


def test_structure_tree_and_text_equal_a_single_layout(laid_out):
    whole, _, merged, _ = laid_out
    with pikepdf.open(whole) as w, pikepdf.open(merged) as m:
        assert role_tree(m) == role_tree(w)
        assert parent_tree_problems(w) == []  # the checker itself accepts WeasyPrint's own file
        assert parent_tree_problems(m) == []
        roles = str(role_tree(m))
        for what in ("/Table", "/TH", "/Figure", "/Link", "Kaart van gebied 3", "'en'"):
            assert what in roles, what
    assert page_texts(merged) == page_texts(whole)
    assert len(page_texts(whole)) > 3


def test_table_header_ids_unique_and_cells_point_at_their_own_headers(laid_out):
    _, _, merged, _ = laid_out
    with pikepdf.open(merged) as pdf:
        ids: list[str] = []
        headers: list[tuple[str, str]] = []
        for o in pdf.objects:
            if isinstance(o, pikepdf.Dictionary) and "/S" in o:
                if "/ID" in o:
                    ids.append(str(o.ID))
                a = o.get("/A")
                if isinstance(a, pikepdf.Dictionary) and "/Headers" in a:
                    headers += [(str(h), str(o.P.P.P.objgen)) for h in a.Headers]
        assert len(ids) == len(set(ids)) == 6
        table_of = {
            str(o.ID): str(o.P.P.P.objgen) for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/ID" in o
        }
        assert headers and all(table_of[h] == table for h, table in headers)


def test_continues_merges_the_first_element_into_the_previous_parts_last(laid_out, tmp_path):
    _, parts, merged, _ = laid_out

    def top(path):
        with pikepdf.open(path) as pdf:
            return [str(k.S) for k in pdf.Root.StructTreeRoot.K[0].K]

    # a part whose first element has the role of the previous part's last
    # (a /Part, not the footnote area's /NonStruct after a page with notes)
    n = next(i for i in range(1, len(parts)) if top(parts[i - 1])[-1] == top(parts[i])[0])
    out = tmp_path / "continued.pdf"
    merge_parts([PartFile(p, continues=int(i == n)) for i, p in enumerate(parts)], out, identifier=IDENT)
    last = sum(len(top(p)) for p in parts[:n]) - 1  # the previous part's last element among the Document's kids
    with pikepdf.open(out) as pdf, pikepdf.open(merged) as plain:
        assert parent_tree_problems(pdf) == []
        joined, separate = role_tree(pdf)[0][2], role_tree(plain)[0][2]
        assert len(joined) == len(separate) - 1
        # the element holds its own marked content and then the next part's, each on its own page
        assert joined[last][2] == separate[last][2] + separate[last + 1][2]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 4), min_size=2, max_size=2))
def test_any_continues_keeps_every_piece_of_text_with_its_element(laid_out, tmp_path_factory, continues):
    """Whatever the caller says continues (even more levels than the chains
    have, or elements of another role), no marked content is lost or
    orphaned and the parent tree stays right."""
    _, parts, merged, _ = laid_out
    out = tmp_path_factory.mktemp("cont") / "out.pdf"
    merge_parts(
        [PartFile(parts[0])] + [PartFile(p, continues=c) for p, c in zip(parts[1:], continues, strict=True)],
        out,
        identifier=IDENT,
    )

    def leaves(tree):
        found = []
        stack = list(tree)
        while stack:
            node = stack.pop()
            if node[0] == "mcid":
                found.append(node[1:])
            elif node[0] != "objr":
                stack += node[2]
        return sorted(found)

    with pikepdf.open(out) as pdf, pikepdf.open(merged) as plain:
        assert parent_tree_problems(pdf) == []
        assert leaves(role_tree(pdf)) == leaves(role_tree(plain))


def test_role_maps_and_class_maps_are_united_the_first_parts_entry_first(laid_out, tmp_path):
    _, parts, _, _ = laid_out
    mapped = []
    for i, (roles, classes) in enumerate(
        [({"/Kop": "/H1"}, {"/c1": 1}), ({"/Kop": "/H2", "/Noot": "/Note"}, {"/c2": 2})]
    ):
        with pikepdf.open(parts[i]) as pdf:
            pdf.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary({k: pikepdf.Name(v) for k, v in roles.items()})
            pdf.Root.StructTreeRoot.ClassMap = pikepdf.Dictionary(classes)
            pdf.save(tmp_path / f"{i}.pdf")
        mapped.append(tmp_path / f"{i}.pdf")
    merge_parts([PartFile(p) for p in [*mapped, parts[2]]], tmp_path / "out.pdf", identifier=IDENT)
    with pikepdf.open(tmp_path / "out.pdf") as pdf:
        root = pdf.Root.StructTreeRoot
        assert {k: str(v) for k, v in root.RoleMap.items()} == {"/Kop": "/H1", "/Noot": "/Note"}
        assert {k: int(v) for k, v in root.ClassMap.items()} == {"/c1": 1, "/c2": 2}


def test_one_part_is_written_as_it_is_laid_out(laid_out, tmp_path):
    whole, _, _, _ = laid_out
    merge_parts([PartFile(whole)], tmp_path / "one.pdf", identifier=IDENT)
    with pikepdf.open(tmp_path / "one.pdf") as one, pikepdf.open(whole) as part:
        assert role_tree(one) == role_tree(part) and parent_tree_problems(one) == []
        assert links(one) == links(part) and outline(one) == outline(part) and dests(one) == dests(part)
    assert page_texts(tmp_path / "one.pdf") == page_texts(whole)
    with pytest.raises(RenderFailed, match="no PDF parts"):
        merge_parts([], tmp_path / "none.pdf", identifier=IDENT)


# --- 4. bookmarks, 5. destinations and links ---------------------------------------------------


def test_bookmarks_equal_a_single_layouts(laid_out):
    whole, _, merged, _ = laid_out
    with pikepdf.open(whole) as w, pikepdf.open(merged) as m:
        assert outline(m) == outline(w)
        assert [t for _, t, _, _ in outline(m)[0]][:2] == ["Hoofdstuk 1", "Paragraaf 1.1"]


def test_destinations_united_and_links_to_other_parts_become_internal(laid_out):
    whole, parts, merged, result = laid_out
    assert result.unresolved_links == []
    with pikepdf.open(parts[0]) as p:
        assert any(uri.startswith(PART_LINK) for page in links(p) for _, uri in page), "the part links out"
    with pikepdf.open(whole) as w, pikepdf.open(merged) as m:
        assert dests(m) == dests(w)
        assert "s2-één".encode("utf-16-be") in b"".join(dests(m))
        assert links(m) == links(w)
        assert all(d in dests(m) for page in links(m) for d, _ in page)


def test_a_link_to_an_anchor_no_part_has_is_removed_and_its_text_kept(laid_out, tmp_path, caplog):
    _, parts, merged, _ = laid_out
    broken = tmp_path / "part1.pdf"
    with pikepdf.open(parts[1]) as pdf:
        outward = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if "/A" in a]
        assert str(outward[0].A.URI).startswith(PART_LINK)
        outward[0].A.URI = pikepdf.String(PART_LINK + "nergens%C3%A9")
        pdf.save(broken)
    out = tmp_path / "out.pdf"
    with caplog.at_level(logging.WARNING):
        result = merge_parts([PartFile(parts[0]), PartFile(broken), PartFile(parts[2])], out, identifier=IDENT)
    assert result.unresolved_links == ["nergensé"]
    assert "nergensé" in caplog.text
    assert page_texts(out) == page_texts(merged)
    with pikepdf.open(out) as pdf, pikepdf.open(merged) as good:
        assert parent_tree_problems(pdf) == []
        assert sum(map(len, links(pdf))) == sum(map(len, links(good))) - 1
        assert all(not uri for page in links(pdf) for _, uri in page)
        roles, before = str(role_tree(pdf)), str(role_tree(good))
        for what in ("('/Link', ()", "('objr', '/Link')"):  # one Link element and its annotation fewer
            assert roles.count(what) == before.count(what) - 1, what
        assert roles.count("('/Span', ()") == before.count("('/Span', ()") + 1, "the link's text is a Span"


# --- 6. fonts -----------------------------------------------------------------------------------


def test_one_font_object_per_font_with_the_glyphs_of_a_single_layout(laid_out):
    whole, parts, merged, _ = laid_out
    with pikepdf.open(whole) as w, pikepdf.open(merged) as m:
        ours, theirs = fonts(m), fonts(w)
        assert ours.keys() == theirs.keys()
        for name, objs in ours.items():
            assert len(objs) == 1, f"{name}: {len(objs)} copies"
            font, single = objs[0], theirs[name][0]
            assert glyphs(font) == glyphs(single), name
            assert _widths(font.DescendantFonts[0].W) == _widths(single.DescendantFonts[0].W)
            assert _to_unicode(font.ToUnicode.read_bytes(), [font.ToUnicode.read_bytes()]) == _to_unicode(
                single.ToUnicode.read_bytes(), [single.ToUnicode.read_bytes()]
            )
    # drawn with the united fonts, every page looks as the single layout's
    a, b = pdfium.PdfDocument(str(merged)), pdfium.PdfDocument(str(whole))
    for i in range(len(a)):
        assert a[i].render(scale=0.5).to_pil().tobytes() == b[i].render(scale=0.5).to_pil().tobytes(), i
    # the joined file is about the size of a single layout, not of the parts together
    assert merged.stat().st_size <= whole.stat().st_size * 1.15
    assert merged.stat().st_size < sum(p.stat().st_size for p in parts) * 0.8


_W_ENTRIES = st.dictionaries(st.integers(0, 3000), st.integers(0, 2000), max_size=60)


@given(_W_ENTRIES)
def test_widths_array_round_trips(widths):
    assert _widths(_widths_array(widths)) == widths


_CMAP = st.dictionaries(st.integers(0, 0xFFFF), st.integers(0x20, 0xFFFF), max_size=150)


@given(st.lists(_CMAP, min_size=1, max_size=4))
def test_to_unicode_is_the_union_of_the_cmaps_first_mapping_first(maps):
    def cmap(m):
        body = b"".join(b"<%04x> <%04x>\n" % (c, u) for c, u in m.items())
        return b"/CIDInit begincmap\n%d beginbfchar\n%sendbfchar\nendcmap\nend\n" % (len(m), body)

    union: dict[int, int] = {}
    for m in maps:
        for c, u in m.items():
            union.setdefault(c, u)
    out = _to_unicode(cmap(maps[0]), [cmap(m) for m in maps])
    pairs = re.findall(rb"<([0-9a-f]+)> <([0-9a-f]+)>", out)
    assert {int(c, 16): int(u, 16) for c, u in pairs} == union
    assert all(int(n) <= 100 for n in re.findall(rb"(\d+) beginbfchar", out))


# --- 7. the project's checks on the joined file --------------------------------------------------


def test_the_joined_file_passes_qpdfs_check_and_the_audits_extraction(laid_out):
    from ambtsbericht_build.publish.extract import extract

    whole, _, merged, _ = laid_out
    with pikepdf.open(merged) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        # as tests/render/test_pdf.py asks of the render's PDF
        assert str(pdf.docinfo.Title) == "Proefbericht" and bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        for objs in fonts(pdf).values():
            desc = objs[0].DescendantFonts[0].FontDescriptor
            assert "/FontFile2" in desc and "NotoSans" in str(objs[0].BaseFont).replace("-", "")
    assert len(pdfium.PdfDocument(str(merged))) == len(page_texts(whole))
    ex, single = extract(merged), extract(whole)
    assert ex.problems == []

    def seen(e):  # the structure element ids (table headers) are renamed, as tested above
        return [(p.name, p.text) for p in e.parts if p.name not in ("PDF objects (all strings)", "file name")]

    assert seen(ex) == seen(single)


# --- bad input -----------------------------------------------------------------------------------


def test_a_part_that_is_not_a_pdf_fails_with_its_name_and_writes_nothing(laid_out, tmp_path):
    _, parts, _, _ = laid_out
    bad = tmp_path / "deel-2.pdf"
    bad.write_bytes(b"%PDF-1.7\nniets\n")
    out = tmp_path / "out.pdf"
    with pytest.raises(RenderFailed, match="deel-2.pdf"):
        merge_parts([PartFile(parts[0]), PartFile(bad)], out, identifier=IDENT)
    assert list(tmp_path.iterdir()) == [bad]


def test_a_damaged_part_fails_with_a_message_not_a_traceback(laid_out, tmp_path):
    _, parts, _, _ = laid_out
    damaged = tmp_path / "damaged.pdf"
    with pikepdf.open(parts[1]) as pdf:
        pdf.Root.StructTreeRoot.ParentTree = pikepdf.Array([1, 2])  # a number tree must be a dictionary
        pdf.save(damaged)
    with pytest.raises(RenderFailed, match="PDF part 2 is damaged: page 1 names no entry of its parent tree"):
        merge_parts([PartFile(parts[0]), PartFile(damaged)], tmp_path / "out.pdf", identifier=IDENT)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.pdf"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_part_with_bytes_overwritten_is_joined_or_refused_never_a_traceback(laid_out, tmp_path_factory, data):
    _, parts, _, _ = laid_out
    raw = bytearray(parts[1].read_bytes())
    at = data.draw(st.integers(0, len(raw) - 1), label="at")
    junk = data.draw(st.binary(min_size=1, max_size=64), label="junk")
    raw[at : at + len(junk)] = junk
    d = tmp_path_factory.mktemp("junk")
    (d / "part.pdf").write_bytes(bytes(raw))
    try:
        merge_parts([PartFile(parts[0]), PartFile(d / "part.pdf")], d / "out.pdf", identifier=IDENT)
    except RenderFailed:
        assert not (d / "out.pdf").exists()
    else:
        with pikepdf.open(d / "out.pdf") as pdf:
            assert len(pdf.pages) >= 1
    assert not list(d.glob("*.part"))


def test_an_untagged_part_is_refused(laid_out, tmp_path):
    _, parts, _, _ = laid_out
    untagged = tmp_path / "untagged.pdf"
    with pikepdf.open(parts[1]) as pdf:
        del pdf.Root["/StructTreeRoot"]
        pdf.save(untagged)
    with pytest.raises(RenderFailed, match="not tagged"):
        merge_parts([PartFile(parts[0]), PartFile(untagged)], tmp_path / "out.pdf", identifier=IDENT)
    assert not (tmp_path / "out.pdf").exists()
