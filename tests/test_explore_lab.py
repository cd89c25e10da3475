"""The explore notebook in a real JupyterLab, offline: Run All draws the charts and their controls.

A JupyterLab server runs on localhost in a temporary folder; headless Chromium opens the notebook
with every request off localhost aborted, runs all cells from the Run menu, then changes the
indicator in its select and clicks a zone in the legend, and checks the charts follow.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from reporting_fixtures import build_fixture_data

from zoneanalysis import paths
from zoneanalysis.registry import load_zones

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKEN = "explore-test"
LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium（.ci/run 会安装）"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a folder holding explore.ipynb pointed at 示例 fixture data."""
    pytest.importorskip("jupyterlab")
    root = tmp_path_factory.mktemp("lab")
    data = build_fixture_data(root / "processed")
    nb = nbformat.read(paths.NOTEBOOKS_DIR / "explore.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace(
        'processed_dir = ""', f"processed_dir = {str(data['processed'])!r}"
    ).replace('zones_path = ""', f"zones_path = {str(data['zones'])!r}")
    (root / "work").mkdir()
    nbformat.write(nb, root / "work" / "explore.ipynb")
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"),
    }
    env.pop("ZONEANALYSIS_REPORT_MODE", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={root / 'work'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(root / "server.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(base, server)
        yield {"base": base, "root": root, "zones": load_zones(data["zones"])}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _wait_for_server(base: str, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("JupyterLab 未能启动（见 server.log）")
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail("JupyterLab 在 90 秒内没有响应")


def _svg_text(page, index: int) -> str:
    """All text drawn in the ``index``-th chart of the notebook."""
    return page.evaluate(
        "i => { const e = document.querySelectorAll('.jp-Notebook .vega-embed')[i];"
        " return e ? [...e.querySelectorAll('svg text')].map(t => t.textContent).join('|') : ''; }",
        index,
    )


def test_run_all_offline_draws_charts_and_controls(lab):
    sync_api = pytest.importorskip("playwright.sync_api")
    zz = lab["zones"][lab["zones"]["is_zhengzhou"]]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        blocked = []

        def route(r):
            if LOCAL.match(r.request.url):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        try:
            _run_and_check(page, lab, zz)
        finally:
            # Kept for a person to look at when the test fails.
            page.screenshot(path=str(lab["root"] / "explore.png"), full_page=True)
            browser.close()
    assert not blocked or all(not LOCAL.match(u) for u in blocked)


def _choose_kernel_if_asked(page) -> None:
    """Answer JupyterLab's "Select Kernel" dialog, if it shows, with the project kernel."""
    dialog = page.locator(".jp-Dialog")
    try:
        dialog.wait_for(timeout=3000)
    except Exception:  # noqa: BLE001 (no dialog: nothing to answer)
        return
    dialog.locator("select").select_option(label="zoneanalysis (Python 3)")
    dialog.get_by_role("button", name="Select").click()


def _run_and_check(page, lab, zz) -> None:
    page.goto(f"{lab['base']}/lab/tree/explore.ipynb?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90000)
    page.get_by_text(re.compile(r"zoneanalysis \(Python 3\) \| Idle")).wait_for(timeout=90000)
    _choose_kernel_if_asked(page)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
    _choose_kernel_if_asked(page)
    page.wait_for_function(
        "() => document.querySelectorAll('.jp-Notebook .vega-embed svg').length >= 2",
        timeout=120000,
    )
    page.wait_for_timeout(500)
    errors = page.locator(".jp-OutputArea-output[data-mime-type*='error']").count()
    assert errors == 0
    selects = page.locator(".jp-Notebook .vega-embed .vega-bindings select")
    assert selects.count() == 5  # indicator, group, period; indicator, group
    text = _svg_text(page, 0)
    assert "规模以上工业主营业务收入" in text and "示例" in page.inner_text(".jp-Notebook")
    full_names = list(zz["zone_name"])
    assert all(n in text for n in full_names[:3])  # the table lists every zone
    assert "zz_" not in text

    for i in range(2):  # kept for a person to look at
        page.locator(".jp-Notebook .vega-embed").nth(i).screenshot(
            path=str(lab["root"] / f"explore-chart-{i}.png")
        )
    # An indicator chosen by its Chinese name redraws the title.
    selects.nth(0).select_option(label="固定资产投资")
    page.wait_for_function(
        "() => [...document.querySelector('.jp-Notebook .vega-embed svg')"
        ".querySelectorAll('text')].some(t => t.textContent.includes('固定资产投资'))",
        timeout=10000,
    )
    # A zone clicked in the legend filters the table to that zone.
    legend = (
        page.locator(".jp-Notebook .vega-embed")
        .nth(0)
        .locator("g.role-legend-label text", has_text=re.compile(f"^{zz['short_name'].iloc[1]}$"))
    )
    legend.first.click()
    page.wait_for_timeout(500)
    text = _svg_text(page, 0)
    assert full_names[1] in text and full_names[0] not in text
