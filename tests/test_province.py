"""Province scope: the plan covers every registered zone, the CLI checks --scope, and the
province overview's tables (示例 fixture data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reporting_fixtures import build_fixture_data

from zoneanalysis import paths
from zoneanalysis.cli import main
from zoneanalysis.errors import ConfigError
from zoneanalysis.registry import load_zones, zone_level
from zoneanalysis.reporting import batch, province, views
from zoneanalysis.reporting.data import load_report_tables
from zoneanalysis.stars import evaluate_stars, load_star_rules


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory):
    return build_fixture_data(tmp_path_factory.mktemp("province") / "processed")


@pytest.fixture(scope="module")
def tables(fixture_data):
    return load_report_tables("2016-06", fixture_data["processed"], fixture_data["zones"])


def _plan(tmp_path, scope, zone_ids=None, period="2016-06"):
    return batch.plan_reports(
        period,
        zone_ids=zone_ids,
        out_dir=tmp_path,
        processed=paths.PROCESSED_DIR,
        zones_path=paths.ZONES_FILE,
        targets_path=paths.TARGETS_FILE,
        is_sample=True,
        scope=scope,
    )


def _valid_ids(year: int) -> list[str]:
    zones = load_zones()
    level = zone_level(zones, year)
    return [z for z in zones["zone_id"] if pd.notna(level[z])]


@pytest.mark.parametrize("period", ["2016-06", "2013-06"])
def test_province_plan_has_one_job_per_valid_zone_and_the_province_overview(tmp_path, period):
    plan = _plan(tmp_path, "province", period=period)
    zone_jobs = [j.params["zone_id"] for j in plan if j.kind == "zone"]
    assert zone_jobs == _valid_ids(int(period[:4]))
    assert len(zone_jobs) == len(set(zone_jobs))
    province_jobs = [j for j in plan if j.kind == "province"]
    assert len(province_jobs) == 1
    assert province_jobs[0].html_path == tmp_path / "province.html"
    assert province_jobs[0].notebook.name == "province_overview.ipynb"
    assert {j.kind for j in plan} == {"overview", "rankings", "province", "zone"}


def test_the_2016_province_plan_covers_the_whole_registry(tmp_path):
    # every registry row is valid in 2016 (parks included), so 189 zone pages
    plan = _plan(tmp_path, "province")
    assert sum(j.kind == "zone" for j in plan) == len(load_zones())


def test_city_plan_is_unchanged_zhengzhou_only_and_no_province_page(tmp_path):
    plan = _plan(tmp_path, "city")
    zones = load_zones().set_index("zone_id")
    ids = [j.params["zone_id"] for j in plan if j.kind == "zone"]
    assert ids and all(zones.at[z, "is_zhengzhou"] for z in ids)
    assert ids == [z for z in _valid_ids(2016) if zones.at[z, "is_zhengzhou"]]
    assert not any(j.kind == "province" for j in plan)


def test_zones_narrow_the_province_scope(tmp_path):
    plan = _plan(tmp_path, "province", zone_ids=["xinxiang_gaoxin", "zz_jingkai"])
    assert [j.params["zone_id"] for j in plan if j.kind == "zone"] == [
        "xinxiang_gaoxin",
        "zz_jingkai",
    ]
    assert any(j.kind == "province" for j in plan)


def test_unknown_scope_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="--scope"):
        _plan(tmp_path, "nation")


@pytest.mark.parametrize("command", [["report", "--period", "2016-06"], ["run"]])
def test_cli_refuses_a_bad_scope_with_a_chinese_message(command, capsys):
    assert main([*command, "--scope", "全国"]) == 1
    err = capsys.readouterr().err
    assert "不认识的报告范围“全国”" in err and "province" in err
    assert "Traceback" not in err


def test_report_help_documents_scope(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "--scope" in capsys.readouterr().out


# ---------------------------------------------------------------- the overview's tables


def test_province_zones_are_the_registered_ones(tables):
    zones = province.list_province_zones(tables.zones, 2016)
    assert list(zones["zone_id"]) == _valid_ids(2016)
    assert set(zones["level"]) == {"provincial", "city_park"}
    counts = province.build_city_counts(zones)
    assert counts["合计"].sum() == len(zones)
    assert counts["所在市"].iloc[0] == "郑州市"


def test_top_table_is_the_top_n_with_cities(tables):
    zones = province.list_province_zones(tables.zones, 2016)
    top = province.build_top_table(tables.rankings, "shiqiang", zones)
    rows = tables.rankings[tables.rankings["list"] == "shiqiang"]
    expected = rows[rows["rank"] <= 10].sort_values("rank")
    assert list(top["集聚区"]) == list(expected["zone_name"])
    city = zones.set_index("zone_name")["city"]
    assert list(top["所在市"]) == [city[n] for n in expected["zone_name"]]
    assert list(top["郑州"]) == list(expected["is_zhengzhou"])


def test_city_placement_counts_each_citys_zones_in_the_top_n(tables):
    zones = province.list_province_zones(tables.zones, 2016)
    lists = province.list_province_rankings(tables.rankings)
    assert [c for c, _ in lists] == ["shiqiang", "shikuai"]  # 郑州两强 is not province-wide
    placed = province.build_city_placement(tables.rankings, zones, lists).set_index("所在市")
    rows = tables.rankings[tables.rankings["list"] == "shikuai"]
    city = zones.set_index("zone_id")["city"]
    in_top = rows[rows["rank"] <= rows["top_n"]]["zone_id"].map(city).value_counts()
    for name, n in in_top.items():
        assert placed.at[name, "十快入选"] == f"{n} 个"
    best = rows.assign(city=rows["zone_id"].map(city)).groupby("city")["rank"].min()
    for name, r in best.items():
        assert placed.at[name, "十快最好名次"] == f"第 {r} 名"


def test_city_rank_frame_marks_the_top_n(tables):
    zones = province.list_province_zones(tables.zones, 2016)
    frame = province.build_city_rank_frame(tables.rankings, "shiqiang", zones)
    assert (frame["in_top_n"] == (frame["rank"] <= 10)).all()
    assert len(frame) == (tables.rankings["list"] == "shiqiang").sum()


def test_stars_come_from_the_ranking_step_where_it_assessed_and_from_the_rules_elsewhere(tables):
    zones = province.list_province_zones(tables.zones, 2016)
    rules = load_star_rules(paths.STAR_RULES_FILE)
    levels = province.assess_province_stars(
        zones, tables.projections, tables.rankings, tables.stars, rules
    ).set_index("zone_id")
    assert set(levels.index) == set(zones.loc[zones["level"] == "provincial", "zone_id"])
    official = tables.stars.set_index("zone_id")
    for z in official.index.intersection(levels.index):
        assert levels.at[z, "star_projected"] == official.at[z, "star_projected"]
        assert levels.at[z, "source"] == province.STAR_SOURCE_RANKING
    other = [z for z in levels.index if z not in official.index]
    assert other
    rev = tables.projections[tables.projections["indicator"] == "revenue"].set_index("zone_id")
    ranks = tables.rankings[tables.rankings["list"] == "shiqiang"].set_index("zone_id")["rank"]
    values = {
        "revenue": rev["projected_value"].reindex(other).to_numpy(float),
        "rank:shiqiang": ranks.reindex(other).astype("Float64").to_numpy(float, na_value=np.nan),
    }
    expected = evaluate_stars(rules, values)
    assert list(levels.loc[other, "star_projected"]) == list(expected)
    assert (levels.loc[other, "source"] == province.STAR_SOURCE_RULES).all()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 6)), min_size=1, max_size=40))
def test_star_distribution_counts_every_zone_once(levels):
    frame = pd.DataFrame(
        {
            "star_projected": pd.array(levels, dtype="Int64"),
            "is_zhengzhou": [i % 3 == 0 for i in range(len(levels))],
        }
    )
    dist = province.build_star_distribution(frame)
    assert dist["集聚区个数"].sum() == len(levels)
    assert (dist["其中郑州市"] + dist["其他市"] == dist["集聚区个数"]).all()
    assert dist["其中郑州市"].sum() == frame["is_zhengzhou"].sum()


def test_verdicts_count_only_zones_with_targets(tables):
    zones = province.list_province_zones(tables.zones, 2016)
    dist = province.build_verdict_distribution(tables.projections, zones)
    p = tables.projections
    rows = p[~p["is_aggregate"] & p["target_value"].notna()]
    revenue = rows[rows["indicator"] == "revenue"]
    line = dist.set_index("指标").loc[views.indicator_names()["revenue"]]
    assert line["有目标的集聚区"] == len(revenue)
    verdicts = pd.Series(views.classify_rows(revenue)).value_counts()
    for v in (views.ON_TRACK, views.AT_RISK, views.OFF_TRACK):
        assert line[v] == verdicts.get(v, 0)
    said = province.describe_target_coverage(p, zones)
    assert f"其余 {len(zones) - rows['zone_id'].nunique()} 个没有目标" in said
    assert said.startswith("计划只给郑州市")  # the registry lists Zhengzhou first


def test_city_tables_group_every_zone_once_with_ytd_and_growth(tables):
    zones = province.list_province_zones(tables.zones, 2016)
    rules = load_star_rules(paths.STAR_RULES_FILE)
    levels = province.assess_province_stars(
        zones, tables.projections, tables.rankings, tables.stars, rules
    )
    grouped = province.build_city_tables(
        zones, tables.stats, tables.rankings, levels, 2016, 6, indicators=("revenue", "fai")
    )
    assert sum(len(t) for _, t in grouped) == len(zones)
    caption, first = grouped[0]
    assert caption.startswith("郑州市（")
    name = views.indicator_names()["revenue"].removeprefix("规模以上")
    stats = tables.stats
    now = stats[(stats["year"] == 2016) & (stats["month"] == 6) & (stats["indicator"] == "revenue")]
    value = now.set_index("zone_name")["value"]
    for zone, v in zip(first["集聚区"], first[f"{name}（亿元）"], strict=True):
        if zone in value.index:
            assert v == pytest.approx(value[zone])
        else:
            assert np.isnan(v)
    assert f"{name}同比%" in first.columns and "十强名次" in first.columns
    parks = first[first["级别"] == "市级工业专业园区"]
    assert len(parks) and (parks["预计星级"] == "不参评").all()
    assert parks["十强名次"].isna().all()
    ranks = tables.rankings[tables.rankings["list"] == "shiqiang"].set_index("zone_name")["rank"]
    for zone, r in zip(first["集聚区"], first["十强名次"], strict=True):
        assert r == (int(ranks[zone]) if zone in ranks.index else None)
    # a city with provincial zones only has no level column
    assert all("级别" not in t.columns for c, t in grouped[1:] if not c.startswith("郑州"))


@pytest.mark.slow
def test_province_overview_notebook_executes(fixture_data, tmp_path, monkeypatch):
    import papermill as pm

    from zoneanalysis.reporting.display import CHART_MIMETYPE

    monkeypatch.delenv("ZONEANALYSIS_REPORT_MODE", raising=False)
    nb = pm.execute_notebook(
        str(paths.NOTEBOOKS_DIR / "province_overview.ipynb"),
        str(tmp_path / "province_overview.ipynb"),
        parameters={
            "period": "2016-06",
            "processed_dir": str(fixture_data["processed"]),
            "zones_path": str(fixture_data["zones"]),
            "targets_path": "",
        },
        kernel_name="zoneanalysis",
        cwd=str(paths.NOTEBOOKS_DIR),
        progress_bar=False,
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    charts = [o for o in outputs if CHART_MIMETYPE in o.get("data", {})]
    # one chart per province-wide list (十强, 十快 in the fixture), stars and verdicts
    assert len(charts) == 4
    text = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "示例数据" in text and "示例门槛" in text
    assert "计划只给郑州市" in text and "新乡市（" in text


def test_province_charts_carry_the_shared_theme_in_a_fresh_process():
    """The page draws the same whether or not another page ran first in the kernel."""
    import json
    import subprocess
    import sys

    code = (
        "import json, pandas as pd\n"
        "from zoneanalysis.reporting import province_charts\n"
        "f = pd.DataFrame({'预计星级': ['一星'], '集聚区个数': [2], '其中郑州市': [1], '其他市': [1]})\n"
        "c = province_charts.chart_star_distribution(f, title='示例')\n"
        "print(json.dumps(c.to_dict()['config']['font']))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    from zoneanalysis.reporting.theme import FONT_STACK

    assert json.loads(out.stdout) == FONT_STACK


def test_city_placement_keeps_the_three_lists_when_they_are_ranked(tables):
    zones = province.list_province_zones(tables.zones, 2016)
    other = tables.rankings[tables.rankings["list"] == "shiqiang"].assign(
        list="area4_2017", list_name_zh="四大领域综合"
    )
    rankings = pd.concat([tables.rankings, other], ignore_index=True)
    lists = province.list_province_rankings(rankings)
    assert ("area4_2017", "四大领域综合") in lists
    narrow = province.build_city_placement(rankings, zones, lists)
    assert not [c for c in narrow.columns if c.startswith("四大领域")]
    wide = province.build_city_placement(rankings, zones, lists, only=None)
    assert "四大领域综合入选" in wide.columns


def test_a_zone_without_targets_draws_its_main_indicators_without_a_target_line(tables):
    from zoneanalysis.reporting import charts

    p = tables.projections
    zone = "zz_jingkai"
    codes, targeted = views.select_fan_indicators(p, zone)
    assert targeted
    assert set(codes) == set(p.loc[(p["zone_id"] == zone) & p["target_value"].notna(), "indicator"])
    bare = p.assign(target_value=p["target_value"].where(p["zone_id"] != zone))
    codes, targeted = views.select_fan_indicators(bare, zone)
    assert not targeted
    have = set(p.loc[p["zone_id"] == zone, "indicator"])
    assert codes == [c for c in views.KEY_INDICATORS if c in have] and codes
    frame = views.build_projection_frame(tables.stats, bare, zone, codes[0], 2016, 6)
    assert "目标" not in set(frame["series"])
    spec = charts.chart_projection_fan(frame, title="t", unit="亿元").to_dict()
    domains = [
        layer["encoding"]["color"]["scale"]["domain"]
        for layer in spec["layer"]
        if "color" in layer.get("encoding", {})
    ]
    assert domains and all("目标" not in d for d in domains)


def test_province_pages_link_the_province_overview_in_their_navigation(tmp_path):
    from zoneanalysis.reporting.exporter import render_nav

    assert all(j.nav_province for j in _plan(tmp_path / "p", "province"))
    assert not any(j.nav_province for j in _plan(tmp_path / "c", "city"))
    province_nav, city_nav = render_nav("../", province=True), render_nav("../")
    assert '<a href="../province.html">全省总览</a>' in province_nav
    assert "province.html" not in city_nav
    assert (
        province_nav.index("全市总览") < province_nav.index("全省总览") < province_nav.index("排名")
    )
