"""Words the outputs print themselves, in the report's language, and long dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}

LABELS = {
    "nl": {
        "toc": "Inhoudsopgave",
        "unknown_source": "onbekende-bron",
        "colofon": "Colofon",
        "skip": "Direct naar de inhoud",
        "country": "Land",
        "date": "Datum",
        "period": "Verslagperiode",
        "issuer": "Opgesteld door",
        "version": "Versie",
        "status": "Status",
        "previous": "Vorig ambtsbericht",
        "place": "Plaats",
        "unit": "Verantwoordelijke afdeling",
        "pages": "Aantal pagina’s",
        "annexes": "Aantal bijlagen",
        "kind": {
            "algemeen": "Algemeen ambtsbericht",
            "thematisch": "Thematisch ambtsbericht",
            "kort": "Kort ambtsbericht",
        },
        "kind_in_title": {"algemeen": (), "thematisch": (), "kort": ()},  # the kind's own name only
        "figure": "Figuur",
        "table": "Tabel",
        "chapter": "hoofdstuk",
        "section": "paragraaf",
        "annex": "Bijlage",
        "sources": "Geraadpleegde openbare bronnen",
        "abbreviations": "Lijst van afkortingen",
        "tor": "Terms of Reference",
        "answered_in": "Beantwoord in",
        "geen_informatie": "geen informatie gevonden",
        "unanswered": "niet beantwoord",
        "page": "p.",
        "page_of": ("Pagina ", " van "),
        "notes": "Noten",
        "note": "noot",
        "back_to_note": "terug naar de tekst bij noot",
        "to": "tot en met",
        "concept": "CONCEPT",
        "concept_note": "dit ambtsbericht is nog niet vastgesteld",
        "missing_image": "afbeelding ontbreekt",
        "full_size": "op ware grootte",
        "close_figure": "Terug naar de tekst",
        "groups": {
            "reports": "Rapporten en publicaties",
            "news": "Nieuwsberichten",
            "web": "Websites",
            "law": "Wet- en regelgeving",
        },
        # a label with a colon reads right whatever requested_by holds ("het
        # Ministerie", "de IND", "IND"): "Opgesteld op verzoek van Ministerie" lacked "het"
        "requested_by": "Opdrachtgever:",
        "abbr": "Afkorting",
        "meaning": "Betekenis",
        # an edition's status as the colofon prints it
        "statuses": {
            "concept": "concept",
            "review": "review",
            "vastgesteld": "vastgesteld",
            "gepubliceerd": "gepubliceerd",
        },
        # a translated edition's text still in the report's language (render/untranslated.py)
        "untranslated": "Nog niet vertaald ({language})",
        "language_names": {"nl": "Nederlands", "en": "Engels"},
    },
    "en": {
        "toc": "Contents",
        "unknown_source": "unknown-source",
        "colofon": "Colophon",
        "skip": "Skip to content",
        "country": "Country",
        "date": "Date",
        "period": "Reference period",
        "issuer": "Prepared by",
        "version": "Version",
        "status": "Status",
        "previous": "Previous report",
        "place": "Place",
        "unit": "Responsible unit",
        "pages": "Number of pages",
        "annexes": "Number of annexes",
        "kind": {
            "algemeen": "General country report",
            "thematisch": "Thematic country report",
            "kort": "Short country report",
        },
        # how a title may also say the kind (title_says_kind): the example's English
        # title is "General country of origin report Voorbeeldland"
        "kind_in_title": {
            "algemeen": ("general country of origin report",),
            "thematisch": ("thematic country of origin report",),
            "kort": ("short country of origin report",),
        },
        "figure": "Figure",
        "table": "Table",
        "chapter": "chapter",
        "section": "section",
        "annex": "Annex",
        "sources": "Public sources consulted",
        "abbreviations": "List of abbreviations",
        "tor": "Terms of Reference",
        "answered_in": "Answered in",
        "geen_informatie": "no information found",
        "unanswered": "not answered",
        "page": "p.",
        "page_of": ("Page ", " of "),
        "notes": "Notes",
        "note": "note",
        "back_to_note": "back to the text of note",
        "to": "to",
        "concept": "DRAFT",
        "concept_note": "this report has not been adopted",
        "missing_image": "image missing",
        "full_size": "at full size",
        "close_figure": "Back to the text",
        "groups": {
            "reports": "Reports and publications",
            "news": "News articles",
            "web": "Websites",
            "law": "Legislation",
        },
        "requested_by": "Requested by:",
        "abbr": "Abbreviation",
        "meaning": "Meaning",
        "statuses": {"concept": "draft", "review": "in review", "vastgesteld": "adopted", "gepubliceerd": "published"},
        "untranslated": "Not yet translated ({language})",
        "language_names": {"nl": "Dutch", "en": "English"},
    },
}


def long_date(d: dt.date, lang: str = "nl") -> str:
    """ "1 maart 2026" (nl) or "1 March 2026" (en)."""
    return f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}"


def month_year(d: dt.date, lang: str = "nl") -> str:
    return f"{MONTHS[lang][d.month - 1]} {d.year}"


def labels(lang: str) -> dict[str, Any]:
    return LABELS.get(lang, LABELS["nl"])


def title_says_kind(title: str, kind: str, lang: str) -> bool:
    """Whether the report's ``title`` already says its ``kind`` (the kind's
    label in ``lang``, "General country report"), in any case, or in one of
    ``kind_in_title``'s wordings: then a cover prints no kind line above it
    (the HTML and PDF cover, the DOCX and ODT subtitle)."""
    L = labels(lang)
    said = [kind] + [w for key, label in L["kind"].items() if label == kind for w in L["kind_in_title"][key]]
    return any(words.casefold() in title.casefold() for words in said)


def bcp47(lang: str) -> str:
    return {"nl": "nl-NL", "en": "en-GB"}.get(lang, lang)
