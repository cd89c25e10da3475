"""Hand-computed example: 5 zones (A–E), 3 indicators, weights 0.5 / 0.25 / 0.25.

x1 (larger better) = 10, 20, 30, 40, 50; x2 (larger better) = 5, 5, 10, 20, 10;
x3 (smaller better) = 1, 2, 4, 8, 5. Every expected number below is worked out by hand in the
comments, not by the code under test.
"""

from math import sqrt

import numpy as np
import pytest

from zoneanalysis.ranking.aggregate import (
    aggregate_arithmetic,
    aggregate_geometric,
    compose_contributions,
)
from zoneanalysis.ranking.criteria import IndicatorSpec, ListCriteria, OutlierSpec, UncertaintySpec
from zoneanalysis.ranking.normalise import (
    normalise_goalposts,
    normalise_minmax,
    normalise_rank,
    normalise_zscore,
)
from zoneanalysis.ranking.scores import rank_scores, score_matrix, sum_pillars

X = np.array([[10, 5, 1], [20, 5, 2], [30, 10, 4], [40, 20, 8], [50, 10, 5]], dtype=float)
D = np.array([1, 1, -1])
W = np.array([0.5, 0.25, 0.25])
GOALPOSTS = np.array([[0, 100], [0, 40], [0, 10]], dtype=float)

# min-max: x1 (x-10)/40; x2 (x-5)/15; x3 (8-x)/7, all × 100
MINMAX = np.array(
    [
        [0, 0, 100],
        [25, 0, 600 / 7],
        [50, 100 / 3, 400 / 7],
        [75, 100, 0],
        [100, 100 / 3, 300 / 7],
    ]
)
# z-scores (sample sd): x1 sd √250, x2 sd √37.5, x3 (sign flipped: mean -4) sd √7.5
ZSCORE = np.array(
    [
        [-20 / sqrt(250), -5 / sqrt(37.5), 3 / sqrt(7.5)],
        [-10 / sqrt(250), -5 / sqrt(37.5), 2 / sqrt(7.5)],
        [0, 0, 0],
        [10 / sqrt(250), 10 / sqrt(37.5), -4 / sqrt(7.5)],
        [20 / sqrt(250), 0, -1 / sqrt(7.5)],
    ]
)
# rank percentiles 100 (r-1)/4, ties averaged: x2 ranks 1.5, 1.5, 3.5, 5, 3.5; x3 reversed
RANK = np.array([[0, 12.5, 100], [25, 12.5, 75], [50, 62.5, 50], [75, 100, 0], [100, 62.5, 25]])
# goalposts [0,100], [0,40], [0,10] (x3 reversed: 100 (10-x)/10)
GOAL = np.array([[10, 12.5, 90], [20, 12.5, 80], [30, 25, 60], [40, 50, 20], [50, 25, 50]])


def test_minmax_by_hand():
    np.testing.assert_allclose(normalise_minmax(X, D), MINMAX, rtol=1e-12)


def test_zscore_by_hand():
    np.testing.assert_allclose(normalise_zscore(X, D), ZSCORE, rtol=1e-12, atol=1e-15)


def test_rank_by_hand_with_ties_averaged():
    np.testing.assert_allclose(normalise_rank(X, D), RANK, rtol=1e-12)


def test_goalposts_by_hand_and_clipped():
    np.testing.assert_allclose(normalise_goalposts(X, D, GOALPOSTS), GOAL, rtol=1e-12)
    clipped = normalise_goalposts(np.array([[150.0, -5.0, 20.0]]), D, GOALPOSTS)
    np.testing.assert_allclose(clipped, [[100, 0, 0]])


def test_normalisation_handles_a_leading_draw_axis():
    stacked = np.stack([X, X * 2])
    np.testing.assert_allclose(normalise_minmax(stacked, D)[1], MINMAX, rtol=1e-12)
    np.testing.assert_allclose(normalise_rank(stacked, D)[0], RANK, rtol=1e-12)


def test_arithmetic_aggregation_by_hand():
    # 0.5 x1 + 0.25 x2 + 0.25 x3 on the min-max table
    expected = [25, 12.5 + 150 / 7, 25 + 25 / 3 + 100 / 7, 62.5, 50 + 25 / 3 + 75 / 7]
    np.testing.assert_allclose(aggregate_arithmetic(MINMAX, W), expected, rtol=1e-12)
    # on the rank table: 28.125, 34.375, 53.125, 62.5, 71.875
    np.testing.assert_allclose(
        aggregate_arithmetic(RANK, W), [28.125, 34.375, 53.125, 62.5, 71.875], rtol=1e-12
    )
    # on the goalposts table: 30.625, 33.125, 36.25, 37.5, 43.75
    np.testing.assert_allclose(
        aggregate_arithmetic(GOAL, W), [30.625, 33.125, 36.25, 37.5, 43.75], rtol=1e-12
    )
    # on z-scores, zone A: 0.5(-20/√250) + 0.25(-5/√37.5) + 0.25(3/√7.5)
    a = 0.5 * (-20 / sqrt(250)) + 0.25 * (-5 / sqrt(37.5)) + 0.25 * (3 / sqrt(7.5))
    assert aggregate_arithmetic(ZSCORE, W)[0] == pytest.approx(a, rel=1e-12)


