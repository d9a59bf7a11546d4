"""What every command shares: options, the console, and one handler for problems."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterable
from itertools import groupby
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from ..problems import BeautycityError, Problem, Severity, make_problem

# Piped output gets a width that fits bilingual tables instead of rich's 80 columns.
_WIDTH = None if sys.stdout.isatty() else 132
console = Console(highlight=False, width=_WIDTH)
err_console = Console(stderr=True, highlight=False, width=_WIDTH)

LANGS = click.Choice(["bilingual", "zh", "en"])


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
        "--lang", type=LANGS, default="bilingual", show_default=True, help="Output language."
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


def pick(zh: str, en: str, lang: str, sep: str = " ") -> str:
    """The text in the chosen language, or both (Chinese first) when bilingual."""
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh}{sep}{en}".strip()


def print_problems(problems: Iterable[Problem], lang: str = "bilingual") -> None:
    """Print problems grouped by file, errors before notes, each with its place and fix."""
    items = sorted(problems, key=lambda p: (p.location.file or "", p.severity != Severity.ERROR))
    for file, group in groupby(items, key=lambda p: p.location.file or ""):
        err_console.print(f"[bold]{escape(file or '(input)')}[/bold]")
        for p in group:
            mark = "[red]✗[/red]" if p.severity is Severity.ERROR else "[yellow]ⓘ[/yellow]"
            where = _where(p)
            err_console.print(
                f"  {mark} [cyan]{escape(where)}[/cyan] [dim]{p.code}[/dim]\n"
                f"    {escape(p.text(lang))}"
            )


def _where(p: Problem) -> str:
    loc = p.location
    parts = []
    if loc.line:
        parts.append(f"line {loc.line}")
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
        try:
            return f(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BeautycityError as exc:
            if kwargs.get("fmt") == "json":
                click.echo(problems_json(exc.problems))
            else:
                print_problems(exc.problems, kwargs.get("lang", "bilingual"))
                n = len(exc.errors)
                err_console.print(f"[red]{n} problem(s) found / 发现 {n} 个问题[/red]")
            sys.exit(1)
        except Exception as exc:
            # A bug, not the user's input: say so plainly; the traceback only on request.
            if os.environ.get("BEAUTYCITY_DEBUG"):
                raise
            problem = make_problem("run.internal-error", kind=type(exc).__name__, detail=exc)
            print_problems([problem], kwargs.get("lang", "bilingual"))
            sys.exit(1)

    return wrapper
