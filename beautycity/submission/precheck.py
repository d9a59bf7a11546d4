"""Checks on a submitted file before any XML in it is parsed.

A file is read once, into memory: what is checked, parsed, hashed and archived are those very
bytes, even if the file changes on disk meanwhile. It is opened as a workbook only when it is
a regular file and its name, its first bytes and its zip directory look like an ordinary .xlsx
of sensible size, without macros, links to other files or embedded objects; anything else
becomes a problem for that file. The end-of-central-directory record is read by hand first:
`zipfile` parses the whole directory before anything could count its entries.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from ..problems import Location, Problems
from ..workbook.layout import texts

MAX_FILE_BYTES = 50 * 2**20  # a filled template is about 30 KB
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_ENTRIES = 1000
MAX_RATIO = 200  # uncompressed / compressed size of one entry: beyond this, a zip bomb
MAX_DIRECTORY = MAX_ENTRIES * 1024  # bytes of central directory: 46 + a name, per entry
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any .xlsx saved with a password to open
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # a stream of an encrypted package
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
# Hyperlinks kept in a workbook: to web pages and mail addresses. Not file:, javascript:, a
# share (\\host), a path or a relative name, which would open a file or run a script on the
# machine of whoever clicks them in the archived copy.
_SAFE_LINKS = ("http://", "https://", "mailto:")


_BLOCK = 1 << 20


def reason_params(reason: str) -> dict[str, str]:
    """The zh/en reason a refusal names, from `texts/workbook.yaml`."""
    text = texts()["reasons"][reason]
    return {"reason_zh": text["zh"], "reason_en": text["en"]}


def precheck(path: Path, problems: Problems, where: Location) -> bytes | None:
    """The bytes of `path` when they may be opened as an .xlsx; otherwise None, and its one
    problem is in `problems`."""

    def refuse(code: str, reason: str | None = None, **params: str) -> None:
        problems.add(code, where, **params, **(reason_params(reason) if reason else {}))

    suffix = path.suffix.lower()
    if suffix in _OTHER_FORMATS:
        return refuse("file.wrong-format", format=_OTHER_FORMATS[suffix])
    try:
        data = _read(path)
    except _NotRegular:
        return refuse("file.not-regular")
    except _TooLarge:
        return refuse("file.too-large", "file_size")
    except OSError as exc:
        return refuse("file.unreadable", reason=exc.strerror or type(exc).__name__)
    if data.startswith(_OLE2):
        if _ENCRYPTED in data:
            return refuse("file.encrypted")
        return refuse("file.wrong-format", format=_OTHER_FORMATS[".xls"])
    if not data:
        return refuse("file.not-workbook", "empty")
    directory = _directory(data)
    if directory is None:
        return refuse("file.not-workbook", "truncated" if data[:2] == b"PK" else "not_zip")
    if directory[0] > MAX_ENTRIES or directory[1] > MAX_DIRECTORY:
        return refuse("file.too-large", "entries")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
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
            linked = _external_targets(archive, entries)
    except _Refusal as exc:
        return refuse(exc.code, exc.reason)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, zlib.error, ValueError):
        return refuse("file.not-workbook", "truncated")
    marks = "\n".join([*names, declared]).lower()
    if any(m in marks for m in _MACROS):
        return refuse("file.wrong-format", format=_OTHER_FORMATS[".xlsm"])
    if any(m in marks for m in _LINKS) or any(kind != "hyperlink" for kind, _ in linked):
        return refuse("file.external-links")
    unsafe = [target for _, target in linked if not target.lower().startswith(_SAFE_LINKS)]
    if unsafe:
        return refuse("file.unsafe-link", target=unsafe[0], count=str(len(unsafe)))
    if any(m in marks for m in _EMBEDDED):
        return refuse("file.embedded-objects")
    return data


class _Refusal(Exception):
    def __init__(self, code: str, reason: str | None = None) -> None:
        super().__init__(code, reason)
        self.code, self.reason = code, reason


def _external_targets(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]
) -> list[tuple[str, str]]:
    """(kind, target) of every relationship to something outside the package, in every
    relationships part: hyperlinks, and links of any other kind."""
    found: list[tuple[str, str]] = []

    def relationship(name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(":")[2] == "Relationship" and attrs.get("TargetMode") == "External":
            found.append((attrs.get("Type", "").rpartition("/")[2], attrs.get("Target", "")))

    for entry in entries:
        if not entry.filename.endswith(".rels"):
            continue
        if entry.file_size > _BLOCK:  # a template's are under 1 KB
            raise _Refusal("file.too-large", "read_bytes")
        parser = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = _dtd
        parser.StartElementHandler = relationship
        with contextlib.suppress(expat.ExpatError):  # broken XML: openpyxl says so itself
            parser.Parse(archive.read(entry), True)
    return found


def _dtd(*_: object) -> None:
    raise _Refusal("file.unsafe-xml")


class _NotRegular(Exception):
    pass


class _TooLarge(Exception):
    pass


def _read(path: Path) -> bytes:
    """The whole file, when it is a regular file of at most MAX_FILE_BYTES."""
    # Not blocking: opening a named pipe (FIFO) for reading would wait for a writer.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _TooLarge
    return data


_EOCD = struct.Struct("<4s4H2LH")  # the end-of-central-directory record
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


def _directory(data: bytes) -> tuple[int, int] | None:
    """The entry count and central directory size the zip's last record claims; None when
    there is no such record (not a zip, or one cut short)."""
    start = data.rfind(b"PK\x05\x06", max(0, len(data) - _EOCD.size - 0xFFFF))
    if start < 0 or len(data) - start < _EOCD.size:
        return None
    fields = _EOCD.unpack_from(data, start)
    entries, size = fields[4], fields[5]
    if entries != 0xFFFF and size != 0xFFFFFFFF:
        return entries, size
    # Zip64: the counts are in a record the locator just before points at.
    at = start - _ZIP64_LOCATOR.size
    if at < 0 or data[at : at + 4] != b"PK\x06\x07":
        return None
    offset = _ZIP64_LOCATOR.unpack_from(data, at)[2]
    if offset + _ZIP64_EOCD.size > len(data) or data[offset : offset + 4] != b"PK\x06\x06":
        return None
    record = _ZIP64_EOCD.unpack_from(data, offset)
    return record[7], record[8]
