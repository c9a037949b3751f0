"""Read a municipality's udmøntningsplan workbook into plain data.

Pure: bytes or a path in, dataclasses out, no ORM. The writer (`writer.py`) puts the
result in the database. What is accepted is specified in `docs/excel-format.md`:
one sheet per kind or section rows or a kind column; title rows above the header;
header synonyms; any column order; Danish number text; status as word or fill colour;
several committees in one cell.

The workbook is opened in openpyxl's read-only mode and every sheet is iterated once,
so memory stays with the rows being read. Read-only mode does not report merged
ranges, so they are taken from the sheet's own `<mergeCells>` element.
"""

from __future__ import annotations

import ast
import colorsys
import io
import operator
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles.colors import COLOR_INDEX

from plans.importer.safety import MAX_ROWS, XML_ENTITIES, UnsafeWorkbook, check_workbook_bytes
from plans.months import MONTH_NAMES
from plans.sanitize import clean_text

HEADER_SCAN_ROWS = 15
MAX_COLUMNS = 80
# Blank or formatted-only rows are cheap but not free: stop a sheet that never ends.
MAX_SCANNED_ROWS = MAX_ROWS * 10

KIND_LABELS = {
    "drift": gettext_lazy("Driftsændringer"),
    "raaderum": gettext_lazy("Råderumsforslag"),
    "anlaeg": gettext_lazy("Anlægsprojekter"),
    "hensigt": gettext_lazy("Hensigtserklæringer"),
}

FIELD_LABELS = {
    "number": gettext_lazy("Nr."),
    "title": gettext_lazy("Emne"),
    "committee": gettext_lazy("Fagudvalg"),
    "kind": gettext_lazy("Type"),
    "heading": gettext_lazy("Hovedpunkt"),
    "description": gettext_lazy("Beskrivelse"),
    "cross_cutting": gettext_lazy("Tværgående"),
    "markers": gettext_lazy("Markering"),
    "timing": gettext_lazy("Tidspunkt"),
    "responsible": gettext_lazy("Ansvarlig"),
    "completed": gettext_lazy("Afsluttet"),
    "status_colour": gettext_lazy("Status"),
    "status_comment": gettext_lazy("Statuskommentar"),
    "course": gettext_lazy("Kursen"),
    "coordination": gettext_lazy("Koordinering"),
    "commitment": gettext_lazy("Commitment"),
    "board_role": gettext_lazy("Direktionens rolle"),
    "political_treatment": gettext_lazy("Politisk behandling"),
}

# The item's narrative: long plain texts, read as written.
NARRATIVE_FIELDS = ("course", "coordination", "commitment", "board_role")

REQUIRED_FIELDS = ("number", "title", "committee")

_TEXT_LIMITS = {
    "number": 20,
    "title": 500,
    "markers": 50,
    "timing": 200,
    "responsible": 200,
    "heading": 200,
}


def _norm_strict(text: str) -> str:
    """Header key: case-folded, bracketed parts, units, spaces and punctuation removed."""
    text = text.casefold()
    text = _BRACKETED.sub(" ", text)
    return _norm_loose(text)


# A bracketed part holds no opening bracket: each match attempt stops at the next one,
# so removing them is linear in the text. ("\([^)]*\)" scanned to the end of the text
# from every unclosed "(": quadratic, 121 s for a workbook of long cell texts.)
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_PARENTHESISED = re.compile(r"\([^()]*\)")


def _norm_loose(text: str) -> str:
    """Header key that keeps what stood in brackets: 'Afsluttet (X)' -> 'afsluttetx'."""
    text = text.casefold()
    text = re.sub(r"(i\s*)?(1\.?000|mio\.?|t)\s*kr\.?|\bkr\.?", " ", text)
    return re.sub(r"[^\w]|_", "", text)


# One entry per field: the column headings it is read from. A heading matches when it
# equals one of these after normalising (case, spaces, punctuation, units and bracketed
# parts dropped), also with a month name and a year left out ("Status oktober 2025",
# "Kursen for 2025"). Nothing is matched by its beginning only: "Bemærkninger fra
# udvalg" is no status comment but an ignored column.
_SYNONYMS = {
    "number": ["Nr.", "Nr", "Nummer", "Løbenr.", "Løbenummer", "ID", "Punkt nr.", "Nr"],
    "title": ["Emne", "Overskrift", "Titel", "Indsats"],
    "committee": ["Fagudvalg", "Udvalg"],
    "kind": ["Type", "Art", "Kategori"],
    "heading": ["Hovedpunkt", "Tema", "Overskriftsgruppe"],
    "description": ["Beskrivelse"],
    "cross_cutting": ["Tværgående", "Tværgående indsats", "Tværgaaende"],
    "markers": ["Markering", "Mærkning"],
    "timing": ["Tidspunkt", "Tidsplan"],
    "responsible": [
        "Ansvarlig",
        "Ansvarlig direktør",
        "Ansvarlig fagchef",
        "Ansvarlig direktør/fagchef",
    ],
    "completed": ["Afsluttet", "Afsluttet (X)"],
    "status_colour": ["Status", "Status pr.", "Farve", "Farvekode", "Statusfarve"],
    "status_comment": [
        "Statuskommentar",
        "Bemærkning",
        "Bemærkninger",
        "Kommentar",
        "Statusbemærkning",
    ],
    "course": ["Kursen", "Kursen for 2025", "Kurs", "Årets kurs"],
    # KKC ("Koordinering og Commitment") is both in one column: its text is kept whole as
    # the coordination, where the item page and the extract show it first.
    "coordination": ["Koordinering", "Tværgående aspekter", "KKC", "Koordinering og Commitment"],
    "commitment": ["Commitment", "Proces"],
    "board_role": ["Direktionens rolle", "Direktionsrolle"],
    "political_treatment": [
        "Politisk behandling",
        "Forventet behandling",
        "Behandles i",
        "Politisk behandling i",
    ],
}

_MONTHS = MONTH_NAMES
_MONTH_OR_YEAR = re.compile(r"\d+|" + "|".join(_MONTHS))


def _without_period(key: str) -> str:
    """A normalised header without its month, year or date: 'statusoktober2025' ->
    'status', 'statuspr31122025' -> 'statuspr'."""
    return _MONTH_OR_YEAR.sub("", key)


HEADER_FIELDS = {_norm_strict(name): key for key, names in _SYNONYMS.items() for name in names}
HEADER_FIELDS.update({_norm_loose(name): key for key, names in _SYNONYMS.items() for name in names})
HEADER_FIELDS.update(
    {_without_period(_norm_strict(name)): key for key, names in _SYNONYMS.items() for name in names}
)
HEADER_FIELDS.pop("", None)


