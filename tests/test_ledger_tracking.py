import pandas as pd
import pytest

from zoneanalysis.ledger.columns import PROGRESS_COLUMNS
from zoneanalysis.ledger.tracking import (
    check_big_new_projects,
    classify_big_project,
    compare_investment_to_plan,
    list_behind_schedule,
    summarise_starts_completions,
)


def _progress() -> pd.DataFrame:
    rows = [
        # id, zone, cat, new, total, plan, ytd, started, start, p_start, completed, done, p_done
        ("a", "z1", "新开工", True, 12.0, 4.0, 2.0, True, "2016-03-10", 3, False, None, None),
        ("b", "z1", "竣工", False, 8.0, 2.0, 0.4, True, "2015-05-01", None, True, "2016-06-30", 6),
        ("c", "z1", "新开工", True, 9.0, 3.0, 0.0, False, None, 5, False, None, None),
        ("d", "z2", "续建", False, 30.0, 10.0, 6.0, True, "2015-01-01", None, False, None, 9),
        ("e", "z2", "新开工", True, 6.0, 2.0, 0.0, False, None, 7, False, None, None),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "project_id",
            "zone_id",
            "category",
            "is_new_introduction",
            "total_investment",
            "plan_investment",
            "ytd_investment",
            "started",
            "start_date",
            "planned_start_month",
            "completed",
            "completion_date",
            "planned_completion_month",
        ],
    )
    frame["project_name"] = "项目" + frame["project_id"]
    frame["zone_name"] = frame["zone_id"].map({"z1": "甲区", "z2": "乙区"})
    frame["year"], frame["month"] = 2016, 6
    frame["industry"] = "电子信息"
    frame["is_example"] = True
    frame["source_file"], frame["source_row"] = "x.csv", range(4, 9)
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["completion_date"] = pd.to_datetime(frame["completion_date"])
    for col in ("planned_start_month", "planned_completion_month"):
        frame[col] = frame[col].astype("Int64")
    return frame[PROGRESS_COLUMNS]


def test_starts_and_completions_per_zone_and_city():
    out = summarise_starts_completions(_progress(), 2016, 6, target_starts=4, target_completions=2)
    z1 = out.set_index("zone_id").loc["z1"]
    # a started 2016-03; b started 2015 (continuing) so it does not count; e starts in July
    assert z1["started"] == 1 and z1["planned_starts"] == 2 and z1["completed"] == 1
    assert z1["start_progress_pct"] == pytest.approx(50.0)
    city = out.iloc[-1]
    assert city["zone_id"] == "agg_zz_all" and bool(city["is_aggregate"])
    assert city["started"] == 1 and city["completed"] == 1 and city["n_projects"] == 5
    assert city["start_progress_pct"] == pytest.approx(25.0)  # 1 of 4
    assert city["completion_progress_pct"] == pytest.approx(50.0)  # 1 of 2
    assert city["time_progress_pct"] == pytest.approx(50.0)
    # zone z2 plans no completion: its completion progress is null, not a division by zero
    assert pd.isna(out.set_index("zone_id").loc["z2", "completion_progress_pct"])


def test_other_months_are_ignored():
    p = _progress()
    later = p.assign(month=7, started=True, start_date=pd.Timestamp("2016-07-02"))
    assert summarise_starts_completions(later, 2016, 7).iloc[-1]["started"] == 5
    out = summarise_starts_completions(pd.concat([p, later]), 2016, 6)
    assert out.iloc[-1]["started"] == 1


def test_big_new_project_thresholds_by_level():
    levels = pd.Series({"z1": "provincial", "z2": "city_park", "z3": "provincial"})
    out = check_big_new_projects(_progress(), levels, 2016, 6).set_index("zone_id")
    assert out.loc["z1", "met"] and out.loc["z1", "largest_project"] == "项目a"
    assert out.loc["z1", "n_qualifying"] == 1  # c (9亿) is below 10亿
    assert out.loc["z1", "status"] == "已完成"  # a is introduced and started
    # e (6亿 ≥ 5亿) is introduced but not started: not met (the start is the precondition)
    assert out.loc["z2", "introduced"] and not out.loc["z2", "met"]
    assert out.loc["z2", "status"] == "已引进、未开工"
    assert out.loc["z2", "threshold"] == 5.0
    assert not out.loc["z3", "introduced"] and not out.loc["z3", "met"]
    assert out.loc["z3", "status"] == "尚无" and pd.isna(out.loc["z3", "largest_investment"])


def test_big_project_rule():
    assert classify_big_project(0, 0) == "尚无"
    assert classify_big_project(3, 0) == "已引进、未开工"
    assert classify_big_project(3, 1) == "已完成"


def test_investment_against_plan():
    out = compare_investment_to_plan(_progress(), 2016, 6).set_index("project_id")
    assert out.loc["a", "completion_pct"] == pytest.approx(50.0)
    assert out.loc["b", "gap_pp"] == pytest.approx(20.0 - 50.0)


def test_behind_schedule_reasons():
    out = list_behind_schedule(_progress(), 2016, 6, tolerance_pp=10).set_index("project_id")
    assert set(out.index) == {"b", "c"}
    assert "计划5月开工，尚未开工" in out.loc["c", "reasons"]
    assert "落后时间进度30.0个百分点" in out.loc["b", "reasons"]
    # d: 60 % of plan at mid-year, completion planned for September: on schedule
    assert "d" not in out.index
