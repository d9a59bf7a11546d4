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


def verify_results(results: Path | str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of an `assessment.json` (in folder `results`, or named directly) that match
    the hash of the manifest beside it, to be read from these very bytes, and the note that
    there is no manifest, if there is none; None for bytes that could not be read (said by
    the reading of the assessment itself). Raises the problem of bytes that do not match, or
    of a manifest that does not list the file."""
    path = Path(results)
    file = path / ASSESSMENT if path.is_dir() else path
    try:
        data = file.read_bytes()
    except OSError:
        return None, []
    manifest = file.with_name(MANIFEST)
    where = Location(file=str(file))
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["outputs"][file.name]
    except FileNotFoundError:
        return data, [make_problem("report.no-manifest", where, manifest=manifest)]
    except (OSError, ValueError, KeyError, TypeError):
        raise BeautycityError.single("report.bad-manifest", where, manifest=manifest) from None
    if hashlib.sha256(data).hexdigest() != listed:
        raise BeautycityError.single("report.tampered", where, manifest=manifest)
    return data, []
