"""What every command shares: options, one handler for problems, and the main group, which
reads the working folder's defaults and tells usage errors. What commands print is `output`."""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..texts import LANGS, tr
from .output import echo, print_problems, problems_json

if TYPE_CHECKING:
    from ..workspace import Workspace


class IsoDate(click.ParamType):
    """A date as YYYY-MM-DD, or a date already (a workspace's default)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(tr("bad_date", "bilingual", " / ", value=value))


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


def handles_problems(f: Callable) -> Callable:
    """Turn the project's errors into a printed list and exit code 1; never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception as exc:
            # Imported only now: `--help` and a clean run never pay for the problem models.
            from ..problems import BeautycityError, make_problem, system_problem

            lang = kwargs.get("lang", "bilingual")
            if isinstance(exc, BeautycityError):
                if kwargs.get("fmt") == "json":
                    click.echo(problems_json(exc.problems))
                else:
                    print_problems(exc.problems, lang)
                    echo(tr("problems.found", lang, " / ", n=len(exc.errors)), fg="red")
                sys.exit(1)
            found = system_problem(exc)  # a full disk, a file one may not touch: no bug
            if found is not None:
                print_problems([found], lang)
                sys.exit(1)
            # A bug, not the user's input: say so plainly; the traceback only on request.
            if os.environ.get("BEAUTYCITY_DEBUG"):
                raise
            problem = make_problem("run.internal-error", kind=type(exc).__name__, detail=exc)
            print_problems([problem], lang)
            sys.exit(1)

    return wrapper


# The entries of beautycity.toml that give a parameter its default, by the option's flag, or
# by the name of an argument (the FILE of `scheme check|show` is called `scheme_path`).
FROM_WORKSPACE = {
    "--scheme": "scheme",
    "scheme_path": "scheme",
    "--cities": "cities",
    "--lang": "lang",
    "--year": "year",
    "--deadline": "deadline",
}
WORKSPACE = "beautycity.workspace"  # the key of `ctx.meta` holding the working folder
ARGV = "beautycity.argv"  # and of the command line as given, for the language of errors


def workspace_option(f: Callable) -> Callable:
    return click.option(
        "--workspace",
        type=click.Path(exists=True, file_okay=False, path_type=str),
        default=None,
        help="Working folder made by `beautycity init` (default: the one holding the current "
        "folder). 工作目录。",
    )(f)


def use_workspace(ctx: click.Context, folder: str | None) -> None:
    """Find the working folder (`folder`, else the one holding the current folder) and make
    its settings the defaults of every command's options (click's `default_map`: an option
    given on the command line still wins); keep its submissions from being written over."""
    from ..resources import workspace_root

    root = folder or workspace_root(Path.cwd())
    ctx.meta[WORKSPACE] = None
    if root is None:
        return  # outside a working folder: start-up stays at the floor
    from ..io.folders import protect
    from ..workspace import load_workspace

    found = load_workspace(root)
    ctx.meta[WORKSPACE] = found
    config = found.config
    values = {
        "scheme": str(found.path("scheme")),
        "cities": str(found.path("cities")),
        "lang": config.lang,
        "year": config.year,
        "deadline": config.deadline.isoformat() if config.deadline else None,
    }
    # Only the command that runs: the others' modules stay unimported.
    ctx.default_map = _defaults(ctx, ctx.command, values, ctx.invoked_subcommand)
    ctx.with_resource(protect(found.path("submissions")))


def workspace_of(ctx: click.Context) -> Workspace | None:
    """The working folder a command runs in (after `use_workspace`), or None."""
    return ctx.meta.get(WORKSPACE)


def _defaults(
    ctx: click.Context, command: click.Command, values: Mapping[str, Any], only: str | None = None
) -> dict[str, Any]:
    """The `default_map` of `command`, nested for the commands of a group (`only` one)."""
    found: dict[str, Any] = {}
    for param in command.params:
        key = next((FROM_WORKSPACE[o] for o in param.opts if o in FROM_WORKSPACE), None)
        if key is not None and values[key] is not None:
            found[param.name or ""] = values[key]
    if isinstance(command, click.Group):
        for name in [only] if only else command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                found[name] = _defaults(ctx, sub, values)
    return found


class Main(click.Group):
    """The `beautycity` group: a usage error (a bad option value, a missing argument, an
    unknown option) is told in the chosen language, with click's own English detail.

    Its commands are `lazy`: name -> "module:attribute" under `beautycity.cli`, imported when
    the command runs, so a command pays for its own module only (`--help` imports them all).
    """

    def __init__(self, *args: Any, lazy: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, _, attr = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(f"{__package__}.{module}"), attr)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        argv = list(args)  # parsing consumes `args`
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _told(exc, _lang(argv, None)) from None
        ctx.meta[ARGV] = argv
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            argv = ctx.meta.get(ARGV, [])
            raise _told(exc, _lang(argv, workspace_of(ctx)), _path(ctx, argv)) from None


def _path(ctx: click.Context, argv: list[str]) -> str:
    """The command `argv` runs, e.g. `beautycity scheme show`: the parser's errors of a
    subcommand (an option without its value) come without its context."""
    command, parts = ctx.command, [ctx.command_path]
    for arg in argv:
        if not isinstance(command, click.Group):
            break
        sub = command.get_command(ctx, arg)
        if sub is not None:
            command = sub
            parts.append(arg)
    return " ".join(parts)


def _told(exc: click.UsageError, lang: str, path: str = "beautycity") -> click.UsageError:
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        return exc  # the help text, not an error
    command = exc.ctx.command_path if exc.ctx else path
    wrong = tr("usage.wrong", lang, " / ")
    fix = tr("usage.fix", lang, " / ", command=command)
    return click.UsageError(f"{wrong}: {exc.format_message()}\n{fix}", ctx=exc.ctx)


def _lang(argv: list[str], found: Workspace | None) -> str:
    """The language the command line asks for with a valid `--lang`, else the working
    folder's, else both."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        if value in LANGS:
            return value
    return found.config.lang if found else "bilingual"
