"""One function that makes any text safe for every output: Excel, PDF, iCal and JSON.

Text typed in a form or read from a workbook cell may hold control characters: Word's
vertical tab (U+000B, its manual line break), form feeds, NUL and the rest of C0. XML
1.0 forbids them, so openpyxl refuses to write them (every Excel export failed), and
they make no sense in a PDF, a calendar or a BI tool either. `clean_text` keeps tab,
line feed and carriage return, turns the vertical tab, form feed and the Unicode line
and paragraph separators into line feeds, and drops every other C0 character, DEL and
the non-characters U+FFFE/U+FFFF. Every export calls it on every text it writes, and the
importer and the forms clean what comes in.
"""

from __future__ import annotations

import re
from typing import Any

_LINE_BREAKS = {0x0B: "\n", 0x0C: "\n", 0x2028: "\n", 0x2029: "\n", 0x85: "\n"}
_TABLE: dict[int, str | None] = {code: None for code in range(0x20) if chr(code) not in "\t\n\r"}
_TABLE.update({0x7F: None, 0xFFFE: None, 0xFFFF: None})
_TABLE.update(_LINE_BREAKS)
# A character class search runs in C over the text: the common, clean case stays cheap.
_UNSAFE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_TABLE)) + "]")


def clean_text(value: str) -> str:
    """`value` without control characters; line breaks are kept (see the module)."""
    if not value or not _UNSAFE.search(value):
        return value
    return value.translate(_TABLE)


def clean_data(value: Any) -> Any:
    """`clean_text` applied to every string in nested dicts and lists (the JSON export)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_data(key): clean_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_data(item) for item in value]
    return value
