"""`beautycity report` (PDF reports and the action list) and `beautycity doctor`."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from ..texts import pick, tr
from .common import (
    IsoDate,
    cities_option,
    format_option,
    handles_problems,
    jobs_option,
    lang_option,
    scheme_option,
)
from .output import echo, mark, progress, shown_path, stdout


@click.command()
@click.argument("results", type=click.Path(exists=True))
@click.option(
    "-o", "--out", required=True, type=click.Path(file_okay=False), help="Reports folder."
)
@click.option(
    "--city",
    "cities",
    multiple=True,
    help="Render only this unit's report (repeatable); other files in the folder stay.",
)
@click.option(
    "--unverified",
    is_flag=True,
    help="Render even when assessment.json does not match the manifest `score` wrote.",
)
@click.option(
    "--status",
    type=click.Choice(["draft", "for-comment", "final"]),
    default="draft",
    show_default=True,
    help="The reports' status, printed on the cover and in every page's footer.",
)
@click.option(
    "--issued",
    type=IsoDate(),
    help="Date of issue (YYYY-MM-DD), printed on the cover; none for a draft not yet issued.",
)
@lang_option
@scheme_option
@cities_option
@jobs_option
@format_option
@handles_problems
def report(
    results: str,
    out: str,
    cities: tuple[str, ...],
    unverified: bool,
    status: str,
    issued: date | None,
    lang: str,
    scheme_path: str | None,
    cities_dir: str | None,
    jobs: int | None,
    fmt: str,
) -> None:
    """Render PDF reports from RESULTS (a `score` folder). 生成评估报告。

    Writes <unit>-<year>.pdf for each unit, overview-<year>.pdf for all of them and
    actions-<year>.xlsx (the action list of every unit); with --city, only those units' PDFs.
    The overview's map is the one the scheme's report.map names (none: no map).
    RESULTS must match the manifest `score` wrote beside them (their SHA-256), unless
    --unverified; results without a manifest are rendered with a note.
    """
    from rich.markup import escape
    from rich.table import Table

    from ..assessment.document import load_assessment
    from ..cities import load_roster
    from ..io.folders import check_target
    from ..io.verify import verify_results
    from ..problems import Location
    from ..report.context import Edition
    from ..report.render import planned, render_reports, scheme_for

    check_target(Path(out), swap=True)  # before the minutes of rendering, not after them
    # The bytes whose hash was checked are the ones read: a file changed meanwhile is not.
    data, unchecked = (None, []) if unverified else verify_results(results)
    doc = load_assessment(results, data)
    scheme = scheme_for(doc, scheme_path)
    roster = load_roster(cities_dir, scheme)
    cities = tuple(roster.find(c, Location(path="--city")).id for c in cities)
    names = [job.name for job in planned(doc, cities)]
    with progress({"render": tr("report.rendering", lang, " / ")}, transient=True) as tell:
        count = iter(range(1, len(names) + 1))
        done = iter([*names[1:], ""])
        tell("render", 0, len(names), names[0])
        written = render_reports(
            doc,
            out,
            scheme=scheme,
            roster=roster,
            lang=lang,
            cities=cities or None,
            edition=Edition(
                status=status.replace("-", "_"),
                issued=issued.isoformat() if issued else None,
            ),
            progress=lambda _name: tell("render", next(count), len(names), next(done)),
            jobs=jobs,
            scheme_file=scheme_path,
        )
    for note in unchecked:  # said after the progress bar, which would overwrite it
        echo(note.text(lang), err=fmt == "json", fg="yellow")
    if fmt == "json":
        shown = [w.model_dump(mode="json") for w in written]
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    table = Table(title=tr("report.written", lang), title_justify="left", header_style="bold")
    table.add_column(tr("report.file", lang))
    table.add_column(tr("report.pages", lang), justify="right")
    table.add_column("KB", justify="right")
    for w in written:
        table.add_row(escape(shown_path(w.path)), str(w.pages or ""), f"{w.size / 1024:.0f}")
    stdout().print(table)


@click.command()
@format_option
@lang_option
def doctor(fmt: str, lang: str) -> None:
    """Check that this machine can render reports. 检查运行环境。

    Exit 1 when a required item (WeasyPrint with Pango, a CJK font) is missing.
    """
    from ..report.doctor import ready, run_checks, texts

    checks = run_checks()
    if fmt == "json":
        click.echo(json.dumps([c.model_dump(mode="json") for c in checks], ensure_ascii=False))
    else:
        t = texts()
        echo(pick(t["title"]["zh"], t["title"]["en"], lang), bold=True)
        for c in checks:
            sign = mark("ok" if c.ok else "error" if c.required else "absent")
            need = t["required"] if c.required else t["optional"]
            detail = c.detail or pick(t["missing"]["zh"], t["missing"]["en"], lang)
            label = pick(c.label.zh, c.label.en, lang, " / ")
            shown_need = click.style(f"({pick(need['zh'], need['en'], lang, ' ')})", dim=True)
            echo(f"  {sign} {label} {shown_need}\n      {detail}")
        verdict = t["ok"] if ready(checks) else t["failed"]
        echo(pick(verdict["zh"], verdict["en"], lang, " / "))
    if not ready(checks):
        sys.exit(1)
