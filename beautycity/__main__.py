"""`python -m beautycity` runs the command line, as the console script does."""

from .console import run

run()