def header_guide() -> list[tuple[str, bool, list[str]]]:
    """(field, required, the column headings it is read from) for the upload page's guide,
    from the same table the reader matches headings with."""
    return [
        (str(FIELD_LABELS[key]), key in REQUIRED_FIELDS, list(dict.fromkeys(names)))
        for key, names in _SYNONYMS.items()
    ]


def header_field(text: str) -> str | None:
    """The field a header names (the whole header, normalised), or None."""
    strict = _norm_strict(text)
    return (
        HEADER_FIELDS.get(strict)
        or HEADER_FIELDS.get(_norm_loose(text))
        or HEADER_FIELDS.get(_without_period(strict))
    )


def header_year(value: Any) -> int | None:
    """The budget year a header holds: 2025, 'Beløb 2025', 'B2025', '2025 (1.000 kr.)'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = as_text(value)
    if not text:
        return None
    match = _YEAR_HEADER.match(_norm_loose(text)) or _YEAR_HEADER.match(_norm_strict(text))
    if match and 1990 <= int(match[1]) <= 2200:
        return int(match[1])
    return None


_YEAR_HEADER = re.compile(r"^(?:beløb|belob|b|budget|budgetår|år|aar)?(\d{4})(?:beløb)?$")
_ANY_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def header_single_year(value: Any) -> int | None:
    """The one year a header names among other words ('BO1 2028', 'Overslagsår 2027'),
    or None when it names none or several. Whether the column is an amount column is
    decided by its cells (see _SheetReader.finish)."""
    years = {int(found) for found in _ANY_YEAR.findall(as_text(value))}
    years = {year for year in years if 1990 <= year <= 2200}
    return years.pop() if len(years) == 1 else None


_KIND_WORDS = {
    "drift": "drift",
    "driftsændring": "drift",
    "driftsændringer": "drift",
    "driftsaendring": "drift",
    "driftsaendringer": "drift",
    "råderum": "raaderum",
    "råderumsforslag": "raaderum",
    "råderumsforslagene": "raaderum",
    "raaderum": "raaderum",
    "raaderumsforslag": "raaderum",
    "anlæg": "anlaeg",
    "anlægsprojekt": "anlaeg",
    "anlægsprojekter": "anlaeg",
    "anlægsprojekterne": "anlaeg",
    "anlaeg": "anlaeg",
    "anlaegsprojekt": "anlaeg",
    "anlaegsprojekter": "anlaeg",
    "hensigt": "hensigt",
    "hensigter": "hensigt",
    "hensigtserklæring": "hensigt",
    "hensigtserklæringer": "hensigt",
    "hensigtserklæringerne": "hensigt",
    "hensigtserklaering": "hensigt",
    "hensigtserklaeringer": "hensigt",
}

_TOTAL_WORDS = re.compile(
    r"^(i\s*alt|total|totalt|totaler|sum|subtotal|sum\s+i\s+alt)\b|\bi\s*alt$",
    re.IGNORECASE,
)

_YES = {"x", "ja", "j", "yes", "y", "1", "sand", "true", "✓", "✔"}
_NO = {"nej", "n", "no", "0", "falsk", "false", "-", "–"}

_COLOUR_WORDS = {
    "grøn": "green",
    "groen": "green",
    "green": "green",
    "g": "green",
    "gul": "yellow",
    "yellow": "yellow",
    "orange": "yellow",
    "rød": "red",
    "roed": "red",
    "red": "red",
    "r": "red",
}

_MERGE_RE = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_UNCACHED_FORMULA_RE = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*>\s*<f>([^<]*)</f>\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)


@dataclass
class ParsedItem:
    sheet: str
    row: int
    number: str
    title: str
    kind: str
    committee_codes: list[str]
    heading: str = ""
    description: str = ""
    cross_cutting: bool = False
    markers: str = ""
    amounts: dict[int, Decimal] = field(default_factory=dict)
    timing: str = ""
    responsible: str = ""
    completed: bool = False
    status_colour: str = ""
    status_comment: str = ""
    course: str = ""
    coordination: str = ""
    commitment: str = ""
    board_role: str = ""
    # The narrative fields the item's sheet has a column for: only those are imported,
    # so a workbook without them leaves the texts written in the application alone.
    narrative_columns: tuple[str, ...] = ()
    # Every field the item's sheet has a column for: the writer leaves the other optional
    # fields of an item already in the plan as they are (a missing column is no blank).
    columns: tuple[str, ...] = ()
    political_treatment: str | None = None  # None: the workbook has no such column

    @property
    def committee(self) -> str:
        return self.committee_codes[0]


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        where = [_("ark «%(sheet)s»") % {"sheet": self.sheet}] if self.sheet else []
        if self.row:
            where.append(_("række %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("kolonne %(column)s") % {"column": self.column})
        prefix = _("Fejl") if self.fatal else _("Advarsel")
        location = ", ".join(where)
        if location:
            return f"{prefix} ({location}): {self.message}"
        return f"{prefix}: {self.message}"


@dataclass
class IgnoredColumn:
    sheet: str
    column: str
    header: str

    def __str__(self) -> str:
        return _("ark «%(sheet)s», kolonne %(column)s: «%(header)s»") % {
            "sheet": self.sheet,
            "column": self.column,
            "header": self.header,
        }


@dataclass
class ParseResult:
    items: list[ParsedItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[IgnoredColumn] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    # Per sheet with amount columns: its years and their columns (the preview warns
    # about a year of the plan a sheet has no column for).
    sheet_years: dict[str, dict[int, str]] = field(default_factory=dict)
    # Committees no known code or name matched: the text, and the rows that named it.
    unknown_committees: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)

    @property
    def has_fatal(self) -> bool:
        return any(problem.fatal for problem in self.problems)


def column_letter(index: int) -> str:
    """1 -> 'A', 28 -> 'AB'."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters.decode():
        index = index * 26 + ord(char) - 64
    return index


# --- cell values -----------------------------------------------------------------


# Excel writes a character XML cannot hold (Word's vertical tab) as _x000B_; openpyxl
# hands the escape on as text. Decoded here, and then cleaned like any other text.
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if "_x" in value:
            value = _EXCEL_ESCAPE.sub(lambda match: chr(int(match[1], 16)), value)
        return clean_text(value.replace("\xa0", " ")).strip()
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value).strip()


