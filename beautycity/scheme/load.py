"""Reading a scheme file: YAML with lines, moved keys rewritten, field checks, then the
cross-field checks."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..io.compat import Table, upgrade
from ..io.yamlfile import Parse, located_with_notes, validate_tree
from ..problems import BeautycityError, Problem, Problems
from ..resources import default_scheme_path
from .checks import check_scheme
from .model import Scheme


def load_scheme(path: Path | str | None = None) -> Scheme:
    """Load and check a scheme file; raises `BeautycityError` listing every problem.

    A scheme is frozen, so the same file with the same bytes gives the same object, read
    once per process.
    """
    return load_scheme_with_notes(path)[0]


def load_scheme_with_notes(
    path: Path | str | None = None, moved: Table | None = None
) -> tuple[Scheme, tuple[Problem, ...]]:
    """`load_scheme`, with the notes of reading it: one per key the file writes as an older
    beautycity did (`compat.moved-key`, located at that key). `moved` stands in for the
    scheme keys of `texts/moved.yaml`; a load with it is not cached."""
    file = Path(path) if path else default_scheme_path()
    try:
        content = file.read_bytes()
    except OSError:
        content = None  # `load_yaml` reports the file as unreadable, located
    if content is None or moved is not None:
        return _load(str(file), content, moved)
    return _cached(str(file), content)


@lru_cache(maxsize=8)
def _cached(file: str, content: bytes) -> tuple[Scheme, tuple[Problem, ...]]:
    return _load(file, content, None)


def _load(
    file: str, content: bytes | None, moved: Table | None
) -> tuple[Scheme, tuple[Problem, ...]]:
    def read(parse: Parse) -> tuple[Scheme, list[Problem]]:
        tree = parse(Path(file), content)
        problems = Problems()
        problems.extend(upgrade(tree, "scheme", file, moved))
        try:
            scheme = validate_tree(Scheme, tree, file)
            check_scheme(scheme, tree, file)
        except BeautycityError as exc:
            raise BeautycityError([*problems, *exc.problems]) from None
        problems.raise_if_errors()
        return scheme, problems.notes

    scheme, notes = located_with_notes(read)
    return scheme, tuple(notes)
