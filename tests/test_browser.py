"""Open every report in headless Chromium with the network blocked: every chart draws an SVG."""

import re
import shutil
import subprocess
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


def _wait_for_charts(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.chart')].every(d => d.querySelector('svg'))",
        timeout=20000,
    )
    page.wait_for_timeout(300)  # a chart too wide for a phone is drawn once more, narrower


def test_no_page_scrolls_sideways_on_a_phone(report_dir, browser):
    pages = sorted(report_dir.rglob("*.html"))
    assert len(pages) == 6
    for path in pages:
        page, errors, _ = _open(browser, path, width=390)
        _wait_for_charts(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
        # nor does any chart or table scroll inside its box
        inner = page.evaluate(
            "() => [...document.querySelectorAll('div.chart, .table-wrap')]"
            ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className)"
        )
        assert not inner, (path, inner)
        # table rows are cards whose cells carry their column names
        cards = page.evaluate(
            "() => [...document.querySelectorAll('table.za-table tbody tr:not(.group)')]"
            ".map(tr => [getComputedStyle(tr).display,"
            " [...tr.querySelectorAll('td')].every(td => td.dataset.label)])"
        )
        assert cards and all(d == "block" and labelled for d, labelled in cards), path
        assert not errors, (path, errors)
        page.close()


def test_every_page_links_the_others_and_states_its_data(report_dir, browser):
    for path in sorted(report_dir.rglob("*.html")):
        page, _, _ = _open(browser, path)
        nav = page.eval_on_selector_all(
            "nav.page-nav a", "els => els.map(e => [e.textContent, e.href])"
        )
        labels = {text for text, _ in nav}
        assert {"首页", "全市总览", "排名", "← 返回"} <= labels, path
        for _, href in nav:
            assert Path(href.removeprefix("file://")).exists(), (path, href)
        line = page.inner_text(".provenance")
        assert "生成于 " in line and "数据截至 2016年1-6月" in line, path
        page.close()


PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
#: A4 in PostScript points, and how far a PDF page may differ from it.
A4_POINTS = (595.28, 841.89)


@pytest.mark.skipif(
    not (PDFTOTEXT and PDFINFO), reason="没有 pdftotext/pdfinfo（poppler-utils，.ci/run 会安装）"
)
def test_printed_pages_are_a4_with_sample_on_every_page(report_dir, browser, tmp_path):
    for path in sorted(report_dir.rglob("*.html")):
        page, errors, _ = _open(browser, path)
        if path.name != "index.html":
            _wait_for_charts(page)
        pdf = tmp_path / f"{path.stem}.pdf"
        # The page's own @page rule decides the paper (the default would be US Letter).
        page.pdf(path=str(pdf), prefer_css_page_size=True)
        page.close()
        sizes = _page_sizes(pdf)
        assert sizes, path
        for w, h in sizes:
            assert abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2, (path, w, h)
        text = subprocess.run(
            [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        per_page = text.split("\f")[: len(sizes)]
        assert [i for i, t in enumerate(per_page, 1) if "示例" not in t] == [], path
        assert "数据说明" not in text  # the cleaning log is left out of print
        assert not errors, (path, errors)


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Each page's size in points, from ``pdfinfo -f 1 -l N``."""
    info = subprocess.run(
        [PDFINFO, "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    found = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    return [(float(w), float(h)) for w, h in found]
