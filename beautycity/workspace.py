"""An evaluator's working folder: `beautycity init` makes it, `beautycity.toml` remembers it.

The file names the folder's scheme, units, year, deadline, language and the folders of
templates, submissions, results and reports. Every command run inside the folder (or given
`--workspace`) takes its defaults from it; an explicit option still wins.
"""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .problems import BeautycityError, Location, Problem, make_problem
from .resources import (
    WORKSPACE_CONFIG,
    data_dir,
    default_cities_dir,
    default_scheme_path,
    workspace_root,
)

FOLDERS = ("scheme", "cities", "templates", "submissions", "results", "reports")
CONFIG = WORKSPACE_CONFIG


class WorkspaceConfig(BaseModel):
    """What `beautycity.toml` holds; paths are relative to the folder that holds it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scheme: Path
    cities: Path = Path("cities")
    year: int = Field(ge=2000, le=2100)
    deadline: date | None = None
    lang: Literal["zh", "en", "bilingual"] = "bilingual"
    templates: Path = Path("templates")
    submissions: Path = Path("submissions")
    results: Path = Path("results")
    reports: Path = Path("reports")
    # The web workspace's database (`beautycity serve`), e.g. postgresql://user@host/db;
    # none: SQLite in the folder. The DATABASE_URL environment variable wins.
    database_url: str | None = None


class Workspace(BaseModel):
    """A working folder and its configuration, with every path made absolute."""

    model_config = ConfigDict(frozen=True)

    root: Path
    config: WorkspaceConfig

    def path(self, name: str) -> Path:
        """The absolute path of the config entry `name` ("scheme", "submissions", …)."""
        return (self.root / getattr(self.config, name)).resolve()


def find_workspace(start: Path | str | None = None) -> Workspace | None:
    """The working folder holding `start` (default: the current folder), or None."""
    root = workspace_root(Path(start or Path.cwd()))
    return load_workspace(root) if root else None


def load_workspace(folder: Path | str) -> Workspace:
    """The working folder `folder`; its config must exist and be valid."""
    root = Path(folder).resolve()
    file = root / CONFIG
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        return Workspace(root=root, config=WorkspaceConfig.model_validate(data))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise BeautycityError.single(
            "workspace.bad-config", Location(file=str(file)), file=str(file), detail=exc
        ) from None


def init_workspace(folder: Path, year: int) -> list[Path]:
    """Create `folder` with the bundled scheme and unit profiles to edit and a config for
    `year`; never overwrite."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BeautycityError.single("init.not-empty", Location(file=str(folder)))
    for name in FOLDERS:
        (folder / name).mkdir(parents=True, exist_ok=True)
    scheme = default_scheme_path()
    shutil.copyfile(scheme, folder / "scheme" / scheme.name)
    for unit in sorted(default_cities_dir().glob("*.yaml")):
        shutil.copyfile(unit, folder / "cities" / unit.name)
    init = data_dir("templates") / "init"
    # Both are filled in, so that the README's commands run as written for this year and
    # the next.
    fill = {"scheme": f"scheme/{scheme.name}", "year": year, "year_after": year + 1}
    for name in ("README.md", CONFIG):
        text = (init / name).read_text(encoding="utf-8")
        (folder / name).write_text(text.format(**fill), encoding="utf-8")
    return [folder / CONFIG, folder / "README.md", *(folder / name for name in FOLDERS)]


def unbumped(ws: Workspace, scheme_file: Path, version: str) -> Problem | None:
    """A note when `scheme_file` differs from the scheme the folder's latest results were
    scored under while its version did not change."""
    from .assessment.document import read_doc  # only `scheme check` in a folder needs it

    found = sorted(ws.path("results").glob("*/assessment.json"))
    if not found:
        return None
    last = read_doc(found[-1])
    sha = hashlib.sha256(scheme_file.read_bytes()).hexdigest()
    if last.scheme.version != version or last.scheme.sha256 == sha:
        return None
    return make_problem(
        "workspace.version-not-bumped",
        Location(file=str(scheme_file), path="version"),
        year=last.year,
        version=version,
    )
