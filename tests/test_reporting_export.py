import json
import re

import nbformat
import pandas as pd

from zoneanalysis.reporting.display import (
    CHART_MIMETYPE,
    VEGA5_MIMETYPE,
    build_chart_bundle,
    render_table,
)
from zoneanalysis.reporting.exporter import export_report_html

HOSTILE = "<script>alert(1)</script>示例区"


def _spec(name):
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": [{"zone": name, "v": 1}]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "zone", "type": "nominal"},
            "x": {"field": "v", "type": "quantitative"},
        },
        "title": name,
    }


def _notebook():
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("secret_source_code = 1")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data", data={CHART_MIMETYPE: _spec(HOSTILE), "text/plain": "图"}
        ),
        nbformat.v4.new_output(
            "display_data", data={CHART_MIMETYPE: _spec("乙"), "text/plain": "图"}
        ),
        nbformat.v4.new_output(
            "display_data", data={"text/html": render_table(pd.DataFrame({"名称": [HOSTILE]}))}
        ),
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noise"),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("## 结论"), code]
    return nb


def test_table_escapes_values_and_formats_probabilities():
    html = render_table(pd.DataFrame({"名称": [HOSTILE], "p": [0.856]}), probability_columns=["p"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "85 %" in html  # rounded down: a shown figure never crosses a threshold


def test_chart_bundle_batch_and_jupyterlab():
    spec = _spec("甲")
    batch = build_chart_bundle(spec, for_jupyterlab=False)
    assert set(batch) == {CHART_MIMETYPE, "text/plain"}
    lab = build_chart_bundle(spec, for_jupyterlab=True)
    assert lab[VEGA5_MIMETYPE]["$schema"].endswith("/v5.json")


def test_export_is_offline_inlines_bundle_once_and_escapes():
    html = export_report_html(_notebook(), title=HOSTILE, is_sample=True)
    assert html.count("window.vegaEmbed=") == 1
    assert html.count('class="za-spec"') == 2
    assert html.count("vegaEmbed(target") == 1  # one call in a loop over the charts
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", html)
    assert "<script>alert(1)" not in html
    assert "secret_source_code" not in html
    assert "UserWarning" not in html
    assert "示例数据" in html
    specs = re.findall(r'<script[^>]*class="za-spec"[^>]*>(.*?)</script>', html, re.S)
    assert json.loads(specs[0])["title"] == HOSTILE


def test_no_banner_for_real_data():
    assert "示例数据" not in export_report_html(_notebook(), title="甲", is_sample=False)


def test_jupyterlab_spec_has_fixed_width():
    spec = {**_spec("甲"), "width": "container"}
    vega = build_chart_bundle(spec, for_jupyterlab=True)[VEGA5_MIMETYPE]
    assert vega["width"] == 640


def test_pages_exported_at_once_in_two_threads_are_the_page_exported_alone(monkeypatch):
    """Two threads interleave their exports (a dask worker with several threads): no page
    numbers the other's charts."""
    import threading

    from zoneanalysis.reporting import exporter as exporter_module

    alone = export_report_html(_notebook(), title="甲", is_sample=True)
    barrier = threading.Barrier(2, timeout=60)
    first_chart = threading.local()
    render = exporter_module.ReportExporter.render_chart

    def render_then_wait(self, spec):
        markup = render(self, spec)
        if not getattr(first_chart, "done", False):  # both threads are mid-page here
            first_chart.done = True
            barrier.wait()
        return markup

    monkeypatch.setattr(exporter_module.ReportExporter, "render_chart", render_then_wait)
    pages = [None, None]

    def export(i):
        pages[i] = export_report_html(_notebook(), title="甲", is_sample=True)

    threads = [threading.Thread(target=export, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert pages == [alone, alone]
