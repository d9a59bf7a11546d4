"""YAML in, with line numbers: every problem in a data file points at its line and key path.

Remembering lines makes ruamel's round-trip parser ten times slower than its C one, so files
are read fast first (`located`) and again with lines only when something in them is wrong.
Even the fast read builds its tree in Python, so its tree is cached (`parsecache`): only the
parse is, what the tree means is checked every time. ruamel itself is imported only to parse
or to locate, so a command whose files are all cached and clean never loads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..problems import BeautycityError, Location, Problem, make_problem
from .parsecache import parsed

PathKey = str | int
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Parse = Callable[..., Any]  # (path, content=None) -> tree


def format_path(path: Sequence[PathKey]) -> str:
    """`("indicators", 7, "targets", 2027)` -> `indicators[7].targets.2027`."""
    out = ""
    for key in path:
        if isinstance(key, int) and not isinstance(key, bool) and out and not out.endswith("."):
            out += f"[{key}]"
        else:
            out += ("." if out else "") + str(key)
    return out


def line_of(node: Any, path: Sequence[PathKey]) -> int | None:
    """The 1-based line of `path` inside a round-trip YAML tree, or of its deepest known parent."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    line: int | None = None
    for key in path:
        if isinstance(node, CommentedMap):
            if key not in node:
                # YAML may hold the key as a string while the path says int, or the reverse
                alt = str(key) if not isinstance(key, str) else _as_int(key)
                if alt is None or alt not in node:
                    break
                key = alt
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    return line


def _as_int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def located(read: Callable[[Parse], T]) -> T:
    """`read(parse)` with the fast parser; if it finds any problem, again with the parser
    that remembers lines, so that every problem it raises is located. `read` must use the
    tree it parses only for locations once the values are validated."""
    return located_with_notes(lambda parse: (read(parse), []))[0]


def located_with_notes(
    read: Callable[[Parse], tuple[T, list[Problem]]],
) -> tuple[T, list[Problem]]:
    """`located` for a `read` that returns notes with its value: a note wants its line as
    much as an error does, so a fast read that notes anything is done again with lines."""
    try:
        value, notes = read(_load_fast)
        if not notes:
            return value, notes
    except BeautycityError:
        pass
    return read(load_yaml)


def _text(path: Path, content: bytes | None) -> str:
    try:
        return (path.read_bytes() if content is None else content).decode("utf-8")
    except UnicodeDecodeError:
        raise BeautycityError.single("data.not-utf8", Location(file=str(path))) from None
    except OSError as exc:
        raise BeautycityError.single(
            "data.unreadable", Location(file=str(path)), reason=exc.strerror or exc
        ) from None


def _load_fast(path: Path, content: bytes | None = None) -> Any:
    """Plain dicts and lists, from the cache or with the C parser where ruamel has it; any
    fault is left to `load_yaml` to locate."""

    def parse(text: str) -> Any:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import YAMLError

        yaml = YAML(typ="safe", pure=False)
        yaml.allow_duplicate_keys = False
        try:
            return yaml.load(text)
        except YAMLError:
            raise BeautycityError.single("data.yaml-syntax", Location(file=str(path))) from None

    return parsed(_text(path, content), parse)


def load_yaml(path: Path, content: bytes | None = None) -> Any:
    """Read a YAML file (or its `content`, already read) as a round-trip tree, which
    remembers lines, or raise a located problem."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    text = _text(path, content)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise BeautycityError.single(
            "data.yaml-syntax", Location(file=str(path), line=line), reason=exc.problem or exc
        ) from None
    except YAMLError as exc:
        raise BeautycityError.single(
            "data.yaml-syntax", Location(file=str(path)), reason=exc
        ) from None


_PYDANTIC_CODES = {
    "missing": "data.missing-field",
    "extra_forbidden": "data.unknown-field",
}


def validation_problems(exc: ValidationError, tree: Any, file: str) -> list[Problem]:
    """Turn every pydantic error into a located problem (line, key path, bilingual text)."""
    problems = []
    for err in exc.errors(include_url=False):
        # Discriminated unions add the tag name to the path; a reader wants the YAML's own keys.
        loc = [k for k in err["loc"] if k != "[key]" and not str(k).startswith("function-")]
        loc = _drop_union_tags(loc, tree)
        code = _PYDANTIC_CODES.get(err["type"], "data.invalid-value")
        where = Location(file=file, line=line_of(tree, loc), path=format_path(loc))
        problems.append(make_problem(code, where, key=loc[-1] if loc else "", reason=err["msg"]))
    return problems


# Fields that tag a discriminated union: pydantic puts their value into the error path.
_TAG_FIELDS = ("method",)


def _drop_union_tags(loc: list[PathKey], tree: Any) -> list[PathKey]:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    kept: list[PathKey] = []
    node = tree
    for key in loc:
        tagged = isinstance(node, CommentedMap) and key not in node
        if tagged and any(node.get(tag) == key for tag in _TAG_FIELDS):
            continue
        kept.append(key)
        if isinstance(node, CommentedMap):
            node = node.get(key)
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            node = None
    return kept


def validate_tree(model: type[M], tree: Any, file: str) -> M:
    """Validate a loaded YAML tree into `model`, raising every problem at once with its line."""
    try:
        # JSON mode: strict about types, yet YAML's strings may name enums and lists fill tuples.
        return model.model_validate_json(json.dumps(_plain(tree), default=str))
    except ValidationError as exc:
        raise BeautycityError(validation_problems(exc, tree, file)) from None


def _plain(node: Any) -> Any:
    # ruamel's containers subclass dict/list; JSON wants the plain types and string keys.
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
