"""Building hostile files: workbook packages edited part by part, and containers written
byte by byte for files no ordinary library would write.

`derive` copies a workbook with parts replaced or added, streaming large parts into the zip.
`write_zip` takes entries already deflated, with whatever sizes and CRC they claim, so a zip
bomb of 1 GiB is written from a 1 MB stream without ever holding the gigabyte. `compound_file`
writes an OLE2 compound file (MS-CFB version 3), the container of password-protected
workbooks, of .xls files and of embedded OLE objects.
"""

from __future__ import annotations

import random
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE = "application/vnd.openxmlformats-officedocument"
CT = f"{OFFICE}.spreadsheetml"

Parts = dict[str, bytes | Iterable[bytes]]
GiB = 2**30
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, so files are the same on every run


@dataclass(frozen=True)
class Entry:
    """One zip entry: its raw deflate stream, and the CRC and size the directory claims."""

    name: str
    chunks: Sequence[bytes]
    crc: int
    size: int

    @classmethod
    def of(cls, name: str, data: bytes) -> Entry:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return cls(name, [packer.compress(data) + packer.flush()], zlib.crc32(data), len(data))


@cache
def zeros_deflated(size: int = GiB) -> tuple[tuple[bytes, ...], int]:
    """A deflate stream of `size` zero bytes (a multiple of 1 MiB), and their CRC-32.

    After a full flush the compressor starts afresh, so each MiB compresses to the same bytes
    and the stream is one block repeated."""
    block = bytes(2**20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    count = size // len(block)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    return (repeated,) * count + (packer.flush(),), crc


def write_zip(path: Path, entries: Iterable[Entry]) -> Path:
    """Write local headers, data and the central directory as the entries describe them."""
    directory = []
    with path.open("wb") as out:
        for e in entries:
            offset = out.tell()
            name = e.name.encode()
            packed = sum(map(len, e.chunks))
            fields = (20, 0, 8, 0, _DOS_DATE, e.crc, packed, e.size, len(name), 0)
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name)
            for chunk in e.chunks:
                out.write(chunk)
            central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset)
            directory.append(central + name)
        start = out.tell()
        out.write(b"".join(directory))
        size = out.tell() - start
        n = len(directory)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, size, start, 0))
    return path


_SECTOR = 512
_END, _FAT, _FREE = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file holding `streams` (each at least 4 KiB) under its root.

    Sectors: the FAT first, then each stream, then the directory, which in a file over 1 MiB
    thus lies past the first MiB, where a reader that sniffs only a file's head misses it."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # the directory's own order
    assert all(len(streams[n]) >= 4096 for n in names), "small streams go to a mini stream"
    lengths = [-(-len(streams[n]) // _SECTOR) for n in names]
    dir_sectors = -(-(len(names) + 1) // 4)
    used = sum(lengths) + dir_sectors
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + used:
        fat_sectors += 1
    assert fat_sectors <= 109, "more FAT sectors than the header lists"

    fat = [_FAT] * fat_sectors
    starts = []
    for length in [*lengths, dir_sectors]:
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(length - 1)] + [_END]
    fat += [_FREE] * (fat_sectors * 128 - len(fat))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            raw,
            len(raw) + 2,
            kind,
            1,  # black
            _FREE,
            right,
            child,
            bytes(16),
            0,
            0,
            0,
            start,
            size,
        )

    ids = range(1, len(names) + 1)
    directory = entry("Root Entry", 5, _FREE, 1, _END, 0) + b"".join(
        entry(n, 2, i + 1 if i < len(names) else _FREE, _FREE, s, len(streams[n]))
        for n, i, s in zip(names, ids, starts[:-1], strict=True)
    )
    unused = struct.pack("<64sHBBIII", b"", 0, 0, 0, _FREE, _FREE, _FREE).ljust(128, b"\0")
    directory += unused * (dir_sectors * 4 - len(names) - 1)

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        bytes(16),
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        bytes(6),
        0,
        fat_sectors,
        starts[-1],
        0,
        4096,
        _END,
        0,
        _END,
        0,
    )
    header += struct.pack("<109I", *range(fat_sectors), *[_FREE] * (109 - fat_sectors))
    body = b"".join(
        streams[n].ljust(k * _SECTOR, b"\0") for n, k in zip(names, lengths, strict=True)
    )
    return header + struct.pack(f"<{len(fat)}I", *fat) + body + directory


# ---------------------------------------------------------------------------- packages


def derive(source: Path, out: Path, parts: Parts, types: Iterable[str] = ()) -> Path:
    """Copy a workbook, replacing or adding `parts` (bytes, or chunks streamed into the zip)
    and adding content-type lines to `[Content_Types].xml`."""
    extra = "".join(types).encode()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in parts:
                continue
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", extra + b"</Types>")
            dst.writestr(info.filename, data)
        for name, content in parts.items():
            with dst.open(name, "w") as part:
                for chunk in [content] if isinstance(content, bytes) else content:
                    part.write(chunk)
    return out


