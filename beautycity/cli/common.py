"""What every command shares: options, the console, and one handler for problems."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterable
from functools import cache
from itertools import groupby
from typing import TYPE_CHECKING, Any

import click

from ..texts import LANGS, tr

if TYPE_CHECKING:
    from rich.console import Console

    from ..problems import Problem


@cache
def _console(stderr: bool) -> Console:
    # Made when something is first printed: `--help` and `--version` never import rich.
    from rich.console import Console

    # Piped output gets a width that fits bilingual tables instead of rich's 80 columns.
    width = None if sys.stdout.isatty() else 132
    return Console(stderr=stderr, highlight=False, width=width)


def stdout() -> Console:
    """The console for results (standard output)."""
    return _console(False)


def stderr() -> Console:
    """The console for progress and problems (standard error)."""
    return _console(True)


class MethodChoice(click.Choice):
    """The registered methods of one kind, looked up when first shown or checked, so that
    starting the command line does not load the numeric methods."""

    def __init__(self, kind: str, **flags: bool) -> None:
        self.kind, self.flags, self.case_sensitive = kind, flags, True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        from ..methods.registry import names

        return names(self.kind, **self.flags)


def scheme_option(f: Callable) -> Callable:
    return click.option(
        "--scheme",
        "scheme_path",
        type=click.Path(dir_okay=False, path_type=str),
        default=None,
        help="Indicator scheme YAML (default: the bundled Jilin scheme). 指标体系文件。",
    )(f)


def cities_option(f: Callable) -> Callable:
    return click.option(
        "--cities",
        "cities_dir",
        type=click.Path(file_okay=False, path_type=str),
        default=None,
        help="Folder of unit profiles (default: the bundled Jilin roster). 评估单元目录。",
    )(f)


def lang_option(f: Callable) -> Callable:
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default="bilingual",
        show_default=True,
        help="Output language.",
    )(f)


def jobs_option(f: Callable) -> Callable:
    return click.option(
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="Processes rendering the PDF reports (default: one per core). 并行进程数。",
    )(f)


def format_option(f: Callable) -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Print for people (text) or for programs (json).",
    )(f)


def print_problems(problems: Iterable[Problem], lang: str = "bilingual") -> None:
    """Print problems grouped by file, errors before notes, each with its place and fix."""
    from rich.markup import escape

    from ..problems import Severity

    items = sorted(problems, key=lambda p: (p.location.file or "", p.severity != Severity.ERROR))
    for file, group in groupby(items, key=lambda p: p.location.file or ""):
        stderr().print(f"[bold]{escape(file or tr('problems.input', lang))}[/bold]")
        for p in group:
            mark = "[red]✗[/red]" if p.severity is Severity.ERROR else "[yellow]ⓘ[/yellow]"
            where = _where(p, lang)
            stderr().print(
                f"  {mark} [cyan]{escape(where)}[/cyan] [dim]{p.code}[/dim]\n"
                f"    {escape(p.text(lang))}"
            )


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


def handles_problems(f: Callable) -> Callable:
    """Turn the project's errors into a printed list and exit code 1; never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..problems import BeautycityError, make_problem

        try:
            return f(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BeautycityError as exc:
            if kwargs.get("fmt") == "json":
                click.echo(problems_json(exc.problems))
            else:
                lang = kwargs.get("lang", "bilingual")
                print_problems(exc.problems, lang)
                stderr().print(f"[red]{tr('problems.found', lang, ' / ', n=len(exc.errors))}[/red]")
            sys.exit(1)
        except Exception as exc:
            # A bug, not the user's input: say so plainly; the traceback only on request.
            if os.environ.get("BEAUTYCITY_DEBUG"):
                raise
            problem = make_problem("run.internal-error", kind=type(exc).__name__, detail=exc)
            print_problems([problem], kwargs.get("lang", "bilingual"))
            sys.exit(1)

    return wrapper
