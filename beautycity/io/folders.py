"""Output folders written as a whole: a reader sees the previous complete set or the new one.

A run prepares its files in a staging folder beside the target (starting from a copy of the
target's current files, so a partial run such as one city's report keeps the rest), then
swaps staging and target in one step: `renameat2(RENAME_EXCHANGE)` on Linux, or, where the
kernel lacks it, two renames whose gap the next run repairs. A lock file beside the target
refuses a second run on the same folder while one is under way.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..problems import BeautycityError, Location
from .atomic import current_umask

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@contextlib.contextmanager
def output_folder(target: Path) -> Iterator[Path]:
    """Yield a staging folder; on success it becomes `target` in one step, else it vanishes."""
    target = Path(target).absolute()
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    with _lock(target):
        _recover(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=parent))
        os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp's folder is private
        try:
            if target.is_dir():
                # A copy, not hard links: a writer that truncates a file in place must never
                # reach the published one.
                shutil.copytree(target, staging, dirs_exist_ok=True)
            yield staging
            _publish(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _publish(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        staging.mkdir()  # the caller removes it
        return
    if _exchange(staging, target):
        return  # `staging` now holds the old files; the caller removes them
    # Without an atomic exchange: move the old folder aside, then the new one in. A kill in
    # between leaves `.old`, which `_recover` puts back on the next run.
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(target, old)
    os.rename(staging, target)
    os.rename(old, staging)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the kernel or file system cannot exchange
    raise OSError(err, os.strerror(err), str(b))


def _recover(target: Path) -> None:
    """Undo an interrupted two-rename publish, and clear staging folders of killed runs."""
    old = target.with_name(f".{target.name}.old")
    if old.is_dir():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, target)
    for leftover in target.parent.glob(f".{target.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _lock(target: Path) -> Iterator[None]:
    path = target.with_name(f".{target.name}.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            raise BeautycityError.single("run.locked", Location(file=str(target))) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock; the file stays for the next run
