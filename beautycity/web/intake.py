"""Uploads: every file kept under its SHA-256, read by the safe reader exactly as `validate`
reads it, and the unit's current workbook (its latest valid upload, else its latest) laid in
the year's submissions folder, which the status board and scoring read.

The JSON of a batch is `ValidationReport.as_json()`, as `validate --format json` prints it
for files named as they were sent.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from ..io.names import archive_name
from ..problems import Location, make_problem
from ..submission.precheck import reason_params
from ..submission.read import read_submissions
from .audit import record
from .models import Upload, Year
from .year import Context, submissions_folder

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Sent:
    """One file as it came in: its name and a stream of its bytes."""

    name: str
    stream: IO[bytes]
    size: int


def store() -> Path:
    return settings.STATE / "uploads"


def blob(sha256: str) -> Path:
    """Where the bytes of an upload are kept."""
    return store() / sha256[:2] / sha256


def too_large(name: str) -> dict[str, Any]:
    """The refusal of a file over the upload limit: the one `validate` gives a file over its
    own limit, so that the answer does not depend on where the file was checked."""
    problem = make_problem(
        "file.too-large", Location(file=name), **reason_params("file_size")
    ).model_dump(mode="json")
    return {"file": name, "valid": False, "city": None, "year": None, "problems": [problem]}


def receive(
    sent: Iterable[Sent], ctx: Context, year: Year, user: Any, unit: str | None
) -> tuple[dict[str, Any], list[Upload]]:
    """Keep, read and record a batch of files sent by `user` (an officer: for `unit` only)
    for `year`; return the report as `validate --format json` gives it and the uploads."""
    with tempfile.TemporaryDirectory(dir=settings.STATE) as tmp:
        folder = Path(tmp)
        kept: list[tuple[Sent, Path | None, str, int]] = []
        for i, s in enumerate(sent):
            name = _name(s.name)
            if s.size > settings.UPLOAD_LIMIT:
                kept.append((s, None, "", s.size))
                continue
            sha, size = _keep(s.stream)
            # Each file read under the name it was sent as, each in its own folder.
            target = folder / str(i) / name
            target.parent.mkdir()
            shutil.copyfile(blob(sha), target)
            kept.append((s, target, sha, size))
        paths = [p for _, p, _, _ in kept if p is not None]
        report = (
            read_submissions(
                paths, ctx.scheme, ctx.roster, expect_city=unit or None, expect_year=year.year
            )
            if paths
            else None
        )
        shown = _relative(
            report.as_json() if report else {"valid": True, "files": [], "batch": []}, folder
        )
        by_path = {Path(f.file): f for f in report.files} if report else {}
        uploads, entries = [], []
        read = iter(shown["files"])  # in the order of `paths`
        for s, path, sha, size in kept:
            if path is None:
                entry = too_large(_name(s.name))
                uploads.append(_upload(year, user, unit, s.name, "", s.size, entry, None))
            else:
                entry, fr = next(read), by_path[path]
                uploads.append(
                    _upload(year, user, unit or fr.city or "", s.name, sha, size, entry, fr)
                )
            entries.append(entry)
        shown["files"] = entries
        shown["valid"] = shown["valid"] and all(u.valid for u in uploads)
    with transaction.atomic():
        for u in uploads:
            u.save()
            record(user, "upload", f"{u.year.year} {u.unit} {u.name}", u.sha256, size=u.size)
            record(
                user,
                "validation",
                f"{u.year.year} {u.unit} {u.name}",
                u.sha256,
                valid=u.valid,
                errors=u.errors,
                notes=u.notes,
            )
    for unit_id in {u.unit for u in uploads if u.unit and u.unit in ctx.roster}:
        place_current(year, unit_id)
    return shown, uploads


def _upload(year, user, unit, name, sha, size, entry, fr) -> Upload:
    errors = sum(p["severity"] == "error" for p in entry["problems"])
    return Upload(
        year=year,
        unit=unit or "",
        name=name[:255],
        sha256=sha,
        size=size,
        uploaded_by=getattr(user, "username", str(user)),
        valid=errors == 0 and bool(sha),
        errors=errors,
        notes=len(entry["problems"]) - errors,
        values=len(fr.submission.values) if fr is not None and fr.submission else 0,
        report=entry,
    )


def current(year: Year, unit: str) -> Upload | None:
    """The upload that counts for `unit`: its latest valid one, else its latest; never one
    that says it is another unit's (an officer's upload of a workbook made for another unit
    stays in their history with its problem, and counts for nobody)."""
    ups = [
        u
        for u in year.uploads.filter(unit=unit).exclude(sha256="")
        if u.report.get("city") in (unit, None)
    ]
    return next((u for u in ups if u.valid), None) or next(iter(ups), None)


def place_current(year: Year, unit: str) -> None:
    """Lay the unit's current workbook, alone, in its folder of the year's submissions, under
    a name a folder's search reads (`archive_name`, and no lock-file prefix). The new file
    is in place before the old ones go, so that two uploads at once, or a scoring run reading
    the folder meanwhile, never find the unit without a workbook."""
    up = current(year, unit)
    folder = submissions_folder(year.year) / unit
    folder.mkdir(parents=True, exist_ok=True)
    keep = None
    if up is not None:
        keep = folder / archive_name(_name(up.name).removeprefix("~$"))
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".", delete=False) as out:
            out.write(blob(up.sha256).read_bytes())
        os.replace(out.name, keep)
    for old in folder.iterdir():
        if old != keep and not old.name.startswith("."):
            old.unlink(missing_ok=True)


def _keep(stream: IO[bytes]) -> tuple[str, int]:
    """Write `stream` into the store under its SHA-256 (once: the same bytes are one file)."""
    store().mkdir(parents=True, exist_ok=True)
    h, size = hashlib.sha256(), 0
    with tempfile.NamedTemporaryFile(dir=store(), delete=False) as out:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            h.update(chunk)
            size += len(chunk)
            out.write(chunk)
    sha = h.hexdigest()
    target = blob(sha)
    if target.exists():
        os.unlink(out.name)
    else:
        target.parent.mkdir(exist_ok=True)
        os.replace(out.name, target)
        target.chmod(0o444)
    return sha, size


def _name(sent: str) -> str:
    # The last part of what the browser says, never a path; control characters dropped.
    name = "".join(c for c in sent.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable())
    return name.strip()[:200] or "upload.xlsx"


def _relative(shown: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The report with each file named as it was sent, as `validate NAME` names it."""
    where = re.compile(re.escape(str(folder) + os.sep) + r"\d+" + re.escape(os.sep))

    def fix(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return where.sub("", value) if isinstance(value, str) else value

    return fix(shown)
