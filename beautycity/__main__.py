"""`python -m beautycity` runs the command line."""

from .cli import main

main()