def part(source: Path, name: str) -> bytes:
    with zipfile.ZipFile(source) as archive:
        return archive.read(name)


def insert(xml: bytes, before: bytes, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """`xml` with `chunks` streamed in just before the first `before`."""
    head, tail = xml.split(before, 1)
    yield head
    yield from chunks
    yield before + tail


def override(part_name: str, content_type: str) -> str:
    return f'<Override PartName="/{part_name}" ContentType="{content_type}"/>'


def add_rel(source: Path, rels_part: str, rel_id: str, kind: str, target: str, mode="") -> bytes:
    """A relationships part with one more relationship (a new part when there was none)."""
    try:
        xml = part(source, rels_part)
    except KeyError:
        xml = f'<Relationships xmlns="{RELS}"></Relationships>'.encode()
    extra = f' TargetMode="{mode}"' if mode else ""
    rel = f'<Relationship Id="{rel_id}" Type="{DOC_RELS}/{kind}" Target="{target}"{extra}/>'
    return xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def strings_part(texts: Iterable[bytes], count: int) -> Iterator[bytes]:
    yield f'<sst xmlns="{SPREADSHEET}" count="{count}" uniqueCount="{count}">'.encode()
    for text in texts:
        yield b"<si><t>" + text + b"</t></si>"
    yield b"</sst>"


def with_strings(
    source: Path, out: Path, content: Iterable[bytes], sheets: Parts | None = None
) -> Path:
    """`source` with a shared-strings table (and, optionally, sheets that point into it)."""
    rels = "xl/_rels/workbook.xml.rels"
    return derive(
        source,
        out,
        {
            "xl/sharedStrings.xml": content,
            rels: add_rel(source, rels, "rIdStrings", "sharedStrings", "sharedStrings.xml"),
            **(sheets or {}),
        },
        [override("xl/sharedStrings.xml", f"{CT}.sharedStrings+xml")],
    )


_INLINE = re.compile(rb'<c r="(\w+)"((?: s="\d+")?) t="inlineStr"><is><t[^>]*>([^<]*)</t></is></c>')


def as_excel_saves(source: Path, out: Path) -> Path:
    """`source` with its texts in a shared-strings table, as Excel saves (openpyxl inlines)."""
    table: dict[bytes, int] = {}

    def share(m: re.Match) -> bytes:
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (m[1], m[2], table.setdefault(m[3], len(table)))

    with zipfile.ZipFile(source) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
    sheets: Parts = {n: _INLINE.sub(share, part(source, n)) for n in names}
    return with_strings(source, out, strings_part(list(table), len(table)), sheets)


def minimal(sheets: int, sheet_parts: int) -> list[Entry]:
    """A bare workbook of `sheets` sheets over `sheet_parts` parts (sheet n uses part n mod k),
    without the sheet parts themselves."""
    names = [f"xl/worksheets/sheet{k + 1}.xml" for k in range(sheet_parts)]
    types = "".join(override(n, f"{CT}.worksheet+xml") for n in names)
    workbook = "".join(
        f'<sheet name="S{n + 1}" sheetId="{n + 1}" r:id="rId{n % sheet_parts + 1}"/>'
        for n in range(sheets)
    )
    rels = "".join(
        f'<Relationship Id="rId{k + 1}" Type="{DOC_RELS}/worksheet" Target="{n[3:]}"/>'
        for k, n in enumerate(names)
    )
    return [
        Entry.of(
            "[Content_Types].xml",
            f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f"{override('xl/workbook.xml', f'{CT}.sheet.main+xml')}{types}</Types>".encode(),
        ),
        Entry.of(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'.encode(),
        ),
        Entry.of(
            "xl/workbook.xml",
            f'<workbook xmlns="{SPREADSHEET}" xmlns:r="{DOC_RELS}"><sheets>{workbook}</sheets>'
            f"</workbook>".encode(),
        ),
        Entry.of(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELS}">{rels}</Relationships>'.encode(),
        ),
    ]


def batched(items: Iterable[bytes], size: int = 10_000) -> Iterator[bytes]:
    """Join small pieces, so a million rows are a hundred writes into the zip."""
    batch: list[bytes] = []
    for piece in items:
        batch.append(piece)
        if len(batch) == size:
            yield b"".join(batch)
            batch.clear()
    yield b"".join(batch)


def letters(size: int) -> bytes:
    """Random letters: text that deflates too poorly to look like a zip bomb."""
    table = bytes.maketrans(bytes(range(256)), (b"abcdefghijklmnopqrstuvwxyz" * 10)[:256])
    return random.Random(0).randbytes(size).translate(table)
