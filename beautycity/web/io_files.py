"""Files of finished jobs: the manifest's hash, the reports a rendering wrote."""

from __future__ import annotations

from pathlib import Path

from ..io.atomic import sha256_file
from .models import Job


def manifest_sha(job: Job) -> str:
    return sha256_file(Path(job.folder) / "manifest.json")


def report_file(job: Job | None, name: str) -> Path | None:
    """The file `name` a rendering job wrote, if it did; never a path outside its folder."""
    if job is None or not job.folder or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = Path(job.folder) / name
    return path if path.is_file() else None
