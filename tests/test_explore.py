"""The explore notebook's library side: latest period by default, Chinese names, linked controls."""

import json

import pandas as pd
import papermill as pm
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reporting_fixtures import build_fixture_data

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.registry import load_zones
from zoneanalysis.reporting import explore
from zoneanalysis.reporting.display import CHART_MIMETYPE, VEGA5_MIMETYPE, build_chart_bundle


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory):
    return build_fixture_data(tmp_path_factory.mktemp("explore"), period="2016-06")


@pytest.fixture(scope="module")
def data(fixture_data):
    return explore.load_explore(
        None, processed_dir=fixture_data["processed"], zones_path=fixture_data["zones"]
    )


@given(
    st.lists(
        st.tuples(st.integers(2010, 2020), st.integers(1, 12), st.booleans()),
        min_size=1,
        max_size=30,
    )
)
def test_latest_period_is_the_last_zhengzhou_month(rows):
    zones = pd.DataFrame({"zone_id": ["zz_a", "other"], "is_zhengzhou": [True, False]})
    stats = pd.DataFrame(
        {
            "zone_id": ["zz_a" if zz else "other" for _, _, zz in rows],
            "year": [y for y, _, _ in rows],
            "month": [m for _, m, _ in rows],
        }
    )
    zz = [(y, m) for y, m, is_zz in rows if is_zz] or [(y, m) for y, m, _ in rows]
    y, m = max(zz)
    assert explore.latest_period(stats, zones) == f"{y}-{m:02d}"


def test_defaults_show_the_latest_period_with_chinese_columns(data, fixture_data):
    assert data.period == "2016-06" and data.period_label == data.latest_label
    assert list(data.frame.columns) == explore.COLUMNS
    zones = load_zones(fixture_data["zones"])
    zz = zones[zones["is_zhengzhou"]]
    assert data.zones == list(zz["short_name"])  # every Zhengzhou zone, registry order
    shown = data.frame.drop(columns=["年", "月", "年月", "累计值", "同比增长%"])
    values = set(shown.astype(str).to_numpy().ravel())
    assert not {v for v in values if v.startswith(("zz_", "zzp_")) or v in {"revenue", "fai"}}
    assert data.indicator == data.indicators[0] == "规模以上工业主营业务收入"


def test_zones_and_indicator_by_chinese_name(fixture_data):
    zones = load_zones(fixture_data["zones"])
    first, second = zones[zones["is_zhengzhou"]].head(2).itertuples()
    got = explore.load_explore(
        "2016-03",
        processed_dir=fixture_data["processed"],
        zones_path=fixture_data["zones"],
        zone_ids=[first.short_name, second.zone_name],
        indicator="固定资产投资",
    )
    assert got.zones == [first.short_name, second.short_name]
    assert got.indicator == "固定资产投资" and got.period_label == "2016年1-3月"
    assert got.latest_label == "2016年1-6月"


def test_bad_choices_say_what_exists(fixture_data):
    kwargs = {"processed_dir": fixture_data["processed"], "zones_path": fixture_data["zones"]}
    with pytest.raises(ConfigError, match="数据最新到 2016年1-6月"):
        explore.load_explore("2016-09", **kwargs)
    with pytest.raises(ConfigError, match="名录中没有集聚区“无名区”"):
        explore.load_explore(None, zone_ids=["无名区"], **kwargs)
    with pytest.raises(ConfigError, match="可选指标"):
        explore.load_explore(None, indicator="不存在的指标", **kwargs)


def _params(spec):
    found = {}

    def walk(node):
        if isinstance(node, dict):
            for p in node.get("params", []):
                found[p["name"]] = p
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return found


def test_explore_chart_controls_are_chinese_selects_and_a_legend(data):
    spec = explore.chart_explore(data).to_dict()
    params = _params(spec)
    assert params["indicator"]["bind"]["input"] == "select"
    assert params["indicator"]["bind"]["options"] == data.indicators
    assert params["zone_group"]["bind"]["options"][0] == explore.ALL_GROUPS
    period = params["period"]["bind"]
    assert period["labels"][0] == data.latest_label  # latest first, shown by its Chinese label
    assert params["period"]["value"] == period["options"][0]
    assert params["pick"]["bind"] == "legend"
    text = json.dumps(spec, ensure_ascii=False)
    # the table is filtered by the legend selection and the selects
    assert '{"param": "pick"}' in text and "datum['年月'] === period" in text
    scales = [m for m in text.split('"scale": ') if "tableau20" in m[:200]]
    assert scales and len(data.zones) <= 20  # one distinct colour per zone


def test_charts_compile_for_jupyterlab_with_bound_selects(data):
    for chart in (explore.chart_explore(data), explore.chart_small_multiples(data)):
        bundle = build_chart_bundle(chart, for_jupyterlab=True)
        vega = bundle[VEGA5_MIMETYPE]
        bound = [s for s in vega.get("signals", []) if isinstance(s.get("bind"), dict)]
        assert {s["bind"]["input"] for s in bound} == {"select"}
        assert "zone_group" in {s["name"] for s in bound}
        assert CHART_MIMETYPE in bundle


@pytest.mark.slow
def test_notebook_runs_on_its_defaults(fixture_data, tmp_path, monkeypatch):
    monkeypatch.delenv("ZONEANALYSIS_REPORT_MODE", raising=False)
    nb = pm.execute_notebook(
        str(paths.NOTEBOOKS_DIR / "explore.ipynb"),
        str(tmp_path / "explore.ipynb"),
        # only the data folders; period, zones and indicator stay on their defaults
        parameters={
            "processed_dir": str(fixture_data["processed"]),
            "zones_path": str(fixture_data["zones"]),
        },
        kernel_name="zoneanalysis",
        cwd=str(paths.NOTEBOOKS_DIR),
        progress_bar=False,
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    charts = [o for o in outputs if VEGA5_MIMETYPE in o.get("data", {})]
    assert len(charts) == 2
    text = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "示例数据" in text and "数据最新到 2016年1-6月" in text
    assert "zz_" not in text


def test_no_period_means_the_latest_in_the_data(fixture_data):
    kwargs = {"processed_dir": fixture_data["processed"], "zones_path": fixture_data["zones"]}
    assert explore.resolve_period(None, **kwargs) == "2016-06"
    assert explore.resolve_period("", **kwargs) == "2016-06"
    assert explore.resolve_period("2015-03", **kwargs) == "2015-03"
