"""The year walked in a real browser (Debian's chromium driven by Playwright) against
`serve` in a child process: an officer uploads a workbook with an error and sees the cell,
then the fixed one; the evaluator sees the board change, scores, renders and publishes; a
leader opens the dashboard and downloads the PDF. BEAUTYCITY_SCREENSHOTS=DIR keeps a
screenshot of every page at 1366×768."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import pytest

from .fixtures_workbook import fill, layout_for
from .web.workspace import Live

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium (make test)")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = Live(tmp_path_factory.mktemp("live") / "ws")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        found = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield found
        found.close()


class Shots:
    def __init__(self) -> None:
        folder = os.environ.get("BEAUTYCITY_SCREENSHOTS")
        self.folder = Path(folder) if folder else None

    def __call__(self, page, name: str) -> None:
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(self.folder / f"{name}.png"), full_page=False)


def _login(browser, live, name: str):
    page = browser.new_context(
        viewport={"width": 1366, "height": 768}, accept_downloads=True
    ).new_page()
    page.goto(live.url + "/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # by keyboard, as anyone may
    return page


def _drop(page, target: str, path: Path) -> None:
    """Drop `path` onto `target` as a file dragged from the desktop would arrive."""
    data = base64.b64encode(path.read_bytes()).decode()
    transfer = page.evaluate_handle(
        """([name, data]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name));
            return transfer;
        }""",
        [path.name, data],
    )
    with page.expect_navigation():
        page.dispatch_event(target, "drop", {"dataTransfer": transfer})


def test_the_year_in_a_browser(live, browser, tmp_path):
    shot = Shots()
    officer = _login(browser, live, "changchun")
    assert officer.url.endswith("/unit/")
    shot(officer, "01-officer")
    with officer.expect_download() as got:
        officer.click("a[href$='template.xlsx']")
    template = tmp_path / got.value.suggested_filename
    got.value.save_as(template)
    layout = layout_for("changchun")
    first = layout.items[0]
    (tmp_path / "bad").mkdir()
    bad = fill(template, tmp_path / "bad" / template.name, layout, {first.id: "约35"})
    officer.set_input_files("#files", str(bad))
    officer.click("#upload button[type=submit]")
    officer.wait_for_selector("table.problems")
    shot(officer, "02-upload-error")
    cell = first.ref("value")
    assert officer.locator("table.problems td.cell", has_text=cell).count() >= 1
    assert "cell.not-a-number" in officer.content()
    officer.goto(live.url + "/unit/")
    good = fill(template, tmp_path / template.name, layout)
    _drop(officer, "#drop", good)  # dragged onto the page this time: the form sends itself
    officer.wait_for_selector("#summary")
    assert officer.locator("section.file .badge.valid").count() == 1
    assert officer.locator("section.file .badge.accepted").count() == 1  # it now counts
    shot(officer, "03-upload-valid")

    evaluator = _login(browser, live, "evaluator")
    evaluator.goto(live.url + "/board/2025/")
    assert evaluator.locator("tr[data-unit=changchun]").get_attribute("data-state") == "valid"
    assert evaluator.locator("tr[data-unit=songyuan]").get_attribute("data-state") == "missing"
    shot(evaluator, "04-board")
    evaluator.check("input[name=partial]")
    evaluator.click("#run-score")
    evaluator.wait_for_selector("#run-render", timeout=60_000)  # the page reloads when done
    evaluator.select_option("#render-city", "changchun")
    evaluator.click("#run-render")
    # the board reloads with the new job: until then the finished scoring job alone is listed
    evaluator.wait_for_selector("tr.job[data-kind=render]", timeout=60_000)
    evaluator.wait_for_function(
        "() => [...document.querySelectorAll('tr.job')].every(r => r.dataset.state === 'done')",
        timeout=120_000,
    )
    shot(evaluator, "05-jobs-done")
    evaluator.click("#publish")
    evaluator.wait_for_url(re.compile(r"/dashboard/2025/"))

    leader = _login(browser, live, "leader")
    assert leader.url.endswith("/dashboard/2025/")
    shot(leader, "06-dashboard")
    leader.goto(live.url + "/dashboard/2024/")
    shot(leader, "07-dashboard-2024")
    leader.goto(live.url + "/dashboard/2025/")
    leader.click("a[href$='/units/changchun/']")
    shot(leader, "08-unit")
    with leader.expect_download() as got:
        leader.click("#unit-pdf")
    pdf = tmp_path / "report.pdf"
    got.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
