"""Checks on a submitted file before any XML in it is parsed, and a bounded way to open it.

Workbooks come from outside. A file is opened as a workbook only when its name, its first
bytes and its zip directory look like an ordinary .xlsx of sensible size, without macros,
links to other files or embedded objects; anything else becomes a problem for that file.

Sizes in the zip directory do not bound what openpyxl does: one part may be referenced many
times, and one `<mergeCell>` may stand for a billion cells. So openpyxl reads through an
archive that scans every part it opens with expat first (no DTD, hence no entities) and
stops once the workbook needs more parts, bytes, XML elements or spanned cells than any
filled template comes near (one load reads 9 parts, 100 KB and 2,000 elements; 5,000 once
LibreOffice has saved it). openpyxl must also parse with defusedxml itself.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

import openpyxl.xml
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook

from .problems import Location, Problems
from .workbook_layout import texts

MAX_FILE_BYTES = 50 * 2**20  # a filled template is about 30 KB
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_ENTRIES = 1000
MAX_RATIO = 200  # uncompressed / compressed size of one entry: beyond this, a zip bomb
# What openpyxl may read of one file, over both its loads (computed values, then formulas).
READ_PARTS = 500
READ_BYTES = 48 * 2**20
# openpyxl spends 10–40 µs on an element (a data validation is the slowest found): ≤ 1.6 s.
READ_ELEMENTS = 40_000
READ_SPANNED = 20_000  # cells that merged ranges, hyperlinks and comments stand for
_SPANNING = frozenset({"mergeCell", "hyperlink", "comment"})  # openpyxl makes each cell

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any .xlsx saved with a password to open
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # a stream of an encrypted package
_BLOCK = 1 << 20
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
# Marks of active content, in part names or content types (both lower-cased).
_MACROS = ("vbaproject", "macroenabled", "macrosheet")
_LINKS = ("externallink",)
_EMBEDDED = ("/embeddings/", "oleobject", "activex")


class Refused(Exception):
    """Raised while openpyxl reads: the workbook is refused with this problem code."""

    def __init__(self, code: str, reason: str | None = None) -> None:
        super().__init__(code, reason)
        self.code = code
        self.params = reason_params(reason) if reason else {}


def reason_params(reason: str) -> dict[str, str]:
    text = texts()["reasons"][reason]
    return {"reason_zh": text["zh"], "reason_en": text["en"]}


def ensure_defused() -> None:
    """Refuse to read workbooks unless openpyxl parses XML with defusedxml."""
    if not openpyxl.xml.DEFUSEDXML:
        raise RuntimeError(
            "openpyxl is not using defusedxml: install defusedxml and leave "
            "OPENPYXL_DEFUSEDXML unset, so that workbooks cannot expand XML entities"
        )


def precheck(path: Path, problems: Problems, where: Location) -> bool:
    """True when `path` may be opened as an .xlsx; otherwise its one problem is in `problems`."""

    def refuse(code: str, reason: str | None = None, **params: str) -> bool:
        problems.add(code, where, **params, **(reason_params(reason) if reason else {}))
        return False

    suffix = path.suffix.lower()
    if suffix in _OTHER_FORMATS:
        return refuse("file.wrong-format", format=_OTHER_FORMATS[suffix])
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(len(_OLE2))
    except OSError as exc:
        return refuse("file.unreadable", reason=exc.strerror or type(exc).__name__)
    if size > MAX_FILE_BYTES:
        return refuse("file.too-large", "file_size")
    if head.startswith(_OLE2):
        if _holds(path, _ENCRYPTED):
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
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                return refuse("file.not-workbook", "no_workbook")
            with archive.open("[Content_Types].xml") as types:
                declared = types.read(_BLOCK).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, zlib.error):
        return refuse("file.not-workbook", "truncated")
    marks = "\n".join([*names, declared]).lower()
    if any(m in marks for m in _MACROS):
        return refuse("file.wrong-format", format=_OTHER_FORMATS[".xlsm"])
    if any(m in marks for m in _LINKS):
        return refuse("file.external-links")
    if any(m in marks for m in _EMBEDDED):
        return refuse("file.embedded-objects")
    return True


def _holds(path: Path, mark: bytes) -> bool:
    # The whole file, not its head: the directory of a large compound file may come last.
    tail = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            if mark in tail + block:
                return True
            tail = block[-len(mark) :]
    return False


def load_both(path: Path) -> tuple[Workbook, Workbook]:
    """The workbook as openpyxl reads it twice, computed values and formulas, within one budget.

    No macros are kept and no links read. Raises `Refused` once the READ_* limits are reached.
    """
    budget = _Budget()
    return _load(path, budget, data_only=True), _load(path, budget, data_only=False)


def _load(path: Path, budget: _Budget, *, data_only: bool) -> Workbook:
    reader = ExcelReader(
        path, read_only=False, keep_vba=False, data_only=data_only, keep_links=False
    )
    reader.archive.close()
    reader.archive = _Bounded(path, budget)
    try:
        reader.read()
    finally:
        reader.archive.close()
    return reader.wb


@dataclass
class _Budget:
    parts: int = 0
    size: int = 0
    elements: int = 0
    spanned: int = 0


class _Bounded(zipfile.ZipFile):
    """A zip whose every opened part is scanned and counted before openpyxl gets it."""

    def __init__(self, path: Path, budget: _Budget) -> None:
        super().__init__(path)
        self.budget = budget

    def open(self, name: Any, mode: str = "r", pwd: bytes | None = None, **kwargs: Any) -> Any:
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        used = self.budget
        used.parts += 1
        used.size += info.file_size  # zipfile never returns more than this
        if used.parts > READ_PARTS:
            raise Refused("file.too-large", "parts")
        if used.size > READ_BYTES:
            raise Refused("file.too-large", "read_bytes")
        try:
            with super().open(info, mode, pwd, **kwargs) as part:
                self._scan(part)
            return super().open(info, mode, pwd, **kwargs)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise Refused("file.not-workbook", "truncated") from None

    def _scan(self, part: Any) -> None:
        parser = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = _no_dtd
        parser.StartElementHandler = self._element
        try:
            for block in iter(lambda: part.read(1 << 16), b""):
                parser.Parse(block, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            pass  # not XML (a picture), or broken XML that openpyxl will report itself

    def _element(self, name: str, attrs: dict[str, str]) -> None:
        used = self.budget
        used.elements += 1
        if used.elements > READ_ELEMENTS:
            raise Refused("file.too-large", "elements")
        if name.rpartition(":")[2] in _SPANNING and "ref" in attrs:
            used.spanned += _cells(attrs["ref"])
            if used.spanned > READ_SPANNED:
                raise Refused("file.too-large", "spanned")


def _no_dtd(*_: object) -> None:
    # Spreadsheet XML never has a DTD; one that does may declare expanding entities.
    raise Refused("file.unsafe-xml")


def _cells(ref: str) -> int:
    """How many cells a reference covers; a whole row or column counts in full."""
    try:
        low_col, low_row, high_col, high_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return 1  # openpyxl refuses it itself
    cols = (high_col or 16384) - (low_col or 1) + 1
    rows = (high_row or 1_048_576) - (low_row or 1) + 1
    return max(cols, 1) * max(rows, 1)
