import pandas as pd
import pytest

from zoneanalysis.ledger.clusters import project_clusters, sum_cluster_revenue
from zoneanalysis.registry import load_zones
from zoneanalysis.targets import load_targets


def _industry() -> pd.DataFrame:
    rows = []
    for year, level in ((2014, 100.0), (2015, 110.0), (2016, 121.0)):
        for month in range(2, 13 if year < 2016 else 7):
            for zone, share in (("zz_jingkai", 0.6), ("zz_gaoxin", 0.4)):
                rows.append(("电子信息", zone, year, month, level * share * month / 12))
    frame = pd.DataFrame(rows, columns=["industry", "zone_id", "year", "month", "value"])
    frame["zone_name"], frame["yoy_pct"], frame["source_file"], frame["source_row"] = (
        "",
        None,
        "",
        1,
    )
    return frame


CLUSTERS = [
    {"industry": "电子信息", "target_revenue": 120, "comparison": ">", "zones": ["zz_jingkai"]},
    {"industry": "食品加工", "target_revenue": 800, "comparison": ">", "zones": ["zz_mazhai"]},
]


def test_sum_over_zones():
    out = sum_cluster_revenue(_industry())
    june = out[(out["year"] == 2016) & (out["month"] == 6)].iloc[0]
    assert june["value"] == pytest.approx(60.5) and june["n_zones"] == 2


def test_projection_with_intervals_and_missing_cluster():
    zones = load_zones()
    out = project_clusters(
        _industry(), CLUSTERS, 2016, 6, targets=load_targets(zones=zones), zones=zones, n_sims=500
    ).set_index("industry")
    ei = out.loc["电子信息"]
    # a perfectly even series growing 10 % a year: the year end is 121 (to rounding of methods)
    assert ei["projected_value"] == pytest.approx(121.0, rel=0.02)
    assert ei["ytd_value"] == pytest.approx(60.5)
    assert (
        ei["lower_95"]
        <= ei["lower_80"]
        <= ei["projected_value"]
        <= ei["upper_80"]
        <= ei["upper_95"]
    )
    assert ei["target_value"] == 120 and 0.0 <= ei["p_meet_target"] <= 1.0
    assert ei["task_progress_pct"] == pytest.approx(60.5 / 120 * 100)
    food = out.loc["食品加工"]
    assert pd.isna(food["projected_value"]) and food["notes"] == "本期无数据"
    assert food["target_value"] == 800
