"""The structure trees of the parts, joined into one (see :mod:`.pdf_merge`).

WeasyPrint 70 tags a document as one /Document element whose kids are one
/Part per page (the page's piece of ``<main>``; the page's footnotes follow
it): the tree is built page by page, so no element spans a page break. The
parts' trees are joined so that the role tree equals a single layout's:

- the kids of every later part's document element are appended to the first
  part's document element; the first ``continues`` levels of a part's first
  chain are the same elements as the previous part's last chain and are
  merged into them (an element's bare marked-content ids belong to its /Pg,
  so those moved to an element on another page become MCR dictionaries);
- structure element ids (/ID, which WeasyPrint writes on table header cells
  and the cells' /Headers refer to) are renamed where a later part repeats
  one, and its /Headers with them (:func:`unique_ids`);
- the parent tree is renumbered as WeasyPrint numbers it: the pages' keys
  (/StructParents) 0..n-1 in page order, then the annotations'
  (/StructParent) in page order; /ParentTreeNextKey follows;
- /RoleMap and /ClassMap are united (the first part's entry wins).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .errors import RenderFailed

_MAX_DEPTH = 10_000  # a parent-tree /Kids chain deeper than this is broken, not big


def first_visit(obj: Any, seen: set[tuple[int, int]]) -> bool:
    """False for an indirect object a walk has already met (a shared node, or
    a loop in a damaged part); direct objects are always new."""
    if obj.is_indirect:
        if obj.objgen in seen:
            return False
        seen.add(obj.objgen)
    return True


@dataclass
class PartTree:
    """One part's structure tree root (copied into the merged file), the
    indices of its pages in the merged file, and its ``continues``."""

    root: Any
    pages: range
    continues: int = 0
    dropped: set[int] = field(default_factory=set)  # parent-tree keys of removed annotations

    def drop_annotation(self, annot: Any) -> None:
        """Forget a removed link annotation: its OBJR leaves its structure
        element (which keeps its text: a Link without a link is a Span)."""
        key = annot.get("/StructParent")
        if not isinstance(key, int) or self.root is None:
            return
        self.dropped.add(int(key))
        elem = _numbers(self.root.get("/ParentTree")).get(int(key))
        if not isinstance(elem, Dictionary):
            return
        kids = [
            k for k in _kids(elem) if not (_is_objr(k) and k.get("/Obj") is not None and k.Obj.objgen == annot.objgen)
        ]
        elem.K = Array(kids)
        if elem.get("/S") == Name.Link:
            elem.S = Name.Span


def join_structure(pdf: pikepdf.Pdf, trees: list[PartTree]) -> None:
    """Join ``trees`` (the first is ``pdf``'s own) into ``pdf``'s structure tree."""
    for no, tree in enumerate(trees, 1):
        if not isinstance(tree.root, Dictionary):
            raise RenderFailed(f"PDF part {no} is not tagged (no structure tree): a PDF/UA file cannot be made of it")
    root = trees[0].root
    container = _container(root)
    replaced: dict[tuple[int, int], Dictionary] = {}
    for tree in trees[1:]:
        _append(container, _kids(_container(tree.root)), tree.continues, replaced)
        for key in ("/RoleMap", "/ClassMap"):
            theirs = tree.root.get(key)
            if isinstance(theirs, Dictionary):
                ours = root.get(key)
                if not isinstance(ours, Dictionary):
                    ours = Dictionary()
                    root[key] = ours
                for name in theirs.keys():
                    if name not in ours:
                        ours[name] = theirs[name]
    # WeasyPrint gives some elements that are in no element's /K (the
    # footnote area's) the document element as parent: they get the joined one
    orphans_of = {_container(t.root).objgen for t in trees[1:]}
    _renumber(pdf, trees, replaced, orphans_of, container)


def _container(root: Dictionary) -> Dictionary:
    """The element the parts' kids go under: the single document element,
    or the structure tree root itself when there is none."""
    top = _kids(root)
    if len(top) == 1 and _is_elem(top[0]) and top[0].get("/S") == Name.Document:
        return top[0]  # type: ignore[no-any-return]
    return root


def _append(target: Dictionary, kids: list[Any], levels: int, replaced: dict[tuple[int, int], Dictionary]) -> None:
    ours = _kids(target)
    # the same element only if it has the same role: merging a heading into
    # a paragraph because the caller miscounted would corrupt the tree
    if levels > 0 and kids and ours and _is_elem(kids[0]) and _is_elem(ours[-1]) and kids[0].S == ours[-1].S:
        last, first = ours[-1], kids[0]
        replaced[first.objgen] = last
        _append(last, _moved_kids(first, last), levels - 1, replaced)
        kids = kids[1:]
    for kid in kids:
        if _is_elem(kid):
            kid.P = target
    target.K = Array(ours + kids)


def _moved_kids(elem: Dictionary, into: Dictionary) -> list[Any]:
    """``elem``'s kids, to become ``into``'s: a bare marked-content id means
    "on my /Pg", so it becomes an MCR naming the page when the pages differ."""
    kids = _kids(elem)
    page = elem.get("/Pg")
    if page is None or (into.get("/Pg") is not None and into.Pg.objgen == page.objgen):
        return kids
    return [Dictionary(Type=Name.MCR, Pg=page, MCID=k) if isinstance(k, int) else k for k in kids]


def unique_ids(src: pikepdf.Pdf, seen: set[str], suffix: int) -> None:
    """Structure element /IDs unique across the document: WeasyPrint numbers
    them per layout (a table header cell's "48-0-0" is in every part with a
    table at the same place), so an id of ``src`` already in ``seen`` gets a
    suffix, and the /Headers of the cells that name it follow. Run on each
    part before its tree is copied; adds ``src``'s ids to ``seen``.

    The part's objects are scanned, not its tree walked: 0.08 s for the
    benchmark report's 30,000 objects against 0.24 s for the walk."""
    renamed: dict[str, str] = {}
    for obj in src.objects:
        if not isinstance(obj, Dictionary) or "/ID" not in obj or "/S" not in obj:
            continue
        old = str(obj.ID)
        new, n = old, suffix
        while new in seen:
            new = f"{old}-{n}"
            n += 1
        seen.add(new)
        if new != old:
            renamed[old] = new
            obj.ID = String(new)
    if not renamed:
        return
    for obj in src.objects:
        attrs = obj.get("/A") if isinstance(obj, Dictionary) and "/S" in obj else None
        for a in attrs if isinstance(attrs, Array) else [attrs]:
            if isinstance(a, Dictionary) and isinstance(a.get("/Headers"), Array):
                a.Headers = Array([String(renamed.get(str(h), str(h))) for h in a.Headers])


def _renumber(
    pdf: pikepdf.Pdf,
    trees: list[PartTree],
    replaced: dict[tuple[int, int], Dictionary],
    orphans_of: set[tuple[int, int]],
    container: Dictionary,
) -> None:
    """One parent tree, keys as WeasyPrint gives them: pages first, then
    annotations; an element whose parent is a later part's document element
    gets ``container`` as its parent."""
    owner = {}
    for tree in trees:
        for i in tree.pages:
            owner[i] = tree
    entries = {id(t): _numbers(t.root.get("/ParentTree")) for t in trees}
    new: list[tuple[int, Any]] = []
    used: dict[int, set[int]] = {id(t): set() for t in trees}
    climbed: set[tuple[int, int]] = set()

    def take(tree: PartTree, key: object) -> int | None:
        if not isinstance(key, int) or int(key) in tree.dropped or int(key) in used[id(tree)]:
            return None
        value = entries[id(tree)].get(int(key))
        if value is None:
            return None
        used[id(tree)].add(int(key))
        value = _replace(value, replaced)
        for elem in value if isinstance(value, Array) else [value]:
            # up the /P chain to the first element seen before (most stop at once)
            while isinstance(elem, Dictionary) and elem.objgen not in climbed:
                climbed.add(elem.objgen)
                parent = elem.get("/P")
                if isinstance(parent, Dictionary) and parent.objgen in orphans_of:
                    elem.P = container
                    break
                elem = parent
        new.append((len(new), value))
        return len(new) - 1

    def renumber(obj: Dictionary, field: str, page: int) -> None:
        if field not in obj:
            return
        key = take(owner[page], obj[field])
        if key is None:  # a stale key would name another page's elements
            part = trees.index(owner[page]) + 1
            what = "page" if field == "/StructParents" else "an annotation on page"
            raise RenderFailed(
                f"PDF part {part} is damaged: {what} {page - owner[page].pages.start + 1} names "
                "no entry of its parent tree (or one another page names too)"
            )
        obj[field] = key

    for i, page in enumerate(pdf.pages):
        renumber(page.obj, "/StructParents", i)
    for i, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            if isinstance(annot, Dictionary):
                renumber(annot, "/StructParent", i)
    # entries no page or annotation names (none in WeasyPrint's files) are kept
    for tree in trees:
        for key in sorted(entries[id(tree)]):
            take(tree, key)
    nums: list[Any] = []
    for key, value in new:
        nums += [key, value]
    root = trees[0].root
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = len(new)


def _replace(value: Any, replaced: dict[tuple[int, int], Dictionary]) -> Any:
    if not replaced:
        return value
    if isinstance(value, Array):
        return Array([replaced.get(v.objgen, v) if isinstance(v, Dictionary) else v for v in value])
    if isinstance(value, Dictionary):
        return replaced.get(value.objgen, value)
    return value


# --- reading the trees ----------------------------------------------------------------------


def _numbers(tree: Any) -> dict[int, Any]:
    """A number tree as a dict (its /Nums and its /Kids' /Nums)."""
    out: dict[int, Any] = {}
    stack = [(tree, 0)]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, Dictionary) or depth > _MAX_DEPTH or not first_visit(node, seen):
            continue
        nums = node.get("/Nums")
        if isinstance(nums, Array):
            items = list(nums)
            for i in range(0, len(items) - 1, 2):
                if isinstance(items[i], int):
                    out.setdefault(int(items[i]), items[i + 1])
        kids = node.get("/Kids")
        if isinstance(kids, Array):
            stack += [(k, depth + 1) for k in reversed(list(kids))]
    return out


def _kids(elem: Any) -> list[Any]:
    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, Array) else [k]


def _is_elem(o: Any) -> bool:
    return isinstance(o, Dictionary) and "/S" in o and o.get("/Type") not in (Name.MCR, Name.OBJR)


def _objgen(o: Any) -> tuple[int, int] | None:
    return o.objgen if isinstance(o, (Array, Dictionary)) else None


def _is_objr(o: Any) -> bool:
    return isinstance(o, Dictionary) and o.get("/Type") == Name.OBJR
