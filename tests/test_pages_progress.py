"""时间过半、任务过半 by kind (issue 11.5): flows against time and their usual pace, stocks by level."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zoneanalysis.reporting import charts, progress, views
from zoneanalysis.reporting.progress import (
    AHEAD_OF_TIME,
    AHEAD_OF_USUAL,
    BEHIND_USUAL,
    STOCK_MET,
    STOCK_SHORT,
    compute_usual_share,
    judge_pace,
)


def _proj(indicator, ytd, target, month=6):
    return {
        "zone_id": "z1",
        "zone_name": "示例区",
        "indicator": indicator,
        "year": 2016,
        "month": month,
        "ytd_value": ytd,
        "target_value": target,
        "time_progress_pct": month / 12 * 100,
        "task_progress_pct": ytd / target * 100,
    }


def _history(indicator, shares, year_end=100.0, month=6):
    rows = []
    for year, share in shares.items():
        rows.append(("z1", year, month, indicator, share * year_end))
        rows.append(("z1", year, 12, indicator, year_end))
    return pd.DataFrame(rows, columns=["zone_id", "year", "month", "indicator", "value"])


def test_usual_share_by_hand_uses_the_last_three_years():
    # 2012 is older than the last three years and is left out: (0.30 + 0.35 + 0.40) / 3 = 35 %.
    h = _history("fai", {2012: 0.9, 2013: 0.30, 2014: 0.35, 2015: 0.40})
    share, n = compute_usual_share(h, 2016, 6)
    assert share == pytest.approx(35.0) and n == 3


def test_back_loaded_investment_is_judged_against_its_own_pace():
    # June, investment 40 % done: behind time (50 %) but ahead of its usual 35 % by June.
    stats = _history("fai", {2013: 0.30, 2014: 0.35, 2015: 0.40})
    frame = views.build_progress_frame(pd.DataFrame([_proj("fai", 40.0, 100.0)]), "z1", stats)
    row = frame.iloc[0]
    assert row["kind"] == "flow"
    assert row["usual_progress_pct"] == pytest.approx(35.0)
    assert row["time_progress_pct"] == pytest.approx(50.0)
    assert row["verdict"] == AHEAD_OF_USUAL and row["yardstick_zh"] == "往年同期进度"


def test_flow_behind_its_usual_pace():
    stats = _history("revenue", {2014: 0.50, 2015: 0.52})
    frame = views.build_progress_frame(pd.DataFrame([_proj("revenue", 45.0, 100.0)]), "z1", stats)
    assert frame.iloc[0]["verdict"] == BEHIND_USUAL
    assert frame.iloc[0]["usual_years"] == 2


def test_stock_is_judged_by_level_without_a_time_yardstick():
    # Employment at 95 % of the target in June: short of the target level, whatever the month.
    frame = views.build_progress_frame(pd.DataFrame([_proj("employment", 71.25, 75.0)]), "z1")
    row = frame.iloc[0]
    assert row["kind"] == "stock" and row["verdict"] == STOCK_SHORT
    assert pd.isna(row["time_progress_pct"]) and pd.isna(row["usual_progress_pct"])
    met = views.build_progress_frame(pd.DataFrame([_proj("employment", 76.0, 75.0)]), "z1")
    assert met.iloc[0]["verdict"] == STOCK_MET


@given(
    task=st.floats(0, 300, allow_nan=False),
    time=st.floats(0, 100, allow_nan=False),
    usual=st.one_of(st.just(float("nan")), st.floats(0, 100, allow_nan=False)),
)
def test_a_stock_never_reads_ahead_of_time(task, time, usual):
    _, _, verdict = judge_pace("stock", task, time, usual)
    assert verdict in (STOCK_MET, STOCK_SHORT)
    assert "时间进度" not in verdict


def test_no_page_table_or_chart_shows_ahead_of_time_for_a_stock():
    # The table and the chart of the page come from the same frame; neither may pair a stock
    # with "超过时间进度" (employment at 95 % in June was shown green "超过时间进度" before).
    frame = views.build_progress_frame(
        pd.DataFrame([_proj("employment", 71.25, 75.0), _proj("revenue", 60.0, 100.0)]), "z1"
    )
    table = progress.build_progress_table(frame)
    stock_rows = table[table["类型"].str.startswith("存量")]
    assert len(stock_rows) == 1 and AHEAD_OF_TIME not in set(stock_rows["判断"])
    spec = charts.chart_progress_pace(frame).to_dict()
    data = next(iter(spec["datasets"].values()))
    assert {r["verdict"] for r in data if r["kind"] == "stock"} == {STOCK_SHORT}
    assert {r["verdict"] for r in data if r["kind"] == "flow"} == {AHEAD_OF_TIME}


def test_chart_colours_follow_the_verdict_rule():
    frame = views.build_progress_frame(
        pd.DataFrame([_proj("employment", 71.25, 75.0), _proj("revenue", 60.0, 100.0)]), "z1"
    )
    spec = charts.chart_progress_pace(frame).to_dict()
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours == {AHEAD_OF_TIME: "#2e7d32", STOCK_SHORT: "#c62828"}


def test_a_lead_under_one_point_is_level_not_ahead():
    # 中牟 revenue in the June sample: 45.9 % done against a usual 45.8 %, projected short.
    stats = _history("revenue", {2014: 0.457, 2015: 0.459})
    frame = views.build_progress_frame(pd.DataFrame([_proj("revenue", 45.9, 100.0)]), "z1", stats)
    assert frame.iloc[0]["verdict"] == progress.ON_USUAL
    spec = charts.chart_progress_pace(frame).to_dict()
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == ["#9e9e9e"]
