"""File names that are safe to write into a shared folder on any system."""

from __future__ import annotations

import re

# Names Windows keeps for devices, with any extension: results folders are shared with it.
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10))}
)
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


def archive_name(name: str) -> str:
    """A submitted file's name, made safe to write into a folder on any system: no path
    separators or characters Windows refuses, no device name, and no dot or space at either
    end (a leading dot would hide the file from the next run's search of the folder)."""
    name = _UNSAFE.sub("_", name).strip(". ") or "_"
    if name.split(".")[0].rstrip(" ").upper() in _RESERVED:
        name = "_" + name
    return name
