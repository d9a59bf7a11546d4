"""Helper processes that end with the run that started them, and what killed runs leave.

A worker process started by a run must not outlive it: a run killed outright (SIGKILL, a
closed terminal, the task manager) runs no clean-up, and its workers would go on rendering,
holding some 200 MB each. On Linux the kernel kills a worker when its parent dies
(`PR_SET_PDEATHSIG`); everywhere, a thread of the worker waits on its parent and ends it.
Temporary folders of a run carry its process id in their name, so that the next run removes
those whose run is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a `multiprocessing` child: end this process as soon as its parent ends."""
    parent = multiprocessing.parent_process()
    _killed_with_parent()
    if parent is None:
        return
    # The parent may have died before the signal was asked for: the thread sees that too.
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # waits on the parent's sentinel: returns once it has ended
    os._exit(1)


def end_with(pid: int) -> None:
    """In a child that the process `pid` started as a command (the web workspace's task
    worker): end this process as soon as `pid` ends, as `die_with_parent` does."""
    _killed_with_parent()
    threading.Thread(target=_poll, args=(pid,), daemon=True).start()


def _killed_with_parent() -> None:
    """On Linux, ask the kernel to kill this process when the thread that started it ends."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _poll(pid: int) -> None:
    while alive(pid):
        time.sleep(1)
    os._exit(1)


@contextlib.contextmanager
def run_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder `<prefix><pid>-…` for this run, removed after it (unless the run is
    killed: see `clean_stale`)."""
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-") as folder:
        yield Path(folder)


def clean_stale(prefix: str, root: Path | None = None) -> list[Path]:
    """Remove the folders `<prefix><pid>-…` in `root` (the temporary folder) whose process no
    longer runs; the folders removed."""
    removed = []
    pattern = re.compile(re.escape(prefix) + r"(\d+)-")
    for path in Path(root or tempfile.gettempdir()).glob(f"{prefix}*"):
        found = pattern.match(path.name)
        if found and path.is_dir() and not path.is_symlink() and not alive(int(found[1])):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def alive(pid: int) -> bool:
    """Whether process `pid` runs (a process of another user counts)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _alive_windows(pid: int) -> bool:
    # os.kill would end the process on Windows: ask for its exit code instead.
    kernel = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel.CloseHandle(handle)
