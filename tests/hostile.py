"""The hostile corpus: workbooks made to hurt the reader, each written by a function.

Each case writes one file into a folder, most of them derived from a valid filled template,
and names the problem code (and the reason, for codes that have one) the reader must answer
with. Large parts are streamed into the zip, so no case ever holds its payload in memory.
`scripts/hostile_corpus.py` writes them all for a look by hand; `tests/test_hostile.py`
reads them; `scripts/bench_hostile.py` measures them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from beautycity.submission.safe import READ_BYTES, READ_ELEMENTS, READ_SPANNED

from .fixtures_workbook import INPUT, Filled, cache_formula_value, edit, layout_for
from .hostile_formats import (
    CT,
    DOC_RELS,
    OFFICE,
    SPREADSHEET,
    Entry,
    GiB,
    Parts,
    add_rel,
    batched,
    compound_file,
    derive,
    insert,
    letters,
    minimal,
    override,
    part,
    strings_part,
    with_strings,
    write_zip,
    zeros_deflated,
)

VALID_UNIT = "changchun"
INPUT_PART, META_PART = "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"


@dataclass(frozen=True)
class Hostile:
    name: str
    what: str
    write: Callable[[Path, Filled], Path]  # (folder, filled workbooks) -> the file written
    code: str | None  # None: read as valid, within bounds
    reason: str | None = None  # key under `reasons` in texts/workbook.yaml
    note: str | None = None  # a note a valid case must get
    many: bool = False  # the code of several cells' problems, not of the file's only one
    file: str = ""  # the file's name, when not `<name>.xlsx`

    @property
    def file_name(self) -> str:
        return self.file or f"{self.name}.xlsx"


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n'
    + b"".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n'.encode() for n in range(1, 10))
    + b"]>\n"
)
EMPTY_SHEET = f'<worksheet xmlns="{SPREADSHEET}"><sheetData/></worksheet>'.encode()


# ---------------------------------------------------------------------------- cases


def valid_workbook(folder: Path, filled: Filled) -> Path:
    return filled(VALID_UNIT, folder / "valid.xlsx")


def entity_bomb_sheet(folder: Path, filled: Filled) -> Path:
    sheet = f'<worksheet xmlns="{SPREADSHEET}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
    sheet += "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
    out = folder / "entity-bomb-sheet.xlsx"
    return derive(filled.source(VALID_UNIT), out, {INPUT_PART: BILLION_LAUGHS + sheet.encode()})


def entity_bomb_strings(folder: Path, filled: Filled) -> Path:
    content = [BILLION_LAUGHS, *strings_part([b"&lol9;"], 1)]
    return with_strings(filled.source(VALID_UNIT), folder / "entity-bomb-strings.xlsx", content)


def zip_bomb(folder: Path, filled: Filled) -> Path:
    chunks, crc = zeros_deflated(GiB)
    sheet = Entry("xl/worksheets/sheet1.xml", chunks, crc, GiB)
    return write_zip(folder / "zip-bomb.xlsx", [*minimal(1, 1), sheet])


def zip_bomb_lying(folder: Path, filled: Filled) -> Path:
    chunks, crc = zeros_deflated(GiB)
    sheet = Entry("xl/worksheets/sheet1.xml", chunks, crc, 2**16)  # claims 64 KiB
    return write_zip(folder / "zip-bomb-lying-size.xlsx", [*minimal(1, 1), sheet])


def sheets_5000(folder: Path, filled: Filled) -> Path:
    sheets = [Entry.of(f"xl/worksheets/sheet{k + 1}.xml", EMPTY_SHEET) for k in range(5000)]
    return write_zip(folder / "sheets-5000.xlsx", [*minimal(5000, 5000), *sheets])


def sheets_5000_one_part(folder: Path, filled: Filled) -> Path:
    sheet = Entry.of("xl/worksheets/sheet1.xml", EMPTY_SHEET)
    return write_zip(folder / "sheets-5000-one-part.xlsx", [*minimal(5000, 1), sheet])


def rows_1000000(folder: Path, filled: Filled) -> Path:
    # Without `r` attributes, rows continue after the template's last one: 27 bytes a row.
    source = filled.source("tonghua")
    rows = batched(b"<row><c><v>%d</v></c></row>" % n for n in range(1_000_000))
    sheet = insert(part(source, INPUT_PART), b"</sheetData>", rows)
    return derive(source, folder / "rows-1000000.xlsx", {INPUT_PART: sheet})


def cells_in_a_row(folder: Path, filled: Filled) -> Path:
    # Within the rows the reader reads, every element counts.
    source = filled.source(VALID_UNIT)
    cells = batched(b"<c><v>%d</v></c>" % n for n in range(200_000))
    sheet = insert(part(source, INPUT_PART), b"</row>", cells)
    return derive(source, folder / "cells-200000-in-a-row.xlsx", {INPUT_PART: sheet})


def merged_range_bomb(folder: Path, filled: Filled) -> Path:
    source = filled.source(VALID_UNIT)
    # Into the template's own list: openpyxl keeps only the last list of a sheet.
    merge = b'<mergeCell ref="A1:XFD1048576"/>'
    sheet = insert(part(source, INPUT_PART), b"</mergeCells>", [merge])
    return derive(source, folder / "merged-range-bomb.xlsx", {INPUT_PART: sheet})


def hyperlink_range_bomb(folder: Path, filled: Filled) -> Path:
    source = filled.source(VALID_UNIT)
    link = b'<hyperlinks><hyperlink ref="A1:XFD1048576" location="A1"/></hyperlinks>'
    sheet = insert(part(source, INPUT_PART), b"<printOptions", [link])
    return derive(source, folder / "hyperlink-range-bomb.xlsx", {INPUT_PART: sheet})


def comment_range_bomb(folder: Path, filled: Filled) -> Path:
    source = filled.source("baishan")
    comments = (
        f'<comments xmlns="{SPREADSHEET}"><authors><author>x</author></authors><commentList>'
        '<comment ref="A1:XFD1048576" authorId="0"><text><t>x</t></text></comment>'
        "</commentList></comments>"
    )
    rels = "xl/worksheets/_rels/sheet2.xml.rels"
    parts: Parts = {
        "xl/comments1.xml": comments.encode(),
        rels: add_rel(source, rels, "rIdNote", "comments", "../comments1.xml"),
    }
    types = [override("xl/comments1.xml", f"{CT}.comments+xml")]
    return derive(source, folder / "comment-range-bomb.xlsx", parts, types)


def far_cell_in_meta(folder: Path, filled: Filled) -> Path:
    # A cell at the sheet's last row: reading the metadata by rows would create 2 million.
    source = filled.source("jilin")
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = insert(part(source, META_PART), b"</sheetData>", [far])
    return derive(source, folder / "far-cell-in-meta.xlsx", {META_PART: sheet})


def all_limits_at_once(folder: Path, filled: Filled) -> Path:
    # As much as the read budget lets through, of each kind at once, beside the cells the
    # reader reads, in rows it reads: the worst a workbook can cost and still be read. A file
    # without formulas is loaded once; the template itself takes under 3,000 elements and
    # 2 MiB. Half the budget of text: memory, not the budget, bounds a single cell.
    source = filled.source("siping")
    count = READ_ELEMENTS - 3_000  # data validations: the slowest element found
    rules = batched(b'<dataValidation type="whole" sqref="Z%d"/>' % (n + 1) for n in range(count))
    merge = b'<mergeCell ref="AA1:AA%d"/>' % (READ_SPANNED - 1_000)
    text = letters(READ_BYTES // 2 - 2 * 2**20)
    cell = [b'<c r="AB1" t="inlineStr"><is><t>', text, b"</t></is></c>"]
    sheet = insert(part(source, INPUT_PART), b"</row>", cell)
    sheet = insert(b"".join(sheet), b"</dataValidations>", rules)
    sheet = insert(b"".join(sheet), b"</mergeCells>", [merge])
    return derive(source, folder / "all-limits-at-once.xlsx", {INPUT_PART: sheet})


def text_at_limit(folder: Path, filled: Filled) -> Path:
    # The most text the read budget lets through, as one note.
    source = filled.source("liaoyuan")
    text = letters(READ_BYTES // 2 - 2**20)
    sheet = insert(part(source, INPUT_PART), b"note A1</t>", [text])
    return derive(source, folder / "text-at-limit.xlsx", {INPUT_PART: sheet})


def strings_2000000(folder: Path, filled: Filled) -> Path:
    texts = (b"text %07d" % n for n in range(2_000_000))
    content = batched(strings_part(texts, 2_000_000))
    return with_strings(filled.source(VALID_UNIT), folder / "strings-2000000.xlsx", content)


def external_links(folder: Path, filled: Filled) -> Path:
    # The first value typed as a formula into another workbook, its cached value kept.
    ref = layout_for(VALID_UNIT).items[0].ref("value")
    linked = filled(VALID_UNIT, folder / ".linked.xlsx")
    edit(linked, lambda wb: wb[INPUT].__setitem__(ref, "=[1]Sheet1!$A$1"))
    cache_formula_value(linked, ref, "85.3")
    book = (
        f'<externalLink xmlns="{SPREADSHEET}" xmlns:r="{DOC_RELS}"><externalBook r:id="rId1">'
        '<sheetNames><sheetName val="Sheet1"/></sheetNames><sheetDataSet><sheetData sheetId="0">'
        '<row r="1"><cell r="A1"><v>85.3</v></cell></row></sheetData></sheetDataSet>'
        "</externalBook></externalLink>"
    )
    path = "xl/externalLinks/externalLink1.xml"
    rels = "xl/_rels/workbook.xml.rels"
    reference = b'<externalReferences><externalReference r:id="rIdLink"/></externalReferences>'
    parts: Parts = {
        path: book.encode(),
        "xl/externalLinks/_rels/externalLink1.xml.rels": add_rel(
            linked,
            "xl/externalLinks/_rels/externalLink1.xml.rels",
            "rId1",
            "externalLinkPath",
            "file:///C:/stats/secret.xlsx",
            mode="External",
        ),
        rels: add_rel(linked, rels, "rIdLink", "externalLink", "externalLinks/externalLink1.xml"),
        "xl/workbook.xml": b"".join(
            insert(part(linked, "xl/workbook.xml"), b"<definedNames", [reference])
        ),
    }
    out = derive(
        linked, folder / "external-links.xlsx", parts, [override(path, f"{CT}.externalLink+xml")]
    )
    linked.unlink()
    return out


def ole_object(folder: Path, filled: Filled) -> Path:
    source = filled.source(VALID_UNIT)
    native = b"\x00\x00payload.exe\x00C:\\payload.exe\x00".ljust(8192, b"\x90")
    obj = f'<oleObject xmlns:r="{DOC_RELS}" progId="Package" shapeId="1025" r:id="rIdOle"/>'
    rels = "xl/worksheets/_rels/sheet2.xml.rels"
    parts: Parts = {
        "xl/embeddings/oleObject1.bin": compound_file({"\x01Ole10Native": native}),
        rels: add_rel(source, rels, "rIdOle", "oleObject", "../embeddings/oleObject1.bin"),
        INPUT_PART: b"".join(
            insert(
                part(source, INPUT_PART),
                b"</worksheet>",
                [b"<oleObjects>" + obj.encode() + b"</oleObjects>"],
            )
        ),
    }
    bin_type = f'<Default Extension="bin" ContentType="{OFFICE}.oleObject"/>'
    return derive(source, folder / "ole-object.xlsx", parts, [bin_type])


def vba_renamed(folder: Path, filled: Filled) -> Path:
    # What Excel saves as .xlsm (a VBA project and a macro-enabled content type), renamed.
    source = filled.source(VALID_UNIT)
    project = b'ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=ThisWorkbook/&H00000000\r\n'
    vba = compound_file({"PROJECT": project.ljust(4096, b" "), "dir": bytes(4096)})
    types = part(source, "[Content_Types].xml").replace(
        f"{CT}.sheet.main+xml".encode(), b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    )
    types = types.replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    rels = "xl/_rels/workbook.xml.rels"
    vba_rel = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    parts: Parts = {
        "[Content_Types].xml": types,
        "xl/vbaProject.bin": vba,
        rels: add_rel(source, rels, "rIdVba", "vbaProject", "vbaProject.bin").replace(
            f"{DOC_RELS}/vbaProject".encode(), vba_rel.encode()
        ),
    }
    return derive(source, folder / "vba-renamed.xlsx", parts)


def truncated(folder: Path, filled: Filled) -> Path:
    data = filled.source(VALID_UNIT).read_bytes()
    out = folder / "truncated.xlsx"
    out.write_bytes(data[: len(data) // 2])
    return out


def encrypted(folder: Path, filled: Filled) -> Path:
    # What Excel writes for a password to open: agile encryption info and the package, 2 MiB.
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/>'
        b"</encryption>"
    ).ljust(4096, b" ")
    package = (2**21).to_bytes(8, "little") + random.Random(0).randbytes(2**21)
    out = folder / "encrypted.xlsx"
    out.write_bytes(compound_file({"EncryptionInfo": info, "EncryptedPackage": package}))
    return out


CASES = [
    Hostile("valid", "a filled template, to show the batch goes on", valid_workbook, None),
    Hostile(
        "entity-bomb-sheet",
        "billion laughs (10⁹ entity expansions) as the input sheet",
        entity_bomb_sheet,
        "file.unsafe-xml",
    ),
    Hostile(
        "entity-bomb-strings",
        "billion laughs in an added shared-strings table",
        entity_bomb_strings,
        "file.unsafe-xml",
    ),
    Hostile("zip-bomb", "1 GiB of zeros in a 1 MB file", zip_bomb, "file.too-large", "unpacked"),
    Hostile(
        "zip-bomb-lying-size",
        "1 GiB of zeros whose directory claims 64 KiB",
        zip_bomb_lying,
        "file.not-workbook",
        "truncated",
    ),
    Hostile("sheets-5000", "5,000 sheets", sheets_5000, "file.too-large", "entries"),
    Hostile(
        "sheets-5000-one-part",
        "5,000 sheets that all point at one part",
        sheets_5000_one_part,
        "file.too-large",
        "parts",
    ),
    Hostile(
        "rows-1000000",
        "the template plus a million rows below its table, which are never parsed",
        rows_1000000,
        None,
        note="structure.rows-below",
    ),
    Hostile(
        "cells-200000-in-a-row",
        "200,000 cells in a row of the template's table",
        cells_in_a_row,
        "file.too-large",
        "elements",
    ),
    Hostile(
        "merged-range-bomb",
        "one merged range over the whole sheet (17 billion cells)",
        merged_range_bomb,
        "file.too-large",
        "spanned",
    ),
    Hostile(
        "hyperlink-range-bomb",
        "one hyperlink over the whole sheet",
        hyperlink_range_bomb,
        "file.too-large",
        "spanned",
    ),
    Hostile(
        "comment-range-bomb",
        "one comment over the whole sheet, never read",
        comment_range_bomb,
        None,
    ),
    Hostile(
        "far-cell-in-meta",
        "a valid template with one cell at row 1,048,576 of its metadata",
        far_cell_in_meta,
        None,
    ),
    Hostile(
        "all-limits-at-once",
        "a valid template carrying all the read budget allows: elements, text, merged cells",
        all_limits_at_once,
        None,
    ),
    Hostile(
        "text-at-limit",
        "a template with a 31 MiB note, as much text as the read budget allows",
        text_at_limit,
        "cell.text-too-long",
    ),
    Hostile(
        "strings-2000000",
        "the template plus two million shared strings",
        strings_2000000,
        "file.too-large",
        "read_bytes",
    ),
    Hostile(
        "external-links",
        "a value taken by formula from another workbook",
        external_links,
        "file.external-links",
    ),
    Hostile("ole-object", "an embedded OLE package", ole_object, "file.embedded-objects"),
    Hostile(
        "vba-renamed", "a VBA project saved as .xlsm, renamed", vba_renamed, "file.wrong-format"
    ),
    Hostile("truncated", "a template cut off halfway", truncated, "file.not-workbook", "truncated"),
    Hostile("encrypted", "a password to open (OLE2, 2 MiB)", encrypted, "file.encrypted"),
]


def write_all(folder: Path, filled: Filled, cases: list[Hostile] = CASES) -> dict[str, Path]:
    """Write every case of `cases` into `folder` (as `case.file_name`); its file by name."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {case.name: case.write(folder, filled) for case in cases}
    assert all(written[case.name].name == case.file_name for case in cases)
    return written
