"""Results checked against their manifest before anything is made of them.

`score` writes `manifest.json` last, with the SHA-256 of `assessment.json`; `report` renders
an assessment only when its bytes still have that hash, so that a PDF never shows figures that
were edited by hand (or cut short in a copy) after scoring. An assessment passed on without
its folder has no manifest to check: it is rendered, with a note saying so.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..problems import BeautycityError, Location, Problem, make_problem

MANIFEST = "manifest.json"
ASSESSMENT = "assessment.json"


def verify_results(results: Path | str) -> list[Problem]:
    """Raise the problem of an `assessment.json` (in folder `results`, or named directly)
    whose bytes do not match the hash of the manifest beside it, or whose manifest does not
    list it; the note that there is no manifest, if there is none."""
    path = Path(results)
    file = path / ASSESSMENT if path.is_dir() else path
    if not file.is_file():
        return []  # no assessment at all: said by its reading
    manifest = file.with_name(MANIFEST)
    where = Location(file=str(file))
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["outputs"][file.name]
    except FileNotFoundError:
        return [make_problem("report.no-manifest", where, manifest=manifest)]
    except (OSError, ValueError, KeyError, TypeError):
        raise BeautycityError.single("report.bad-manifest", where, manifest=manifest) from None
    try:
        found = hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return []  # unreadable: said by the reading of the assessment itself
    if found != listed:
        raise BeautycityError.single("report.tampered", where, manifest=manifest)
    return []
