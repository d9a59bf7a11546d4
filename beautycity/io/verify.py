"""Results checked against their manifest before anything is made of them.

`score` writes `manifest.json` last, with the SHA-256 of `assessment.json`; `report` renders
an assessment only when its bytes still have that hash, so that a PDF never shows figures that
were edited by hand (or cut short in a copy) after scoring.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..problems import BeautycityError, Location

MANIFEST = "manifest.json"
ASSESSMENT = "assessment.json"


def verify_results(results: Path | str) -> None:
    """Raise the problem of an `assessment.json` (in folder `results`, or named directly)
    that has no manifest beside it, or whose bytes do not match the manifest's hash."""
    path = Path(results)
    file = path / ASSESSMENT if path.is_dir() else path
    manifest = file.with_name(MANIFEST)
    where = Location(file=str(file))
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["outputs"][file.name]
    except FileNotFoundError:
        raise BeautycityError.single("report.no-manifest", where, manifest=manifest) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise BeautycityError.single("report.bad-manifest", where, manifest=manifest) from None
    try:
        found = hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return  # unreadable: said by the reading of the assessment itself
    if found != listed:
        raise BeautycityError.single("report.tampered", where, manifest=manifest)
