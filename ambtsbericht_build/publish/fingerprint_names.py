"""Code names: the terms a secret value records as a name without quotes.

Split out of fingerprint.py. Which keys say their value is a name
(``codenaam: Kompas``), a person (``bron: Kompas``) or a description
(``plaats: Havenstad``), and the capitalised terms in parentheses or emphasis
(``contact (Kompas)``, ``*Kompas*``) that a drafter marks as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .fingerprint_words import FUNCTION_WORD, token_seq

# Keys that say their value is a name (NL3 of the second red-team report:
# ``codenaam: Kompas`` is the natural way to record a code name): any value
# of 1-3 words under them is one. Folded key words, matched whole or, for
# the ``-naam``/``-name`` family, as a word's end (codenaam, schuilnaam,
# bijnaam, roepnaam, deknaam, voornaam, nickname, codename)
NAME_KEYS = frozenset({"code", "codes", "alias", "aliassen", "aliases", "pseudoniem", "pseudonym", "handle", "nick"})
NAME_KEY_ENDS = ("naam", "namen", "name", "names")
# Keys that hold a person, or a description of one (``who: diplomatiek
# medewerker``): only a value of one capitalised word is a name under them
PERSON_KEYS = frozenset(
    {"who", "wie", "bron", "source", "informant", "contact", "contactpersoon", "tipgever", "persoon", "person"}
)
MAX_CODE_WORDS = 3
# a label of more words is a note, not a name for its key
MAX_LABEL_WORDS = 4
MAX_LABEL_CHARS = 200
# the first part of a value, before a comma, semicolon or parenthesis
_FIRST = re.compile(r"[^,;(\[\n]+")
# a capitalised term of 1-3 words in parentheses or in Markdown emphasis
# (``*x*``, ``_x_``, ``**x**``), not inside a word
# ... or in square brackets, braces or angle brackets, as plainly marked
# (``contact [Komeet]``, ``{Komeet}``, ``<Komeet>``: red team pass 3, Q12, Q21, Q22)
_PARENS = re.compile(r"[(\[{<]([^()\[\]{}<>\n]{1,60})[)\]}>]")
# the label of a key that holds a mapping or a list (``Komeet: {rol:
# informant}``, ``Komeet: [informant]``): the key names what it holds, so
# one capitalised word is a name (red team pass 3, Q09, Q19)
HOLDER = "{}"
_EMPHASIS = re.compile(r"(?<![^\W_])([*_]{1,3})(?=[^\s*_])([^*_\n]{1,60}?)(?<=[^\s*_])\1(?![^\W_])")


# Keys whose one capitalised word describes rather than names: a place, a
# language, a nationality, a role (``plaats: Havenstad``, ``taal: Engels``:
# printed everywhere, always capitalised). Under any other key one
# capitalised word is a code name (red team pass 3, NL11: ``codewoord:``,
# ``aka:``, ``dekmantel:``, ``label:``, ``ook bekend als:``)
DESCRIBING_KEYS = frozenset(
    {
        "plaats", "locatie", "stad", "dorp", "wijk", "regio", "provincie", "land", "adres", "waar",
        "place", "location", "city", "town", "region", "province", "country", "address", "where",
        "taal", "talen", "language", "languages", "nationaliteit", "nationality", "etniciteit", "ethnicity",
        "religie", "geloof", "religion", "rol", "role", "functie", "function", "beroep", "job",
        "organisatie", "organization", "organisation", "werkgever", "employer", "status", "type", "soort", "kind",
        "categorie", "category", "partij", "party",
    }
)  # fmt: skip


@lru_cache(maxsize=4096)
def _names_any(label: str) -> bool:
    """Is one capitalised word under ``label`` a name? Under any key but one
    that describes (:data:`DESCRIBING_KEYS`) or a long note's label."""
    words = token_seq(label) if label and len(label) <= MAX_LABEL_CHARS else ()
    return 0 < len(words) <= MAX_LABEL_WORDS and not any(w in DESCRIBING_KEYS for w in words)


@lru_cache(maxsize=4096)  # the same few keys (who, notes) on every source
def _key_says(label: str) -> str:
    """The kind of name ``label`` says its value is: "name", "person" (it holds
    a person or a description of one) or "" (nothing)."""
    words = token_seq(label) if label and len(label) <= MAX_LABEL_CHARS else ()
    if len(words) > MAX_LABEL_WORDS:
        return ""  # a note that mentions a code name ("notes: ... codenaam ...") says nothing of its key
    if any(w in NAME_KEYS or w.endswith(NAME_KEY_ENDS) for w in words):
        return "name"
    if any(w in PERSON_KEYS for w in words):
        return "person"
    return ""


def code_names(value: str, label: str, freq: dict[str, str]) -> Iterator[tuple[str, ...]]:
    """Terms ``value`` records as a name without quotes: the whole value
    under a name key (``codenaam: Kompas``; under a person key only one
    capitalised word: ``bron: Kompas``) and, under a name key, its first
    part when capitalised (``Kompas (sinds 2024)``); a capitalised term of
    1-3 words in parentheses or emphasis (``contact (Kompas)``,
    ``contact *Kompas*``). Function words alone ("(De)", "*niet*") are none."""

    def term(text: str, capitalised: bool) -> tuple[str, ...] | None:
        text = text.strip()
        seq = token_seq(text)
        if not 0 < len(seq) <= MAX_CODE_WORDS or (capitalised and not text[:1].isupper()):
            return None
        letters = sum(len(t) for t in seq if not t.isdigit())
        if letters < 3 or all(t.isdigit() or freq.get(t, "00") >= FUNCTION_WORD for t in seq):
            return None
        return seq

    # under any other key, one capitalised word is a name too: a drafter
    # records a code name under any key (``codewoord:``, ``aka:``,
    # ``dekmantel:``, ``label:``, ``ook bekend als:``; red team pass 3, NL11),
    # and a single capitalised word is not a note. The example and the
    # benchmark report have no such value that their public text prints.
    # (A value without a key, as :func:`fingerprints` is called alone, is not
    # read so: "Havenstad" alone is a common word)
    says = "person" if label == HOLDER else (_key_says(label) or ("person" if _names_any(label) else ""))
    whole = term(value, says == "person") if says else None
    if whole is not None and (says == "name" or len(whole) == 1):
        yield whole
    if says == "name":
        # the name before a comment: "Kompas (sinds 2024)", "Kompas, ook Anker"
        first = _FIRST.match(value)
        head = term(first.group(0), True) if first and first.end() < len(value.rstrip()) else None
        if head is not None:
            yield head
    for rx, group in ((_PARENS, 1), (_EMPHASIS, 2)):
        for m in rx.finditer(value):
            inner = term(m.group(group), True)
            if inner is not None:
                yield inner
