"""beautycity: beautiful-city (美丽城市) assessment for Jilin province."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("beautycity")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
