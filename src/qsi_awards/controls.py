"""Control characters in input text: one definition, and what each output does with them.

A control character, here, is one that changes how the text around it shows instead
of showing itself: the C0 controls except tab and line feed (escape, NUL, bell,
backspace, carriage return, ...), DEL, the C1 controls U+0080-U+009F (U+009B is a
one-character "escape [" to some terminals), and the bidirectional embeddings,
overrides and isolates U+202A-U+202E and U+2066-U+2069, which reorder the text
around them so that a line reads as something it is not. None of them belongs in a
programme's text; from a copy and paste or on purpose, they could move a terminal's
cursor, erase or hide lines of qsi's output, or put a NUL into a web page.

- Text people read (the terminal, text and Markdown reports): each is shown escaped,
  as ``\\x1b`` or ``\\u202e`` (`escaped`); in JSON reports, as a JSON escape.
- Rendered files (HTML, Markdown, CSV, PDF): they are removed (`removed`).
- A YAML file that holds one raw is a finding at the character's own line and column
  (yamlparse), named in words by `describe`.
"""

from __future__ import annotations

import re
import unicodedata

_BIDI = "\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
# In a YAML file a carriage return is a line break, not a control character.
IN_YAML = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")

# Unicode has no character names for the C0 controls, only these aliases.
_C0_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION",
    "ENQUIRY", "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED",
    "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
    "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "FILE SEPARATOR", "GROUP SEPARATOR", "RECORD SEPARATOR", "UNIT SEPARATOR",
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escaped(text: str) -> str:
    """`text` with every control character shown as an escape (``\\x1b``), for people."""
    return CONTROL.sub(_escape, text)


def json_escaped(text: str) -> str:
    """JSON text with the control characters json.dumps leaves raw (DEL, C1, bidi) as
    ``\\u`` escapes: the same data, safe on a terminal."""
    return CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def removed(text: str) -> str:
    """`text` without its control characters, for files others open (HTML, CSV)."""
    return CONTROL.sub("", text)


def describe(char: str) -> str:
    """'U+001B ESCAPE', 'U+202E RIGHT-TO-LEFT OVERRIDE', 'U+009B' (C1 controls have no
    name): how a message names a character."""
    code = ord(char)
    if code < len(_C0_NAMES):
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "DELETE"
    else:
        name = unicodedata.name(char, "")
    return f"U+{code:04X} {name}".rstrip()
