"""The DOCX's notes (:func:`.docx_package.finish_docx` calls these): a
note's own number as a label, a tab and the text hanging after it, the
calls superscript. Regular expressions on pandoc's own markup."""

from __future__ import annotations

import re

# --- the separator rule -------------------------------------------------------------------

# the space around the rule above the notes, as the PDF's: print.css sets
# the footnote area's rule with WeasyPrint's margin-top of 1em (10.5 pt,
# 3.7 mm) above it; below it 2 mm (the PDF's first note line has its
# 1.3 line height's leading and ascent above its letters). Pandoc's DOCX had
# none and the reference ODT 1 mm: the rule touched the last line's descenders.
SEPARATOR_BEFORE_PT = 10.5
SEPARATOR_AFTER_PT = 5.67
_SEPARATOR = re.compile(
    r"(<w:footnote\b[^>]*w:type=\"(?:continuationSeparator|separator)\"[^>]*>\s*<w:p)>(?:\s*<w:pPr\s*/>)?(?!\s*<w:pPr>)"
)


def separator_space(footnotes: str) -> str:
    """footnotes.xml whose separator paragraphs (pandoc writes them without
    properties) have the PDF's space above and below the rule; a separator
    with its own properties is left as it is."""
    twips = f'w:before="{round(SEPARATOR_BEFORE_PT * 20)}" w:after="{round(SEPARATOR_AFTER_PT * 20)}"'
    ppr = f'<w:pPr><w:spacing {twips} w:line="240" w:lineRule="auto"/></w:pPr>'
    return _SEPARATOR.sub(lambda m: m.group(1) + ">" + ppr, footnotes)


# --- note numbers -----------------------------------------------------------------------------

_NOTE_NUMBER = re.compile(
    r'(<w:pPr>\s*<w:pStyle w:val="FootnoteText" />)?(\s*</w:pPr>\s*)?'
    r'<w:r>\s*<w:rPr>\s*<w:rStyle w:val="FootnoteReference" />\s*</w:rPr>\s*<w:footnoteRef />\s*</w:r>'
    r'(?:<w:r>\s*<w:t xml:space="preserve"> </w:t>\s*</w:r>)?'
)
# the room of a note's number, as the PDF's (print.css: 2.6em at 8.5 pt, 22.1 pt)
NOTE_INDENT = 442
_NOTE_TABS = f'<w:tabs><w:tab w:val="left" w:pos="{NOTE_INDENT}" /></w:tabs>'


def note_numbers(footnotes: str) -> str:
    """A note's own number as a label on the line, then a tab to the note's
    text, which hangs from the number's room as in the PDF (its later lines
    start under the text, not under the number). The number stays Word's
    automatic one (w:footnoteRef), without the PDF's period: LibreOffice
    sets a footnote's number itself, in the room of a hanging indent, and
    put the period at the start of the text (".United Nations ..."), so
    Word and LibreOffice both print "4", a tab, the text."""

    def one(m: re.Match[str]) -> str:
        ppr = (
            f'<w:pPr><w:pStyle w:val="FootnoteText" />{_NOTE_TABS}<w:ind w:left="{NOTE_INDENT}"'
            f' w:hanging="{NOTE_INDENT}" /></w:pPr>'
            if m.group(1) and m.group(2)
            else (m.group(1) or "") + (m.group(2) or "")
        )
        rpr = f'<w:rPr><w:rStyle w:val="{NOTE_NUMBER}" /><w:vertAlign w:val="baseline" /></w:rPr>'
        return f"{ppr}<w:r>{rpr}<w:footnoteRef /></w:r><w:r><w:tab /></w:r>"

    return _NOTE_NUMBER.sub(one, footnotes)


_CALL_STYLE = '<w:rStyle w:val="FootnoteReference" /></w:rPr><w:footnoteReference'


def superscript_calls(document: str) -> str:
    """A note call in the text superscript by its run, not by its style:
    LibreOffice prints a note's own number in the call's style (Word's
    "Footnote Reference"), which therefore sets it on the line (:func:`note_number_style`)."""
    return document.replace(_CALL_STYLE, _CALL_STYLE.replace("</w:rPr>", '<w:vertAlign w:val="superscript" /></w:rPr>'))


# the character style of a note's own number: on the line (the call in the
# text keeps pandoc's superscript Footnote Reference style)
NOTE_NUMBER = "AbuildNoteNumber"
_NOTE_NUMBER_STYLE = (
    f'<w:style w:type="character" w:customStyle="1" w:styleId="{NOTE_NUMBER}">'
    '<w:name w:val="Note Number"/><w:rPr><w:vertAlign w:val="baseline"/></w:rPr></w:style>'
)


def note_number_style(styles: str) -> str:
    """The note number's character style, the note text's paragraph style
    indented by the number's room (a note's later paragraphs line up with
    its text; the first hangs its number into the room), and the calls'
    style without its superscript."""
    # (w:ind follows w:spacing in CT_PPrBase; the reference style has no w:ind of its own)
    styles = re.sub(
        r'(<w:style w:styleId="FootnoteText" w:type="paragraph">(?:(?!</w:style>).)*?<w:pPr>'
        r"(?:(?!</w:pPr>|<w:ind\b).)*?(?:<w:spacing\b[^>]*/>)?)(?=\s*</w:pPr>)",
        rf'\1<w:ind w:left="{NOTE_INDENT}" />',
        styles,
        count=1,
        flags=re.S,
    )
    # the calls' style on the line, its runs superscript (:func:`superscript_calls`)
    styles = re.sub(
        r'(<w:style w:styleId="FootnoteReference" w:type="character">(?:(?!</w:style>).)*?)'
        r'<w:vertAlign w:val="superscript"\s*/>',
        r"\1",
        styles,
        count=1,
        flags=re.S,
    )
    if f'w:styleId="{NOTE_NUMBER}"' in styles:
        return styles
    return styles.replace("</w:styles>", _NOTE_NUMBER_STYLE + "</w:styles>", 1)
