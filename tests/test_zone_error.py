"""Per-zone backtest error, short-history notices and rank change within one peer set."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from projection_synthetic import synthetic_stats, synthetic_zones
from ranking_fixtures import OTHERS, ZZ, make_projections, make_stats

from zoneanalysis.projection import project_year_end
from zoneanalysis.projection.run import PROJECTION_COLUMNS, check_projections, zone_backtest_mape
from zoneanalysis.ranking.criteria import load_criteria
from zoneanalysis.ranking.run import _Nominal, _rank_over, compare_ranks, rank_zones
from zoneanalysis.registry import load_zones
from zoneanalysis.reporting import answer, views
from zoneanalysis.targets import Targets

# --- 1. The zone's own backtest error ---------------------------------------------------------


def test_zone_backtest_mape_by_hand():
    # Series 4: errors 2 % and 6 % at month 6 → 4 %; its month-7 row (50 %) is another origin.
    # Series 7: 10 % → 10 %; series 9 has no backtest row → NaN.
    rows = pd.DataFrame(
        {
            "series": [4, 4, 4, 7, 7],
            "month": [6, 6, 7, 6, 6],
            "ape": [2.0, 6.0, 50.0, 10.0, np.nan],
        }
    )
    out = zone_backtest_mape(rows, np.array([7, 9, 4]), 6)
    assert out[0] == pytest.approx(10.0)
    assert np.isnan(out[1])
    assert out[2] == pytest.approx(4.0)


@pytest.fixture(scope="module")
def synthetic_projection():
    # Eight zones with four complete past years; one zone ("syn_new") starts this year.
    stats = synthetic_stats(n_zones=8, years=range(2010, 2015), seed=3)
    stats = stats[~((stats["year"] == 2014) & (stats["month"] > 6))]
    new = stats[(stats["zone_id"] == "syn_00") & (stats["year"] == 2014)].assign(zone_id="syn_new")
    stats = pd.concat([stats, new], ignore_index=True)
    zones = synthetic_zones(8)
    zones = pd.concat(
        [zones, zones.iloc[[0]].assign(zone_id="syn_new", zone_name="示例新区")], ignore_index=True
    )
    out = project_year_end(
        stats, 2014, 6, targets=Targets.missing(2014), zones=zones, n_sims=300, with_ets=False
    )
    return out


def test_own_error_is_in_the_table_and_pools_to_the_pooled_figure(synthetic_projection):
    out = synthetic_projection
    assert "backtest_mape_zone_pct" in PROJECTION_COLUMNS
    zones = out[~out["is_aggregate"] & (out["zone_id"] != "syn_new")]
    own = zones["backtest_mape_zone_pct"].to_numpy(float)
    assert np.isfinite(own).all() and (own >= 0).all()
    # Every old zone has the same tested years, so the pooled MAPE is the mean of the zones' own.
    assert own.mean() == pytest.approx(zones["backtest_mape_pct"].iloc[0], rel=1e-9)
    # The zones' own errors differ: it is not the pooled figure copied to every row.
    assert own.std() > 0.01


def test_zone_without_history_has_no_own_error_and_the_page_says_whose(synthetic_projection):
    out = synthetic_projection
    new = out[out["zone_id"] == "syn_new"].iloc[0]
    assert np.isnan(new["backtest_mape_zone_pct"]) and np.isfinite(new["backtest_mape_pct"])
    assert out.loc[out["is_aggregate"], "backtest_mape_zone_pct"].isna().all()
    old = out[out["zone_id"] == "syn_03"]
    label = views.label_backtest_error(old)[0]
    assert label == f"{old['backtest_mape_zone_pct'].iloc[0]:.1f}（{views.BACKTEST_OWN}）"
    assert views.label_backtest_error(out[out["zone_id"] == "syn_new"])[0].endswith(
        f"（{views.BACKTEST_POOLED}）"
    )


def test_check_refuses_a_negative_own_error(synthetic_projection):
    bad = synthetic_projection.copy()
    bad.loc[0, "backtest_mape_zone_pct"] = -1.0
    with pytest.raises(Exception, match="本区回测误差为负"):
        check_projections(bad)


# --- 2. No past year, or only one -------------------------------------------------------------


def test_history_notices_by_hand():
    proj = pd.DataFrame(
        {
            "zone_id": ["z", "z", "z", "z", "other"],
            "indicator": ["fai", "tax", "revenue", "profit", "fai"],
            "past_years": pd.array([1, 3, 0, pd.NA, 0], dtype="Int64"),
            "no_past_year": pd.array([False, False, True, pd.NA, True], dtype="boolean"),
        }
    )
    assert answer.describe_history_notices(proj, "z") == [
        "本区规模以上工业主营业务收入没有完整的上年数据，年末预测只按进度外推，区间很宽",
        "本区固定资产投资只有一年历史数据，年末预测按沿用累计增速与一年的同期完成比例推算，区间较宽",
    ]
    assert answer.describe_history_notices(proj.drop(columns="past_years"), "z") == []


def test_history_notice_from_a_projection(synthetic_projection):
    notices = answer.describe_history_notices(synthetic_projection, "syn_new")
    assert notices == [answer.NO_PAST_YEAR_NOTICE.format(name="规模以上工业主营业务收入")]
    assert answer.describe_history_notices(synthetic_projection, "syn_01") == []


# --- 3. Rank change within one peer set -------------------------------------------------------


def _two_indicator_list():
    lst = load_criteria().lists["shiqiang"]
    lst = type(lst)(**{**lst.__dict__, "indicators": lst.indicators[:2]})
    codes = lst.codes
    return lst, codes


def _prev(values: dict[str, float], lst, codes) -> _Nominal:
    matrix = pd.DataFrame({c: values for c in codes})
    ranks, prep = _rank_over(matrix, list(values), lst)
    return _Nominal(ranks={"shiqiang": ranks}, values=matrix, prepared={"shiqiang": prep})


def test_rank_change_re_ranks_last_year_over_this_years_zones():
    lst, codes = _two_indicator_list()
    # Last year, five zones: B 1, D 2, C 3, E 4, A 5. Among A, C, E only: C 1, E 2, A 3.
    prev = _prev({"A": 1.0, "B": 5.0, "C": 3.0, "D": 4.0, "E": 2.0}, lst, codes)
    this = pd.DataFrame({"zone_id": ["A", "E", "C"], "rank": [1, 2, 3]})
    change, same, log = compare_ranks(prev, "shiqiang", lst, this, pd.DataFrame())
    assert change.to_dict() == {"A": 2, "E": 0, "C": -2}  # not A +4, E +2, C 0
    assert same.ranks["shiqiang"].to_dict() == {"A": 3, "C": 1, "E": 2}
    assert "上年名次按这些集聚区重新排名" in log[0]["detail"]


def test_rank_change_with_a_zone_new_this_year_compares_the_common_zones_only():
    lst, codes = _two_indicator_list()
    prev = _prev({"A": 1.0, "B": 5.0, "C": 3.0, "D": 4.0, "E": 2.0}, lst, codes)
    now = pd.DataFrame({c: {"F": 9.0, "A": 8.0, "E": 5.0, "C": 1.0} for c in codes})
    this = pd.DataFrame({"zone_id": ["F", "A", "E", "C"], "rank": [1, 2, 3, 4]})
    change, _, log = compare_ranks(prev, "shiqiang", lst, this, now)
    # Among A, C, E this year: A 1, E 2, C 3; last year C 1, E 2, A 3. F has no change.
    assert change.reindex(["F", "A", "E", "C"]).tolist() == [pd.NA, 2, 0, -2]
    assert "只有 3 个上年也有排名" in log[0]["detail"]


def test_mid_year_ranking_of_a_few_zones_compares_with_last_year_among_them():
    # 16 zones ranked last year; this year only the 11 Zhengzhou zones have data.
    stats = make_stats()
    stats = stats[~((stats["year"] == 2016) & stats["zone_id"].isin(OTHERS))]
    proj = make_projections(make_stats())
    proj = proj[proj["zone_id"].isin(ZZ)]
    result = rank_zones(
        stats,
        2016,
        6,
        criteria=load_criteria(),
        zones=load_zones(),
        projections=proj,
        n_draws=100,
        seed=1,
    )
    r = result.rankings
    shiqiang = r[(r["list"] == "shiqiang") & r["rank"].notna()]
    assert set(shiqiang["zone_id"]) <= set(ZZ) and len(shiqiang) > 5
    before = (shiqiang["rank"] + shiqiang["rank_change"]).astype(int)
    # Last year's ranks, re-ranked over this year's zones, run 1..n (not up to 16).
    assert sorted(before) == sorted(pd.Series(before.to_numpy()).rank(method="min").astype(int))
    assert before.max() <= len(shiqiang)
    assert (result.log["action"] == "rank_change").any()


def test_zone_page_shows_the_history_notices_after_the_verdicts():
    path = Path(__file__).resolve().parents[1] / "notebooks" / "zone_report.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in nb["cells"]]
    verdicts = next(i for i, s in enumerate(sources) if "build_verdict_table" in s)
    notices = next(i for i, s in enumerate(sources) if "describe_history_notices" in s)
    assert notices == verdicts + 1
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
