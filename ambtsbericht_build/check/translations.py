"""Translation rules (AB601-AB605): the PO files of ``translations/<lang>/``
held against the Dutch text (the work is in :mod:`..translate.state`).

A translation is public text: its msgstr texts are also looked for pieces of
secrets, with the chapters (AB302, check/confidential.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..diagnostics import Diagnostics, Severity
from ..load import LoadedChapter
from ..translate import LANGUAGES
from ..translate.catalog import translations_dir
from ..translate.state import FileState, translation_state
from . import Context, Finding, RuleDoc, Snippet, chapter, rule, yaml_in

_PO = "translations/en/chapters/03-voorbeeld.po"
_CHAPTER = """
## Verkiezingen {tor="1.1"}

Op 1 maart 2025 vonden verkiezingen plaats.[@hrw-2025]
"""
_HEAD = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
_TITLE = 'msgid "Verkiezingen"\nmsgstr "Elections"\n\n'
_ENTRY = '#, python-brace-format\nmsgid "Op 1 maart 2025 vonden verkiezingen plaats.{1}"\n'


def _po(msgstr: str, title: str = _TITLE, flags: str = "") -> Snippet:
    return Snippet(_PO, _HEAD + title + flags + _ENTRY + f'msgstr "{msgstr}"\n')


_GOOD = _po("Elections were held on 1 March 2025.{1}")
_VASTGESTELD = yaml_in(
    "report.yaml",
    """
    status: vastgesteld
    review:
      - {step: intern-review, date: 2026-02-10, role: collegiaal toetser, by: A. de Vries, commit: 3f9c2e1}
      - {step: jenv-review, date: 2026-02-20, role: toetser JenV, by: B. Jansen, commit: 8d41a07}
      - {step: vastgesteld, date: 2026-03-01, role: afdelingshoofd, by: C. Bakker, commit: 8d41a07}
    """,
)


@dataclass
class _States:
    """The translation state of every language, read once per check."""

    files: dict[str, list[FileState]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)  # AB603, from reading

    def chapter(self, lc: LoadedChapter) -> None:
        """Nothing to do per chapter (the Early protocol)."""


def translation_states(ctx: Context) -> _States:
    got = ctx.early.get("translations")
    if isinstance(got, _States):
        return got
    out = _States()
    for lang in LANGUAGES:
        if translations_dir(ctx.report, lang).is_dir():
            diags = Diagnostics()
            out.files[lang] = translation_state(ctx.report, lang, diags)
            out.findings += [Finding(d.file, d.line, d.column, d.message) for d in diags if d.code == "AB603"]
    ctx.early["translations"] = out
    return out


@rule(
    "AB601",
    Severity.WARNING,
    "a translation of a vastgesteld or gepubliceerd report is not complete (untranslated, fuzzy or broken entries)",
    RuleDoc(
        finds="""
        In a report whose status is `vastgesteld` or `gepubliceerd` and that
        has a translation (`translations/<lang>/`): each PO file with entries
        that are untranslated, fuzzy (the Dutch changed since they were
        translated) or broken (AB602, AB604), with the counts. In a concept
        the same counts are shown by `abuild status` (with the chapters that
        have no PO file yet), not as findings: a translation in progress is
        normal work.
        """,
        why="""
        An established edition in another language must say what the Dutch
        says. An entry shown in Dutch is marked in a concept edition; an
        established edition with any is refused by the render.
        """,
        example=(_VASTGESTELD, chapter(_CHAPTER), _po("", flags="")),
        fix="""
        Run `abuild translate extract REPORT --lang en`, translate the
        untranslated and fuzzy entries (clear the fuzzy flag once checked),
        and check again.
        """,
        fixed=(_GOOD,),
    ),
)
def translation_incomplete(ctx: Context) -> Iterator[Finding]:
    r = ctx.report.report
    if r is None or not r.status.final:
        return
    for lang, files in translation_states(ctx).files.items():
        for fs in files:
            # an existing PO file: a chapter that has none yet is in abuild status's counts
            if fs.catalog is None or fs.po is None or fs.translated == fs.total:
                continue
            what = fs.catalog.chapter.file.name if fs.catalog.chapter is not None else f"{fs.catalog.kind}.yaml"
            yield Finding(fs.path, 1, 1, f"translation '{lang}' of {what}: {fs.summary()}")


@rule(
    "AB602",
    Severity.ERROR,
    "a translation drops, repeats or alters a placeholder of the Dutch text",
    RuleDoc(
        finds="""
        A translated entry (msgstr) in a PO file whose placeholders do not
        match its msgid: a placeholder `{n}` missing, written twice, or one
        the Dutch text does not have, or a single `{` or `}` (a brace in
        the text is written `{{` or `}}`). The position is the msgstr's, in
        the PO file.
        """,
        why="""
        A placeholder stands for what a translator must not change: a
        citation, a note reference, a cross-reference, a link's target. A
        dropped one loses a source or a footnote in the translated edition;
        the entry is shown in Dutch until it is corrected.
        """,
        example=(chapter(_CHAPTER), _po("Elections were held on 1 March 2025.")),
        fix="Put each placeholder of the msgid exactly once into the msgstr, where it belongs in the sentence.",
        fixed=(_GOOD,),
    ),
)
def broken_placeholder(ctx: Context) -> Iterator[Finding]:
    yield from _issues(ctx, "AB602")


@rule(
    "AB603",
    Severity.ERROR,
    "a PO file cannot be read (syntax error, too large, not UTF-8, an entry written twice)",
    RuleDoc(
        finds="""
        A PO file under `translations/<lang>/` that cannot be read: a
        syntax error (an unclosed quote, a stray line), a file over the size
        limit (`--max-file-size`), not UTF-8, a symbolic link that leaves
        the repository, or an entry (msgctxt and msgid) written twice. The
        position is where reading stopped, or the second entry.
        """,
        why="""
        Its translations cannot be used: the edition shows the chapter in
        Dutch. `abuild translate extract` leaves such a file as it is, so
        that no translation is lost; it must be repaired first.
        """,
        example=(chapter(_CHAPTER), Snippet(_PO, _HEAD + 'msgid "Verkiezingen"\nmsgstr "Elections\n')),
        fix="Repair the line the message names (an editor such as Poedit says what is wrong), then check again.",
        fixed=(_GOOD,),
    ),
)
def unreadable_po(ctx: Context) -> Iterator[Finding]:
    yield from translation_states(ctx).findings
    yield from _issues(ctx, "AB603")  # an entry written twice


@rule(
    "AB604",
    Severity.ERROR,
    "a translation adds markup the Dutch text does not have (a block, raw HTML, an attribute, a citation, a link)",
    RuleDoc(
        finds="""
        A msgstr that would change what the Dutch text is, not only its
        words: a line break, a `:::` fence, an HTML comment, raw HTML, a
        heading, list or table line, a citation, note, link or image the
        Dutch does not have, a `|` in a table cell, an unpaired `[` or `]`
        (it would close the figure or span the text stands in), an attribute
        block (`[x]{{.intern}}`, `{{hidden}}`, `{{style="display:none"}}`:
        classes and attributes come from the Dutch only), a tag-like `<`,
        or nesting beyond the limits of AB008 (nine `[` deep); in a YAML value's
        translation (title, question, glossary) any markup character the
        Dutch value does not have.
        """,
        why="""
        The Dutch text is checked and reviewed; a translation is typed by
        someone outside the team. It must not be able to bring in what the
        check would refuse in Dutch: a citation of a confidential source, an
        `::: intern` block, a link to a tracking address, hidden HTML.
        """,
        example=(chapter(_CHAPTER), _po("Elections were held on 1 March 2025.{1} <!-- bron: Jan -->")),
        fix="Translate the words only; markup comes from the Dutch text, through its placeholders.",
        fixed=(_GOOD,),
    ),
)
def added_markup(ctx: Context) -> Iterator[Finding]:
    yield from _issues(ctx, "AB604")


@rule(
    "AB605",
    Severity.WARNING,
    "a PO file is out of date: translations of Dutch text that has changed, or a PO file for no chapter",
    RuleDoc(
        finds="""
        A PO file with translated entries whose Dutch text (msgid) is no
        longer in the chapter or YAML file (the Dutch was edited after the
        last `abuild translate extract`), or a PO file under
        `translations/<lang>/` that belongs to no chapter of the report.
        """,
        why="""
        Those translations are not used: the edited units are shown in
        Dutch. Extracting again keeps them as fuzzy entries with the old
        translation, for a translator to check.
        """,
        example=(
            chapter(_CHAPTER),
            Snippet(_PO, _HEAD + _TITLE + 'msgid "Op 2 maart 2025 vonden verkiezingen plaats."\nmsgstr "Elections."\n'),
        ),
        fix="Run `abuild translate extract REPORT --lang en` and update the fuzzy entries.",
        fixed=(_GOOD,),
    ),
)
def out_of_date(ctx: Context) -> Iterator[Finding]:
    for lang, files in translation_states(ctx).files.items():
        for fs in files:
            if fs.catalog is None:
                msg = f"{fs.path.name} belongs to no chapter of the report; remove it or restore its chapter"
                yield Finding(fs.path, 1, 1, msg)
            elif fs.stale:
                n = len(fs.stale)
                msg = (
                    f"{n} translated entr{'y is' if n == 1 else 'ies are'} for Dutch text that is no longer there"
                    f" (first at this line): run abuild translate extract --lang {lang}"
                )
                yield Finding(fs.path, max(1, fs.stale[0].linenum), 1, msg)


def _issues(ctx: Context, code: str) -> Iterator[Finding]:
    for files in translation_states(ctx).files.values():
        for fs in files:
            for i in fs.issues:
                if i.code == code:
                    yield Finding(fs.path, i.line, i.column, i.message)
