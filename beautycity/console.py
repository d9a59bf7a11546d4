"""The `beautycity` console script: the command line in a process that starts and ends fast.

A command is a short-lived process. Importing pydantic, numpy and openpyxl and building the
scheme's models makes some 100,000 objects that live until the process ends. With the
collector's default thresholds, its passes walk them again and again while they are being
made, and once more at exit: together a sixth of validating one workbook. So the first
collection waits until start-up is over, the command's own work has the default thresholds,
and at exit everything is frozen: the operating system frees it all at once. Nothing is
frozen earlier: what a long command holds then (a workbook, a document) would never be
collected once it is garbage. `python -m beautycity` runs the same.
"""

from __future__ import annotations

import gc
from typing import Any

# Container objects made before the first collection: `validate` starts with about 100,000.
# What a long command leaves for the collector meanwhile is bounded by it (some 20 MB).
FIRST_COLLECTION = 250_000


def run() -> None:
    """Run `beautycity` with the arguments of this process, exiting with its status."""
    hold_first_collection()
    from .cli import main

    try:
        main()
    finally:
        gc.freeze()  # the interpreter's last collections would walk what is freed anyway


def hold_first_collection() -> None:
    """Let the first collection wait for `FIRST_COLLECTION` new objects, then go back to the
    thresholds there were. An explicit `gc.collect()` ends the wait the same way."""
    before = gc.get_threshold()
    held = True

    def settle(phase: str, info: dict[str, Any]) -> None:
        # Left registered, but inert: a callback that removes itself would make the collector
        # skip the next one in `gc.callbacks`.
        nonlocal held
        if phase == "stop" and held:
            held = False
            gc.set_threshold(*before)

    gc.callbacks.append(settle)
    gc.set_threshold(FIRST_COLLECTION, *before[1:])
