"""statsmodels ETS in the projection: hand-checkable year-ends, fallbacks, and its weight."""

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from zoneanalysis.projection import ets as ets_module
from zoneanalysis.projection.ets import ETS, FALLBACK_NOTE, SHORT_NOTE, EtsCache, project_ets
from zoneanalysis.projection.history import build_panel
from zoneanalysis.projection.methods import shape_ets_draws

# 1-2月 increment 10, March-December 5 a month (year-end 60), growing 1 a year per month slot
INCREMENTS = np.array([10.0] + [5.0] * 10)


def _frame(years, last_month, growth=0.0, zone="a"):
    rows = []
    for k, y in enumerate(years):
        inc = INCREMENTS + growth * k
        cum = np.cumsum(inc)
        for m in range(2, 13 if y < years[-1] else last_month + 1):
            rows.append((zone, y, m, "revenue", float(cum[m - 2])))
    return pd.DataFrame(rows, columns=["zone_id", "year", "month", "indicator", "value"])


def test_ets_year_end_of_a_seasonal_series_and_nested_quantiles(recwarn):
    panel = build_panel(_frame((2012, 2013, 2014, 2015), 6))
    log = []
    point, sims = project_ets(panel, 3, 6, np.array([0]), n_sims=400, log=log)
    # YTD at June 10 + 4×5 = 30; six more months of 5 → 60
    assert point[0] == pytest.approx(60.0, rel=0.02)
    q = np.quantile(sims[0], [0.025, 0.10, 0.5, 0.90, 0.975])
    assert q[0] >= 30.0 - 1e-9 and (np.diff(q) >= 0).all()
    assert q[1] <= point[0] * 1.01 and q[3] >= point[0] * 0.99
    assert not [w for w in recwarn if "statsmodels" in str(w.filename)]


def test_ets_follows_a_growing_seasonal_series():
    # every monthly slot grows by 1 a year: 2016 increments 14 then 9 a month → year-end 104
    panel = build_panel(_frame((2012, 2013, 2014, 2015, 2016), 6, growth=1.0))
    point, _ = project_ets(panel, 4, 6, np.array([0]), n_sims=50)
    assert point[0] == pytest.approx(14 + 9 * 10, rel=0.03)


def test_fits_are_cached_per_series_and_year():
    panel = build_panel(_frame((2012, 2013, 2014, 2015), 9))
    cache = EtsCache()
    a, _ = project_ets(panel, 3, 6, np.array([0]), n_sims=20, cache=cache)
    b, _ = project_ets(panel, 3, 9, np.array([0]), n_sims=20, cache=cache)
    assert cache.n_fitted == 1 and np.isfinite(a).all() and np.isfinite(b).all()


def test_short_history_falls_back_with_a_note():
    panel = build_panel(_frame((2014, 2015), 6))
    log = []
    point, sims = project_ets(panel, 1, 6, np.array([0]), n_sims=20, log=log)
    assert np.isnan(point[0]) and np.isnan(sims).all()
    assert {"event": "short_history", "message": SHORT_NOTE}.items() <= log[0].items()


def test_non_converging_fit_falls_back_and_its_warning_goes_to_the_log(monkeypatch, recwarn):
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    class NotConverging:
        def fit(self, **kwargs):
            warnings.warn("Optimization failed to converge.", ConvergenceWarning, stacklevel=2)
            return SimpleNamespace(mle_retvals=SimpleNamespace(success=False), params={})

    monkeypatch.setattr(ets_module, "_model", lambda y, fit=None: NotConverging())
    panel = build_panel(_frame((2012, 2013, 2014, 2015), 6))
    log = []
    point, _ = project_ets(panel, 3, 6, np.array([0]), n_sims=20, log=log)
    assert np.isnan(point[0])
    events = [e["event"] for e in log]
    assert "warning" in events and "fallback" in events
    assert any(e["message"] == FALLBACK_NOTE and e["method"] == ETS for e in log)
    assert not [w for w in recwarn if issubclass(w.category, ConvergenceWarning)]


def test_shaped_draws_keep_the_point_floor_and_scale():
    rng = np.random.default_rng(0)
    paths = 100.0 + rng.normal(0, 10.0, (2, 5000))
    common = rng.standard_normal(5000)
    draws = shape_ets_draws(
        np.array([95.0, 0.0]),
        np.array([120.0, 120.0]),
        paths,
        np.array([0.5, 0.5]),
        np.array([0.0, 0.0]),
        np.array([True, True]),
        common,
    )
    assert draws[0].min() >= 95.0  # flows never below YTD
    assert np.median(draws[1]) == pytest.approx(120.0, abs=0.5)
    assert draws[1].std() == pytest.approx(5.0, rel=0.05)  # scale 0.5 × sd 10
