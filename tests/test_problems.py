"""The problem catalogue: every code the code can raise is in it, with both languages and a fix."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import beautycity
from beautycity.problems import Severity, catalogue

PACKAGE = Path(beautycity.__file__).parent
FILE_ENDINGS = {"yaml", "json", "xlsx", "pdf", "html", "css", "md", "py", "txt", "zip", "svg"}
TEXT_LOOKUPS = {"tx", "tr", "label"}  # their dotted keys name texts, not problems


def _text_keys(tree: ast.AST) -> set[int]:
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in TEXT_LOOKUPS:
                keys |= {id(a) for a in node.args}
    return keys


def codes_in_source() -> dict[str, list[str]]:
    """Every string constant in the package shaped like a problem code of a known group."""
    groups = {code.split(".")[0] for code in catalogue()}
    shape = re.compile(rf"^({'|'.join(sorted(groups))})\.([a-z0-9]+(?:-[a-z0-9]+)*)$")
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _text_keys(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
            ):
                match = shape.match(node.value)
                if match and match[2] not in FILE_ENDINGS:
                    where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                    found.setdefault(node.value, []).append(where)
    return found


def test_every_code_in_the_source_is_in_the_catalogue():
    found = codes_in_source()
    assert len(found) > 80  # the scan sees the codes, not nothing
    missing = {code: where for code, where in found.items() if code not in catalogue()}
    assert not missing, missing


def test_every_catalogue_entry_has_both_languages_and_errors_a_fix():
    for code, entry in catalogue().items():
        assert entry.zh.strip() and entry.en.strip(), code
        if entry.severity is Severity.ERROR:
            assert entry.fix_zh.strip() and entry.fix_en.strip(), code
