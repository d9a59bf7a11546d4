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


# Bidirectional controls (embeddings, overrides, isolates, marks): text holding them displays
# in another order than it is stored, so that a name or a note can read as something else.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# What a terminal must not get raw: C0 and C1 controls (ESC starts a terminal's escape
# sequences, a newline fakes a line of output), DEL, and the bidi controls.
_UNPRINTABLE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f]|{BIDI_CONTROLS.pattern}")


def printable(text: str) -> str:
    """`text` with every control character shown as its escape (`\\x1b`, `\\n`, `\\u202e`),
    the same on a terminal, in a problem and in a PDF as in the stored text."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)
