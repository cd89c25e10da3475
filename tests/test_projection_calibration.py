"""Calibration beyond the sample: synthetic panels with known common factors and biases."""

import numpy as np
import pytest
from projection_synthetic import synthetic_stats, synthetic_zones

from zoneanalysis.projection.aggregate import backtest_aggregate_coverage
from zoneanalysis.projection.backtest import COMBINED, run_backtest
from zoneanalysis.projection.correlation import estimate_zone_share
from zoneanalysis.projection.history import build_panel
from zoneanalysis.projection.reliability import p_meet_cases, reliability_table
from zoneanalysis.projection.settings import ProjectionSettings

NO_ETS = ("seasonal_share", "carry_growth", "run_rate", "remainder_growth")
MONTHS = (3, 6, 9)


def _backtest(stats, settings=None):
    panel = build_panel(stats)
    kwargs = {"settings": settings} if settings else {}
    res = run_backtest(panel, len(panel.years), MONTHS, candidates=NO_ETS, **kwargs)
    return res, res.rows[res.rows["method"] == COMBINED]


@pytest.fixture(scope="module")
def common_panel():
    """Half of every error common to all 12 zones (ρ = 0.5)."""
    return _backtest(synthetic_stats(common_sd=0.08, own_sd=0.08, seed=1))


def test_common_share_is_recovered(common_panel):
    res, _ = common_panel
    assert 0.3 < res.common_share("revenue", "monthly") < 0.7


def test_aggregate_coverage_with_the_common_factor(common_panel):
    res, comb = common_panel
    zones = synthetic_zones(12)
    kappa = estimate_zone_share(comb, n_boot=0).value
    agg = backtest_aggregate_coverage(
        comb, zones, lambda i, f, y: res.common_share(i, f, y), kappa, n_sims=300
    )
    indep = backtest_aggregate_coverage(
        comb, zones, lambda *a: 0.0, 0.0, n_sims=300, independent=True
    )
    provincial = agg[agg["agg"] == "agg_zz_provincial"]
    assert len(provincial) == 13 * len(MONTHS)  # 13 tested years × 3 origins
    assert 0.65 <= provincial["covered_80"].mean() <= 0.95
    # treated as independent, the total's interval is far too narrow
    assert indep[indep["agg"] == "agg_zz_provincial"]["covered_80"].mean() < 0.6


def test_no_common_factor_gives_a_small_share():
    res, _ = _backtest(synthetic_stats(common_sd=0.0, own_sd=0.08, seed=2))
    assert res.common_share("revenue", "monthly") < 0.15


@pytest.mark.parametrize(
    "shape",
    [
        {"growth": 0.05, "back_loading": 0.5, "seed": 3},  # front-loaded, slow growth
        # back-loaded, strong growth, early noise that does not persist
        {"growth": 0.25, "back_loading": 2.0, "year_sd": 0.1, "own_sd": 0.04, "seed": 4},
        {"growth": 0.12, "back_loading": 1.0, "drift": 0.04, "seed": 5},  # share drifts later
    ],
)
def test_intervals_centred_and_p_meet_calibrated(shape):
    res, comb = _backtest(synthetic_stats(n_zones=20, common_sd=0.03, **shape))
    above = (comb["pit"] > 0.9).mean()
    below = (comb["pit"] < 0.1).mean()
    assert 0.04 <= above <= 0.17 and 0.04 <= below <= 0.17, (above, below)
    assert abs(comb["pe"].mean()) <= 1.0
    table = reliability_table(p_meet_cases(comb))
    big = table[table["n"] >= 20]
    assert (big["gap"] <= 0.1).all(), table


def test_bias_correction_removes_a_drifting_seasonal_lean():
    stats = synthetic_stats(n_zones=20, drift=0.05, common_sd=0.02, seed=6)
    off = ProjectionSettings(bias_shrink_grid=(float("inf"),), bias_shrink_default=float("inf"))
    _, raw = _backtest(stats, off)
    _, corrected = _backtest(stats)
    assert raw["pe"].mean() < -1.0  # the seasonal share leans low as the year back-loads
    assert abs(corrected["pe"].mean()) < abs(raw["pe"].mean()) / 2
    assert np.isfinite(corrected["pit"]).all()
