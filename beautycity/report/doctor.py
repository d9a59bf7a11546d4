"""`beautycity doctor`: is this machine ready to render reports?

Each check says whether it is required; a report needs WeasyPrint with a usable Pango and a
CJK font. The rest only helps to inspect outputs, or says how the machine reads workbooks.
"""

from __future__ import annotations

import pyexpat
import re
import shutil
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..scheme.model import Text
from ..texts import texts as load_texts
from .fonts import pick_family, zh_families

# WeasyPrint 62+ needs Pango 1.44 or later.
MIN_PANGO = 14400
# expat before 2.6 re-scans an unfinished token with every block (CVE-2023-52425); the reader
# caps tokens itself, so an older one is said, not required.
MIN_EXPAT = (2, 6)


class Check(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    label: Text
    required: bool
    ok: bool
    detail: str


def texts() -> dict[str, Any]:
    return load_texts("doctor")


def _check(check_id: str, required: bool, ok: bool, detail: str) -> Check:
    label = Text.model_validate(texts()["checks"][check_id])
    return Check(id=check_id, label=label, required=required, ok=ok, detail=detail)


def _weasyprint() -> Check:
    try:
        import weasyprint
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as exc:  # OSError: a system library could not be loaded
        return _check("weasyprint", True, False, str(exc).splitlines()[0])
    version = pango.pango_version()
    shown = f"{version // 10000}.{version // 100 % 100}.{version % 100}"
    detail = f"WeasyPrint {weasyprint.__version__}, Pango {shown}"
    return _check("weasyprint", True, version >= MIN_PANGO, detail)


def _font() -> Check:
    family = pick_family(zh_families())
    return _check("cjk_font", True, family is not None, family or "")


def _program(check_id: str, *names: str) -> Check:
    found = next((path for name in names if (path := shutil.which(name))), None)
    return _check(check_id, False, found is not None, found or "")


def _expat() -> Check:
    found = tuple(int(n) for n in re.findall(r"\d+", pyexpat.EXPAT_VERSION)[:2])
    return _check("expat", False, found >= MIN_EXPAT, pyexpat.EXPAT_VERSION)


def run_checks() -> list[Check]:
    return [
        _weasyprint(),
        _font(),
        _program("pdftoppm", "pdftoppm"),
        _program("libreoffice", "soffice", "libreoffice"),
        _expat(),
    ]


def ready(checks: list[Check]) -> bool:
    return all(c.ok for c in checks if c.required)
