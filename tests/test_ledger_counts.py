import pandas as pd
import pytest

from zoneanalysis.errors import ConfigError
from zoneanalysis.ledger.counts import count_targets_frame, summarise_count_progress

TARGETS = [
    {"code": "fibre_km", "name_zh": "接入网光缆线路", "unit": "公里", "target": 200},
    {"code": "trains", "name_zh": "郑欧班列", "unit": "班", "target": 200},
    {"code": "postdoc", "name_zh": "博士后科研工作站", "unit": "个", "target": 1},
]


def test_progress_status_and_history():
    values = pd.DataFrame(
        {
            "code": ["fibre_km", "fibre_km", "trains", "postdoc", "unknown"],
            "year": [2016, 2016, 2016, 2016, 2016],
            "month": [3, 6, 6, 6, 6],
            "value": [40.0, 60.0, 100.0, 1.0, 5.0],
        }
    )
    out = summarise_count_progress(values, count_targets_frame(TARGETS), 2016, 6)
    assert list(out["code"]) == ["fibre_km", "fibre_km", "trains", "postdoc"]
    latest = out[out["is_latest"]].set_index("code")
    assert latest.loc["fibre_km", "task_progress_pct"] == pytest.approx(30.0)
    assert latest.loc["fibre_km", "status"] == "滞后"  # 30 % done at half time
    assert latest.loc["trains", "status"] == "进度正常"  # exactly half
    assert latest.loc["postdoc", "status"] == "已完成"
    assert out.iloc[0]["time_progress_pct"] == pytest.approx(25.0)  # March


def test_target_without_data_and_stale_values():
    values = pd.DataFrame({"code": ["trains"], "year": [2016], "month": [3], "value": [50.0]})
    out = summarise_count_progress(values, count_targets_frame(TARGETS), 2016, 6)
    fibre = out[out["code"] == "fibre_km"].iloc[0]
    assert fibre["status"] == "无数据" and fibre["month"] == 6
    trains = out[out["code"] == "trains"].iloc[0]
    assert bool(trains["is_stale"]) and trains["month"] == 3


def test_bad_targets_are_config_errors():
    with pytest.raises(ConfigError, match="非负数"):
        count_targets_frame([{"code": "x", "name_zh": "x", "unit": "个", "target": "many"}])
    with pytest.raises(ConfigError, match="重复"):
        count_targets_frame(TARGETS + TARGETS[:1])
