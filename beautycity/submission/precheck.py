"""Checks on a submitted file before any XML in it is parsed.

A file is opened as a workbook only when its name, its first bytes and its zip directory look
like an ordinary .xlsx of sensible size, without macros, links to other files or embedded
objects; anything else becomes a problem for that file.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ..problems import Location, Problems
from ..workbook.layout import texts

MAX_FILE_BYTES = 50 * 2**20  # a filled template is about 30 KB
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_ENTRIES = 1000
MAX_RATIO = 200  # uncompressed / compressed size of one entry: beyond this, a zip bomb
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


_BLOCK = 1 << 20


def reason_params(reason: str) -> dict[str, str]:
    """The zh/en reason a refusal names, from `texts/workbook.yaml`."""
    text = texts()["reasons"][reason]
    return {"reason_zh": text["zh"], "reason_en": text["en"]}


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
