"""A result workbook streamed row by row with XlsxWriter in constant-memory mode.

openpyxl keeps every cell of a workbook as an object until it saves: at national scale
(2,850 units, two million cells) that is most of a scoring run's time and memory. XlsxWriter
writes each row to disk as it comes and holds one row at a time. The bytes stay fixed: the
document properties carry the date given (XlsxWriter's zip entries are dated 1980 already).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

import xlsxwriter

# Column widths are read from the first rows only, as a person would size them.
_WIDTH_ROWS = 200


class StreamBook:
    """Plain table sheets under a bold header row, frozen, printable on landscape pages."""

    def __init__(self, path: Path, when: datetime) -> None:
        self._book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                # Text stays text: "=…" is never a formula, "http…" never a link.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "nan_inf_to_errors": True,
            },
        )
        self._book.set_properties({"created": when})
        self._head = self._book.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#2F5D50",
                "pattern": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )

    def table(self, title: str, headers: list[str], rows: Iterable[list[Any]]) -> None:
        """A sheet of `rows` (written as they come) under `headers`."""
        ws = self._book.add_worksheet(title[:31])
        it: Iterator[list[Any]] = iter(rows)
        first = list(islice(it, _WIDTH_ROWS))
        for c, h in enumerate(headers):
            cells = [str(r[c] or "") for r in first if len(r) > c]
            longest = max([len(str(h)) // 2] + [len(x) for x in cells])
            ws.set_column(c, c, min(max(8, longest + 2), 48))
        ws.set_row(0, 32)
        ws.write_row(0, 0, headers, self._head)
        for n, row in enumerate(chain(first, it), 1):
            ws.write_row(n, 0, row)
        ws.freeze_panes(1, 1)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)

    def close(self) -> None:
        self._book.close()
