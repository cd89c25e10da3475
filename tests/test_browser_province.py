"""The province-scope batch on the shipped sample, opened in headless Chromium with the network
blocked: the province overview, the index and zones of other cities draw every chart, the index's
search box filters, and without scripts the index still lists every link."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from zoneanalysis import paths
from zoneanalysis.cli import main
from zoneanalysis.registry import load_zones

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
#: Zones of other cities whose pages are opened (two real names, one example zone).
OTHER_CITIES = ["xinxiang_gaoxin", "luohe_jingji", "ex_143"]
ALL_DRAWN = "() => [...document.querySelectorAll('div.chart')].every(d => d.querySelector('svg'))"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium（.ci/run 会安装）"),
]


@pytest.fixture(scope="module")
def province_reports(tmp_path_factory):
    """``report --scope province --period 2016-06 --jobs 2`` on the cleaned, projected sample."""
    from zoneanalysis.cleaning import run_clean
    from zoneanalysis.pipeline import _run_ledger_step
    from zoneanalysis.projection import run_projection
    from zoneanalysis.ranking import run_ranking

    root = tmp_path_factory.mktemp("province")
    processed = root / "processed"
    run_clean(paths.RAW_DIR, processed)
    run_projection("2016-06", processed=processed, n_sims=200)
    run_ranking("2016-06", processed=processed, n_draws=100)
    _run_ledger_step("2016-06", processed)
    out = root / "reports"
    args = ["report", "--scope", "province", "--period", "2016-06", "--jobs", "2"]
    args += ["--processed", str(processed), "--out", str(out), "--formats", "html"]
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


def _open(browser, path: Path, *, scripts: bool = True, width: int = 1000):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=scripts
    )
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.goto(path.as_uri())
    return context, page, errors, requests


def test_every_registered_zone_has_a_page_and_the_manifest_lists_them(province_reports):
    data = json.loads((province_reports / "manifest.json").read_text(encoding="utf-8"))
    assert data["scope"] == "province"
    zones = load_zones()
    by_key = {r["report"]: r for r in data["reports"]}
    assert all(by_key[f"zones/{z}"]["status"] == "ok" for z in zones["zone_id"])
    assert sum(r["kind"] == "zone" for r in data["reports"]) == len(zones)
    assert by_key["province"]["status"] == "ok"
    assert len(list((province_reports / "zones").glob("*.html"))) == len(zones)


def test_pages_draw_every_chart_offline(province_reports, browser):
    pages = [province_reports / "province.html", province_reports / "index.html"]
    pages += [province_reports / "zones" / f"{z}.html" for z in OTHER_CITIES]
    for path in pages:
        context, page, errors, requests = _open(browser, path)
        n_charts = page.locator("div.chart").count()
        if path.name == "province.html":
            assert n_charts > 0, path
        if n_charts:
            page.wait_for_function(ALL_DRAWN, timeout=30000)
            drawn = page.locator("div.chart svg").count()
            assert drawn >= n_charts, path
        links = page.eval_on_selector_all(
            "[src], [href]", "els => els.map(e => e.getAttribute('src') || e.getAttribute('href'))"
        )
        assert not [u for u in links if EXTERNAL.match(u)], path
        assert any(u.endswith("province.html") for u in links), path  # 全省总览 in the navigation
        assert "示例数据" in page.inner_text("body"), path
        assert not errors, (path, errors)
        assert not requests, (path, requests)
        context.close()


def test_index_search_filters_the_links(province_reports, browser):
    context, page, errors, requests = _open(browser, province_reports / "index.html")
    box = page.locator("#zone-search")
    assert box.is_visible()
    visible = (
        "() => [...document.querySelectorAll('#zone-links li')].filter(li => !li.hidden).length"
    )
    total = page.evaluate(visible)
    assert total == len(load_zones())
    box.fill("新乡")
    assert page.evaluate(visible) == 3  # the three zones of 新乡市
    box.fill("经开区")  # a short name
    assert page.evaluate(visible) == 1
    assert "找到 1 个" in page.inner_text("#zone-search-box")
    groups = page.evaluate(
        "() => [...document.querySelectorAll('#zone-links .city-group')].filter(g => !g.hidden).length"
    )
    assert groups == 1
    box.fill("")
    assert page.evaluate(visible) == total
    assert not errors and not requests
    context.close()


def test_index_lists_every_link_without_scripts(province_reports, browser):
    context, page, _, requests = _open(browser, province_reports / "index.html", scripts=False)
    assert not page.locator("#zone-search").is_visible()
    hrefs = page.eval_on_selector_all(
        "#zone-links a[href^='zones/']", "els => els.map(e => e.getAttribute('href'))"
    )
    assert sorted(hrefs) == sorted(f"zones/{z}.html" for z in load_zones()["zone_id"])
    shown = page.evaluate(
        "() => [...document.querySelectorAll(\"#zone-links a[href^='zones/']\")]"
        ".filter(a => a.getBoundingClientRect().height > 0).length"
    )
    assert shown == len(hrefs)
    assert not requests
    context.close()
