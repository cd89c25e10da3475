"""Rank change without a change of method (issue 11.7) and 十快's mid-year basis (11.6)."""

import numpy as np
import pandas as pd
from ranking_fixtures import ZZ, make_projections, make_stats

from zoneanalysis.ranking.criteria import load_criteria
from zoneanalysis.ranking.indicators import PROJECTED_GROWTH_DETAIL
from zoneanalysis.ranking.run import contain_point_ranks, rank_zones, simulate_paired_ranks
from zoneanalysis.registry import load_zones


def test_same_zones_in_both_years_give_no_rank_change_in_any_draw():
    # Identical inputs in both years: with one method per draw for both years, every draw's
    # change is zero, however much the weights and methods vary between draws.
    crit = load_criteria()
    lst = crit.lists["shiqiang"]
    x = np.array(
        [[10.0, 5, 3, 1, 2, 1], [8, 6, 2, 2, 1, 3], [3, 1, 9, 1, 1, 1], [1, 2, 3, 4, 5, 6]]
    )
    rng = np.random.default_rng(0)
    this, prev, _ = simulate_paired_ranks(lst, x, None, x, 300, rng)
    assert (this == prev).all()
    # The draws do vary the method: some draw ranks the zones differently from another.
    assert len({tuple(r) for r in this}) > 1


def test_paired_draws_by_hand_when_one_zone_overtakes():
    # Two indicators, equal weights, no perturbation: zone 0 led last year, zone 1 leads now.
    lst = load_criteria().lists["shiqiang"]
    lst = type(lst)(**{**lst.__dict__, "indicators": lst.indicators[:2]})
    uncert = type(lst.uncertainty)(
        weights="none", normalisations=("minmax",), aggregations=("arithmetic",)
    )
    lst = type(lst)(**{**lst.__dict__, "uncertainty": uncert})
    prev = np.array([[3.0, 3.0], [2.0, 2.0], [1.0, 1.0]])
    now = np.array([[2.0, 2.0], [3.0, 3.0], [1.0, 1.0]])
    this, before, _ = simulate_paired_ranks(lst, now, None, prev, 5, np.random.default_rng(1))
    assert (before - this == np.array([-1, 1, 0])).all()


def _mid_year(stats):
    return rank_zones(
        stats,
        2016,
        6,
        criteria=load_criteria(),
        zones=load_zones(),
        projections=make_projections(stats),
        n_draws=200,
        seed=5,
    )


def test_point_ranks_lie_inside_their_own_intervals():
    rankings = _mid_year(make_stats()).rankings
    ranked = rankings[rankings["rank"].notna()]
    assert len(ranked) > 0
    inside = (ranked["rank_p05"] <= ranked["rank"]) & (ranked["rank"] <= ranked["rank_p95"])
    assert inside.all(), ranked.loc[~inside, ["list", "zone_id", "rank", "rank_p05", "rank_p95"]]


def test_contain_point_ranks_widens_and_logs():
    frame = pd.DataFrame(
        {
            "list": ["a", "a"],
            "zone_id": ["x", "y"],
            "rank": [5, 2],
            "rank_p05": [6, 1],
            "rank_p95": [9, 3],
        }
    ).astype({"rank": "Int64", "rank_p05": "Int64", "rank_p95": "Int64"})
    out, log = contain_point_ranks(frame)
    assert out["rank_p05"].tolist() == [5, 1] and out["rank_p95"].tolist() == [9, 3]
    assert [e["zone_id"] for e in log] == ["x"]


def test_speed_list_ranks_on_reported_growth_where_published_else_projected():
    stats = make_stats()
    mid = (stats["year"] == 2016) & (stats["month"] == 6)
    # Reported growth of revenue: the Zhengzhou zones in registry order 30, 29, …; the
    # projections say 10 % for everyone, so only the reported figure can order them.
    for i, zone in enumerate(ZZ):
        for code in ("revenue", "value_added", "fai", "tax"):
            stats.loc[
                mid & (stats["zone_id"] == zone) & (stats["indicator"] == code), "yoy_pct"
            ] = 30.0 - i
    # One zone without reported growth: it falls back to the projected 10 % and is logged.
    gone = mid & (stats["zone_id"] == "zz_baisha")
    stats.loc[gone, "yoy_pct"] = np.nan
    result = _mid_year(stats)
    liang = result.rankings[result.rankings["list"] == "zz_liangkuai"].sort_values("rank")
    assert list(liang["zone_id"].head(3)) == ZZ[:3]
    assert liang.set_index("zone_id").at["zz_baisha", "rank"] == len(ZZ)
    basis = result.log[result.log["action"] == "basis"]
    assert set(basis["zone_id"]) == {"zz_baisha"}
    assert (basis["detail"] == PROJECTED_GROWTH_DETAIL).all()
