"""What the search of a folder passes over: each file, with a located note saying why, so
that nothing is skipped unsaid. Kept apart from `status`, so that `validate` and `score`,
which list these too, need none of its models."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..problems import Location, Problem, Problems, make_problem
from .read import discover

_SKIPPED = {
    "lock": "submission.skipped-lock",
    "hidden": "submission.skipped-hidden",
    "name": "submission.skipped-name",
    "archive": "submission.skipped-archive",
    "other": "submission.skipped-other",
    "special": "submission.skipped-special",
}
_ARCHIVES = frozenset({".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz"})


def skipped_files(paths: Iterable[Path | str]) -> tuple[Problem, ...]:
    """A note for every file inside the folders of `paths` that reading them passes over
    (lock files, hidden files, misnamed workbooks, archives, other files, pipes), saying why."""
    given = [Path(p) for p in paths]
    read = set(discover(given, Problems()))
    seen: set[Path] = set()
    notes = []
    for folder in given:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path in read or path in seen or path.is_dir():
                continue
            seen.add(path)
            name = path.name
            notes.append(
                make_problem(
                    # A pipe, a device or a link to nowhere, whatever its name.
                    _SKIPPED[skip_reason(path) if path.is_file() else "special"],
                    Location(file=str(path)),
                    name=name,
                    of=_locked(name),
                )
            )
    return tuple(notes)


def _locked(name: str) -> str:
    """The workbook a lock file is for: `~$x.xlsx` and `.~lock.x.xlsx#` lock `x.xlsx`."""
    return name.removeprefix("~$").removeprefix(".~lock.").removesuffix("#")


def skip_reason(path: Path) -> str:
    """Why a folder search passes over `path`: lock, hidden, name, archive or other."""
    name = path.name
    if name.startswith(("~$", ".~lock.")):  # Excel's and WPS's; LibreOffice's
        return "lock"
    if name.startswith("."):
        return "hidden"
    if name.rstrip(" .\t").lower().endswith(".xlsx"):  # "x.xlsx ", "x.xlsx."
        return "name"
    if path.suffix.lower() in _ARCHIVES:
        return "archive"
    return "other"
