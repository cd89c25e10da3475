import numpy as np
import pandas as pd
import pytest
from ranking_fixtures import make_projections, make_stats

from zoneanalysis.ranking import load_criteria, rank_zones
from zoneanalysis.ranking.uncertainty import draw_weights, order_ranks, summarise_ranks
from zoneanalysis.registry import load_zones


@pytest.fixture(scope="module")
def mid_year():
    stats = make_stats()
    return rank_zones(
        stats,
        2016,
        6,
        criteria=load_criteria(),
        zones=load_zones(),
        projections=make_projections(stats),
        n_draws=200,
        seed=1,
    )


def test_order_ranks_gives_exactly_n_in_top_n_per_draw():
    rng = np.random.default_rng(0)
    scores = rng.integers(0, 3, size=(200, 9)).astype(float)  # many ties
    ranks = order_ranks(scores, tiebreak=np.arange(9.0))
    assert (np.sort(ranks, axis=1) == np.arange(1, 10)).all()
    assert ((ranks <= 4).sum(axis=1) == 4).all()
    # a tie is broken by the tiebreak (higher wins)
    assert order_ranks(np.array([1.0, 1.0, 0.0]), np.array([0.0, 5.0, 9.0])).tolist() == [2, 1, 3]


def test_p_top_n_sums_to_n_over_each_peer_group(mid_year):
    r = mid_year.rankings
    for lst, frame in r.groupby("list"):
        n = frame["top_n"].iloc[0]
        ranked = frame["rank"].notna().sum()
        assert frame["p_top_n"].sum() == pytest.approx(min(n, ranked)), lst
        assert frame["p_top_n"].between(0, 1).all()
        ok = frame.dropna(subset=["rank"])
        assert (ok["rank_p05"] <= ok["rank_median"]).all()
        assert (ok["rank_median"] <= ok["rank_p95"]).all()


def test_mid_year_uses_projections_and_zz_lists_cover_zhengzhou_only(mid_year):
    r = mid_year.rankings
    assert set(r["basis"]) == {"projected"}
    zz = r[r["list"] == "zz_liangqiang"]
    assert len(zz) == 11 and zz["is_zhengzhou"].all()
    assert zz["in_top_n"].sum() == 2
    assert len(r[r["list"] == "shiqiang"]) == 16


def test_rank_change_against_the_previous_year(mid_year):
    r = mid_year.rankings
    assert r.loc[r["list"] == "shiqiang", "rank_change"].notna().all()


def test_sensitivity_names_every_source(mid_year):
    s = mid_year.sensitivity
    sources = set(s.loc[s["list"] == "shiqiang", "source"])
    assert sources == {"weights", "normalisation", "aggregation", "inputs", "all"}
    single = s[s["source"] != "all"]
    totals = single.groupby("list")["share"].sum()
    assert totals.isin([0.0]).sum() + np.isclose(totals, 1.0).sum() == len(totals)
    assert np.isclose(totals, 1.0).any()


def test_wider_projection_intervals_widen_rank_intervals():
    stats = make_stats()
    crit, zones = load_criteria(), load_zones()
    narrow = rank_zones(
        stats,
        2016,
        6,
        criteria=crit,
        zones=zones,
        projections=make_projections(stats, 0.01),
        n_draws=150,
        seed=3,
    ).sensitivity
    wide = rank_zones(
        stats, 2016, 6, criteria=crit, zones=zones,
        projections=make_projections(stats, 0.30), n_draws=150, seed=3,
    ).sensitivity  # fmt: skip

    def pick(s):
        row = s.query("list == 'shiqiang' and source == 'inputs'")
        return row["mean_interval_width"].item()

    assert pick(wide) > pick(narrow)


def test_draw_weights_sum_to_one_and_center_on_nominal():
    rng = np.random.default_rng(5)
    nominal = np.array([0.5, 0.3, 0.2, 0.0])
    for scheme in ("dirichlet", "uniform25"):
        w = draw_weights(nominal, scheme, 60, 4000, rng)
        np.testing.assert_allclose(w.sum(axis=1), 1.0)
        assert (w[:, 3] == 0).all()
        np.testing.assert_allclose(w.mean(axis=0), nominal, atol=0.02)
    u = draw_weights(nominal, "uniform25", 60, 2000, rng)
    ratio = u[:, 0] / u[:, 1]
    assert ratio.min() >= 0.5 / 0.3 * 0.75 / 1.25 - 1e-12


def test_summarise_ranks_by_hand():
    ranks = np.array([[1, 2], [2, 1], [1, 2], [1, 2]])
    s = summarise_ranks(ranks, top_n=1)
    assert s["p_top_n"].tolist() == [0.75, 0.25]
    assert s["rank_median"].tolist() == [1, 2]
    assert s["rank_p95"].tolist() == [2, 2]


def test_same_seed_same_result():
    stats = make_stats()
    kw = dict(criteria=load_criteria(), zones=load_zones(), n_draws=100, seed=9)
    a = rank_zones(stats, 2015, 12, **kw).rankings
    b = rank_zones(stats, 2015, 12, **kw).rankings
    pd.testing.assert_frame_equal(a, b)
    assert set(a["basis"]) == {"actual"}
