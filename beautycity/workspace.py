"""`beautycity init`: an evaluator's working folder with a copy of the scheme and units."""

from __future__ import annotations

import shutil
from pathlib import Path

from .problems import BeautycityError, Location
from .resources import data_dir, default_cities_dir, default_scheme_path

FOLDERS = ("scheme", "cities", "templates", "submissions", "results", "reports")


def init_workspace(folder: Path) -> list[Path]:
    """Create `folder` with the bundled scheme and unit profiles to edit; never overwrite."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BeautycityError.single("init.not-empty", Location(file=str(folder)))
    for name in FOLDERS:
        (folder / name).mkdir(parents=True, exist_ok=True)
    scheme = default_scheme_path()
    shutil.copyfile(scheme, folder / "scheme" / scheme.name)
    for unit in sorted(default_cities_dir().glob("*.yaml")):
        shutil.copyfile(unit, folder / "cities" / unit.name)
    shutil.copyfile(data_dir("templates") / "init" / "README.md", folder / "README.md")
    return [folder / "README.md", *(folder / name for name in FOLDERS)]
