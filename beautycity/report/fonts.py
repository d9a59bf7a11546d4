"""The CJK font the reports are set in, found through fontconfig.

A report without a Chinese font would print blank boxes (tofu), so no font is a problem, never
a fallback. The family found is named everywhere in the CSS, page margin boxes included: a
place left to the default lets fontconfig pick a serif CJK face and embed it as a third font.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache

from ..problems import BeautycityError

# Sans faces that cover simplified Chinese, best first; Source Han Sans is Noto's design.
PREFERRED = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
)
# A family name goes into CSS between quotes: only plain names are accepted.
_PLAIN = re.compile(r"^[\w .\-]+$")


def zh_families() -> list[str]:
    """Every font family fontconfig says covers Chinese (empty without fontconfig)."""
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "family"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    # A line may list several names of one family ("文泉驿正黑,WenQuanYi Zen Hei").
    names = {name.strip() for line in out.splitlines() for name in line.split(",")}
    return sorted(n for n in names if n and _PLAIN.match(n))


def pick_family(families: list[str]) -> str | None:
    """The preferred family among `families`; else any sans, non-monospaced one; else any."""
    for name in PREFERRED:
        if name in families:
            return name
    plain = [f for f in families if "Mono" not in f]
    sans = [f for f in plain if "Sans" in f or "Hei" in f]
    return (sans or plain or [None])[0]


@cache
def cjk_family() -> str:
    """The CJK family reports use, looked up once per process; `report.no-cjk-font` if none."""
    family = pick_family(zh_families())
    if family is None:
        raise BeautycityError.single("report.no-cjk-font")
    return family
