"""The rankings page (issue 12.6), park pages (12.7) and reported growth on the zone page (11.6)."""

import pandas as pd
import papermill as pm
import pytest
from reporting_fixtures import build_fixture_data

from zoneanalysis import paths
from zoneanalysis.ranking.criteria import load_criteria
from zoneanalysis.reporting import rankings_page, views
from zoneanalysis.stars import load_star_rules


def _list(n=12):
    return pd.DataFrame(
        {
            "list": "shiqiang",
            "list_name_zh": "十强",
            "zone_id": [f"z{i:02d}" for i in range(1, n + 1)],
            "zone_name": [f"示例区{i:02d}" for i in range(1, n + 1)],
            "score": [100.0 - i for i in range(n)],
            "rank": list(range(1, n + 1)),
            "rank_p05": [max(1, i - 2) for i in range(1, n + 1)],
            "rank_p95": [i + 3 for i in range(1, n + 1)],
            "p_top_n": [0.034] + [0.0] * (n - 1),
            "top_n": 10,
            "is_zhengzhou": [False] * (n - 1) + [True],
            "rank_change": [None] * n,
            "basis": "projected",
        }
    )


def test_plain_rank_table_reads_like_a_sentence():
    out = views.build_rankings_view(_list(), pd.DataFrame(), "shiqiang")
    assert out.loc[0, views.RANK_COLUMN] == "第 1 名（1–4）"
    assert out.loc[0, "进入前十概率"] == "3 %"
    assert out.loc[11, views.RANK_COLUMN] == "第 12 名（10–15）"


def test_zone_rank_table_names_the_list_size_and_n():
    out = views.build_rank_table(_list(), "z01")
    assert out.loc[0, "参评数"] == "12 个"
    assert out.loc[0, "进入前N名概率"] == "3 %（前十）"


def test_every_list_has_one_line_and_speed_names_its_basis():
    crit = load_criteria()
    lines = {k: rankings_page.describe_list(v, crit, 6) for k, v in crit.lists.items()}
    assert all(line for line in lines.values())
    assert "可比口径" in lines["shikuai"] and "预测全年增速" in lines["shikuai"]
    assert "同一组权重" in lines["shikuai_rank_improvement"]
    assert "经济总量、质量效益、集群发展、绿色发展" in lines["area4_2017"]
    assert (
        "主营业务收入 25 %" in lines["shiqiang"]
        or "规模以上工业主营业务收入 25 %" in lines["shiqiang"]
    )
    assert "（越小越好）" in lines["shixian"]


def test_star_rules_in_words_are_marked_examples():
    crit = load_criteria()
    names = {k: v.name_zh for k, v in crit.lists.items()}
    lines = rankings_page.describe_star_rules(load_star_rules(), names)
    assert len(lines) == 6 and all(line.endswith("（示例门槛）") for line in lines)
    assert "十强名次 ≤ 5" in lines[5]


def test_star_columns_say_current_projected_target():
    stars = pd.DataFrame(
        {
            "zone_id": ["z"],
            "star_current": [2],
            "star_projected": [3],
            "star_target": [3],
            "p_reach_target": [0.6],
            "note": [None],
        }
    )
    out = views.build_star_table(stars, "z", year=2016, month=6)
    assert list(out.columns[:3]) == [
        "当前星级（2015 年实际）",
        "预计星级（2016 年末预测）",
        "目标星级（2016 年计划）",
    ]
    assert out.iloc[0, :3].tolist() == ["二星", "三星", "三星"]


def test_indicator_table_shows_reported_growth_beside_projected_growth():
    proj = pd.DataFrame(
        [
            {
                "zone_id": "z1",
                "indicator": "revenue",
                "year": 2016,
                "month": 6,
                "ytd_value": 40.0,
                "prev_year_value": 80.0,
                "projected_value": 90.0,
                "lower_80": 85.0,
                "upper_80": 95.0,
                "projected_growth_pct": 12.5,
                "target_value": 100.0,
                "target_growth_pct": 25.0,
                "required_growth_pct": 50.0,
                "time_progress_pct": 50.0,
                "task_progress_pct": 40.0,
                "method": "示例",
                "backtest_mape_pct": 3.0,
            }
        ]
    )
    stats = pd.DataFrame(
        {
            "zone_id": ["z1", "z1"],
            "indicator": ["revenue", "revenue"],
            "year": [2016, 2016],
            "month": [5, 6],
            "yoy_pct": [7.0, 9.4],
        }
    )
    out = views.build_indicator_table(proj, "z1", stats=stats)
    assert out.loc[0, views.REPORTED_GROWTH] == 9.4
    assert out.loc[0, views.PROJECTED_GROWTH] == 12.5
    assert out.loc[0, "回测误差%"] == "3.0（全部集聚区合计）"
    own = views.build_indicator_table(proj.assign(backtest_mape_zone_pct=5.25), "z1", stats=stats)
    assert own.loc[0, "回测误差%"] == "5.2（本区）"


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory):
    return build_fixture_data(tmp_path_factory.mktemp("processed_pages"))


def _html(name, params, tmp_path):
    nb = pm.execute_notebook(
        str(paths.NOTEBOOKS_DIR / f"{name}.ipynb"),
        str(tmp_path / f"{name}.ipynb"),
        parameters=params,
        kernel_name="zoneanalysis",
        cwd=str(paths.NOTEBOOKS_DIR),
        progress_bar=False,
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)


@pytest.mark.slow
def test_park_page_has_no_star_or_rank_blocks(fixture_data, tmp_path):
    common = {
        "period": "2016-06",
        "processed_dir": str(fixture_data["processed"]),
        "zones_path": str(fixture_data["zones"]),
        "targets_path": "",
    }
    park = _html("zone_report", {**common, "zone_id": "zz_jindai"}, tmp_path)
    assert rankings_page.PARK_NOTE in park
    assert "<h2>排名</h2>" not in park and "达到目标概率" not in park
    zone = _html("zone_report", {**common, "zone_id": "zz_jingkai"}, tmp_path)
    assert rankings_page.PARK_NOTE not in zone and "<h2>排名</h2>" in zone
    # The answer comes first: the sentence list precedes the verdict table.
    assert zone.index('class="answer"') < zone.index("za-table")
    # No stock is ever said to be ahead of time progress.
    rows = [r for r in zone.split("<tr") if "存量" in r]
    assert rows and not any("超过时间进度" in r for r in rows)


@pytest.mark.slow
def test_rankings_page_states_its_assumptions(fixture_data, tmp_path):
    params = {
        "period": "2016-06",
        "processed_dir": str(fixture_data["processed"]),
        "zones_path": str(fixture_data["zones"]),
    }
    html = _html("rankings", params, tmp_path)
    assert "没有公布十强、十快、十先" in html and "示例门槛" in html
    assert "当前星级（2015 年实际）" in html and "目标星级（2016 年计划）" in html
    assert "第 1 名（" in html
