"""beautycity: beautiful-city (美丽城市) assessment for Jilin province."""

from functools import cache


@cache
def _version() -> str:
    # Read on first use: reading the package metadata costs a command that never prints it
    # some 10 ms, a fortieth of validating a workbook.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("beautycity")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'beautycity' has no attribute {name!r}")
