"""Django's management commands for a working folder (the worker `serve` starts runs
`python -m beautycity.web.manage db_worker`); BEAUTYCITY_WORKSPACE names the folder."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beautycity.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
