"""Benchmark: rank all ~180 provincial zones with 1000 Monte Carlo draws.

Baseline, measured in the same run: the same Monte Carlo for one list done the naive way, a
Python loop over draws (one weight vector, normalisation and aggregation per draw), on the same
data, timed on a subset of draws and scaled to 1000. Run with ``python bench/bench_ranking.py``.
"""

from __future__ import annotations

import time

import numpy as np

from zoneanalysis.ranking import load_criteria, rank_zones
from zoneanalysis.ranking.indicators import build_indicator_inputs
from zoneanalysis.ranking.run import select_peer_group
from zoneanalysis.ranking.scores import prepare_list, rank_scores, score_matrix
from zoneanalysis.ranking.uncertainty import draw_weights, order_ranks, simulate_list, valid_pairs
from zoneanalysis.registry import load_zones
from zoneanalysis.sample.truth import make_truth

N_DRAWS = 1000
LOOP_DRAWS = 100


def _loop_per_draw(point, lst, n_draws, rng):
    """The naive baseline: one Python iteration per draw."""
    pairs = valid_pairs(lst.uncertainty.normalisations, lst.uncertainty.aggregations)
    nominal = np.asarray(lst.weights)
    ranks = []
    for _ in range(n_draws):
        w = draw_weights(nominal, lst.uncertainty.weights, lst.uncertainty.concentration, 1, rng)
        norm, agg = pairs[rng.integers(len(pairs))]
        scores, _ = score_matrix(point, lst, weights=w[0], normalisation=norm, aggregation=agg)
        ranks.append(order_ranks(scores, scores))
    return np.array(ranks)


def main() -> None:
    truth = make_truth()
    zones, criteria = load_zones(), load_criteria()
    year = 2015
    rank_zones(truth, year, 12, criteria=criteria, zones=zones, n_draws=20)  # warm-up

    t0 = time.perf_counter()
    result = rank_zones(truth, year, 12, criteria=criteria, zones=zones, n_draws=N_DRAWS)
    full = time.perf_counter() - t0
    n_zones = result.rankings.loc[result.rankings["list"] == "shiqiang", "zone_id"].nunique()
    n_lists = result.rankings["list"].nunique()

    lst = criteria.lists["shiqiang"]
    peer = select_peer_group(zones, year, "provincial")
    have = set(truth.loc[truth["year"] == year, "zone_id"])
    peer = [z for z in peer if z in have]
    inputs = build_indicator_inputs(
        truth, year, 12, codes=lst.codes, derived=criteria.derived, zone_ids=peer
    )
    prep = prepare_list(inputs.point_matrix(), lst)
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    _loop_per_draw(prep.point, lst, LOOP_DRAWS, rng)
    loop = (time.perf_counter() - t0) * N_DRAWS / LOOP_DRAWS
    t0 = time.perf_counter()
    simulate_list(prep.point, None, lst, N_DRAWS, rng)
    vec = time.perf_counter() - t0
    assert rank_scores(score_matrix(prep.point, lst)[0]).min() == 1

    print(f"集聚区 {n_zones} 个，名单 {n_lists} 个，抽样 {N_DRAWS} 次")
    print(f"rank_zones 全部名单（含敏感性分析）: {full:.2f} s")
    print(
        f"十强一个名单的蒙特卡洛：逐次循环（{LOOP_DRAWS} 次折算到 {N_DRAWS} 次）{loop:.2f} s，向量化 {vec:.3f} s"
    )
    print(f"向量化 / 逐次循环 = {vec / loop:.3f}（快 {loop / vec:.0f} 倍）")
    print(f"全部名单 / 单名单逐次循环 = {full / loop:.2f}")


if __name__ == "__main__":
    main()
