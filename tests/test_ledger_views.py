import pandas as pd

from zoneanalysis.ledger import views


def _tables():
    starts = pd.DataFrame(
        {
            "zone_id": ["z1", "agg_zz_all"],
            "zone_name": ["甲区", "郑州市合计"],
            "is_aggregate": [False, True],
            "n_projects": [3, 3],
            "planned_starts": [2, 2],
            "started": [1, 1],
            "planned_completions": [1, 1],
            "completed": [1, 1],
            "target_starts": [None, 4.0],
            "target_completions": [None, 1.0],
            "time_progress_pct": [50.0, 50.0],
            "start_progress_pct": [50.0, 25.0],
            "completion_progress_pct": [100.0, 100.0],
        }
    )
    big = pd.DataFrame(
        {
            "zone_id": ["z1"],
            "level": ["provincial"],
            "threshold": [10.0],
            "n_qualifying": [1],
            "n_qualifying_started": [0],
            "largest_project": ["项目a"],
            "largest_investment": [12.0],
            "introduced": [True],
            "met": [False],
            "status": ["已引进、未开工"],
        }
    )
    return {"starts": starts, "big_projects": big}


def test_project_summary_verdicts():
    out = views.build_project_summary(_tables()).set_index("任务")
    assert out.loc["重大项目新开工", "结论"] == "滞后"  # 25 % done at half time
    assert out.loc["重大项目竣工投产", "结论"] == "已完成"


def test_empty_tables_give_a_note():
    assert views.build_cluster_table({}).iloc[0, 0] == "产业集群数据待接入"
    assert views.build_count_progress_table({}).iloc[0, 0] == "进度数据待接入"


def test_big_project_sentence():
    text = views.build_zone_big_project(_tables(), "z1")
    assert "项目a" in text and "尚未开工" in text and "尚未完成" in text
    assert "无台账数据" in views.build_zone_big_project(_tables(), "z9")


def test_big_project_table_puts_zones_without_a_started_project_first():
    tables = _tables()
    big = pd.concat(
        [
            tables["big_projects"],
            pd.DataFrame(
                {
                    "zone_id": ["z2"],
                    "level": ["city_park"],
                    "threshold": [5.0],
                    "n_qualifying": [0],
                    "n_qualifying_started": [0],
                    "largest_project": [None],
                    "largest_investment": [None],
                    "introduced": [False],
                    "met": [False],
                    "status": ["尚无"],
                }
            ),
        ],
        ignore_index=True,
    )
    out = views.build_big_project_table({**tables, "big_projects": big}, {"z2": "乙园区"})
    assert list(out["结论"]) == ["尚无", "已引进、未开工"]
    assert list(out["集聚区"]) == ["乙园区", "甲区"]  # z1's name from the starts table
    assert list(out["类别"]) == ["市级园区", "省级集聚区"]


def test_key_projects_status_and_late_first():
    invest = pd.DataFrame(
        {
            "project_id": ["p1", "p2", "p3"],
            "project_name": ["项目一", "项目二", "项目三"],
            "zone_id": ["z1", "z1", "z9"],
            "category": ["新开工", "竣工", "新开工"],
            "plan_investment": [5.0, 2.0, 1.0],
            "ytd_investment": [4.0, 0.5, 0.1],
            "started": [True, True, False],
            "completed": [False, True, False],
            "completion_pct": [80.0, 25.0, 10.0],
        }
    )
    behind = pd.DataFrame({"project_id": ["p2"], "reasons": ["投资完成25.0%"]})
    out = views.build_zone_key_projects({"investment": invest, "behind": behind}, "z1")
    assert list(out["项目"]) == ["项目二", "项目一"]
    assert list(out["状态"]) == ["已投产", "已开工"]
    assert list(out["滞后"]) == [True, False]
    assert out.loc[0, "问题"] == "投资完成25.0%"


def test_count_progress_shows_whole_counts_and_a_chart_frame():
    counts = pd.DataFrame(
        {
            "code": ["a", "b", "a"],
            "name_zh": ["甲", "乙", "甲"],
            "unit": ["个", "公里", "个"],
            "target": [100.0, 30.0, 100.0],
            "value": [85.0, 25.5, 40.0],
            "task_progress_pct": [85.0, 85.0, 40.0],
            "time_progress_pct": [75.0, 75.0, 50.0],
            "status": ["进度正常", "进度正常", "滞后"],
            "is_latest": [True, True, False],
            "is_stale": [False, True, False],
        }
    )
    table = views.build_count_progress_table({"counts": counts})
    assert list(table["全年目标"]) == [100, 30] and isinstance(table.loc[0, "全年目标"], int)
    assert list(table["累计完成"]) == [85, 25.5]
    assert table.loc[1, "结论"] == "进度正常（本月未报）"
    frame = views.build_count_progress_frame({"counts": counts})
    assert list(frame["verdict"]) == [views.COUNT_VERDICTS[0]] * 2  # 85 % at 75 % time


def test_missing_ledger_is_said_in_chinese():
    text = views.describe_missing_ledger({}, "2016年1-6月")
    assert text.startswith("2016年1-6月的项目台账汇总表尚未生成")
    assert views.describe_missing_ledger(_tables(), "2016年1-6月") is None


def test_count_row_names_zones_introduced_but_not_started():
    counts = pd.DataFrame(
        {
            "code": ["new_project_10yi_per_zone", "zhengou_trains"],
            "name_zh": ["新引进 10 亿元以上项目并开工（每个省级集聚区）", "郑欧班列开行"],
            "unit": ["个集聚区", "列"],
            "target": [11.0, 200.0],
            "value": [9.0, 150.0],
            "task_progress_pct": [9 / 11 * 100, 75.0],
            "time_progress_pct": [75.0, 75.0],
            "status": ["进度正常", "进度正常"],
            "is_latest": [True, True],
            "is_stale": [False, False],
            "note": ["另有 2 个集聚区已引进、未开工", None],
        }
    )
    out = views.build_count_progress_table({"counts": counts}).set_index("指标")
    assert out.iloc[0]["结论"] == "进度正常（另有 2 个集聚区已引进、未开工）"
    assert out.loc["郑欧班列开行", "结论"] == "进度正常"
