"""Reading a scheme file: YAML with lines, field checks, then the cross-field checks."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..io.yamlfile import Parse, located, validate_tree
from ..resources import default_scheme_path
from .checks import check_scheme
from .model import Scheme


def load_scheme(path: Path | str | None = None) -> Scheme:
    """Load and check a scheme file; raises `BeautycityError` listing every problem.

    A scheme is frozen, so the same file with the same bytes gives the same object, read
    once per process.
    """
    file = Path(path) if path else default_scheme_path()
    try:
        content = file.read_bytes()
    except OSError:
        content = None  # `load_yaml` reports the file as unreadable, located
    return _load(str(file), content) if content is None else _cached(str(file), content)


@lru_cache(maxsize=8)
def _cached(file: str, content: bytes) -> Scheme:
    return _load(file, content)


def _load(file: str, content: bytes | None) -> Scheme:
    def read(parse: Parse) -> Scheme:
        tree = parse(Path(file), content)
        scheme = validate_tree(Scheme, tree, file)
        check_scheme(scheme, tree, file)
        return scheme

    return located(read)
