"""Last year's rectification ledger read back: the progress the office recorded per action.

The ledger (`report.ledger`) comes back from the office after a year in Excel or WPS, so it is
opened like a submission, through the bounded reader of `submission.safe`. The ID and progress
columns are found by their headers (the office may have inserted columns). Every row is
written as "not started", on the province's sheet and on the unit's own: what the office
changed on either counts, the province's sheet first where both were changed. A
progress that is not one of the drop-down's words, or an ID of no action of last year's list,
is a located problem, never dropped in silence.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..assessment.document import AssessmentDoc
from ..assessment.rules import PROGRESS, Progress
from ..problems import BeautycityError, Location, Problem, Problems, make_problem
from ..scheme.model import Scheme
from ..submission.precheck import precheck
from ..submission.safe import Refused, ensure_defused, open_book
from .actions import listed
from .formats import texts
from .ledger import action_id

# A province's actions are a few hundred rows; the office may add columns of its own.
MAX_ROWS = 2000
MAX_COLS = 30
_SPACE = re.compile(r"\s+")


def read_ledger(
    path: Path, previous: AssessmentDoc, scheme: Scheme
) -> dict[tuple[str, str], Progress]:
    """The progress recorded per (unit id, indicator id) of `previous`'s action list.

    Raises `BeautycityError` with every problem found."""
    known = {
        action_id(previous.year, u.id, scheme.indicator[r.id].code): (u.id, r.id)
        for u in previous.units
        for r in listed(u, scheme)
    }
    words = _words()
    letters = [get_column_letter(c) for c in range(1, MAX_COLS + 1)]
    id_head, progress_head = (texts()["ledger"][k]["zh"] for k in ("id", "progress"))
    shown = "、".join(texts()["progress"][p]["zh"] for p in PROGRESS)
    problems: list[Problem] = []
    found: dict[tuple[str, str], Progress] = {}
    ensure_defused()
    refused = Problems()
    data = precheck(path, refused, Location(file=str(path)))
    if data is None:  # not a workbook, too large, unreadable: said as of any submission
        refused.raise_if_errors()
    try:
        with open_book(data) as book:
            for name in book.sheetnames:
                sheet = book.sheet(name, MAX_ROWS, MAX_COLS)
                heads = {
                    _clean(sheet[f"{c}1"].value): c
                    for c in letters
                    if sheet[f"{c}1"].value is not None
                }
                id_col = _column(heads, id_head)
                progress_col = _column(heads, progress_head)
                if progress_col is None:
                    continue  # the follow-up sheet, or one of the office's own
                if id_col is None:
                    problems.append(
                        make_problem(
                            "score.ledger-no-columns",
                            Location(file=str(path), sheet=name),
                            sheet=name,
                        )
                    )
                    continue
                for row in range(2, sheet.rows + 1):
                    key = sheet[f"{id_col}{row}"].value
                    value = sheet[f"{progress_col}{row}"].value
                    if key is None or value is None or not str(value).strip():
                        continue
                    where = Location(file=str(path), sheet=name, cell=f"{progress_col}{row}")
                    action = known.get(str(key).strip())
                    progress = words.get(_clean(value))
                    if action is None:
                        problems.append(make_problem("score.ledger-unknown-id", where, value=key))
                    elif progress is None:
                        problems.append(
                            make_problem(
                                "score.ledger-unknown-progress", where, value=value, known=shown
                            )
                        )
                    elif found.get(action, "not_started") == "not_started":
                        found[action] = progress
    except Refused as exc:
        problems.append(make_problem(exc.code, Location(file=str(path)), **exc.params))
    except Exception as exc:  # a ledger that cannot be read is a problem, not a traceback
        reason = f"{type(exc).__name__}: {exc}"[:200]
        problems.append(
            make_problem(
                "score.ledger-unreadable", Location(file=str(path)), file=str(path), reason=reason
            )
        )
    if problems:
        raise BeautycityError(problems)
    return found


def _clean(value: object) -> str:
    return _SPACE.sub("", str(value)).lower()


def _column(heads: dict[str, str], word: str) -> str | None:
    """The column whose header starts with `word` (headers read "编号 ID", "编号\nID"…)."""
    return next((c for h, c in heads.items() if h.startswith(word)), None)


def _words() -> dict[str, Progress]:
    """Each progress by its Chinese and English words, as an officer may type either."""
    return {_clean(texts()["progress"][p][lang]): p for p in PROGRESS for lang in ("zh", "en")}
