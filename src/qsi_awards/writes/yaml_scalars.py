"""Text -> YAML scalars that read back as the same text, for every command that writes YAML.

`assign` (score-sheet stubs), `new entry` and `init` write IDs, handles and text into
YAML files. Written plain, an ID such as ``007`` or ``1e3`` reads back as a number,
``no`` or ``on`` as a boolean, ``null`` or ``~`` as nothing, and a handle ``1234`` fails
validation as a number. So every value and key qsi writes goes through `scalar` (or
`quoted`, for free text a person will edit later).

The rule is deliberately conservative and does not depend on how a loader types plain
scalars (YAML 1.1 and 1.2 disagree, and editors use either): only a word of lower-case
letters, digits and dashes that starts with a letter, and is not one of YAML 1.1's
boolean or null words, is written plain. Everything else is double-quoted, with every
character a YAML reader would not keep exactly as it is (line breaks, control and
format characters, the byte order mark) written as an escape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..controls import CONTROL

_PLAIN = re.compile(r"[a-z][a-z0-9-]*\Z")
# YAML 1.1 booleans and nulls that _PLAIN would otherwise let through (lower case only)
_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_NAMED = {"\\": "\\\\", '"': '\\"', "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t",
          "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r", "\x1b": "\\e"}


def _kept(code: int) -> bool:
    """True for a character YAML keeps as it is inside double quotes: printable, and not
    a line break (NEL, LS, PS fold like a newline), the byte order mark or a control
    character qsi's reader refuses raw (controls.py: the bidirectional overrides)."""
    return (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF) and code not in (0x2028, 0x2029, 0xFEFF) \
        and not CONTROL.match(chr(code))


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if _kept(code):
        return char
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# every character _escape changes: the named ones, and those _kept refuses
_ESCAPED = re.compile("[\\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]|"
                      + CONTROL.pattern)


def quoted(value: str) -> str:
    """`value` as a YAML double-quoted scalar."""
    return '"' + _ESCAPED.sub(lambda m: "".join(map(_escape, m.group())), value) + '"'


def scalar(value: str) -> str:
    """`value` as a YAML scalar (a value or a key) that reads back as exactly this text:
    plain when that is safe for any YAML reader, else double-quoted."""
    if _PLAIN.match(value) and value not in _WORDS:
        return value
    return quoted(value)


def flow_list(values: Iterable[str]) -> str:
    """A one-line YAML list of texts: [a, "1234", b]."""
    return "[" + ", ".join(map(scalar, values)) + "]"


def _number(value: int | float) -> str:
    """A number as qsi's reader reads one: a plain decimal, never an exponent."""
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    if "e" in text or "E" in text:
        from decimal import Decimal

        text = format(Decimal(text), "f")
    return text


def _inline(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return scalar(value)
    return "{}" if isinstance(value, dict) else "[]"  # empty: anything else is a block


_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_-]*\Z")  # a field name such as care_setting


def mapping_key(key: str) -> str:
    """A mapping key as YAML: plain where it can be (care_setting, patient-panel), else
    quoted."""
    return key if _PLAIN_KEY.match(key) and key not in _WORDS else scalar(key)


def _block(value: dict[str, object] | list[object], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
    for key, item in items:
        lead = f"{pad}{mapping_key(key)}:" if key is not None else f"{pad}-"
        if isinstance(item, dict | list) and item:
            inner = _block(item, indent + 2)
            if key is None:  # a list item: its first line goes after the dash
                lines.append(f"{lead} {inner[0].lstrip()}")
                lines += inner[1:]
            else:
                lines.append(lead)
                lines += inner
        else:
            lines.append(f"{lead} {_inline(item)}")
    return lines


def document(data: dict[str, object]) -> str:
    """Parsed YAML data (mappings, lists, text, numbers, true/false, null) as a block-style
    YAML document that qsi's reader reads back as exactly `data`: every text through
    `scalar`, every number as a plain decimal. Comments and the original layout are not
    kept: for writing a new file from data (`qsi archive`)."""
    return "\n".join(_block(data, 0)) + "\n" if data else "{}\n"
