"""Every notebook executes under papermill on small 示例 fixture data."""

import papermill as pm
import pytest
from reporting_fixtures import build_fixture_data

from zoneanalysis import paths
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


def test_bad_zone_id_fails_with_clear_message(fixture_data, tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match="名录中没有"):
        pm.execute_notebook(
            str(paths.NOTEBOOKS_DIR / "zone_report.ipynb"),
            str(tmp_path / "bad.ipynb"),
            parameters={**_params("zone_report", fixture_data), "zone_id": "zz_nowhere"},
            kernel_name="zoneanalysis",
            progress_bar=False,
        )
