"""The HTML pages of the publication site, from ``templates/site/``: the
index, a page per report (its editions), a page per edition (downloads,
checksums, how to verify, JSON-LD) and ``latest/``. Every link is relative,
so that the site works from ``file://`` and from any sub-path; the CSS is
inline and the Content-Security-Policy forbids every request."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..house_style import TEMPLATES
from ..models.site import EditionRecord, PublicationStyle
from ..render.labels import labels, long_date
from .editions import CONCEPT, version_key
from .metadata import json_ld

SITE_TITLE = "Ambtsberichten"
FORMAT_LABELS = {"html": "HTML (webpagina)", "pdf": "PDF", "docx": "Word (DOCX)", "odt": "OpenDocument (ODT)"}


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "site"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def size(n: int) -> str:
    """ "1,2 MB" as a Dutch reader writes it."""
    for unit, factor in (("MB", 1024**2), ("kB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}".replace(".", ",")
    return f"{n} bytes"


def _period(r: EditionRecord) -> str:
    return f"{long_date(r.reference_period[0])} – {long_date(r.reference_period[1])}"


def _label(r: EditionRecord) -> str:
    return "concept" if r.version == CONCEPT else f"versie {r.version}"


class Pages:
    def __init__(self, out: Path, style: PublicationStyle, base_url: str | None):
        self.out = out
        self.style = style
        self.base_url = base_url
        self.env = _env()
        # abuild's own file, trusted: not escaped (a "<" in it would end the style element)
        self.css = Markup((TEMPLATES / "site" / "site.css").read_text(encoding="utf-8").strip().replace("</", "<\\/"))

    def _write(self, rel: str, template: str, depth: int, **ctx: Any) -> None:
        root = "../" * depth
        ctx.setdefault("canonical", self.base_url + rel if self.base_url else None)
        ctx.setdefault("refresh", None)
        ctx.setdefault("json_ld", None)
        ctx.setdefault("concept", False)
        ctx.setdefault("breadcrumbs", [])
        html = self.env.get_template(template).render(css=self.css, site_title=SITE_TITLE, root=root, **ctx)
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8", newline="\n")

    def edition(self, r: EditionRecord) -> None:
        rel = f"{r.slug}/{r.version}/index.html"
        ld = json_ld(r, self.style, self.base_url + rel if self.base_url else "index.html")
        self._write(
            rel,
            "edition.html.j2",
            2,
            r=r,
            label=_label(r),
            kind=labels(r.language)["kind"].get(r.kind, r.kind),
            date=long_date(r.date),
            period=_period(r),
            publisher=self.style.publisher.name,
            downloads=[
                {**d.model_dump(), "label": FORMAT_LABELS.get(d.format, d.format), "size": size(d.bytes)}
                for d in r.downloads
            ],
            manifest={"file": r.manifest.file, "size": size(r.manifest.bytes), "sha256": r.manifest.sha256},
            # "</" cannot end the script element early: JSON allows "<\/"
            json_ld=Markup(json.dumps(ld, ensure_ascii=False, indent=1, sort_keys=True).replace("</", "<\\/")),
            concept=r.version == CONCEPT,
            breadcrumbs=[(SITE_TITLE, "../../index.html"), (r.title, "../index.html"), (_label(r), None)],
        )
        sums = "".join(f"{d.sha256}  {d.file}\n" for d in [*r.downloads, r.manifest])
        (self.out / r.slug / r.version / "SHA256SUMS").write_text(sums, encoding="utf-8", newline="\n")

    def report(self, slug: str, records: list[EditionRecord]) -> None:
        records = sorted(records, key=lambda r: version_key(r.version), reverse=True)
        final = [r for r in records if r.version != CONCEPT]
        newest = final[0] if final else records[0]
        latest = None
        if final:
            latest = {
                "href": f"{final[0].version}/index.html",
                "version": final[0].version,
                "date": long_date(final[0].date),
            }
            self._write(
                f"{slug}/latest/index.html",
                "latest.html.j2",
                2,
                title=newest.title,
                version=final[0].version,
                refresh=f"../{final[0].version}/index.html",
                breadcrumbs=[
                    (SITE_TITLE, "../../index.html"),
                    (newest.title, "../index.html"),
                    ("laatste editie", None),
                ],
            )
        self._write(
            f"{slug}/index.html",
            "report.html.j2",
            1,
            title=newest.title,
            latest=latest,
            editions=[
                {
                    "href": f"{r.version}/index.html",
                    "label": _label(r),
                    "date": long_date(r.date),
                    "status": r.status,
                    "period": _period(r),
                }
                for r in records
            ],
            concept=not final,
            breadcrumbs=[(SITE_TITLE, "../index.html"), (newest.title, None)],
        )

    def index(self, by_slug: Iterable[tuple[str, list[EditionRecord]]]) -> None:
        rows = []
        for slug, records in sorted(by_slug):
            final = sorted((r for r in records if r.version != CONCEPT), key=lambda r: version_key(r.version))
            r = final[-1] if final else records[0]
            rows.append(
                {
                    "href": f"{slug}/index.html",
                    "title": r.title,
                    "country": r.country,
                    "kind": labels(r.language)["kind"].get(r.kind, r.kind),
                    "date": long_date(r.date),
                    "period": _period(r),
                    "status": r.status,
                    "version": _label(r).removeprefix("versie "),
                    "concept": not final,
                }
            )
        self._write("index.html", "index.html.j2", 0, reports=rows)
