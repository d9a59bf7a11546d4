"""Output folders written as a whole: a reader sees the previous complete set or the new one.

A run prepares its files in a staging folder beside the target (starting from a copy of the
target's current files, so a partial run such as one city's report keeps the rest), then
swaps staging and target in one step: `renameat2(RENAME_EXCHANGE)` on Linux, or, where the
kernel lacks it, two renames whose gap the next run repairs. A lock file beside the target
refuses a second run on the same folder while one is under way.

A target is refused before anything is written when it names a file (an existing one, or a
name ending in .xlsx, .pdf or .json), or when it is, or lies directly in, a folder holding
workbooks that are not outputs, or anywhere inside a folder the command line `protect`s (a
working folder's submissions): the next `validate` or `score` of that folder would read
the results as submissions. Since the swap replaces the whole folder, a target is refused too
when it is the current folder or holds it, holds the run's inputs, is a symbolic link (the
swap would replace the link by a folder), or holds anything but files and folders (a link
to elsewhere, which the copy would follow; a pipe, which it would wait on).

A full disk, or a folder that cannot be written, is a problem saying so; the previous
results stay as they were.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path

from ..problems import BeautycityError, Location
from .atomic import current_umask

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

_RENAME_EXCHANGE = 2
_NO_SPACE = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_NOT_WRITABLE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
_AT_FDCWD = -100
FILE_SUFFIXES = (".xlsx", ".pdf", ".json")  # what an output folder holds, never what it is
# The workbooks beautycity writes (outputs/write.py, report/actions.py, outputs/feedback.py):
# any other .xlsx is taken for a submission or a template.
OUTPUT_WORKBOOKS = (
    "assessment.xlsx",
    "actions-*.xlsx",
    "*-feedback.xlsx",
    "feedback-summary*.xlsx",
)

# Set by the command line for one command; library callers know no working folder.
_protected: ContextVar[tuple[Path, ...]] = ContextVar("protected", default=())


@contextlib.contextmanager
def protect(*folders: Path) -> Iterator[None]:
    """While inside, refuse any output folder equal to or inside one of `folders`."""
    token = _protected.set(tuple(Path(f).resolve() for f in folders))
    try:
        yield
    finally:
        _protected.reset(token)


def check_target(target: Path, *, swap: bool = False, inputs: Iterable[Path | str] = ()) -> None:
    """Raise the problem of an output folder that must not be written (see the module); with
    `swap`, of one that must not be swapped whole by `output_folder` either, for a run that
    reads `inputs`."""
    given = Path(target)
    target = given.resolve()
    where = Location(file=str(target))
    if target.suffix.lower() in FILE_SUFFIXES:
        raise BeautycityError.single("run.output-file-name", where, suffix=target.suffix)
    if target.exists() and not target.is_dir():
        raise BeautycityError.single("run.output-is-file", where)
    for folder in _protected.get():
        if target == folder or folder in target.parents:
            raise BeautycityError.single("run.output-in-submissions", where, folder=folder)
    for folder in (target, target.parent):
        found = _submitted(folder)
        if found:
            raise BeautycityError.single(
                "run.output-among-workbooks", where, folder=folder, example=found
            )
    if swap:
        _check_swap(given, target, inputs)


def _check_swap(given: Path, target: Path, inputs: Iterable[Path | str]) -> None:
    where = Location(file=str(target))
    if given.is_symlink():
        link = Location(file=str(given))
        raise BeautycityError.single("run.output-symlink", link, target=os.readlink(given))
    here = Path.cwd().resolve()
    if target == here or target in here.parents:
        raise BeautycityError.single("run.output-working-folder", where, folder=here)
    for read in (Path(p).resolve() for p in inputs):
        if target == read or target in read.parents:
            raise BeautycityError.single("run.output-holds-inputs", where, input=read)
    odd = _odd_entry(target)
    if odd is not None:
        raise BeautycityError.single("run.output-odd-entry", where, entry=odd)


def _odd_entry(folder: Path) -> str | None:
    """Something in `folder` that is neither a file nor a folder (a link, a pipe), if any."""
    if not folder.is_dir():
        return None
    # As long as the copy into staging that follows, which it spares from what it cannot copy.
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            mode = Path(root, name).lstat().st_mode
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                return str(Path(root, name).relative_to(folder))
    return None


def _submitted(folder: Path) -> str | None:
    """The name of a workbook directly in `folder` that beautycity did not write, if any."""
    if not folder.is_dir():
        return None
    for path in sorted(folder.iterdir()):
        # Excel's and LibreOffice's lock files and hidden files are no one's submission.
        if path.suffix.lower() != ".xlsx" or path.name.startswith(("~$", ".")):
            continue
        if path.is_file() and not any(path.match(pattern) for pattern in OUTPUT_WORKBOOKS):
            return path.name
    return None


@contextlib.contextmanager
def output_folder(target: Path, inputs: Iterable[Path | str] = ()) -> Iterator[Path]:
    """Yield a staging folder; on success it becomes `target` in one step, else it vanishes.
    `inputs` are what the run reads (see `check_target`)."""
    check_target(target, swap=True, inputs=inputs)
    target = Path(target).absolute()
    where = Location(file=str(target))
    try:
        with _writing(target) as staging:
            yield staging
    except OSError as exc:
        # Told as what it is; the previous results were never touched. A refused read of
        # something elsewhere (an input, a font) is no matter of this folder.
        if exc.errno in _NO_SPACE:
            raise BeautycityError.single("run.no-space", where) from None
        inside = exc.filename is None or target.parent in Path(exc.filename).absolute().parents
        if exc.errno in _NOT_WRITABLE and inside:
            raise BeautycityError.single("run.not-writable", where) from None
        raise


@contextlib.contextmanager
def _writing(target: Path) -> Iterator[Path]:
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
                shutil.copytree(target, staging, symlinks=True, dirs_exist_ok=True)
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
