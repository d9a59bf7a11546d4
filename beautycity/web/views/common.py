"""What the pages share: the years, the problems of an upload as table rows."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from ...texts import texts
from ..models import Year
from ..webtexts import Bi, say


def open_year() -> Year | None:
    """The year being collected: the latest one not yet published."""
    return Year.objects.filter(published_at__isnull=True).order_by("-year").first()


def published_years() -> list[Year]:
    return list(Year.objects.filter(published_at__isnull=False).order_by("year"))


def year_or_404(year: int) -> Year:
    found = Year.objects.filter(year=year).first()
    if found is None:
        raise Http404
    return found


def problem_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The problems of one file of a `validate --format json` report, errors first, each
    with its place, its code and its text and fix in both languages."""
    severity = texts("status")["feedback"]["severity"]
    rows = []
    for p in entry["problems"]:
        loc = p["location"]
        place = (
            "!".join(x for x in (loc.get("sheet"), loc.get("cell")) if x) or loc.get("path") or ""
        )
        rows.append(
            {
                "severity": p["severity"],
                "severity_text": severity[p["severity"]],
                "rank": 0 if p["severity"] == "error" else 1,
                "place": place,
                "code": p["code"],
                "zh": p["zh"],
                "en": p["en"],
                "fix_zh": p["fix_zh"],
                "fix_en": p["fix_en"],
            }
        )
    return sorted(rows, key=lambda r: r["rank"])


def deadline_text(deadline, left: int | None) -> Bi:
    """The deadline and the days left (or overdue), in the words of `beautycity status`."""
    if deadline is None or left is None:
        return say("status.no_deadline", group="status")
    day = deadline.isoformat()
    if left > 0:
        return say("status.deadline_left", group="status", date=day, n=left)
    if left == 0:
        return say("status.deadline_today", group="status", date=day)
    return say("status.deadline_overdue", group="status", date=day, n=-left)
