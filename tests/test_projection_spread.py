"""Spread of the log error by family of methods (history length), on hand-made backtest rows."""

import numpy as np
import pandas as pd
import pytest

from zoneanalysis.projection.backtest import log_errors
from zoneanalysis.projection.spread import (
    Z80,
    SpreadModel,
    combine_matrix,
    label_families,
    name_family,
    quantile_spread,
)

METHODS = ("seasonal_share", "carry_growth", "run_rate")
SHORT = name_family(["carry_growth", "run_rate"])
FULL = name_family(METHODS)
OFFSETS = np.arange(1, 11) / 100.0  # 0.01 … 0.10


def _rows(year, seasonal, carry, run):
    n = len(carry)
    return pd.DataFrame(
        {
            "indicator": "outside_funds",
            "kind": "ytd_flow",
            "frequency": "monthly",
            "year": year,
            "month": 6,
            "ytd": 0.0,
            "actual": 100.0,
            "seasonal_share": seasonal if seasonal is not None else np.full(n, np.nan),
            "carry_growth": carry,
            "run_rate": run,
        }
    )


@pytest.fixture
def model():
    """2013: one past year (no seasonal share), huge errors; 2014: every method, known errors.

    In 2014 the seasonal share is exact and the carried growth and the run rate both miss by
    exp(offset): the full combination is nearly exact, the short one misses by the offsets.
    """
    miss = 100.0 * np.exp(OFFSETS)
    wide = pd.concat(
        [
            _rows(2013, None, np.full(10, 300.0), np.full(10, 300.0)),
            _rows(2014, np.full(10, 100.0), miss, miss),
        ],
        ignore_index=True,
    )
    weights = {"seasonal_share": 0.8, "carry_growth": 0.1, "run_rate": 0.1}
    return SpreadModel(wide, METHODS, lambda ind, freq, held_out, month: weights, log_errors)


def test_quantile_spread_uses_the_weibull_position():
    # 10 errors 0.01..0.10: position 0.8 · 11 = 8.8 → 0.088 (linear quantile: 0.082).
    assert quantile_spread(OFFSETS) == pytest.approx(0.088 / Z80)
    assert np.isnan(quantile_spread(OFFSETS[:7]))  # fewer than MIN_ERRORS


def test_short_history_is_calibrated_on_the_carried_growth_and_run_rate_of_other_years(model):
    """Held-out 2013 (one past year): its spread is the 2014 errors of carry + run rate only."""
    group = ("outside_funds", "monthly")
    short = model.sigma(group, "ytd_flow", 6, SHORT, held_out=2013)
    assert short == pytest.approx(0.088 / Z80)
    # The full family in 2014 is dominated by the exact seasonal share: a much narrower spread.
    full = model.sigma(group, "ytd_flow", 6, FULL, held_out=2013)
    assert full < short / 3


def test_all_years_include_the_short_rows_for_the_short_family(model):
    """Without a held-out year, 2013's large misses widen the short family, not the full one."""
    group = ("outside_funds", "monthly")
    assert model.sigma(group, "ytd_flow", 6, SHORT) > model.sigma(group, "ytd_flow", 6, SHORT, 2013)
    assert model.sigma(group, "ytd_flow", 6, FULL) == model.sigma(group, "ytd_flow", 6, FULL, 2013)


def test_too_few_errors_pool_over_the_same_kind_and_month(model):
    """An indicator with no errors of its own takes its kind's spread at that month."""
    pooled = model.sigma(("fai", "monthly"), "ytd_flow", 6, SHORT, held_out=2013)
    assert pooled == pytest.approx(0.088 / Z80)
    assert np.isnan(model.sigma(("fai", "monthly"), "ytd_flow", 7, SHORT, held_out=2013))


def test_combine_matrix_and_family_labels():
    points = np.array([[10.0, 20.0, 30.0], [np.nan, 20.0, 40.0], [np.nan, np.nan, np.nan]])
    weights = np.array([[0.5, 0.25, 0.25]] * 3)
    point, used = combine_matrix(points, weights, np.array([1.0, 2.0, 3.0]))
    assert point == pytest.approx([17.5, 30.0, 3.0])
    labels = label_families(used, METHODS, "run_rate")
    assert list(labels) == [FULL, SHORT, "run_rate"]
