"""Checks on a submitted file before any XML in it is parsed.

Workbooks come from outside. A file is opened as a workbook only when its name, its first
bytes and its zip directory look like an ordinary .xlsx of sensible size; anything else
becomes a problem for that file. openpyxl must parse with defusedxml (no entity expansion).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl.xml

from .problems import Location, Problems
from .workbook_layout import texts

MAX_FILE_BYTES = 50 * 2**20  # a filled template is about 30 KB
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_ENTRIES = 1000
MAX_RATIO = 200  # uncompressed / compressed size of one entry: beyond this, a zip bomb

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any .xlsx saved with a password to open
_SNIFF = 1 << 20  # bytes of an OLE2 file searched for the mark of an encrypted package
_OTHER_FORMATS = {
    ".xls": "Excel 97–2003 (.xls)",
    ".xlsm": "Excel macro-enabled (.xlsm)",
    ".xlsb": "Excel binary (.xlsb)",
    ".xltx": "Excel template (.xltx)",
    ".xltm": "Excel macro-enabled template (.xltm)",
    ".ods": "OpenDocument (.ods)",
    ".et": "WPS (.et)",
    ".csv": "CSV (.csv)",
    ".numbers": "Numbers (.numbers)",
}
OTHER_SUFFIXES = frozenset(_OTHER_FORMATS)


def ensure_defused() -> None:
    """Refuse to read workbooks unless openpyxl parses XML with defusedxml."""
    if not openpyxl.xml.DEFUSEDXML:
        raise RuntimeError(
            "openpyxl is not using defusedxml: install defusedxml and leave "
            "OPENPYXL_DEFUSEDXML unset, so that workbooks cannot expand XML entities"
        )


def precheck(path: Path, problems: Problems, where: Location) -> bool:
    """True when `path` may be opened as an .xlsx; otherwise its one problem is in `problems`."""
    reasons = texts()["reasons"]

    def refuse(code: str, reason: str | None = None, **params: str) -> bool:
        if reason:
            params |= {"reason_zh": reasons[reason]["zh"], "reason_en": reasons[reason]["en"]}
        problems.add(code, where, **params)
        return False

    suffix = path.suffix.lower()
    if suffix in _OTHER_FORMATS:
        return refuse("file.wrong-format", format=_OTHER_FORMATS[suffix])
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(_SNIFF)
    except OSError as exc:
        return refuse("file.unreadable", reason=exc.strerror or type(exc).__name__)
    if size > MAX_FILE_BYTES:
        return refuse("file.too-large", "file_size")
    if head.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in head:
            return refuse("file.encrypted")
        return refuse("file.wrong-format", format=_OTHER_FORMATS[".xls"])
    if not head:
        return refuse("file.not-workbook", "empty")
    if not zipfile.is_zipfile(path):
        return refuse("file.not-workbook", "truncated" if head[:2] == b"PK" else "not_zip")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            if len(entries) > MAX_ENTRIES:
                return refuse("file.too-large", "entries")
            if sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
                return refuse("file.too-large", "unpacked")
            if any(e.file_size > MAX_RATIO * max(e.compress_size, 1) + 2**20 for e in entries):
                return refuse("file.too-large", "ratio")
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
                return refuse("file.wrong-format", format=_OTHER_FORMATS[".ods"])
    except (zipfile.BadZipFile, OSError, EOFError, KeyError):
        return refuse("file.not-workbook", "truncated")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return refuse("file.not-workbook", "no_workbook")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return refuse("file.wrong-format", format=_OTHER_FORMATS[".xlsm"])
    return True
