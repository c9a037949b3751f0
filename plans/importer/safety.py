"""Checks on an uploaded workbook before openpyxl is allowed to open it.

openpyxl has no guard of its own against zip bombs, so the archive's member count,
declared unpacked size and compression ratio are checked here first. zipfile never
inflates a member beyond its declared size, so capping the declared sizes caps the work.
XML with a DOCTYPE (entity declarations, XXE) is refused here too; defusedxml, which
openpyxl uses when it is installed, is the second line of defence.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from django.utils.translation import gettext_lazy as _

# A real udmøntningsplan workbook is well below 1 MB unpacked; these caps leave room.
MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_MEMBER_RATIO = 200
# Ratios are only suspicious on members big enough to matter.
RATIO_MIN_BYTES = 1024 * 1024
# More rows than any plan could have (100-400 items in real plans).
MAX_ROWS = 5000

NOT_XLSX = _("Filen er ikke en Excel-projektmappe (.xlsx).")
EMPTY = _("Filen er tom.")
OLD_FORMAT = _(
    "Filen er i det gamle Excel-format (.xls) eller beskyttet med adgangskode. "
    "Gem den som Excel-projektmappe (.xlsx) uden adgangskode, og prøv igen."
)
TOO_MANY_MEMBERS = _("Filen indeholder usædvanligt mange dele og afvises af sikkerhedshensyn.")
TOO_BIG_UNPACKED = _(
    "Filen fylder for meget, når den pakkes ud (over {limit} MB), og afvises af sikkerhedshensyn."
)
SUSPICIOUS_RATIO = _(
    "Filen er pakket mistænkeligt tæt (mulig zip-bombe) og afvises af sikkerhedshensyn."
)
XML_ENTITIES = _(
    "Filen indeholder XML med en DOCTYPE eller entiteter, som af sikkerhedshensyn "
    "ikke læses. Gem projektmappen igen fra Excel, og prøv igen."
)

# Macro-enabled workbooks (.xlsm, .xltm) are refused: macros would never run here, but a
# file with macros has no business in the plan, and refusing is clearer than dropping them.
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
MACRO_WORKBOOK = _(
    "Filen er en projektmappe med makroer (.xlsm), som ikke modtages. Gem den i Excel som "
    "Excel-projektmappe (.xlsx) uden makroer, og prøv igen."
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnsafeWorkbook(ValueError):
    """The file is refused before it is parsed; the message is Danish and shown as is."""


def check_workbook_bytes(content: bytes) -> None:
    """Raise UnsafeWorkbook with a Danish message when `content` must not be opened."""
    if not content:
        raise UnsafeWorkbook(EMPTY)
    if content.startswith(_OLE_MAGIC):
        raise UnsafeWorkbook(OLD_FORMAT)
    if not content.startswith(b"PK"):
        raise UnsafeWorkbook(NOT_XLSX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UnsafeWorkbook(NOT_XLSX) from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UnsafeWorkbook(TOO_MANY_MEMBERS)
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise UnsafeWorkbook(NOT_XLSX)
        total = 0
        for member in members:
            total += member.file_size
            if total > MAX_UNPACKED_BYTES:
                raise UnsafeWorkbook(
                    str(TOO_BIG_UNPACKED).format(limit=MAX_UNPACKED_BYTES // 2**20)
                )
            if member.file_size > RATIO_MIN_BYTES and member.file_size > MAX_MEMBER_RATIO * max(
                member.compress_size, 1
            ):
                raise UnsafeWorkbook(SUSPICIOUS_RATIO)
        # The sizes are capped above, so reading the content types is safe.
        try:
            content_types = archive.read("[Content_Types].xml")
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, zlib.error) as error:
            raise UnsafeWorkbook(NOT_XLSX) from error
        if "xl/vbaProject.bin" in names or b"macroEnabled" in content_types:
            raise UnsafeWorkbook(MACRO_WORKBOOK)
        for member in members:
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(member) as stream:
                    prolog = stream.read(2048)
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as error:
                raise UnsafeWorkbook(NOT_XLSX) from error
            upper = prolog.upper()
            if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
                raise UnsafeWorkbook(XML_ENTITIES)