_NUMBER_TEXT = re.compile(r"^[-−+]?\d[\d.]*(,\d+)?$")
_DANISH_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_amount(value: Any) -> Decimal:
    """A cell as 1.000 kr. to one decimal; blank is 0. Raises ValueError when it is not
    a number."""
    return parse_amount_exact(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def parse_amount_exact(value: Any) -> Decimal:
    """A cell as 1.000 kr. with every decimal it has (the reader warns when the plan's
    one decimal rounds some away)."""
    if value is None:
        return Decimal(0)
    if isinstance(value, (bool, datetime, date)):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(value)
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = str(value).strip().replace("\xa0", "").replace(" ", "").replace("\u202f", "")
    if text == "" or text in {"-", "–", "—", "\u2212"}:
        return Decimal(0)
    text = re.sub(r"(?i)(t\.?kr\.?|kr\.?)$", "", text)
    text = re.sub(r",[-–]$", "", text)  # «1.500,-»: whole kroner, as Danes write them
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text[:1] in {"-", "\u2212", "–", "—"}:
        negative, text = not negative, text[1:]
    elif text[:1] == "+":
        text = text[1:]
    if "," in text:
        whole, _comma, decimals = text.rpartition(",")
        whole = whole.replace(".", "")
        text = f"{whole}.{decimals}"
    elif _DANISH_THOUSANDS.match(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise ValueError(value)
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(value) from error
    return -number if negative else number


def parse_yes_no(value: Any) -> bool | None:
    """True/False, or None when the cell says something that is neither."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (datetime, date)):
        return True
    if isinstance(value, (int, float)):
        return value != 0
    text = as_text(value).casefold()
    if text == "" or text in _NO:
        return False
    if text in _YES:
        return True
    return None


def parse_kind(value: Any) -> str | None:
    text = as_text(value).casefold()
    text = _PARENTHESISED.sub(" ", text)
    words = re.findall(r"[^\W\d_]+", text)
    if not words:
        return None
    return _KIND_WORDS.get(words[0])


def parse_colour_word(value: Any) -> str | None:
    text = as_text(value).casefold().strip(" .!")
    if not text:
        return None
    if text in _COLOUR_WORDS:
        return _COLOUR_WORDS[text]
    first = re.findall(r"[^\W\d_]+", text)
    if first and first[0] in _COLOUR_WORDS and len(first[0]) > 1:
        return _COLOUR_WORDS[first[0]]
    return None


def colour_from_rgb(rgb: str) -> str | None:
    """Classify an 'AARRGGBB' or 'RRGGBB' fill by hue: green, yellow, red or None."""
    rgb = rgb.strip().lstrip("#")
    if len(rgb) == 8:
        rgb = rgb[2:]
    if len(rgb) != 6:
        return None
    try:
        red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    if saturation < 0.1 or value < 0.25:
        return None
    degrees = hue * 360
    if degrees < 22 or degrees >= 320:
        return "red"
    if degrees < 70:
        return "yellow"
    if degrees < 170:
        return "green"
    return None


class _Theme:
    """The workbook's theme colours, for fills given as a theme index."""

    # The default Office theme, used when the workbook carries none.
    DEFAULT = [
        "FFFFFF",
        "000000",
        "E7E6E6",
        "44546A",
        "4472C4",
        "ED7D31",
        "A5A5A5",
        "FFC000",
        "5B9BD5",
        "70AD47",
    ]
    ORDER = ["lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4"]
    ORDER += ["accent5", "accent6"]

    def __init__(self, theme_xml: bytes | None) -> None:
        self.colours = list(self.DEFAULT)
        if not theme_xml:
            return
        for position, name in enumerate(self.ORDER):
            match = re.search(
                rb"<a:"
                + name.encode()
                + rb">\s*<a:(?:srgbClr val|sysClr[^>]*lastClr)=\"([0-9A-Fa-f]{6})\"",
                theme_xml,
            )
            if match:
                self.colours[position] = match[1].decode()

    def rgb(self, index: int) -> str | None:
        if 0 <= index < len(self.colours):
            return self.colours[index]
        return None


def colour_from_fill(cell: Any, theme: _Theme) -> str | None:
    fill = getattr(cell, "fill", None)
    if fill is None or getattr(fill, "fill_type", None) in (None, "none"):
        return None
    colour = getattr(fill, "fgColor", None)
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    rgb: str | None = None
    try:
        if kind == "rgb" and isinstance(colour.rgb, str):
            rgb = colour.rgb
        elif kind == "theme" and isinstance(colour.theme, int):
            rgb = theme.rgb(colour.theme)
        elif (
            kind == "indexed"
            and isinstance(colour.indexed, int)
            and 0 <= colour.indexed < len(COLOR_INDEX)
        ):
            rgb = COLOR_INDEX[colour.indexed]
    except (AttributeError, TypeError, ValueError):
        return None
    return colour_from_rgb(rgb) if rgb else None


# --- committees ---------------------------------------------------------------------


_SEPARATOR = re.compile(r"[,/;&+\n]")


def _split_committees(text: str) -> list[str]:
    """Split a cell on separators, but keep a Danish word ending in a hyphen with what
    follows it: "Social-, Sundheds- og Ældreudvalget" is one name even when unknown."""
    parts: list[str] = []
    for part in _SEPARATOR.split(text):
        if parts and parts[-1].rstrip().endswith("-"):
            parts[-1] = parts[-1].rstrip() + ", " + part.strip()
        else:
            parts.append(part)
    return parts


class CommitteeLookup:
    """Codes and full names, any case, to the committee's code."""

    def __init__(self, committees: Iterable[tuple[str, str]]) -> None:
        self.by_key: dict[str, str] = {}
        # Names that hold a separator themselves ("Social-, Sundheds- og Ældreudvalget")
        # are found in the cell before it is split, longest first.
        self.with_separator: list[tuple[re.Pattern[str], str]] = []
        for code, name in committees:
            self.by_key[self.key(name)] = code
            self.by_key[self.key(code)] = code
            for text in (name, code):
                if _SEPARATOR.search(text):
                    words = [re.escape(word) for word in text.split()]
                    pattern = re.compile(r"\s+".join(words), re.IGNORECASE)
                    self.with_separator.append((pattern, code))
        self.with_separator.sort(key=lambda entry: -len(entry[0].pattern))

    @staticmethod
    def key(text: str) -> str:
        return " ".join(str(text).split()).casefold()

    def resolve(self, text: str) -> tuple[list[str], list[str]]:
        """'BUU og AU' -> (['BUU', 'AU'], []); unknown parts come back as the second list."""
        whole = self.by_key.get(self.key(text))
        if whole:
            return [whole], []
        codes: list[str] = []
        unknown: list[str] = []
        found: dict[str, str] = {}
        for pattern, separated_code in self.with_separator:
            if pattern.search(text):
                # A placeholder without separators stands for the name while splitting.
                token = f"\ue000{len(found)}\ue000"
                found[token] = separated_code
                text = pattern.sub(f" {token} ", text)
        for part in _split_committees(text):
            part = part.strip()
            if not part:
                continue
            code = found.get(part) or self.by_key.get(self.key(part))
            if code:
                codes.append(code)
                continue
            # Full names hold ' og ' themselves ('Børne- og Ungdomsudvalget'): join the
            # longest run of pieces that names a committee. Pieces that name nothing are
            # reported together, as written ('Teknik- og Miljøudvalget', not 'Teknik-').
            pieces = [piece.strip() for piece in re.split(r"\s+og\s+", part, flags=re.I)]
            unnamed: list[str] = []
            start = 0
            while start < len(pieces):
                for end in range(len(pieces), start, -1):
                    joined = " og ".join(pieces[start:end])
                    code = found.get(joined) or self.by_key.get(self.key(joined))
                    if code:
                        codes.append(code)
                        start = end
                        break
                else:
                    if pieces[start]:
                        unnamed.append(pieces[start])
                    start += 1
                    continue
                if unnamed:
                    unknown.append(" og ".join(unnamed))
                    unnamed = []
            if unnamed:
                unknown.append(" og ".join(unnamed))
        unique: list[str] = []
        for code in codes:
            if code not in unique:
                unique.append(code)
        return unique, unknown


# --- the workbook -------------------------------------------------------------------


@dataclass
class _Header:
    row: int
    fields: dict[str, list[int]]
    years: dict[int, int]
    first_column: int
    labels: dict[int, str]
    # Columns whose header names one year among other words: year by column.
    candidates: dict[int, int] = field(default_factory=dict)
    # Columns read as nothing (reported as ignored); numbers seen in them, by column.
    ignored: dict[int, int] = field(default_factory=dict)
    # Ignored columns for a year that already has an amount column («Afledt drift» beside
    # «Anlæg»): (year, the year's column) by column, for the warning.
    second_years: dict[int, tuple[int, int]] = field(default_factory=dict)


def _header_from_row(
    row_number: int, values: list[Any]
) -> tuple[_Header, list[tuple[int, str]]] | None:
    fields: dict[str, list[int]] = {}
    years: dict[int, int] = {}
    labels: dict[int, str] = {}
    candidates: dict[int, int] = {}
    second_years: dict[int, tuple[int, int]] = {}
    unknown: list[tuple[int, str]] = []
    for position, value in enumerate(values, start=1):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = as_text(value)
        if not text:
            continue
        labels[position] = text
        year = header_year(value)
        key = None if year else header_field(text)
        if key:
            fields.setdefault(key, []).append(position)
        elif year and year in years:
            second_years[position] = (year, years[year])
            unknown.append((position, text))
        elif year:
            years[year] = position
        elif candidate := header_single_year(text):
            candidates[position] = candidate
        else:
            unknown.append((position, text))
    if "number" not in fields or "title" not in fields:
        return None
    first = min(labels)
    header = _Header(row_number, fields, years, first, labels, candidates)
    header.ignored = {position: 0 for position, _text in unknown}
    header.second_years = second_years
    return header, unknown


class _SheetReader:
    def __init__(
        self,
        title: str,
        rows: Iterator[tuple[int, list[Any], list[Any]]],
        merges: list[tuple[int, int, int, int]],
        lookup: CommitteeLookup,
        theme: _Theme,
        result: ParseResult,
        seen: dict[tuple[str, str], tuple[str, int]],
        budget: list[int],
    ) -> None:
        self.title = title
        self.rows = rows
        self.lookup = lookup
        self.theme = theme
        self.result = result
        self.seen = seen
        self.budget = budget
        self.sheet_kind = parse_kind(title)
        self.section_kind: str | None = None
        self.heading = ""
        # Vertical merges: the top-left value stands for the cells below it.
        self.merge_starts: dict[int, list[tuple[int, int]]] = {}
        for min_col, min_row, _max_col, max_row in merges:
            if max_row > min_row:
                self.merge_starts.setdefault(min_row, []).append((min_col, max_row))
        self.active_merges: dict[int, tuple[int, int, Any]] = {}
        # This row's cells filled from a merge above: (first row, last row) by column.
        self.merged_down: dict[int, tuple[int, int]] = {}
        self.merged_amounts_reported: set[tuple[int, int]] = set()
        # Two columns read as one field that differ in a row: only the first filled one is
        # read. (field, column read, column not read) -> [rows, first row, read, not read].
        self.shadowed: dict[tuple[str, int, int], list[Any]] = {}
        self.uncached: dict[tuple[int, int], str] = {}
        # Columns with one year in their header: [numbers, texts] seen, and the amounts
        # given to items on trust until the sheet's end decides (see finish()).
        self.candidate_cells: dict[int, list[int]] = {}
        self.candidate_amounts: list[tuple[ParsedItem, int, int]] = []

    def problem(
        self, row: int | None, column: int | None, message: str, fatal: bool = True
    ) -> None:
        letter = column_letter(column) if column else ""
        self.result.problems.append(Problem(self.title, row, letter, message, fatal))

    def fill_merged(self, row_number: int, values: list[Any]) -> None:
        self.merged_down = {}
        for column, (start, end, value) in list(self.active_merges.items()):
            if row_number > end:
                del self.active_merges[column]
            else:
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                if values[column - 1] is None:
                    values[column - 1] = value
                    self.merged_down[column] = (start, end)
        for column, end in self.merge_starts.get(row_number, ()):
            if column <= len(values):
                self.active_merges[column] = (row_number, end, values[column - 1])

    def _unmerge_amounts(self, header: _Header, row_number: int, values: list[Any]) -> None:
        """An amount merged down over several items is one figure, not one per item
        (R307 split over two committees): it counts at the merge's first row only."""
        years = {column: year for year, column in header.years.items()}
        years.update(header.candidates)
        for column, (start, end) in self.merged_down.items():
            if column not in years:
                continue
            values[column - 1] = None
            if (column, start) in self.merged_amounts_reported:
                continue
            self.merged_amounts_reported.add((column, start))
            letter = column_letter(column)
            self.problem(
                row_number,
                column,
                _(
                    "Beløbet for %(year)s står i en flettet celle (%(cells)s) over flere "
                    "punkter. Det regnes med én gang, ved punktet i række %(row)s; de andre "
                    "punkter får 0 for %(year)s. Skriv beløbet ved hvert punkt, hvis det "
                    "skal deles."
                )
                % {"year": years[column], "cells": f"{letter}{start}:{letter}{end}", "row": start},
                fatal=False,
            )

    def read(self) -> None:
        header: _Header | None = None
        subheader_row = 0
        best_partial: tuple[int, set[str]] | None = None
        for row_number, values, cells in self.rows:
            self.fill_merged(row_number, values)
            if header is None:
                if row_number > HEADER_SCAN_ROWS:
                    break
                found = _header_from_row(row_number, values)
                if found is None:
                    recognised = self._recognised_fields(values)
                    if len(recognised) >= 2 and (
                        best_partial is None or len(recognised) > len(best_partial[1])
                    ):
                        best_partial = (row_number, recognised)
                    self._maybe_section(row_number, values, first_column=1, before_header=True)
                    continue
                header, unknown = found
                for position, text in unknown:
                    self.result.ignored_columns.append(
                        IgnoredColumn(self.title, column_letter(position), text)
                    )
                if "committee" not in header.fields:
                    self.problem(
                        row_number,
                        None,
                        _("Kolonnen «Fagudvalg» (eller «Udvalg») mangler i overskriftsrækken."),
                    )
                    return
                subheader_row = row_number + 1
                self._note_years(header)
                continue
            if row_number == subheader_row and self._subheader_years(header, values):
                continue
            self.budget[0] -= 1
            if self.budget[0] < 0:
                self.problem(
                    row_number,
                    None,
                    _(
                        "Projektmappen har flere end %(rows)s rækker; så mange punkter kan en "
                        "plan ikke have. Intet er importeret."
                    )
                    % {"rows": f"{MAX_ROWS:,}".replace(",", ".")},
                )
                return
            self._row(header, row_number, values, cells)
        if header is not None:
            self.finish(header)
        if header is None:
            if best_partial is not None:
                row_number, recognised = best_partial
                missing = [FIELD_LABELS[name] for name in REQUIRED_FIELDS if name not in recognised]
                self.problem(
                    row_number,
                    None,
                    _("Overskriftsrækken mangler kolonnen %(columns)s.")
                    % {"columns": _(" og ").join(f"«{name}»" for name in missing)},
                )
            else:
                self.problem(
                    None,
                    None,
                    _(
                        "Arket har ingen overskriftsrække med «Nr.» og «Emne» i de første "
                        "%(rows)s rækker og springes over."
                    )
                    % {"rows": HEADER_SCAN_ROWS},
                    fatal=False,
                )

    def _note_years(self, header: _Header) -> None:
        for year in header.years:
            if year not in self.result.years:
                self.result.years.append(year)

    def finish(self, header: _Header) -> None:
        """At the sheet's end: a column with one year in its header is that year's amount
        column when it held numbers and no text; otherwise it is ignored, and the preview
        says so (with a warning when it held numbers)."""
        for column, year in sorted(header.candidates.items()):
            numbers, texts = self.candidate_cells.get(column, [0, 0])
            owner = header.years.get(year)
            if numbers and not texts and owner is None:
                header.years[year] = column
                continue
            self.result.ignored_columns.append(
                IgnoredColumn(self.title, column_letter(column), header.labels.get(column, ""))
            )
            if owner is not None:
                header.second_years[column] = (year, owner)
            if numbers:
                header.ignored[column] = header.ignored.get(column, 0) + numbers
        accepted = {
            column
            for column in header.candidates
            if header.years.get(header.candidates[column]) == column
        }
        for item, year, column in self.candidate_amounts:
            if column not in accepted:
                item.amounts.pop(year, None)
        for column, numbers in sorted(header.ignored.items()):
            if numbers and column in header.second_years:
                year, first = header.second_years[column]
                self.problem(
                    None,
                    column,
                    _(
                        "Kolonnen «%(header)s» indeholder tal i %(rows)s række(r), men ignoreres: "
                        "%(year)s har allerede en beløbskolonne (kolonne %(first)s), og kun den "
                        "læses."
                    )
                    % {
                        "header": header.labels.get(column, ""),
                        "rows": numbers,
                        "year": year,
                        "first": column_letter(first),
                    },
                    fatal=False,
                )
            elif numbers:
                self.problem(
                    None,
                    column,
                    _(
                        "Kolonnen «%(header)s» indeholder tal i %(rows)s række(r), men ignoreres: "
                        "overskriften er hverken et kendt felt eller ét budgetår (se vejledningen "
                        "om kolonneoverskrifter)."
                    )
                    % {"header": header.labels.get(column, ""), "rows": numbers},
                    fatal=False,
                )
        if header.years:
            self._note_years(header)
            self.result.sheet_years[self.title] = {
                year: column_letter(column) for year, column in sorted(header.years.items())
            }
        for (name, read, unread), (rows, first_row, kept, lost) in self.shadowed.items():
            self.problem(
                first_row,
                unread,
                _(
                    "Kolonnerne %(read)s og %(unread)s læses begge som «%(field)s», og kun den "
                    "første udfyldte bruges: i %(rows)s række(r) står der noget andet i "
                    "%(unread)s, som ikke importeres (første gang «%(lost)s», mens «%(kept)s» "
                    "importeres)."
                )
                % {
                    "read": column_letter(read),
                    "unread": column_letter(unread),
                    "field": FIELD_LABELS[name],
                    "rows": rows,
                    "lost": lost[:60],
                    "kept": kept[:60],
                },
                fatal=False,
            )

    def _note_shadowed(self, header: _Header, row_number: int, values: list[Any]) -> None:
        """Two columns for one field («Ansvarlig direktør», «Ansvarlig fagchef»): the
        first filled is read; a different text in the other is noted for the warning."""
        for name, columns in header.fields.items():
            filled = [
                (column, as_text(values[column - 1]))
                for column in columns
                if column <= len(values) and as_text(values[column - 1])
            ]
            if len(filled) < 2:
                continue
            (read, kept), *others = filled
            for unread, lost in others:
                if lost != kept:
                    noted = self.shadowed.setdefault(
                        (name, read, unread), [0, row_number, kept, lost]
                    )
                    noted[0] += 1

    def _subheader_years(self, header: _Header, values: list[Any]) -> bool:
        """A second header row under a merged «Beløb (1.000 kr.)»: the years. Header
        cells merged down over both rows repeat their first-row text here."""

        def own(position: int, value: Any) -> bool:
            text = as_text(value)
            return bool(text) and text != header.labels.get(position)

        number_columns = header.fields.get("number", [])
        if any(
            column <= len(values) and own(column, values[column - 1]) for column in number_columns
        ):
            return False
        found = {
            position: year
            for position, value in enumerate(values, start=1)
            if own(position, value) and (year := header_year(value) or header_single_year(value))
        }
        if not found:
            return False
        second: list[IgnoredColumn] = []
        groups = {position: self._group_over(header, position) for position in found}
        for position, year in sorted(found.items()):
            header.candidates.pop(position, None)
            first = header.years.setdefault(year, position)
            if first == position:
                header.ignored.pop(position, None)
                continue
            # The same year under a second group («Afledt drift» beside «Anlæg»): ignored,
            # and named with its group, since its own cell holds only the year.
            label = f"{groups[position]} {as_text(values[position - 1])}"
            header.labels[position] = label.strip()
            header.ignored[position] = 0
            header.second_years[position] = (year, first)
            second.append(IgnoredColumn(self.title, column_letter(position), label.strip()))
        # The first row's cells over the years are the groups, not ignored columns.
        year_letters = {column_letter(position) for position in found}
        self.result.ignored_columns = [
            column
            for column in self.result.ignored_columns
            if not (
                column.sheet == self.title
                and (
                    column.column in year_letters
                    or (column.header and _is_amount_group(column.header))
                )
            )
        ]
        self.result.ignored_columns.extend(second)
        self._note_years(header)
        return True

    @staticmethod
    def _group_over(header: _Header, position: int) -> str:
        """The first header row's text over a column of the second: the nearest text at or
        left of it, when that is a group (no field) – a merged group names its first cell."""
        for left in range(position, 0, -1):
            if left in header.labels:
                return header.labels[left] if left in header.ignored else ""
        return ""

    @staticmethod
    def _recognised_fields(values: list[Any]) -> set[str]:
        found: set[str] = set()
        for value in values:
            text = as_text(value)
            key = header_field(text) if text else None
            if key:
                found.add(key)
        return found

    def _maybe_section(
        self, row_number: int, values: list[Any], first_column: int, before_header: bool = False
    ) -> bool:
        """A row whose only filled cell is the first: a kind section, or a heading."""
        filled = [(position, value) for position, value in enumerate(values, 1) if as_text(value)]
        if len(filled) != 1:
            return False
        position, value = filled[0]
        text = as_text(value)
        if _TOTAL_WORDS.search(text):
            return True
        kind = parse_kind(text)
        if kind:
            self.section_kind = kind
            self.heading = ""
            return True
        if before_header:
            return False
        if self.current_kind() == "hensigt":
            if position <= first_column:
                self.heading = text
                return True
            return False  # perhaps a heading in the title column: the row decides
        # A note or footnote under or inside the table, not an item.
        self.problem(
            row_number,
            position,
            _(
                "Rækken «%(text)s» er hverken et punkt, en afsnitsrække eller et hovedpunkt og "
                "springes over."
            )
            % {"text": text[:60]},
            fatal=False,
        )
        return True

    def current_kind(self) -> str | None:
        return self.section_kind or self.sheet_kind

    def _value(self, header: _Header, values: list[Any], name: str) -> tuple[Any, int | None]:
        columns = header.fields.get(name, [])
        for column in columns:
            if column <= len(values) and as_text(values[column - 1]) != "":
                return values[column - 1], column
        return None, (columns[0] if columns else None)

    def _text(self, header: _Header, values: list[Any], name: str) -> str:
        return as_text(self._value(header, values, name)[0])

    def _row(self, header: _Header, row_number: int, values: list[Any], cells: list[Any]) -> None:
        if not any(as_text(value) for value in values):
            return
        number_value, number_column = self._value(header, values, "number")
        number = as_text(number_value)
        title = self._text(header, values, "title")
        first_text = as_text(values[header.first_column - 1]) if values else ""
        if _TOTAL_WORDS.search(number) or (
            not number and any(_TOTAL_WORDS.search(text) for text in (title, first_text) if text)
        ):
            return
        if self._maybe_section(row_number, values, header.first_column):
            return
        label = number or first_text
        if (
            label
            and not self._text(header, values, "committee")
            and not re.match(r"^\S*\d", label)
            and (kind := parse_kind(label))
        ):
            # A section row that also carries the section's figures.
            self.section_kind = kind
            self.heading = ""
            return
        if not number:
            if (
                title
                and self.current_kind() == "hensigt"
                and "heading" not in header.fields
                and self._only_title_and_heading(header, values)
            ):
                # A heading written in the title column of an intent sheet.
                self.heading = title
                return
            if not title:
                # A row with figures but no number or title: a subtotal.
                return
            self.problem(
                row_number,
                number_column,
                _("Rækken «%(title)s» har intet nummer og springes over.") % {"title": title[:60]},
                fatal=False,
            )
            return
        if (
            _norm_strict(number) in HEADER_FIELDS
            and HEADER_FIELDS[_norm_strict(number)] == "number"
        ):
            return  # a repeated header row
        self._item(header, row_number, values, cells, number, number_column, title)

    def _only_title_and_heading(self, header: _Header, values: list[Any]) -> bool:
        allowed = set(header.fields.get("title", [])) | set(header.fields.get("heading", []))
        return all(
            position in allowed for position, value in enumerate(values, 1) if as_text(value)
        )

    def _item(
        self,
        header: _Header,
        row_number: int,
        values: list[Any],
        cells: list[Any],
        number: str,
        number_column: int | None,
        title: str,
    ) -> None:
        problems_before = sum(problem.fatal for problem in self.result.problems)
        self._note_shadowed(header, row_number, values)
        item_label = _("Punkt %(number)s") % {"number": number}
        # The number as written: «ved punkt D01», never lower-cased.
        item_label_lower = _("punkt %(number)s") % {"number": number}
        if not title:
            self.problem(
                row_number,
                header.fields["title"][0],
                _("%(item)s mangler et emne.") % {"item": item_label},
            )
        committee_value, committee_column = self._value(header, values, "committee")
        committee_text = as_text(committee_value)
        codes: list[str] = []
        unknown: list[str] = []
        if not committee_text:
            self.problem(
                row_number,
                committee_column,
                _("%(item)s mangler et fagudvalg.") % {"item": item_label},
            )
        else:
            codes, unknown = self.lookup.resolve(committee_text)
            for name in unknown:
                # Reported once per committee for the whole workbook (read_workbook).
                self.result.unknown_committees.setdefault(name, []).append(
                    (self.title, row_number, column_letter(committee_column or 0))
                )
            if not codes and not unknown:
                self.problem(
                    row_number,
                    committee_column,
                    _("%(item)s mangler et fagudvalg.") % {"item": item_label},
                )

        kind_value, kind_column = self._value(header, values, "kind")
        kind: str | None = None
        if as_text(kind_value):
            kind = parse_kind(kind_value)
            if kind is None:
                self.problem(
                    row_number,
                    kind_column,
                    _(
                        "Ukendt type «%(kind)s» ved %(item)s. Brug Driftsændring, "
                        "Råderumsforslag, Anlægsprojekt eller Hensigtserklæring."
                    )
                    % {"kind": as_text(kind_value), "item": item_label_lower},
                )
        else:
            kind = self.current_kind()
            if kind is None:
                self.problem(
                    row_number,
                    None,
                    _(
                        "Typen af %(item)s kan ikke bestemmes: der er ingen type-kolonne, ingen "
                        "afsnitsrække (fx «Driftsændringer») og arkets navn angiver ingen type."
                    )
                    % {"item": item_label_lower},
                )

        heading = ""
        if kind == "hensigt":
            heading_value, _column = self._value(header, values, "heading")
            heading = as_text(heading_value) or self.heading
            if as_text(heading_value):
                self.heading = heading

        self._unmerge_amounts(header, row_number, values)
        amounts: dict[int, Decimal] = {}
        year_columns = sorted(header.years.items())
        trusted: list[tuple[int, int]] = []
        for column, year in sorted(header.candidates.items()):
            raw = values[column - 1] if column <= len(values) else None
            if not as_text(raw):
                continue
            seen = self.candidate_cells.setdefault(column, [0, 0])
            try:
                parse_amount(raw)
            except ValueError:
                seen[1] += 1
                continue
            seen[0] += 1
            if year not in header.years and year not in dict(year_columns):
                year_columns.append((year, column))
                trusted.append((year, column))
        for column in header.ignored:
            raw = values[column - 1] if column <= len(values) else None
            if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
                header.ignored[column] += 1
            elif isinstance(raw, str) and _NUMBER_TEXT.match(raw.strip()):
                header.ignored[column] += 1  # "1.200", "-300,5": a figure typed as text
        for year, column in year_columns:
            raw = values[column - 1] if column <= len(values) else None
            if raw is None and (row_number, column) in self.uncached:
                formula = self.uncached[(row_number, column)]
                raw = evaluate_constant_formula(formula)
                if raw is None:
                    self.problem(
                        row_number,
                        column,
                        _(
                            "Formlen «=%(formula)s» for %(year)s ved %(item)s har ingen gemt "
                            "værdi (projektmappen er ikke gemt i Excel) og regnes som 0. Åbn og "
                            "gem projektmappen i Excel, og importér igen."
                        )
                        % {"formula": formula[:60], "year": year, "item": item_label_lower},
                        fatal=False,
                    )
            try:
                exact = parse_amount_exact(raw)
            except ValueError:
                self.problem(
                    row_number,
                    column,
                    _("Beløbet «%(amount)s» for %(year)s ved %(item)s er ikke et tal.")
                    % {"amount": as_text(raw), "year": year, "item": item_label_lower},
                )
                continue
            amounts[year] = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if amounts[year] != exact:
                self.problem(
                    row_number,
                    column,
                    _(
                        "Beløbet %(amount)s for %(year)s ved %(item)s har mere end én decimal "
                        "og rundes til %(rounded)s (beløb er i 1.000 kr. med én decimal)."
                    )
                    % {
                        "amount": as_text(raw),
                        "year": year,
                        "item": item_label_lower,
                        "rounded": str(amounts[year]).replace(".", ","),
                    },
                    fatal=False,
                )

        flags: dict[str, bool] = {}
        for name in ("cross_cutting", "completed"):
            raw, flag_column = self._value(header, values, name)
            parsed = parse_yes_no(raw)
            if parsed is None:
                self.problem(
                    row_number,
                    flag_column,
                    _(
                        "«%(value)s» i kolonnen %(column)s forstås ikke (brug X eller Ja); den "
                        "regnes som nej."
                    )
                    % {"value": as_text(raw), "column": FIELD_LABELS[name]},
                    fatal=False,
                )
                parsed = False
            flags[name] = parsed

        colour_value, colour_column = self._value(header, values, "status_colour")
        colour = ""
        if as_text(colour_value):
            colour = parse_colour_word(colour_value) or ""
            if not colour:
                self.problem(
                    row_number,
                    colour_column,
                    _(
                        "Statusfarven «%(colour)s» forstås ikke (brug Grøn, Gul eller Rød) og "
                        "springes over."
                    )
                    % {"colour": as_text(colour_value)},
                    fatal=False,
                )
        else:
            for column in header.fields.get("status_colour", []):
                if column <= len(cells):
                    colour = colour_from_fill(cells[column - 1], self.theme) or ""
                    if colour:
                        break

        texts = {
            "number": number,
            "title": title,
            "markers": self._text(header, values, "markers"),
            "timing": self._text(header, values, "timing"),
            "responsible": self._text(header, values, "responsible"),
            "heading": heading,
        }
        for name, limit in _TEXT_LIMITS.items():
            if len(texts[name]) > limit:
                text_column = header.fields.get(name, [None])[0]
                self.problem(
                    row_number,
                    text_column,
                    _("%(field)s ved %(item)s er for lang (%(length)s tegn, højst %(limit)s).")
                    % {
                        "field": FIELD_LABELS[name],
                        "item": item_label_lower,
                        "length": len(texts[name]),
                        "limit": limit,
                    },
                )

        if codes:
            key = (number, codes[0])
            if key in self.seen:
                sheet, first_row = self.seen[key]
                self.problem(
                    row_number,
                    number_column,
                    _(
                        "Nummeret %(number)s står to gange for %(committee)s (første gang i ark "
                        "«%(sheet)s», række %(row)s). Samme nummer må kun bruges én gang pr. "
                        "fagudvalg."
                    )
                    % {"number": number, "committee": codes[0], "sheet": sheet, "row": first_row},
                )
            else:
                self.seen[key] = (self.title, row_number)

        if unknown or sum(problem.fatal for problem in self.result.problems) > problems_before:
            return
        assert kind is not None
        parsed_item = ParsedItem(
            sheet=self.title,
            row=row_number,
            number=number,
            title=title,
            kind=kind,
            committee_codes=codes,
            heading=heading,
            description=self._text(header, values, "description"),
            cross_cutting=flags["cross_cutting"],
            markers=texts["markers"],
            amounts=amounts,
            timing=texts["timing"],
            responsible=texts["responsible"],
            completed=flags["completed"],
            status_colour=colour,
            status_comment=self._text(header, values, "status_comment"),
            **{name: self._text(header, values, name) for name in NARRATIVE_FIELDS},
            narrative_columns=tuple(name for name in NARRATIVE_FIELDS if name in header.fields),
            columns=tuple(header.fields),
            political_treatment=self._text(header, values, "political_treatment")
            if "political_treatment" in header.fields
            else None,
        )
        self.result.items.append(parsed_item)
        self.candidate_amounts.extend((parsed_item, year, column) for year, column in trusted)


def _is_amount_group(header: str) -> bool:
    return _norm_strict(header) in {"beløb", "belob", "budget", "budgetår", "overslagsår", ""}


def _sheet_extras(
    archive: zipfile.ZipFile | None, path: str | None
) -> tuple[list[tuple[int, int, int, int]], dict[tuple[int, int], str]]:
    """Merged ranges, and formulas with no cached value, from the sheet's own XML
    (read-only mode reports neither)."""
    if archive is None or not path:
        return [], {}
    try:
        data = archive.read(path.lstrip("/"))
    except KeyError:
        return [], {}
    merges = []
    for first_col, first_row, last_col, last_row in _MERGE_RE.findall(data):
        merges.append(
            (_column_index(first_col), int(first_row), _column_index(last_col), int(last_row))
        )
    uncached = {
        (int(row), _column_index(column)): formula.decode(errors="replace")
        for column, row, formula in _UNCACHED_FORMULA_RE.findall(data)
    }
    return merges, uncached


_ARITHMETIC = re.compile(r"^[\d\s.+\-*/()]+$")


def evaluate_constant_formula(formula: str) -> Decimal | None:
    """'1000+200' -> 1200: a formula of numbers only, as a workbook written by a program
    (not saved by Excel) holds it without a cached value. Anything else: None."""
    if not _ARITHMETIC.match(formula) or len(formula) > 200:
        return None
    operators = {
        ast.Add: operator.add,
        ast.Sub: operator.sub,
        ast.Mult: operator.mul,
        ast.Div: operator.truediv,
    }

    def walk(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Decimal(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = walk(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp) and type(node.op) in operators:
            return operators[type(node.op)](walk(node.left), walk(node.right))
        raise ValueError(node)

    try:
        result = walk(ast.parse(formula, mode="eval").body)
    except (SyntaxError, ValueError, ArithmeticError, TypeError, RecursionError):
        return None
    return result.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _iter_rows(worksheet: Any) -> Iterator[tuple[int, list[Any], list[Any]]]:
    for row_number, cells in enumerate(worksheet.iter_rows(), start=1):
        if row_number > MAX_SCANNED_ROWS:
            return
        cells = cells[:MAX_COLUMNS]
        values = [
            value.strip() or None if isinstance(value, str) else value
            for value in (getattr(cell, "value", None) for cell in cells)
        ]
        while values and values[-1] is None:
            values.pop()
        yield row_number, values, cells


def read_workbook(source: bytes | str | Path, committees: Iterable[tuple[str, str]]) -> ParseResult:
    """Read a workbook; `committees` is (code, name) for every known committee."""
    result = ParseResult()
    content = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        check_workbook_bytes(content)
    except UnsafeWorkbook as error:
        result.problems.append(Problem("", None, "", str(error)))
        return result
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:
        result.problems.append(Problem("", None, "", _load_error_message(error)))
        return result
    lookup = CommitteeLookup(committees)
    theme = _Theme(getattr(workbook, "loaded_theme", None))
    archive = getattr(workbook, "_archive", None)
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    budget = [MAX_ROWS]
    try:
        for worksheet in workbook.worksheets:
            if not hasattr(worksheet, "iter_rows"):
                continue  # chart sheets
            if getattr(worksheet, "sheet_state", "visible") != "visible":
                # What the user cannot see in Excel (an old copy, lookup lists) does not
                # go into the plan unseen; the preview says it was left out.
                result.problems.append(
                    Problem(
                        worksheet.title,
                        None,
                        "",
                        _(
                            "Arket er skjult i Excel og springes over. Vis arket (højreklik på "
                            "en arkfane og vælg Vis), hvis dets punkter skal med."
                        ),
                        fatal=False,
                    )
                )
                continue
            if hasattr(worksheet, "reset_dimensions"):
                worksheet.reset_dimensions()
            merges, uncached = _sheet_extras(archive, getattr(worksheet, "_worksheet_path", None))
            reader = _SheetReader(
                worksheet.title,
                _iter_rows(worksheet),
                merges,
                lookup,
                theme,
                result,
                seen,
                budget,
            )
            reader.uncached = uncached
            reader.read()
            if budget[0] < 0:
                break
    except Exception as error:
        result.problems.append(Problem("", None, "", _load_error_message(error)))
    finally:
        workbook.close()
    for name, rows in result.unknown_committees.items():
        sheet, row, letter = rows[0]
        result.problems.append(
            Problem(
                sheet,
                row,
                letter,
                _(
                    "Ukendt fagudvalg «%(name)s» i %(rows)s række(r). Opret udvalget, eller "
                    "brug et kendt udvalgs kode (fx ØK) eller fulde navn."
                )
                % {"name": name, "rows": len(rows)},
            )
        )
    if not result.items and not result.has_fatal:
        result.problems.append(
            Problem(
                "",
                None,
                "",
                _(
                    "Projektmappen indeholder ingen punkter: intet ark har en overskriftsrække "
                    "med «Nr.», «Emne» og «Fagudvalg» efterfulgt af punkter."
                ),
            )
        )
    result.years.sort()
    return result


def _load_error_message(error: Exception) -> str:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return str(XML_ENTITIES)
        cause = cause.__cause__ or cause.__context__
    return _(
        "Filen kunne ikke læses som Excel-projektmappe (.xlsx). Åbn den i Excel, gem den "
        "som Excel-projektmappe, og prøv igen."
    )
