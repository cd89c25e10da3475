"""Every notebook executes under papermill on small 示例 fixture data."""

import papermill as pm
import pytest
from reporting_fixtures import build_fixture_data

from zoneanalysis import paths
from zoneanalysis.ledger import build_ledger
from zoneanalysis.reporting.display import CHART_MIMETYPE, VEGA5_MIMETYPE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory):
    return build_fixture_data(tmp_path_factory.mktemp("processed"))


def _params(name, data):
    common = {
        "period": "2016-06",
        "processed_dir": str(data["processed"]),
        "zones_path": str(data["zones"]),
    }
    if name == "zone_report":
        return {"zone_id": "zz_jingkai", "targets_path": "", **common}
    if name == "city_overview":
        return {"targets_path": "", **common}
    if name == "explore":
        return {"zone_ids": ["zz_jingkai", "zz_gaoxin"], **common}
    return common


@pytest.mark.parametrize("name", ["zone_report", "city_overview", "rankings", "explore"])
def test_notebook_executes(name, fixture_data, tmp_path, monkeypatch):
    # Interactive mode (as in JupyterLab): charts also carry the Vega 5 spec JupyterLab renders.
    monkeypatch.delenv("ZONEANALYSIS_REPORT_MODE", raising=False)
    nb = pm.execute_notebook(
        str(paths.NOTEBOOKS_DIR / f"{name}.ipynb"),
        str(tmp_path / f"{name}.ipynb"),
        parameters=_params(name, fixture_data),
        kernel_name="zoneanalysis",
        cwd=str(paths.NOTEBOOKS_DIR),
        progress_bar=False,
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    charts = [o for o in outputs if CHART_MIMETYPE in o.get("data", {})]
    assert charts, "every notebook shows at least one chart"
    assert all(VEGA5_MIMETYPE in o["data"] for o in charts)
    text = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "示例数据" in text


@pytest.fixture(scope="module")
def fixture_with_ledger(tmp_path_factory):
    data = build_fixture_data(tmp_path_factory.mktemp("processed_ledger"))
    # The shipped 示例 ledger, built into the fixture folder (the registry is the shipped one).
    build_ledger("2016-06", processed=data["processed"])
    return data


def _run(name, data, tmp_path, **extra):
    nb = pm.execute_notebook(
        str(paths.NOTEBOOKS_DIR / f"{name}.ipynb"),
        str(tmp_path / f"{name}.ipynb"),
        parameters={**_params(name, data), **extra},
        kernel_name="zoneanalysis",
        cwd=str(paths.NOTEBOOKS_DIR),
        progress_bar=False,
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    specs = "".join(str(o.get("data", {}).get(CHART_MIMETYPE, "")) for o in outputs)
    return html, specs


def test_pages_without_ledger_say_so(fixture_data, tmp_path):
    html, _ = _run("city_overview", fixture_data, tmp_path)
    assert "项目台账汇总表尚未生成" in html and "进度数据待接入" in html
    html, specs = _run("zone_report", fixture_data, tmp_path)
    assert "项目台账汇总表尚未生成" in html
    # per-zone targets are examples: labelled in the tables and the chart legend
    assert "目标（示例）" in html and "目标（示例）" in specs
    assert "VerdictThresholds" not in html and "≥ 70%" in html


def test_pages_with_ledger_show_projects_clusters_counts(fixture_with_ledger, tmp_path):
    html, specs = _run("city_overview", fixture_with_ledger, tmp_path)
    for text in ("重大项目新开工", "重大项目竣工投产", "电子信息", "通信管道", "省级集聚区"):
        assert text in html
    assert "产业集群年末预测与目标" in specs
    assert "项目台账汇总表尚未生成" not in html
    html, _ = _run("zone_report", fixture_with_ledger, tmp_path)
    assert "本年计划投资（亿元）" in html and "新引进 10亿元 以上项目" in html


def test_bad_zone_id_fails_with_clear_message(fixture_data, tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match="名录中没有"):
        pm.execute_notebook(
            str(paths.NOTEBOOKS_DIR / "zone_report.ipynb"),
            str(tmp_path / "bad.ipynb"),
            parameters={**_params("zone_report", fixture_data), "zone_id": "zz_nowhere"},
            kernel_name="zoneanalysis",
            progress_bar=False,
        )
