"""附录一 数据质量: where each value came from (file, cell, source, notes, normalisations), and
the values left empty. The data source most values share is named once; the table lists only
the values that differ from it (another source, a note, a normalisation, or none given)."""

from __future__ import annotations

from collections import Counter

from ..context import Bi, Ctx
from ..formats import bi, value
from . import PageInput, page


class SourceRow(Ctx):
    code: str
    name: Bi
    value: Bi
    file: str
    cell: str  # sheet!cell
    data_source: str
    note: str
    normalised: tuple[str, ...]
    missing: bool


class DataQuality(Ctx):
    files: tuple[str, ...]
    reported: str
    missing: str
    normalised: str
    noted: str
    default_source: str | None  # the source most values share, named once
    default_count: str
    rows: tuple[SourceRow, ...]
    missing_rows: tuple[Bi, ...]


@page("data", 50)
def data_quality(src: PageInput) -> DataQuality:
    u, scheme = src.unit, src.scheme
    rows = []
    for r in u.indicators:  # in scheme order
        ind = scheme.indicator[r.id]
        cell = r.source.cell
        rows.append(
            SourceRow(
                code=ind.code,
                name=bi(ind.name),
                value=value(ind, r.value),
                file=cell.file if cell else "",
                cell="!".join(x for x in (cell.sheet, cell.cell) if x) if cell else "",
                data_source=r.source.data_source,
                note=r.source.note,
                normalised=r.source.normalised,
                missing=r.missing,
            )
        )
    files = sorted({row.file for row in rows if row.file})
    common = Counter(r.data_source for r in rows if r.data_source).most_common(1)
    default = common[0][0] if common and common[0][1] * 2 >= len(rows) else None
    plain = [r for r in rows if r.data_source == default and not r.note and not r.normalised]
    listed = [r for r in rows if r not in plain] if default else rows
    return DataQuality(
        files=tuple(files),
        reported=str(sum(not r.missing for r in rows)),
        missing=str(sum(r.missing for r in rows)),
        normalised=str(sum(bool(r.normalised) for r in rows)),
        noted=str(sum(bool(r.note) for r in rows)),
        default_source=default,
        default_count=str(len(plain)),
        # One file for the whole unit is named once above the table, not on every row.
        rows=tuple(r.model_copy(update={"file": ""}) for r in listed)
        if len(files) == 1
        else tuple(listed),
        missing_rows=tuple(
            Bi(zh=f"{r.code} {r.name.zh}", en=f"{r.code} {r.name.en}") for r in rows if r.missing
        ),
    )
