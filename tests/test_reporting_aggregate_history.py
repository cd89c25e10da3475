"""An aggregate's history is the sum of its member zones (示例 frames, hand-computed sums)."""

import pandas as pd

from zoneanalysis.reporting import views


def _zones():
    # a and b provincial throughout; c provincial only from 2016 (a park before); d outside
    # Zhengzhou.
    return pd.DataFrame(
        {
            "zone_id": ["a", "b", "c", "d"],
            "zone_name": ["甲区", "乙区", "丙区", "丁区"],
            "is_zhengzhou": [True, True, True, False],
            "is_example": [True] * 4,
            "valid_from": [2010, 2010, 2010, 2010],
            "valid_to": [pd.NA] * 4,
            "provincial_from": [2010, 2010, 2016, 2010],
            "provincial_to": [pd.NA] * 4,
        }
    )


def _stats(rows):
    return pd.DataFrame(rows, columns=["zone_id", "year", "month", "indicator", "value"])


def test_sum_uses_each_years_membership():
    stats = _stats(
        [
            ("a", 2015, 2, "revenue", 1.0),
            ("b", 2015, 2, "revenue", 2.0),
            ("c", 2015, 2, "revenue", 4.0),  # a park in 2015: not in the provincial total
            ("d", 2015, 2, "revenue", 8.0),  # not Zhengzhou
            ("a", 2016, 2, "revenue", 1.5),
            ("b", 2016, 2, "revenue", 2.5),
            ("c", 2016, 2, "revenue", 4.5),  # provincial in 2016
        ]
    )
    out = views.sum_aggregate_history(stats, _zones(), "agg_zz_provincial", years=[2015, 2016])
    got = out.set_index("year")["value"]
    assert got[2015] == 3.0
    assert got[2016] == 8.5
    parks = views.sum_aggregate_history(stats, _zones(), "agg_zz_parks", years=[2015, 2016])
    assert list(parks["value"]) == [4.0]  # c in 2015 only


def test_month_with_a_missing_member_is_left_out_not_summed_low():
    stats = _stats(
        [
            ("a", 2015, 2, "fai", 1.0),
            ("b", 2015, 2, "fai", 2.0),
            ("a", 2015, 3, "fai", 3.0),  # b did not report March
            ("a", 2015, 4, "fai", 5.0),
            ("b", 2015, 4, "fai", 6.0),
        ]
    )
    out = views.sum_aggregate_history(stats, _zones(), "agg_zz_provincial", years=[2015])
    assert list(out["month"]) == [2, 4]
    assert list(out["value"]) == [3.0, 11.0]
    assert set(out["n_members"]) == {2}


def test_projection_frame_of_an_aggregate_has_history():
    stats = _stats(
        [
            ("a", 2015, 6, "revenue", 10.0),
            ("b", 2015, 6, "revenue", 20.0),
            ("a", 2016, 6, "revenue", 12.0),
            ("b", 2016, 6, "revenue", 21.0),
        ]
    )
    proj = pd.DataFrame(
        {
            "zone_id": ["agg_zz_provincial"],
            "indicator": ["revenue"],
            "ytd_value": [33.0],
            "projected_value": [70.0],
            "lower_80": [65.0],
            "upper_80": [75.0],
            "lower_95": [60.0],
            "upper_95": [80.0],
            "target_value": [72.0],
        }
    )
    frame = views.build_projection_frame(
        stats, proj, "agg_zz_provincial", "revenue", 2016, 6, zones=_zones()
    )
    past = frame[frame["series"] == "往年实际"]
    assert list(past["value"]) == [30.0]
    now = frame[frame["series"] == "本年累计"]
    assert list(now["value"]) == [33.0]
    # the plan's aggregate target is real: not marked 示例
    assert "目标" in set(frame["series"])
