"""Characters no output can carry: control characters, lone surrogates and noncharacters.

Text reaches many readers (a terminal, a spreadsheet, XML, Markdown, Mermaid, a chart), and
some characters break every one of them: control characters other than tab and the line
breaks (an ESC recolours a terminal, a NUL or a vertical tab makes XML malformed and Excel
refuse the cell), lone surrogates (half an emoji: not a character at all, and no UTF-8 file
can hold one) and the noncharacters U+FFFE and U+FFFF. Validation refuses them where they are
read (:func:`find_unprintable` locates the first), and every writer replaces them on the way
out (:func:`printable`), so text built in code cannot break an output either.

The characters that reorder the text around them (bidirectional embeddings, overrides and
isolates, U+202A to U+202E and U+2066 to U+2069) are read, with a warning, and written as
U+FFFD too: a name holding a right-to-left override displays in another order than it is
stored, so "Payroll\u202etxt.exe" would show as "Payrollexe.txt" ("Trojan Source").

The soft line breaks Word and PowerPoint paste into a cell (vertical tab, form feed, and the
Unicode line and paragraph separators) are read as line breaks (:func:`normalise_breaks`).

Examples
--------
>>> find_unprintable("PAS\\x1b[31m")
(3, 'an escape character (ESC, U+001B)')
>>> printable("PAS\\x00 main\\ud800")
'PAS\\ufffd main\\ufffd'
>>> printable("Payroll \\u202etxt.exe"), find_reordering("Payroll \\u202etxt.exe")
('Payroll \\ufffdtxt.exe', (8, 'a right-to-left override (U+202E)'))
>>> one_line("Ward 7\\r\\n# kiosk")
'Ward 7 # kiosk'
>>> normalise_breaks("line one\\x0bline two")
'line one\\nline two'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "LINE_BREAKS",
    "REORDERING",
    "REPLACEMENT",
    "SOFT_BREAKS",
    "UNPRINTABLE",
    "describe",
    "find_reordering",
    "find_unprintable",
    "normalise_breaks",
    "one_line",
    "printable",
    "shown",
]

#: Characters refused in input and replaced in output: C0 controls but tab, line feed and
#: carriage return; DEL and the C1 controls; lone surrogates; U+FFFE and U+FFFF.
UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")

#: Characters that reorder the text around them: the bidirectional embeddings, overrides
#: and isolates (U+202A to U+202E, U+2066 to U+2069). Read with a warning and replaced.
REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")

#: Line breaks other than line feed that people paste: vertical tab (Word's soft line break),
#: form feed, next line (U+0085), line and paragraph separators.
SOFT_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")

#: Every kind of line break, for outputs whose text must stay on one line.
LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")

#: What replaces a character an output cannot carry.
REPLACEMENT = "\ufffd"

_NAMES = {
    0x00: "a NUL character (U+0000)",
    0x07: "a bell character (BEL, U+0007)",
    0x08: "a backspace character (BS, U+0008)",
    0x0B: "a vertical tab (U+000B)",
    0x0C: "a form feed (U+000C)",
    0x1B: "an escape character (ESC, U+001B)",
    0x7F: "a delete character (DEL, U+007F)",
    0x85: "a next-line character (NEL, U+0085)",
    0x2028: "a line separator (U+2028)",
    0x2029: "a paragraph separator (U+2029)",
    0x202A: "a left-to-right embedding (U+202A)",
    0x202B: "a right-to-left embedding (U+202B)",
    0x202C: "a pop directional formatting character (U+202C)",
    0x202D: "a left-to-right override (U+202D)",
    0x202E: "a right-to-left override (U+202E)",
    0x2066: "a left-to-right isolate (U+2066)",
    0x2067: "a right-to-left isolate (U+2067)",
    0x2068: "a first strong isolate (U+2068)",
    0x2069: "a pop directional isolate (U+2069)",
    0xFFFE: "the noncharacter U+FFFE",
    0xFFFF: "the noncharacter U+FFFF",
}


def describe(character: str) -> str:
    """Name a character a person cannot see, with its code point.

    >>> describe("\\x01"), describe("\\udc80")
    ('a control character (U+0001)', 'a lone surrogate (U+DC80, half of a character pair)')
    """
    code = ord(character)
    if code in _NAMES:
        return _NAMES[code]
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate (U+{code:04X}, half of a character pair)"
    if unicodedata.category(character) == "Cc":
        return f"a control character (U+{code:04X})"
    return f"the character U+{code:04X}"


def find_unprintable(text: str) -> tuple[int, str] | None:
    """The position (from 0) and description of the first unprintable character, or None."""
    return _first(UNPRINTABLE, text)


def find_reordering(text: str) -> tuple[int, str] | None:
    """The position (from 0) and description of the first character that reorders the text
    around it (:data:`REORDERING`), or None."""
    return _first(REORDERING, text)


def _first(pattern: re.Pattern, text: str) -> tuple[int, str] | None:
    match = pattern.search(text)
    return None if match is None else (match.start(), describe(match.group()))


def normalise_breaks(text: str) -> str:
    """Soft line breaks and carriage returns (alone or before a line feed) become line feeds."""
    return SOFT_BREAKS.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))


def printable(text: str, replacement: str = REPLACEMENT) -> str:
    """``text`` with every unprintable or reordering character replaced (by U+FFFD unless
    told otherwise).

    Soft line breaks become line feeds; tab, line feed and carriage return are kept.
    """
    if not text.isascii() or not text.isprintable():
        text = UNPRINTABLE.sub(replacement, SOFT_BREAKS.sub("\n", text))
        text = REORDERING.sub(replacement, text)
    return text


def one_line(text: str, replacement: str = REPLACEMENT) -> str:
    """:func:`printable` text on one line: every line break and tab becomes a space."""
    return printable(LINE_BREAKS.sub(" ", text).replace("\t", " "), replacement)


def shown(text: str) -> str:
    """Text as a person can read it in a message: unprintable characters and line breaks
    written as escapes (``\\x1b``, ``\\n``), everything else as it is.

    >>> shown("PAS\\x1bmain\\nward")
    'PAS\\\\x1bmain\\\\nward'
    """
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in text
    )