def test_geometric_aggregation_by_hand():
    y = np.array([[1.0, 16.0, 1.0], [4.0, 1.0, 16.0]])
    # 1^0.5 · 16^0.25 · 1^0.25 = 2 ;  4^0.5 · 1 · 16^0.25 = 2 · 2 = 4
    np.testing.assert_allclose(aggregate_geometric(y, W), [2.0, 4.0], rtol=1e-12)
    with pytest.raises(ValueError):
        aggregate_geometric(np.array([[0.0, 1.0, 1.0]]), W)


def test_geometric_on_minmax_shifts_to_1_100():
    contributions = compose_contributions(MINMAX, W, "geometric")
    # zone A: shifted values 1, 1, 100 → 100 ** 0.25; zone B: 25.75 ** 0.5 · 1 · (1 + 0.99·600/7) ** 0.25
    expected_a = 100**0.25
    expected_b = 25.75**0.5 * (1 + 0.99 * 600 / 7) ** 0.25
    np.testing.assert_allclose(contributions.sum(axis=1)[:2], [expected_a, expected_b], rtol=1e-12)


def _hand_list(normalisation="minmax", aggregation="arithmetic"):
    return ListCriteria(
        key="hand",
        name_zh="手算",
        description="",
        method="composite",
        base=None,
        indicators=(
            IndicatorSpec("x1", "scale", 1, 0.5, (0, 100)),
            IndicatorSpec("x2", "scale", 1, 0.25, (0, 40)),
            IndicatorSpec("x3", "green", -1, 0.25, (0, 10)),
        ),
        pillars={"scale": "规模", "green": "绿色"},
        normalisation=normalisation,
        aggregation=aggregation,
        top_n=2,
        peer_group="provincial",
        min_coverage=0.65,
        outliers=OutlierSpec(method="none"),
        uncertainty=UncertaintySpec(),
    )


@pytest.mark.parametrize(
    ("normalisation", "aggregation", "expected_ranks"),
    [
        ("minmax", "arithmetic", [5, 4, 3, 2, 1]),
        ("zscore", "arithmetic", [5, 4, 3, 2, 1]),
        ("rank", "arithmetic", [5, 4, 3, 2, 1]),
        ("goalposts", "arithmetic", [5, 4, 3, 2, 1]),
        # A 100^.25 ≈ 3.16, B ≈ 5.07·3.04 ≈ 15.4, C ≈ 7.11·2.41·2.75 ≈ 47.3, D ≈ 8.67·3.16 ≈ 27.4,
        # E ≈ 10·2.41·2.57 ≈ 62.0: the geometric mean punishes D's 0 on x3
        ("minmax", "geometric", [5, 4, 2, 3, 1]),
    ],
)
def test_score_matrix_ranks_the_hand_example(normalisation, aggregation, expected_ranks):
    scores, contributions = score_matrix(X, _hand_list(normalisation, aggregation))
    np.testing.assert_allclose(contributions.sum(axis=1), scores, rtol=1e-12)
    assert rank_scores(scores).tolist() == expected_ranks


def test_geometric_minmax_scores_by_hand():
    # shifted min-max table 1 + 0.99 y; C = 50.5^0.5 · 34^0.25 · (1 + 0.99·400/7)^0.25
    scores, _ = score_matrix(X, _hand_list("minmax", "geometric"))
    c = 50.5**0.5 * 34**0.25 * (1 + 0.99 * 400 / 7) ** 0.25
    d = 75.25**0.5 * 100**0.25 * 1**0.25
    e = 100**0.5 * 34**0.25 * (1 + 0.99 * 300 / 7) ** 0.25
    np.testing.assert_allclose(scores[2:], [c, d, e], rtol=1e-12)


def test_pillars_sum_to_the_score_by_hand():
    scores, contributions = score_matrix(X, _hand_list())
    pillars = sum_pillars(contributions, _hand_list())
    # zone B: scale 0.5·25 + 0.25·0 = 12.5 ; green 0.25 · 600/7
    assert pillars.loc[1, "pillar_scale"] == pytest.approx(12.5)
    assert pillars.loc[1, "pillar_green"] == pytest.approx(150 / 7)
    np.testing.assert_allclose(pillars.sum(axis=1), scores, rtol=1e-12)


def test_ties_share_the_best_rank():
    assert rank_scores(np.array([3.0, 5.0, 5.0, 1.0])).tolist() == [3, 1, 1, 4]
    assert rank_scores(np.array([0.1 + 0.2, 0.3])).tolist() == [1, 1]
