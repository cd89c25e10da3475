import pandas as pd
import pytest

from zoneanalysis.reporting import views
from zoneanalysis.reporting.views import VerdictThresholds, classify_verdict


def _proj(**overrides):
    row = {
        "zone_id": "z1",
        "zone_name": "示例区",
        "is_aggregate": False,
        "indicator": "revenue",
        "year": 2016,
        "month": 6,
        "ytd_value": 40.0,
        "prev_year_value": 80.0,
        "projected_value": 90.0,
        "lower_80": 85.0,
        "upper_80": 95.0,
        "lower_95": 82.0,
        "upper_95": 98.0,
        "projected_growth_pct": 12.5,
        "target_value": 100.0,
        "target_growth_pct": 25.0,
        "p_meet_target": 0.2,
        "required_growth_pct": 50.0,
        "time_progress_pct": 50.0,
        "task_progress_pct": 40.0,
        "method": "示例",
        "backtest_mape_pct": 3.0,
        "notes": None,
    }
    row.update(overrides)
    return row


@pytest.mark.parametrize(
    ("p", "projected", "target", "expected"),
    [
        (0.7, 1, 2, "有望完成"),
        (0.69, 9, 2, "有风险"),
        (0.3, 9, 2, "有风险"),
        (0.29, 9, 2, "难以完成"),
        (None, 100, 100, "有望完成"),
        (None, 95, 100, "有风险"),
        (None, 94.9, 100, "难以完成"),
        (0.9, 100, None, None),
    ],
)
def test_classify_verdict(p, projected, target, expected):
    assert classify_verdict(p, projected, target) == expected


def test_thresholds_are_configurable():
    strict = VerdictThresholds(p_on_track=0.95, p_at_risk=0.8)
    assert classify_verdict(0.9, 1, 2, strict) == "有风险"


def test_verdict_table_worst_first_and_skips_missing_targets():
    frame = pd.DataFrame(
        [
            _proj(indicator="revenue", p_meet_target=0.9),
            _proj(indicator="fai", p_meet_target=0.1, projected_value=80.0),
            _proj(indicator="tax", target_value=None),
        ]
    )
    table = views.build_verdict_table(frame, "z1")
    assert table["指标"].tolist() == ["固定资产投资", "规模以上工业主营业务收入"]
    assert table["结论"].tolist() == ["难以完成", "有望完成"]
    assert table["单位"].tolist() == ["亿元", "亿元"]
    assert table["与目标相比"].tolist() == ["差 20.0 亿元", "差 10.0 亿元"]
    assert (
        views.summarise_verdicts(table)
        == "共 2 项目标：有望完成 1 项，有风险 0 项，难以完成 1 项。"
    )


def test_progress_frame_compares_task_with_time():
    frame = pd.DataFrame(
        [
            _proj(indicator="revenue", task_progress_pct=55.0),
            _proj(indicator="fai", task_progress_pct=45.0),
        ]
    )
    out = views.build_progress_frame(frame, "z1")
    # Without history the flows fall back to time progress.
    assert out["verdict"].tolist() == ["超过时间进度", "落后时间进度"]


def test_drag_zones_share_of_total_shortfall():
    zones = pd.DataFrame({"zone_id": ["a", "b", "c"], "is_zhengzhou": [True, True, True]})
    frame = pd.DataFrame(
        [
            _proj(zone_id="a", zone_name="甲", projected_value=70.0),
            _proj(zone_id="b", zone_name="乙", projected_value=90.0),
            _proj(zone_id="c", zone_name="丙", projected_value=120.0),
        ]
    )
    out = views.find_drag_zones(frame, zones)
    assert out["集聚区"].tolist() == ["甲", "乙"]
    assert out["比目标少"].tolist() == [30.0, 10.0]
    assert out["占合计缺口%"].tolist() == [75.0, 25.0]


def test_count_targets_wait_for_progress_data():
    targets = {
        "counts": [
            {"code": "x", "name_zh": "示例任务", "unit": "个", "target": 10, "comparison": ">="}
        ]
    }
    out = views.build_count_targets(targets)
    assert out.iloc[0].to_dict() == {
        "任务": "示例任务",
        "目标": "≥10",
        "单位": "个",
        "进度": "进度数据待接入",
        "来源": "",
    }


def test_format_stars():
    assert [views.format_stars(x) for x in [3, 0, None, pd.NA]] == ["三星", "未定星", "—", "—"]


def test_projection_frame_has_history_ytd_projection_and_target():
    stats = pd.DataFrame(
        {
            "zone_id": "z1",
            "indicator": "revenue",
            "year": [2015, 2015, 2016, 2016, 2016],
            "month": [6, 12, 2, 6, 9],
            "value": [30.0, 80.0, 10.0, 40.0, 70.0],
        }
    )
    frame = views.build_projection_frame(stats, pd.DataFrame([_proj()]), "z1", "revenue", 2016, 6)
    assert frame["series"].tolist() == [
        "往年实际",
        "往年实际",
        "本年累计",
        "本年累计",
        "年末预测",
        "年末预测",
        "目标",
    ]
    # months after the period are not shown even if present
    assert frame.loc[frame["series"] == "本年累计", "month"].tolist() == [2, 6]
    end = frame[(frame["series"] == "年末预测") & (frame["month"] == 12)].iloc[0]
    assert (end["value"], end["lower_80"], end["upper_95"]) == (90.0, 85.0, 98.0)
