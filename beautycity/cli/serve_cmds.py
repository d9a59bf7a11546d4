"""`beautycity serve`: the web workspace over a working folder, or the demo."""

from __future__ import annotations

import click

from ..texts import tr
from .common import handles_problems, workspace_of
from .output import echo


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--demo",
    is_flag=True,
    help="A fresh working folder with the sample (2023, 2024 published; 2025 open) and demo "
    "accounts; loopback addresses only. 演示模式。",
)
@click.option(
    "--dev", is_flag=True, help="Django's DEBUG on: tracebacks in the browser. 开发模式。"
)
@click.pass_context
@handles_problems
def serve(ctx: click.Context, host: str, port: int, demo: bool, dev: bool) -> None:
    """Serve the web workspace of the working folder (--workspace). 启动网页工作台。

    Units upload their workbooks and see every problem at once; evaluators follow the status
    board, run scoring and reports as background jobs and publish; leaders read the results.
    SQLite in the folder unless DATABASE_URL (or database_url in beautycity.toml) names
    another database. See docs/web.md.
    """
    from ..problems import BeautycityError, Location
    from ..web.server import prepare
    from ..web.server import serve as run

    found = workspace_of(ctx)
    if found is None and not demo:
        raise BeautycityError.single("server.no-workspace", Location(path="--workspace"))
    # The demo always gets a new folder, never the one it was started in.
    root = None if demo or found is None else found.root
    folder = prepare(root, host, dev, demo)
    url = f"http://{host}:{port}/"
    if demo:
        from ..web.demo import PASSWORD, accounts

        names = ", ".join(name for name, _, _ in accounts())
        echo(tr("serve.demo", "bilingual", " / ", group="web", folder=folder, password=PASSWORD))
        echo(f"  {names}")
    echo(tr("serve.ready", "bilingual", " / ", group="web", url=url))
    run(host, port)
