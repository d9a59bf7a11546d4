"""`beautycity status`: which units of the roster have sent a valid workbook, and the deadline."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..texts import pick, tr
from .common import (
    IsoDate,
    cities_option,
    format_option,
    handles_problems,
    lang_option,
    scheme_option,
)
from .output import echo, mark, print_problems, shown_path, stdout

if TYPE_CHECKING:
    from ..submission.status import SubmissionStatus

_STYLE = {
    "valid": "green",
    "invalid": "red",
    "missing": "red",
    "duplicate": "yellow",
    "wrong_year": "yellow",
}


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--year", type=int, help="Assessment year (default: the workbooks'). 评估年度。")
@click.option("--deadline", type=IsoDate(), help="Deadline, e.g. 2026-03-31. 报送截止日期。")
@click.option("--today", type=IsoDate(), hidden=True, help="Count the days from this date.")
@scheme_option
@cities_option
@lang_option
@format_option
@handles_problems
def status(
    folder: Path | None,
    year: int | None,
    deadline: date | None,
    today: date | None,
    scheme_path: str | None,
    cities_dir: str | None,
    lang: str,
    fmt: str,
) -> None:
    """Show which units have sent a valid workbook to FOLDER. 报送情况。

    FOLDER defaults to the workspace's submissions folder, else ./submissions. Per unit:
    valid, invalid, missing, duplicate or wrong year; files skipped and why; the deadline
    and the days left. Exit status: 0 when every unit has a valid workbook, else 1.
    """
    from ..cities import load_roster
    from ..scheme.load import load_scheme
    from ..submission.status import submission_status

    loaded = load_scheme(scheme_path)
    roster = load_roster(cities_dir, loaded)
    found = submission_status(
        folder or _submissions(), loaded, roster, year=year, deadline=deadline, today=today
    )
    if fmt == "json":
        click.echo(json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        _print_status(found, lang)
    sys.exit(0 if found.complete else 1)


def _submissions() -> Path:
    """The working folder's submissions folder, else `submissions/` of the current folder."""
    from .common import workspace_of

    found = workspace_of(click.get_current_context())
    return found.path("submissions") if found is not None else Path("submissions")


def _print_status(found: SubmissionStatus, lang: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..submission.status import UNIT_STATES

    def say(key: str, **params: Any) -> str:
        return tr(key, lang, " / ", group="status", **params)

    title = (
        say("status.title", year=found.year, folder=found.folder)
        if found.year is not None
        else say("status.title_no_year", folder=found.folder)
    )
    table = Table(title=escape(title), title_justify="left", header_style="bold")
    for column in ("unit", "state", "files", "problems"):
        table.add_column(tr(f"status.columns.{column}", lang, group="status"))
    for u in found.units:
        style = _STYLE[u.state]
        counts = say("status.count", errors=u.errors, notes=u.notes) if u.files else ""
        table.add_row(
            escape(pick(u.short.zh, u.short.en, lang)),
            f"[{style}]{escape(tr(f'state.{u.state}', lang, group='status'))}[/{style}]",
            escape("\n".join(Path(f).name for f in u.files)),
            counts if u.state in ("invalid", "duplicate", "wrong_year") or u.notes else "",
        )
    stdout().print(table)
    if found.year_inferred:
        echo(say("status.year_inferred", year=found.year), dim=True)
    if found.unassigned:
        echo(say("status.unassigned"), bold=True)
        for f in found.unassigned:
            counts = say("status.count", errors=f.errors, notes=f.notes)
            echo(f"  {mark('error')} {shown_path(f.file)}: {counts}")
    if found.skipped:
        echo(say("status.skipped"), bold=True)
        for p in found.skipped:
            echo(f"  {mark('note')} {shown_path(p.location.file or '')}\n    {p.text(lang)}")
    if found.batch:
        print_problems(found.batch, lang)
    echo(_deadline(found, lang))
    counts = {s: found.count(s) for s in UNIT_STATES}
    summary = say("status.summary", units=len(found.units), **counts)
    if found.complete:
        echo(f"✓ {summary} · {say('status.complete')}", fg="green")
    else:
        echo(f"✗ {summary}", fg="red")
        echo(say("status.hint", folder=found.folder), dim=True)


def _deadline(found: SubmissionStatus, lang: str) -> str:
    def say(key: str, **params: Any) -> str:
        return tr(key, lang, " / ", group="status", **params)

    if found.deadline is None or found.days_left is None:
        return say("status.no_deadline")
    day, left = found.deadline.isoformat(), found.days_left
    if left > 0:
        return say("status.deadline_left", date=day, n=left)
    if left == 0:
        return click.style(say("status.deadline_today", date=day), fg="yellow")
    return click.style(say("status.deadline_overdue", date=day, n=-left), fg="red")
