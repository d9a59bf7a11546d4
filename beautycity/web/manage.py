"""Django's management commands for a working folder (the worker `serve` starts runs
`python -m beautycity.web.manage db_worker`, with BEAUTYCITY_SERVER_PID set so that it ends
with the server); BEAUTYCITY_WORKSPACE names the folder."""

from __future__ import annotations

import os
import sys


def main() -> None:
    server = os.environ.get("BEAUTYCITY_SERVER_PID")
    if server:  # the worker `serve` started: it ends with the server, even a killed one
        from ..io.processes import end_with

        end_with(int(server))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beautycity.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
