"""`beautycity scheme check|show` and `beautycity cities`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..texts import pick, tr
from .common import cities_option, format_option, handles_problems, lang_option, workspace_of
from .output import echo, mark, print_problems, stdout
from .scheme_tools_cmds import diff, export


@click.group()
def scheme() -> None:
    """Check or show an indicator scheme. 检查或查看指标体系。"""


# FILE is called `scheme_path`, as the --scheme of other commands: inside a working folder it
# defaults to the folder's scheme (see FROM_WORKSPACE in common.py).
scheme_argument = click.argument(
    "scheme_path", metavar="[FILE]", required=False, type=click.Path(dir_okay=False)
)


@scheme.command("check")
@scheme_argument
@cities_option
@lang_option
@format_option
@handles_problems
def check(scheme_path: str | None, cities_dir: str | None, lang: str, fmt: str) -> None:
    """Check a scheme FILE (default: the working folder's, else the bundled one) and the unit
    profiles against it; in a working folder, also whether an edit kept the old version."""
    from ..cities import load_roster_with_notes
    from ..problems import BeautycityError, Severity
    from ..report.basemap import map_problems
    from ..resources import default_scheme_path
    from ..scheme.load import load_scheme_with_notes
    from ..workspace import unbumped

    loaded, scheme_notes = load_scheme_with_notes(scheme_path)
    roster, unit_notes = load_roster_with_notes(cities_dir, loaded)
    ws = workspace_of(click.get_current_context())
    file = Path(scheme_path) if scheme_path else default_scheme_path()
    # Keys that moved (loaded, with a note); the map the reports will draw: a missing map file
    # fails, a unit it cannot place is noted.
    notes = [*scheme_notes, *unit_notes, *map_problems(loaded, roster, file)]
    if any(p.severity is Severity.ERROR for p in notes):
        raise BeautycityError(notes)
    notes += [n for n in [unbumped(ws, file, loaded.version) if ws else None] if n]
    if fmt == "json":
        shown = [p.model_dump(mode="json") for p in notes]
        click.echo(json.dumps({"valid": True, "problems": shown}, ensure_ascii=False))
        return
    print_problems(notes, lang)
    summary = tr(
        "scheme.checked",
        lang,
        "\n  ",
        name=loaded.name,
        version=loaded.version,
        dimensions=len(loaded.dimensions),
        indicators=len(loaded.indicators),
        positionings=len(loaded.positionings),
        units=len(roster),
    )
    echo(f"{mark('ok')} {summary}")


@scheme.command("show")
@scheme_argument
@click.option("--positioning", "-p", help="Show what a unit of this positioning is scored on.")
@click.option(
    "--unit", "-u", "unit_id", help="Show what this unit (id or name, e.g. 松原) is scored on."
)
@cities_option
@lang_option
@format_option
@handles_problems
def show(
    scheme_path: str | None,
    positioning: str | None,
    unit_id: str | None,
    cities_dir: str | None,
    lang: str,
    fmt: str,
) -> None:
    """Show the indicators, effective weights and targets for one positioning or unit."""
    from rich.table import Table

    from ..cities import load_roster
    from ..problems import Location
    from ..scheme.effective import effective_scheme
    from ..scheme.load import load_scheme
    from ..scheme.views import scheme_rows

    loaded = load_scheme(scheme_path)
    if positioning and unit_id:
        raise click.UsageError(tr("scheme.both_options", lang, " / "))
    if unit_id:
        roster = load_roster(cities_dir, loaded)
        positioning = roster.find(unit_id, Location(path="--unit")).positioning
    if positioning is None:
        positioning = loaded.positionings[0].id
    if positioning not in loaded.positioning:
        known = ", ".join(loaded.positioning)
        raise click.BadParameter(
            tr("scheme.unknown_positioning", lang, " / ", value=positioning, known=known)
        )
    eff = effective_scheme(loaded, positioning)
    rows = scheme_rows(eff)
    if fmt == "json":
        click.echo(json.dumps(rounded(rows), ensure_ascii=False, indent=2))
        return
    pos = eff.positioning
    title = pick(
        f"{loaded.name.zh} · {pos.name.zh}", f"{loaded.name.en} · {pos.name.en}", lang, "  /  "
    )
    table = Table(title=title, title_justify="left", show_lines=False, header_style="bold")
    for key, options in (
        ("code", {"no_wrap": True}),
        ("indicator", {"min_width": 28, "ratio": 1, "overflow": "fold"}),  # never cut a name
        ("unit", {"no_wrap": True}),
        ("direction", {"justify": "center", "no_wrap": True}),
        ("weight", {"justify": "right", "no_wrap": True}),
        ("target", {"justify": "right", "no_wrap": True}),
        ("other_targets", {"min_width": 10}),  # wraps: some indicators have four target years
        ("note", {"min_width": 12}),
    ):
        header = tr(f"scheme.columns.{key}", lang, "\n", year=loaded.target_year)
        table.add_column(header, **options)  # type: ignore[arg-type]
    current = None
    for row in rows:
        if row["dimension"] != current:
            current = row["dimension"]
            table.add_row(
                f"[bold]{row['dimension_code']}[/bold]",
                f"[bold]{pick(row['dimension_zh'], row['dimension_en'], lang)}[/bold]",
                "",
                "",
                f"[bold]{row['dimension_weight']:.1f}[/bold]",
                "",
                "",
                "",
            )
        table.add_row(
            row["code"],
            pick(row["name_zh"], row["name_en"], lang, sep="\n"),
            row["unit_en"] if lang == "en" else row["unit"],
            row["direction"],
            f"{row['weight']:.2f}",
            row["target"],
            row["other_targets"],
            pick(row["note_zh"], row["note_en"], lang, sep="\n"),
        )
    stdout().print(table)
    echo(pick(pos.description.zh, pos.description.en, lang, "\n"), dim=True)


WEIGHT_DECIMALS = 4  # percent: 0.0001 % is far below any weight a scheme sets


def rounded(rows: list[dict]) -> list[dict]:
    """The rows with their weights rounded, so that 3.6 % shows as 3.6, not 3.5999999999999996
    (effective weights are products of shares)."""
    return [
        {
            k: round(v, WEIGHT_DECIMALS) if k in ("weight", "dimension_weight") else v
            for k, v in row.items()
        }
        for row in rows
    ]


@click.command()
@click.option("--scheme", "scheme_path", default=None, help="Scheme to check positionings against.")
@cities_option
@lang_option
@format_option
@handles_problems
def cities(scheme_path: str | None, cities_dir: str | None, lang: str, fmt: str) -> None:
    """List the assessed units and their positioning. 列出评估单元及其定位。"""
    from rich.table import Table

    from ..cities import load_roster, roster_rows
    from ..scheme.load import load_scheme

    loaded = load_scheme(scheme_path)
    rows = roster_rows(load_roster(cities_dir, loaded), loaded)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(header_style="bold")
    for column in ("id", "name", "code", "positioning"):
        table.add_column(tr(f"cities.columns.{column}", lang))
    for r in rows:
        table.add_row(
            r["id"],
            pick(r["name_zh"], r["name_en"], lang),
            r["code"] or "—",
            pick(r["positioning_zh"], r["positioning_en"], lang),
        )
    stdout().print(table)


scheme.add_command(diff)
scheme.add_command(export)
