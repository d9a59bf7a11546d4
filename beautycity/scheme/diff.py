"""What changed between two schemes: every field, found by walking the models.

Nothing here names a scheme field. A top-level tuple of models with an `id` (dimensions,
indicators, positionings, adjustments, grades) is a section of items matched by id; any
other model (years, weights, method, robustness, ties) is a section of fields; the remaining
scalars and texts form the `scheme` section. Inside, models are walked field by field, dicts
key by key and nested id-keyed tuples by id, so a field added to the model is diffed without
a code change. Paths are dotted, as in the YAML: `targets.2027`, `scoring.floor`, `name.zh`.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, JsonValue
from pydantic_core import to_jsonable_python

from ..texts import pick, texts
from .model import Scheme, Text

SCHEME_SECTION = "scheme"
# What an indicator (or a count-based adjustment) measures: a value reported under one scheme
# means the same under another when these agree. Weights, targets and scoring may change.
MEANING = ("definition", "unit", "direction", "input.type")

_ABSENT = object()


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FieldChange(_Frozen):
    path: str  # dotted, relative to the item or section: "targets.2027", "scoring.floor"
    kind: Literal["added", "removed", "changed"]
    old: JsonValue = None  # None when added
    new: JsonValue = None  # None when removed


class ItemRef(_Frozen):
    id: str
    code: str | None = None
    name: Text | None = None


class ItemDiff(ItemRef):
    changes: tuple[FieldChange, ...]


class SectionDiff(_Frozen):
    """One part of the scheme: its own fields, or its items (added, removed, changed)."""

    section: str
    fields: tuple[FieldChange, ...] = ()
    added: tuple[ItemRef, ...] = ()
    removed: tuple[ItemRef, ...] = ()
    changed: tuple[ItemDiff, ...] = ()
    reordered: bool = False  # the items both schemes have come in another order

    @property
    def empty(self) -> bool:
        return not (self.fields or self.added or self.removed or self.changed or self.reordered)

    @property
    def count(self) -> int:
        items = len(self.added) + len(self.removed) + sum(len(c.changes) for c in self.changed)
        return len(self.fields) + items + int(self.reordered)


class SchemeVersion(_Frozen):
    id: str
    version: str


class SchemeDiff(_Frozen):
    old: SchemeVersion
    new: SchemeVersion
    sections: tuple[SectionDiff, ...]  # every section, in the scheme's field order

    @property
    def changed(self) -> bool:
        return any(not s.empty for s in self.sections)

    @property
    def count(self) -> int:
        return sum(s.count for s in self.sections)

    def section(self, name: str) -> SectionDiff:
        return next(s for s in self.sections if s.section == name)

    def as_json(self) -> dict[str, Any]:
        """A stable structure: every section always present, in the same order."""
        return {
            "old": self.old.model_dump(mode="json"),
            "new": self.new.model_dump(mode="json"),
            "changed": self.changed,
            "unbumped": self.old.version == self.new.version and self.changed,
            "sections": {
                s.section: s.model_dump(mode="json", exclude={"section"}) for s in self.sections
            },
        }


def diff_schemes(old: Scheme, new: Scheme) -> SchemeDiff:
    """Every difference between `old` and `new`, section by section."""
    fields: list[FieldChange] = []
    sections: list[SectionDiff] = []
    for name in Scheme.model_fields:
        a, b = getattr(old, name), getattr(new, name)
        if _keyed(a) and _keyed(b):
            sections.append(_items(name, a, b))
        elif isinstance(a, BaseModel) and not isinstance(a, Text):
            sections.append(SectionDiff(section=name, fields=tuple(_compare(a, b, ""))))
        else:
            fields += _compare(a, b, name)
    scalars = SectionDiff(section=SCHEME_SECTION, fields=tuple(fields))
    return SchemeDiff(
        old=SchemeVersion(id=old.id, version=old.version),
        new=SchemeVersion(id=new.id, version=new.version),
        sections=(scalars, *sections),
    )


def version_unchanged_but_edited(old: Scheme, new: Scheme) -> bool:
    """True when `new` keeps `old`'s version but its content differs: a version to bump.

    Workbooks record the scheme version they were made for and results the version they were
    scored under, so two different schemes with one version cannot be told apart later.
    """
    return old.version == new.version and diff_schemes(old, new).changed


def same_meaning(old: BaseModel, new: BaseModel) -> bool:
    """Whether two versions of an indicator (or adjustment) measure the same quantity."""
    return all(_get(old, path) == _get(new, path) for path in MEANING)


def _get(model: Any, path: str) -> Any:
    for part in path.split("."):
        model = getattr(model, part, None)
    return model


# ------------------------------------------------------------------------------- walking


def _keyed(value: Any) -> bool:
    """A tuple of models matched by id (an empty tuple too: a section may start empty)."""
    return isinstance(value, tuple) and all(
        isinstance(v, BaseModel) and "id" in type(v).model_fields for v in value
    )


def _ref(item: BaseModel) -> ItemRef:
    code, name = getattr(item, "code", None), getattr(item, "name", None)
    return ItemRef(
        id=item.id,  # type: ignore[attr-defined]
        code=code if isinstance(code, str) else None,
        name=name if isinstance(name, Text) else None,
    )


def _items(section: str, old: tuple, new: tuple) -> SectionDiff:
    before = {i.id: i for i in old}
    after = {i.id: i for i in new}
    changed = []
    for key, item in after.items():
        if key in before:
            changes = _compare(before[key], item, "")
            if changes:
                changed.append(ItemDiff(**_ref(item).model_dump(), changes=tuple(changes)))
    common_old = [k for k in before if k in after]
    common_new = [k for k in after if k in before]
    return SectionDiff(
        section=section,
        added=tuple(_ref(i) for k, i in after.items() if k not in before),
        removed=tuple(_ref(i) for k, i in before.items() if k not in after),
        changed=tuple(changed),
        reordered=common_old != common_new,
    )


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _compare(old: Any, new: Any, path: str) -> list[FieldChange]:
    if old is _ABSENT or new is _ABSENT:
        kind = "added" if old is _ABSENT else "removed"
        return [FieldChange(path=path, kind=kind, old=_json(old), new=_json(new))]
    if isinstance(old, BaseModel) and isinstance(new, BaseModel):
        if type(old) is type(new):
            out: list[FieldChange] = []
            for name in type(old).model_fields:
                out += _compare(getattr(old, name), getattr(new, name), _join(path, name))
            return out
        # Another member of a union (a scoring method for another): compare what they say.
        return _compare(old.model_dump(), new.model_dump(), path)
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in [*old, *(k for k in new if k not in old)]:
            out += _compare(old.get(key, _ABSENT), new.get(key, _ABSENT), _join(path, key))
        return out
    if old and new and _keyed(old) and _keyed(new):
        before, after = {i.id: i for i in old}, {i.id: i for i in new}
        return _compare(before, after, path)
    if old == new:
        return []
    kind = "added" if old is None else "removed" if new is None else "changed"
    return [FieldChange(path=path, kind=kind, old=_json(old), new=_json(new))]


def _json(value: Any) -> JsonValue:
    return None if value is _ABSENT else to_jsonable_python(value)


# ------------------------------------------------------------------------------- text


def diff_lines(diff: SchemeDiff, lang: str = "bilingual") -> list[str]:
    """The diff for people, grouped by section; Chinese first, English beside it."""
    t = texts("scheme_tools")["diff"]

    def say(key: str, **params: Any) -> str:
        return pick(t[key]["zh"].format(**params), t[key]["en"].format(**params), lang)

    old = f"{diff.old.id} {diff.old.version}"
    new = f"{diff.new.id} {diff.new.version}"
    lines = [say("title", old=old, new=new)]
    if not diff.changed:
        return [*lines, "  " + say("same")]
    lines.append("  " + say("count", n=diff.count))
    if diff.old.version == diff.new.version:
        lines.append("  " + say("unbumped"))
    for section in diff.sections:
        if section.empty:
            continue
        lines += ["", f"== {_label(t['sections'], section.section, lang)} =="]
        lines += [f"  {_change(c, t, lang)}" for c in section.fields]
        for mark, status, refs in (
            ("+", "added", section.added),
            ("-", "removed", section.removed),
            ("~", "changed", section.changed),
        ):
            for ref in refs:
                lines.append(f"  {mark} {_item(ref, lang)}  ({say(status)})")
                for c in getattr(ref, "changes", ()):
                    lines.append(f"      {_change(c, t, lang)}")
        if section.reordered:
            lines.append("  ↕ " + say("reordered"))
    return lines


def _item(ref: ItemRef, lang: str) -> str:
    name = ref.name.line(lang) if ref.name else ""
    return " ".join(p for p in (ref.code, name, f"[{ref.id}]") if p)


def _label(table: dict[str, Any], key: str, lang: str) -> str:
    entry = table.get(key)
    return pick(entry["zh"], entry["en"], lang) if entry else key


def _change(change: FieldChange, t: dict[str, Any], lang: str) -> str:
    head, _, rest = change.path.partition(".")
    where = _label(t["fields"], head, lang) + (f" · {rest}" if rest else "")
    return f"{where}: {_shown(change.old, t)} → {_shown(change.new, t)}"


def _shown(value: JsonValue, t: dict[str, Any]) -> str:
    if value is None:
        return t["absent"]
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:g}"
    return json.dumps(value, ensure_ascii=False)
