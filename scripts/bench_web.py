"""`make bench`: the web workspace's page load times and the time from upload to problems shown.

Starts `serve` on a fresh demo folder (as the browser tests do), signs in as each role and
fetches each page `--runs` times; the floor is the same server answering its static
stylesheet (the cost of a request with no work in it). Upload to problems: an officer posts
a workbook with an error and the answer holds the problem table; its floor is the safe
reader on the same file in this process (`read_submissions`, what `validate` does).

Usage: python scripts/bench_web.py [--runs 5]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the live server and the workbooks come from the tests' helpers

PAGES = [
    ("login page", None, "/login/"),
    ("officer: my unit", "changchun", "/unit/"),
    ("evaluator: status board", "evaluator", "/board/2025/"),
    ("evaluator: audit trail", "evaluator", "/audit/"),
    ("leader: province dashboard", "leader", "/dashboard/2024/"),
    ("leader: a unit's page", "leader", "/dashboard/2024/units/changchun/"),
]


class Session:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=60) as r:
            return r.read()

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def login(self, user: str) -> None:
        self.get("/login/")
        data = urllib.parse.urlencode(
            {"username": user, "password": "demo", "csrfmiddlewaretoken": self.csrf()}
        ).encode()
        with self.opener.open(self.base + "/login/", data=data, timeout=60) as r:
            assert "/login/" not in r.url, f"{user} could not sign in"

    def upload(self, path: Path) -> bytes:
        boundary = "bc-bench-boundary"
        body = (
            (
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                f'{self.csrf()}\r\n--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + path.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            self.base + "/unit/upload/",
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        with self.opener.open(request, timeout=60) as r:
            return r.read()


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from beautycity.submission.read import read_submissions
    from tests.fixtures_workbook import fill, layout_for, roster, scheme, template
    from tests.web.workspace import Live

    tmp = Path(tempfile.mkdtemp(prefix="bc-bench-web-"))
    print("starting the server on a fresh demo folder …", file=sys.stderr)
    live = Live(tmp / "ws")
    try:
        floor = timed(lambda: Session(live.url).get("/static/web/site.css"), args.runs)
        rows = []
        for name, user, path in PAGES:
            s = Session(live.url)
            if user:
                s.login(user)
            s.get(path)  # warm: the first read of a results folder is cached
            rows.append((name, timed(lambda s=s, path=path: s.get(path), args.runs), floor))
        officer = Session(live.url)
        officer.login("changchun")
        layout = layout_for("changchun")
        (tmp / "blank").mkdir()
        blank = template(tmp / "blank", roster()["changchun"])
        bad = fill(blank, tmp / "changchun-2025.xlsx", layout, {layout.items[0].id: "约35"})
        cell = layout.items[0].ref("value")

        def upload() -> None:
            shown = officer.upload(bad).decode()
            assert re.search(rf"<td class=\"cell\">[^<]*{cell}", shown), "no problem shown"

        reader = lambda: read_submissions([bad], scheme(), roster(), expect_year=2025)  # noqa: E731
        rows.append(("upload → problems shown", timed(upload, args.runs), timed(reader, args.runs)))
    finally:
        live.stop()
    print(f"{'what':<32} {'median ms':>10} {'floor ms':>10} {'ratio':>7}")
    for name, t, f in rows:
        print(f"{name:<32} {1000 * t:>10.1f} {1000 * f:>10.1f} {t / f:>7.1f}")
    print("floor: pages — the same server's static stylesheet; upload — the safe reader alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
