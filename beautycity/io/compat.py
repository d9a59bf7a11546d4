"""Keys that moved: a scheme or unit file written for an older beautycity keeps loading.

`texts/moved.yaml` lists, per kind of file, each key path that moved, the path to write now
and the version since which. `upgrade` rewrites a parsed tree before it is validated, with
one located note per old key it moves; a file with both the old key and the new is told to
keep only the new one, located at the old.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..problems import Location, Problem, make_problem
from ..texts import texts
from .yamlfile import PathKey, format_path, line_of

# One kind's table in the shape of `texts/moved.yaml`: old path -> {to: new path, since: version}
Table = Mapping[str, Mapping[str, str]]
LIST = "[]"  # the segment of a path that stands for every item of a list


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: str
    since: str


@dataclass(frozen=True)
class Move:
    """One moved key: inside every node at `stem`, `old` (keys) is now written `new`."""

    stem: tuple[str, ...]  # the segments both paths share, up to their last `[]`
    old: tuple[str, ...]
    new: tuple[str, ...]
    since: str


def moves(kind: str, table: Table | None = None) -> list[Move]:
    """The moves of files of `kind` ("scheme", "unit"): `table`, else `texts/moved.yaml`'s."""
    raw = texts("moved")[kind] if table is None else table
    found = []
    for old, fields in raw.items():
        entry = _Entry.model_validate(fields)
        if entry.to in raw:
            raise ValueError(f"moved {old} -> {entry.to}, which moved too: name today's key")
        found.append(_move(old, entry))
    return found


def _move(old: str, entry: _Entry) -> Move:
    was, now = _segments(old), _segments(entry.to)
    cut = max((i + 1 for i, s in enumerate(was) if s == LIST), default=0)
    stem, was_keys, now_keys = tuple(was[:cut]), tuple(was[cut:]), tuple(now[cut:])
    if (
        tuple(now[:cut]) != stem
        or LIST in now_keys
        or not now_keys
        or was_keys == now_keys[: len(was_keys)]
        or now_keys == was_keys[: len(now_keys)]
    ):
        raise ValueError(f"moved {old} -> {entry.to}: name other keys of the same list item")
    return Move(stem, was_keys, now_keys, entry.since)


def _segments(path: str) -> list[str]:
    """`indicators[].scoring.floor` -> ["indicators", "[]", "scoring", "floor"]."""
    out: list[str] = []
    for part in path.split("."):
        key = part.removesuffix(LIST * part.count(LIST))
        if not key or LIST in key:
            raise ValueError(f"moved key path {path!r}: write keys joined by dots, lists as []")
        out += [key] + [LIST] * part.count(LIST)
    return out


def upgrade(tree: Any, kind: str, file: str, table: Table | None = None) -> list[Problem]:
    """Rewrite, in `tree`, every key that moved in files of `kind` (see `moves`), in table
    then document order: a note (`compat.moved-key`) for each, located at the old key, or an
    error (`compat.both-keys`) where the new key is there too, whose value then stays."""
    found: list[Problem] = []
    for move in moves(kind, table):
        for item, at in list(_nodes(tree, move.stem, [])):
            for parent, _ in list(_nodes(item, move.old[:-1], at)):
                found += _apply(move, tree, file, item, at, parent)
    return found


def _nodes(
    node: Any, segments: tuple[str, ...], at: list[PathKey]
) -> Iterator[tuple[Any, list[PathKey]]]:
    """Every node at `segments` under `node`, with its path from the root."""
    if not segments:
        yield node, at
    elif segments[0] == LIST:
        if isinstance(node, list):
            for index, child in enumerate(node):
                yield from _nodes(child, segments[1:], [*at, index])
    elif isinstance(node, dict) and segments[0] in node:
        yield from _nodes(node[segments[0]], segments[1:], [*at, segments[0]])


def _apply(
    move: Move, tree: Any, file: str, item: Any, at: list[PathKey], parent: Any
) -> list[Problem]:
    key = move.old[-1]
    if not isinstance(parent, dict) or key not in parent:
        return []
    from ruamel.yaml.comments import CommentedMap  # only now: most files have no old key

    old, new = [*at, *move.old], [*at, *move.new]
    where = Location(file=file, line=line_of(tree, old), path=format_path(old))
    names = {"old": format_path(old), "new": format_path(new), "since": move.since}
    # The old key's line and column go with it, so later problems point where the user wrote.
    line_col = parent.lc.data[key] if isinstance(parent, CommentedMap) else None
    target = _mapping(item, move.new[:-1], line_col)
    if target is None:  # not a mapping where the new key goes: validation says what it is
        return [make_problem("compat.moved-key", where, **names)]
    if move.new[-1] in target:
        del parent[key]
        return [make_problem("compat.both-keys", where, **names)]
    _put(target, move.new[-1], parent.pop(key), line_col)
    return [make_problem("compat.moved-key", where, **names)]


def _mapping(node: Any, keys: tuple[str, ...], line_col: Any) -> dict | None:
    """The mapping at `keys` under `node`, made where missing; None if something else is."""
    from ruamel.yaml.comments import CommentedMap

    for key in keys:
        if not isinstance(node, dict):
            return None
        if key not in node:
            _put(node, key, CommentedMap() if isinstance(node, CommentedMap) else {}, line_col)
        node = node[key]
    return node if isinstance(node, dict) else None


def _put(mapping: dict, key: str, value: Any, line_col: Any) -> None:
    from ruamel.yaml.comments import CommentedMap

    mapping[key] = value
    if isinstance(mapping, CommentedMap):
        mapping.lc.add_kv_line_col(key, line_col)
