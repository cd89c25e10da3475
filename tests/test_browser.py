"""Open every report in headless Chromium with the network blocked: every chart draws an SVG."""

import re
from pathlib import Path

import pytest
from reporting_fixtures import build_fixture_data

from zoneanalysis.reporting.batch import run_reports

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXTERNAL = re.compile(r"^(https?:|//|ftp:|ws:)", re.I)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium（.ci/run 会安装）"),
]


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    data = build_fixture_data(root / "processed", hostile_name=True)
    out = root / "reports"
    status = run_reports(
        "2016-06",
        zone_ids=["zz_jingkai", "zz_baisha", "zzp_ex01"],
        jobs=2,
        out_dir=out,
        processed=data["processed"],
        zones_path=data["zones"],
    )
    assert status == 0
    return out


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


def _open(browser, path, width=1000):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors, requests = [], []
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    return page, errors, requests


def test_every_report_draws_offline(report_dir, browser):
    pages = sorted(report_dir.rglob("*.html"))
    assert len(pages) == 6  # index, overview, rankings, 3 zones
    for path in pages:
        page, errors, requests = _open(browser, path)
        n_charts = page.locator("div.chart").count()
        if path.name != "index.html":
            assert n_charts > 0, path
            page.wait_for_function(
                "() => [...document.querySelectorAll('div.chart')].every(d => d.querySelector('svg'))",
                timeout=20000,
            )
        links = page.eval_on_selector_all(
            "[src], [href]", "els => els.map(e => e.getAttribute('src') || e.getAttribute('href'))"
        )
        assert not [u for u in links if EXTERNAL.match(u)], path
        assert not errors, (path, errors)
        assert not requests, (path, requests)
        page.close()


def test_hostile_name_is_text(report_dir, browser):
    page, errors, _ = _open(browser, report_dir / "zones" / "zz_baisha.html")
    page.wait_for_timeout(500)
    assert "<script>alert('示例')</script>" in page.inner_text("h1")
    assert not errors  # an alert() would have been recorded as a dialog
    page.close()


def test_phone_width_fits(report_dir, browser):
    page, errors, _ = _open(browser, report_dir / "zones" / "zz_jingkai.html", width=390)
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.chart')].every(d => d.querySelector('svg'))",
        timeout=20000,
    )
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert not errors
    page.close()
