"""Reading a scheme file: YAML with lines, field checks, then the cross-field checks."""

from __future__ import annotations

from pathlib import Path

from ..io.yamlfile import load_yaml, validate_tree
from ..resources import default_scheme_path
from .checks import check_scheme
from .model import Scheme


def load_scheme(path: Path | str | None = None) -> Scheme:
    """Load and check a scheme file; raises `BeautycityError` listing every problem."""
    file = Path(path) if path else default_scheme_path()
    tree = load_yaml(file)
    scheme = validate_tree(Scheme, tree, str(file))
    check_scheme(scheme, tree, str(file))
    return scheme
