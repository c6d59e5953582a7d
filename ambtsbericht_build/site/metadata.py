"""What the site says about each edition, for machines: ``metadata.json``
(an :class:`EditionRecord`, schema in ``schemas/edition.schema.json``) with
the DiWoo fields of the Dutch open-government index, and schema.org JSON-LD
embedded in the edition's page. The mapping is documented in
docs/publishing.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..house_style import REPO_DIR, TEMPLATES, HouseStyleError, _override
from ..load.yamlpos import load_yaml
from ..models.site import EditionRecord, PublicationStyle

# the EU's authority tables, which DiWoo uses for languages and file types
LANGUAGE = {"nl": ("http://publications.europa.eu/resource/authority/language/NLD", "Nederlands")}
LANGUAGE["en"] = ("http://publications.europa.eu/resource/authority/language/ENG", "Engels")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPES = {
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def publication_style(root: Path) -> PublicationStyle:
    """The repository's templates/publication.yaml, else abuild's."""
    rel = "publication.yaml"
    try:
        path = _override(root, rel) or TEMPLATES / rel
    except HouseStyleError as exc:
        raise ValueError(str(exc)) from None
    data, _ = load_yaml(path.read_text(encoding="utf-8"))
    try:
        return PublicationStyle.model_validate(data)
    except ValueError as exc:
        shown = f"{REPO_DIR}/{rel}" if path.parent != TEMPLATES else rel
        raise ValueError(f"{shown}: {str(exc).splitlines()[0]}") from None


def diwoo(record: EditionRecord, style: PublicationStyle, issuer: str, responsible_unit: str | None) -> dict[str, Any]:
    """The DiWoo document metadata of an edition, with DiWoo's element names."""
    publisher = {"resource": style.publisher.tooi, "label": style.publisher.name}
    lang_uri, lang_label = LANGUAGE.get(record.language, LANGUAGE["nl"])
    classification: dict[str, Any] = {"documentsoorten": [{"label": style.document_type}]}
    if style.information_category.uri:
        cat = style.information_category
        classification["informatiecategorieen"] = [{"resource": cat.uri, "label": cat.label}]
    out: dict[str, Any] = {
        "identifiers": [f"{record.slug}/v{record.version}"],
        "publisher": publisher,
        "verantwoordelijke": publisher,
        "opsteller": {"label": responsible_unit or issuer},
        "officieleTitel": record.title,
        "taal": {"resource": lang_uri, "label": lang_label},
        "creatiedatum": record.date.isoformat(),
        "classificatiecollectie": classification,
        "format": [{"resource": FILE_TYPE + d.format.upper(), "label": d.format.upper()} for d in record.downloads],
    }
    if record.status in ("vastgesteld", "gepubliceerd"):
        out["documenthandelingen"] = [
            {
                "soortHandeling": {"label": "vaststelling"},
                "atTime": record.date.isoformat(),
                "wasAssociatedWith": publisher,
            }
        ]
    return out


def json_ld(record: EditionRecord, style: PublicationStyle, page_url: str) -> dict[str, Any]:
    """schema.org's description of the edition (a ``Report``), for search
    engines and harvesters; URLs relative to the page unless a base URL was given."""
    start, end = record.reference_period
    return {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": record.title,
        "inLanguage": record.language,
        "version": record.version,
        "datePublished": record.date.isoformat(),
        "temporalCoverage": f"{start.isoformat()}/{end.isoformat()}",
        "about": {"@type": "Country", "name": record.country},
        "creativeWorkStatus": record.status,
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": style.publisher.name,
            **({"identifier": style.publisher.tooi} if style.publisher.tooi else {}),
        },
        "url": page_url,
        "isAccessibleForFree": True,
        "encoding": [
            {
                "@type": "MediaObject",
                "contentUrl": (page_url.rsplit("/", 1)[0] + "/" if "/" in page_url else "") + d.file,
                "encodingFormat": d.media_type,
                "contentSize": str(d.bytes),
                "sha256": d.sha256,
            }
            for d in record.downloads
        ],
    }
