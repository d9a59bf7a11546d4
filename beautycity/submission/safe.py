"""A bounded way to open a submitted workbook that passed `precheck`.

Workbooks come from outside. Sizes in the zip directory do not bound what openpyxl does: one
part may be referenced many times, and one `<mergeCell>` may stand for a billion cells. So
openpyxl reads lazily (read-only mode) through an archive that scans every part it opens with
expat first (no DTD, hence no entities) and stops once the workbook needs more parts, bytes,
XML elements or spanned cells than any filled template comes near (12 parts, 0.2 MB and 2,000
elements). It also refuses what Excel could never have saved and openpyxl's regular expressions
take minutes over (format codes and defined names beyond Excel's limits), and any tag or comment
over 1 MiB, which expat before 2.6 re-scans with every block. A sheet is handed over cut before
the first row the reader does not need, so officers' extra sheets and rows pasted below the
table are never parsed. openpyxl must also parse with defusedxml itself.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

import openpyxl.xml
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.utils.cell import get_column_letter, range_boundaries

from .precheck import reason_params

# What openpyxl may read of one file, over its loads (values; formulas, if any).
READ_PARTS = 500
READ_BYTES = 48 * 2**20
# openpyxl spends 10–40 µs on an element (a data validation is the slowest found): ≤ 1.6 s.
READ_ELEMENTS = 40_000
READ_SPANNED = 20_000  # cells that merged ranges, hyperlinks and comments stand for
_SPANNING = frozenset({"mergeCell", "hyperlink", "comment"})  # openpyxl makes each cell
READ_STRINGS = 1_000_000  # shared strings: read by expat, 1 µs each
READ_SHEETS = 100  # a template has 3; officers add a few
# Elements looked through below the rows a sheet is read to, for a value to say was ignored.
LOOK_BELOW = 10_000
# Excel's own limits (its "specifications and limits"): nothing it saves is longer.
FORMAT_CODE_MAX = 255
NAME_MAX = 255
NAME_FORMULA_MAX = 8192
TOKEN_MAX = 2**20  # bytes of one tag or comment; text between tags is not one token
_VALUES = frozenset({"v", "is", "f"})
_CLOSED = ("sheetData", "worksheet")  # what a sheet cut before a row must still close


class Refused(Exception):
    """Raised while openpyxl reads: the workbook is refused with this problem code."""

    def __init__(self, code: str, reason: str | None = None) -> None:
        super().__init__(code, reason)
        self.code = code
        self.params = reason_params(reason) if reason else {}


def ensure_defused() -> None:
    """Refuse to read workbooks unless openpyxl parses XML with defusedxml."""
    if not openpyxl.xml.DEFUSEDXML:
        raise RuntimeError(
            "openpyxl is not using defusedxml: install defusedxml and leave "
            "OPENPYXL_DEFUSEDXML unset, so that workbooks cannot expand XML entities"
        )


def open_book(data: bytes) -> Book:
    """The computed values of the workbook `data` (a file's bytes, as `precheck` read them),
    read only, within one read budget; see `Book`."""
    return Book(data, _Budget(), data_only=True)


class Book:
    """A workbook openpyxl reads lazily (read-only mode) through the read budget.

    No sheet is parsed until `sheet` asks for it, and then only up to the rows asked for: the
    budget hands openpyxl the part cut before the first row beyond them, so sheets the reader
    does not need and rows pasted below the template's table cost nothing. No macros are kept
    and no links read. Raises `Refused` once the READ_* limits are reached.
    """

    def __init__(self, data: bytes, budget: _Budget, *, data_only: bool) -> None:
        self.data, self.budget = data, budget
        reader = _Reader(
            io.BytesIO(data), read_only=True, keep_vba=False, data_only=data_only, keep_links=False
        )
        reader.archive.close()
        self.archive = reader.archive = _Bounded(io.BytesIO(data), budget)
        try:
            reader.read()
        except BaseException:
            self.archive.close()
            raise
        self.sheetnames: list[str] = reader.wb.sheetnames
        if len(self.sheetnames) > READ_SHEETS:
            self.archive.close()
            raise Refused("file.too-large", "sheets")
        self._wb = reader.wb
        self._read: dict[str, Sheet] = {}

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *_: object) -> None:
        self.archive.close()

    def sheet(self, name: str, rows: int, cols: int) -> Sheet:
        """Cells A1 to (`cols`, `rows`) of sheet `name`; read once, on the first call."""
        if name not in self._read:
            self.archive.rows = rows
            ws = self._wb[name]
            cells = {
                f"{get_column_letter(c)}{r}": cell
                for r, row in enumerate(ws.iter_rows(max_row=rows, max_col=cols), start=1)
                for c, cell in enumerate(row, start=1)
            }
            seen = self.archive.seen
            self._read[name] = Sheet(name, rows, cols, cells, seen.below, seen.formulas)
        return self._read[name]

    def formulas(self, name: str) -> Sheet | None:
        """The formulas of a sheet already read, if it has any: a second load, of that sheet."""
        read = self._read[name]
        if not read.has_formulas:
            return None
        with Book(self.data, self.budget, data_only=False) as book:
            return book.sheet(name, read.rows, read.cols)


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: int
    cols: int
    cells: dict[str, Any]  # openpyxl's read-only cells, by reference
    below: int | None  # the first row below those read that holds a value, if any
    has_formulas: bool

    def __getitem__(self, ref: str) -> Any:
        return self.cells.get(ref, EMPTY_CELL)


class _Reader(ExcelReader):
    def read_strings(self) -> None:
        # openpyxl builds an object for each shared string, 40 times slower than expat: pasted
        # text would take seconds. The same texts, read by the budget's own scan.
        found = self.package.find(SHARED_STRINGS)
        if found is not None:
            self.shared_strings = self.archive.strings(found.PartName[1:])

    def read_worksheets(self) -> None:
        # openpyxl opens every sheet for its size: it gets each cut before its first row.
        self.archive.sheets = {rel.target for _, rel in self.parser.find_sheets()}
        super().read_worksheets()


class _Strings:
    """The texts of a shared-strings part, as openpyxl reads them (phonetic guides left out)."""

    def __init__(self) -> None:
        self.table: list[str] = []
        self.runs: list[str] = []
        self.phonetic = 0
        self.text = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "si":
            self.runs = []
        elif local == "rPh":
            self.phonetic += 1
        elif local == "t":
            self.text = not self.phonetic

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "si":
            self.table.append("".join(self.runs).replace("x005F_", ""))
            if len(self.table) > READ_STRINGS:
                raise Refused("file.too-large", "read_bytes")
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "t":
            self.text = False

    def data(self, text: str) -> None:
        if self.text:
            self.runs.append(text)


@dataclass
class _Budget:
    parts: int = 0
    size: int = 0
    elements: int = 0
    spanned: int = 0


@dataclass
class _Seen:
    """What the scan of the last sheet read found."""

    below: int | None = None  # the first row past those asked for that holds a value
    formulas: bool = False  # a formula among the rows asked for


class _Stop(Exception):
    pass


class _Bounded(zipfile.ZipFile):
    """A zip whose every opened part is scanned and counted before openpyxl gets it.

    When `rows` is set, the next part opened is a sheet to be read up to that row: the scan
    stops there (after looking a little further for a value, to say what was ignored) and
    openpyxl gets the part cut before the first row beyond, closed off.
    """

    def __init__(self, data: io.BytesIO, budget: _Budget) -> None:
        super().__init__(data)
        self.budget = budget
        self.rows: int | None = None
        self.sheets: set[str] = set()  # worksheet parts, read no further than asked
        self.seen = _Seen()
        self.naming = -1  # characters of the defined name being read; -1 outside one

    def open(self, name: Any, mode: str = "r", pwd: bytes | None = None, **kwargs: Any) -> Any:
        info = self._count(name)
        rows, self.rows = self.rows, None
        if rows is None and info.filename in self.sheets:
            rows = 0
        if rows is None:
            self._whole(info)
        try:
            with super().open(info, mode, pwd, **kwargs) as part:
                cut = self._scan(part, rows)
            whole = super().open(info, mode, pwd, **kwargs)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise Refused("file.not-workbook", "truncated") from None
        return whole if cut is None else _Cut(whole, *cut)

    def strings(self, name: str) -> list[str]:
        """The shared strings, read in one pass that also bounds them (bytes and count)."""
        info = self._count(name)
        self._whole(info)
        table = _Strings()
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _no_dtd
        parser.StartElementHandler = table.start
        parser.EndElementHandler = table.end
        parser.CharacterDataHandler = table.data
        try:
            with super().open(info) as part:
                _feed(parser, self._blocks(part))
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise Refused("file.not-workbook", "truncated") from None
        except expat.ExpatError as exc:
            raise ValueError(f"shared strings: {exc}") from None
        return table.table

    def _count(self, name: Any) -> zipfile.ZipInfo:
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        self.budget.parts += 1
        if self.budget.parts > READ_PARTS:
            raise Refused("file.too-large", "parts")
        return info

    def _whole(self, info: zipfile.ZipInfo) -> None:
        # A part read whole: refused up front when it cannot fit (zipfile returns no more).
        if self.budget.size + info.file_size > READ_BYTES:
            raise Refused("file.too-large", "read_bytes")

    def _blocks(self, part: Any) -> Iterator[bytes]:
        # What is scanned is all openpyxl gets: a part cut short is counted as far as read.
        for block in iter(lambda: part.read(1 << 16), b""):
            self.budget.size += len(block)
            if self.budget.size > READ_BYTES:
                raise Refused("file.too-large", "read_bytes")
            yield block

    def _scan(self, part: Any, rows: int | None) -> tuple[int, bytes] | None:
        """Scan `part` (a sheet to read up to `rows`, if given): where to cut it, with what tail."""
        parser = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = _no_dtd
        seen = self.seen = _Seen()
        row, cut, looked = 0, None, 0
        names: dict[str, str] = {}  # the qualified names of the elements a cut must close

        def sheet_element(name: str, attrs: dict[str, str]) -> None:
            nonlocal row, cut, looked
            local = name.rpartition(":")[2]
            if local == "row":
                r = attrs.get("r", "")
                row = int(r) if r.isascii() and r.isdigit() and len(r) < 8 else row + 1
                if cut is None and row > rows:
                    cut = parser.CurrentByteIndex
            if cut is not None:
                looked += 1
                if local in _VALUES or looked > LOOK_BELOW:
                    seen.below = row
                    raise _Stop
                return
            if local == "f":
                seen.formulas = True
            elif local in _CLOSED:
                names.setdefault(local, name)
            self._element(name, attrs)

        parser.StartElementHandler = self._element if rows is None else sheet_element
        if rows is None:  # a defined name's formula is its text
            parser.CharacterDataHandler = self._name_text
            parser.EndElementHandler = self._end
        # Not XML (a picture), or broken XML that openpyxl will report itself.
        with contextlib.suppress(expat.ExpatError, _Stop):
            _feed(parser, self._blocks(part))
        if cut is None:
            return None
        return cut, "".join(f"</{names.get(n, n)}>" for n in _CLOSED).encode()

    def _element(self, name: str, attrs: dict[str, str]) -> None:
        used = self.budget
        used.elements += 1
        if used.elements > READ_ELEMENTS:
            raise Refused("file.too-large", "elements")
        local = name.rpartition(":")[2]
        if local == "numFmt" and len(attrs.get("formatCode", "")) > FORMAT_CODE_MAX:
            raise Refused("file.too-large", "number_format")
        if local == "definedName":
            self.naming = 0
            if len(attrs.get("name", "")) > NAME_MAX:
                raise Refused("file.too-large", "defined_name")
        if local in _SPANNING and "ref" in attrs:
            used.spanned += _cells(attrs["ref"])
            if used.spanned > READ_SPANNED:
                raise Refused("file.too-large", "spanned")

    def _name_text(self, data: str) -> None:
        if self.naming >= 0:
            self.naming += len(data)
            if self.naming > NAME_FORMULA_MAX:
                raise Refused("file.too-large", "defined_name")

    def _end(self, name: str) -> None:
        self.naming = -1


class _Cut(io.RawIOBase):
    """The first `size` bytes of a part, then `tail`."""

    def __init__(self, part: Any, size: int, tail: bytes) -> None:
        super().__init__()
        self.part, self.left, self.tail = part, size, tail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.part.read(min(len(buffer), self.left)) if self.left > 0 else b""
        self.left = self.left - len(data) if data else 0
        if not data:
            data, self.tail = self.tail[: len(buffer)], self.tail[len(buffer) :]
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.part.close()
        super().close()


def _feed(parser: Any, blocks: Iterator[bytes]) -> None:
    """Parse `blocks`; refuse a part once an unfinished token has grown past TOKEN_MAX."""
    fed = 0
    for block in blocks:
        parser.Parse(block, False)
        fed += len(block)
        if fed - parser.CurrentByteIndex > TOKEN_MAX:
            raise Refused("file.too-large", "xml_token")
    parser.Parse(b"", True)


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
