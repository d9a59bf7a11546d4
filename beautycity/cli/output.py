"""What the commands print: lines through click (coloured on a terminal, plain in a pipe or a
log), tables and progress bars through rich, and the problem lists every command shares."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from itertools import groupby
from typing import TYPE_CHECKING, Any

import click

from ..texts import tr

if TYPE_CHECKING:
    from rich.console import Console

    from ..problems import Problem

Tell = Callable[..., None]  # (stage, done, total, note="") as `progress` yields it


@cache
def _console(stderr: bool) -> Console:
    # Made when a table or a bar is first drawn: lines never import rich, whose start-up is a
    # twentieth of validating one workbook.
    from rich.console import Console

    # Piped output gets a width that fits bilingual tables instead of rich's 80 columns.
    width = None if sys.stdout.isatty() else 132
    return Console(stderr=stderr, highlight=False, width=width)


def stdout() -> Console:
    """The console that draws tables into the results (standard output): what
    `beautycity status … > out.txt` keeps."""
    return _console(False)


def stderr() -> Console:
    """The console that draws progress bars (standard error)."""
    return _console(True)


def echo(text: str = "", *, err: bool = False, **style: Any) -> None:
    """Print a line of results, problems or summaries (to standard error with `err`), styled
    with click's `style` keywords (`fg="green"`, `bold=True`, `dim=True`). Colours reach a
    terminal only; a pipe or a log file gets the plain text."""
    click.echo(click.style(text, **style) if style else text, err=err)


MARKS: dict[str, tuple[str, dict[str, Any]]] = {
    "ok": ("✓", {"fg": "green"}),
    "error": ("✗", {"fg": "red"}),
    "note": ("ⓘ", {"fg": "yellow"}),
    "absent": ("–", {"dim": True}),  # an optional part that is not there
}


def mark(kind: str) -> str:
    """The styled mark that starts a line: "ok", "error", "note" or "absent"."""
    symbol, style = MARKS[kind]
    return click.style(symbol, **style)


@contextmanager
def progress(labels: Mapping[str, str], *, transient: bool = False) -> Iterator[Tell]:
    """Yield `tell(stage, done, total, note="")` for the stages `labels` names (key: text).

    On a terminal, rich's bars; elsewhere (a pipe, a log file, CI), where the bars would show
    nothing, a plain line at every tenth of a stage and when it is done, so that a long run
    (rendering reports) shows it is alive."""
    if not sys.stderr.isatty():
        shown: dict[str, int] = {}

        def line(stage: str, done: int, total: int, note: str = "") -> None:
            step = max(1, total // 10)
            if done > shown.get(stage, 0) and (done >= total or done % step == 0):
                shown[stage] = done
                echo(f"{labels[stage]}: {done}/{total}", err=True)

        yield line
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[note]}"),
    )
    with Progress(*columns, console=stderr(), transient=transient) as bar:
        tasks = {
            stage: bar.add_task(label, total=None, start=False, note="")
            for stage, label in labels.items()
        }

        def update(stage: str, done: int, total: int, note: str = "") -> None:
            bar.start_task(tasks[stage])
            bar.update(tasks[stage], completed=done, total=total, note=note)

        yield update


@contextmanager
def working(text: str) -> Iterator[None]:
    """A spinner with `text` on a terminal; elsewhere `text` once, as a plain line."""
    if sys.stderr.isatty():
        with stderr().status(text):
            yield
    else:
        echo(text, err=True)
        yield


def print_problems(problems: Iterable[Problem], lang: str = "bilingual") -> None:
    """Print problems grouped by file, errors before notes, each with its place and fix."""
    from ..problems import Severity

    items = sorted(problems, key=lambda p: (p.location.file or "", p.severity != Severity.ERROR))
    for file, group in groupby(items, key=lambda p: p.location.file or ""):
        echo(shown_path(file) if file else tr("problems.input", lang), bold=True)
        for p in group:
            kind = "error" if p.severity is Severity.ERROR else "note"
            where = click.style(shown_path(_where(p, lang)), fg="cyan")
            echo(f"  {mark(kind)} {where} {click.style(p.code, dim=True)}")
            echo(f"    {p.text(lang)}")  # its values are escaped where the problem is made


def shown_path(path: object) -> str:
    """A file name or path as printed: control characters escaped, since a name may hold an
    escape sequence or a newline (shown, never obeyed)."""
    from ..io.names import printable

    return printable(str(path))


def _where(p: Problem, lang: str) -> str:
    loc = p.location
    parts = []
    if loc.line:
        parts.append(tr("problems.line", lang, " / ", n=loc.line))
    if loc.sheet or loc.cell:
        parts.append("!".join(x for x in (loc.sheet, loc.cell) if x))
    if loc.path:
        parts.append(loc.path)
    return ", ".join(parts) or "-"


def problems_json(problems: Iterable[Problem]) -> str:
    return json.dumps([p.model_dump(mode="json") for p in problems], ensure_ascii=False, indent=2)
