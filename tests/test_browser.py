"""A real browser (Debian chromium) on the running server: home, query page, results, a resource."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def test_home_query_results_and_resource_page(browser, web_url):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    page.on("request", lambda req: outside.append(req.url)
            if not req.url.startswith((web_url, "data:", "blob:", "about:")) else None)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(web_url + "/")
    assert page.locator("h1").first.inner_text() == "Medical Q&A consultations as linked data"
    assert page.locator("svg.chart rect.bar").count() > 0
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)

    page.click("text=Query it (SPARQL)")
    page.wait_for_url("**/query")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.click("button.example[data-name='02-tests-per-symptom-and-specialty']")
    assert "recommendsTest" in page.evaluate(
        "() => window.consultgraphYasgui.getTab().getQuery()")
    page.click(".yasqe_queryButton")
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for(timeout=15000)
    assert rows.count() > 0
    page.screenshot(path=str(ARTIFACTS / "query.png"), full_page=True)

    link = page.locator(".yasr table.dataTable tbody a[href^='/consultation/']").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url("**" + href)
    assert page.locator("h1.res-title").inner_text().strip()
    assert page.locator("#question").count() == 1
    assert page.locator("section.evidence tbody tr").count() > 0
    page.screenshot(path=str(ARTIFACTS / "consultation.png"), full_page=True)

    assert not errors, errors
    assert not outside, f"requests left the server: {outside}"
