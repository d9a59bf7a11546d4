"""The one error family: a located, bilingual `Problem`, its catalogue, and a collector.

Every check in beautycity reports into a `Problems` collector instead of raising at the first
fault, so a user sees every problem of every file at once. Only the CLI turns problems into an
exit code. Message texts live in `texts/problems/*.yaml`, keyed by a stable code.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from .io.names import printable
from .texts import pick, text_files

# Characters of one value quoted in a message: a cell may hold 32,767 and a pasted text more.
SHOWN = 80
# Values our own code lists (known ids, units, files, folders searched, a bug's detail):
# longer, still bounded.
LISTED = 2000
_LISTS = frozenset(
    {"known", "matches", "searched", "weights", "thresholds", "allowed", "declared"}
    | {"units", "units_en", "files", "codes", "years", "detail"}
)


class Severity(StrEnum):
    ERROR = "error"
    NOTE = "note"  # accepted, but the user should know (e.g. a normalised input)


class Location(BaseModel):
    """Where a problem is: a file, and inside it a line and key path, or a sheet and cell."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    line: int | None = None
    path: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        if self.sheet or self.cell:
            parts.append("!".join(p for p in (self.sheet, self.cell) if p))
        if self.path:
            parts.append(self.path)
        return " ".join(parts) or "-"


class Problem(BaseModel):
    """One located finding with a stable code and a message in Chinese and English."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    location: Location
    zh: str
    en: str
    fix_zh: str = ""
    fix_en: str = ""

    def text(self, lang: str = "bilingual") -> str:
        zh = self.zh + (f"（{self.fix_zh}）" if self.fix_zh else "")
        en = self.en + (f" ({self.fix_en})" if self.fix_en else "")
        return pick(zh, en, lang, sep=" / ")


class _Template(BaseModel):
    model_config = ConfigDict(extra="forbid")

    severity: Severity = Severity.ERROR
    zh: str
    en: str
    fix_zh: str = ""
    fix_en: str = ""


@cache
def catalogue() -> dict[str, _Template]:
    """Every problem code the project can emit, from all files in `texts/problems/`."""
    merged: dict[str, _Template] = {}
    for _name, entries in text_files("problems"):
        for code, raw in entries.items():
            if code in merged:
                raise RuntimeError(f"problem code {code} is defined twice in texts/problems/")
            merged[code] = _Template.model_validate(raw)
    return merged


class _Blank(dict):
    # A template field nobody filled stays visible instead of raising KeyError.
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def make_problem(code: str, location: Location | None = None, **params: Any) -> Problem:
    """Build the problem `code` from the catalogue, filling its templates with `params`."""
    template = catalogue()[code]
    fill = _Blank({k: _show(v, LISTED if k in _LISTS else SHOWN) for k, v in params.items()})
    return Problem(
        code=code,
        severity=template.severity,
        location=location or Location(),
        zh=template.zh.format_map(fill),
        en=template.en.format_map(fill),
        fix_zh=template.fix_zh.format_map(fill),
        fix_en=template.fix_en.format_map(fill),
    )


def _show(value: Any, most: int) -> str:
    """A parameter as a message quotes it: at most `most` characters (then an ellipsis), its
    control characters escaped (see `printable`), so that no value makes a message huge or
    rewrites the terminal it is printed on."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = value if isinstance(value, str) else str(value)
    if len(text) > most:
        text = text[: most - 1] + "…"
    return printable(text)


# System errors that are no bug, wherever they arise (output folders say their own, see
# `io.folders`): a full disk, a read-only disk, a file one may not read or write.
_SYSTEM = {
    errno.ENOSPC: "run.no-space",
    getattr(errno, "EDQUOT", errno.ENOSPC): "run.no-space",
    errno.EROFS: "run.not-writable",
    errno.EACCES: "run.no-access",
    errno.EPERM: "run.no-access",
}


def system_problem(exc: BaseException) -> Problem | None:
    """The problem of a system error that is no bug (a full disk, a permission refused),
    located at its file; None for any other exception."""
    if not isinstance(exc, OSError) or exc.errno not in _SYSTEM:
        return None
    file = None if exc.filename is None else os.fsdecode(exc.filename)
    return make_problem(_SYSTEM[exc.errno], Location(file=file))


class Problems:
    """Collects problems lazily; `raise_if_errors` turns the batch into one exception."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(self, code: str, location: Location | None = None, **params: Any) -> Problem:
        problem = make_problem(code, location, **params)
        self._items.append(problem)
        return problem

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.severity is Severity.ERROR]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self._items if p.severity is Severity.NOTE]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise BeautycityError(list(self._items))


class BeautycityError(Exception):
    """The project's one exception: it carries every problem found, errors and notes alike."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{p.code} at {p.location}: {p.en}" for p in problems))

    def __reduce__(self) -> tuple[type[BeautycityError], tuple[list[Problem]]]:
        # Rebuilt from the problems, not the message: a report worker's error reaches the
        # parent process as the same problems.
        return (type(self), (self.problems,))

    @classmethod
    def single(cls, code: str, location: Location | None = None, **params: Any) -> BeautycityError:
        return cls([make_problem(code, location, **params)])

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]
