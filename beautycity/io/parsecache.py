"""Parsed YAML trees kept in the user's cache, keyed by a hash of the text.

ruamel's fast loader parses in C but builds its tree in Python, and every command reads the
scheme, every unit file and the texts: a quarter of validating one workbook. The plain tree
of each text is kept under `<user cache>/beautycity/yaml/`, keyed by the text, the installed
ruamel (its module file's path, size and modification time: an upgrade rewrites it) and
Python's version (marshal's format is Python's own); `BEAUTYCITY_CACHE` names another
folder, and an empty value turns the cache off. Only the standard library is imported here,
so the texts loader can use it too, and neither ruamel nor the package metadata is read
(each costs more than a cached read).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any


def parsed(text: str, parse: Callable[[str], Any]) -> Any:
    """`parse(text)`, or the tree it gave before for the same text."""
    file = _cache_file(text)
    if file is not None:
        try:
            return marshal.loads(file.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            pass  # not cached yet, or unreadable: parse
    tree = parse(text)
    if file is not None:
        _keep(file, tree)
    return tree


def _cache_file(text: str) -> Path | None:
    """Where the tree of `text` is cached, or None when caching is off."""
    folder = os.environ.get("BEAUTYCITY_CACHE")
    if folder is None:
        home = os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CACHE_HOME")
        folder = os.path.join(home or Path.home() / ".cache", "beautycity")
    if not folder:
        return None
    salt = f"{_parser()} {sys.version_info[0]}.{sys.version_info[1]}\n".encode()
    key = hashlib.sha256(salt + text.encode("utf-8")).hexdigest()
    return Path(folder) / "yaml" / f"{key}.marshal"


def _parser() -> str:
    global _PARSER
    if _PARSER is None:
        spec = find_spec("ruamel.yaml")
        origin = spec.origin if spec else None
        stat = os.stat(origin) if origin else None
        _PARSER = f"{origin} {stat.st_size} {stat.st_mtime_ns}" if stat else "none"
    return _PARSER


_PARSER: str | None = None


def _keep(file: Path, tree: Any) -> None:
    """Cache `tree` at `file`, atomically; a tree marshal cannot hold (a YAML date) and a
    folder that cannot be written are skipped: the cache only saves time."""
    try:
        data = marshal.dumps(tree)
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
    except (OSError, ValueError):
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, file)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
