"""Write the hostile corpus (`tests/hostile.py`, `tests/hostile_round2.py`) into a folder, to
try the files by hand.

    python scripts/hostile_corpus.py OUT

The files attack readers (a 1 GiB zip bomb, entity bombs, macros, embedded objects): open
them only with the tool under test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the corpus is written by the tests' own helpers


def main() -> None:
    from tests.fixtures_workbook import Filled
    from tests.hostile_round2 import ALL, write_every

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the files into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        written = write_every(args.out, Filled(Path(work)))
    for case in ALL:
        expected = case.code or "valid"
        shown = ascii(written[case.name].name)[1:-1]  # a name made to hurt a terminal
        print(f"{shown:30} {expected:24} {case.what}")


if __name__ == "__main__":
    main()
