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
            "met": [True],
            "met_started": [False],
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
    assert "项目a" in text and "尚未开工" in text
    assert "无台账数据" in views.build_zone_big_project(_tables(), "z9")
