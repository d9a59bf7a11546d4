"""Result files: `assessment.json`, `assessment.xlsx` and `manifest.json`, written atomically.

Each file is written to a temporary name in the results folder and renamed into place, and the
manifest goes last, so an interrupted run leaves the previous complete results where they were.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from .. import __version__
from ..assessment.document import AssessmentDoc, write_doc
from ..io.atomic import sha256_file, write_atomic
from ..io.names import archive_name
from ..scheme.model import Scheme
from .workbook import write_results_workbook


def write_results(
    folder: Path,
    doc: AssessmentDoc,
    scheme: Scheme,
    inputs: list[Path],
    parameters: dict[str, Any],
) -> list[Path]:
    """Write the results into `folder` (a staging folder): the accepted workbooks archived
    byte for byte under `submissions/`, `assessment.json`, `assessment.xlsx`, and last
    `manifest.json` with the SHA-256 of every input and output."""
    archive = folder / "submissions"
    shutil.rmtree(archive, ignore_errors=True)
    archive.mkdir(parents=True)
    archived: dict[str, str] = {}
    for path in sorted(inputs, key=lambda p: (p.name, str(p))):
        name = archive_name(path.name)
        while name.casefold() in {k.casefold() for k in archived}:
            name = f"{len(archived)}-{name}"
        shutil.copyfile(path, archive / name)
        archived[name] = sha256_file(archive / name)
    json_path, xlsx_path, manifest_path = (
        folder / "assessment.json",
        folder / "assessment.xlsx",
        folder / "manifest.json",
    )
    write_atomic(json_path, lambda p: write_doc(p, doc))
    write_atomic(xlsx_path, lambda p: write_results_workbook(p, doc, scheme))
    manifest = {
        "tool": "beautycity",
        "tool_version": __version__,
        "scheme": {"id": doc.scheme.id, "version": doc.scheme.version, "sha256": doc.scheme.sha256},
        "year": doc.year,
        "parameters": parameters,
        "inputs": {f"submissions/{k}": v for k, v in archived.items()},
        "outputs": {p.name: sha256_file(p) for p in (json_path, xlsx_path)},
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    write_atomic(manifest_path, lambda p: p.write_text(body, encoding="utf-8"))
    return [json_path, xlsx_path, manifest_path, archive]
