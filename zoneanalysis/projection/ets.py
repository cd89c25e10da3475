"""statsmodels exponential smoothing (Holt-Winters) on monthly increments, with simulated paths.

The smoothing parameters of a series are estimated once on its complete past years (before the
projected year); the projected year's months are then only filtered with those parameters fixed,
which is cheap. Fits are cached by series, projected year and data, so a run (or a backtest over
all months) fits each series once per year. Every statsmodels warning is captured into the method
log; a fit that fails or does not converge drops the series (NaN) so the combination falls back to
the other methods.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from zoneanalysis.projection.history import MONTHLY, Panel
from zoneanalysis.projection.settings import DEFAULT_SETTINGS

ETS = "ets"
SEASON = 11  # 1-2月 combined, then March … December
# complete years needed to estimate a seasonal model; projection_settings.yaml min_ets_years
MIN_FIT_YEARS = DEFAULT_SETTINGS.min_ets_years
MAX_FIT_YEARS = 4
FIT_METHOD = "SLSQP"  # 5-10× faster than the default L-BFGS-B here, same fits on the sample
PARAM_NAMES = (
    "smoothing_level",
    "smoothing_trend",
    "smoothing_seasonal",
    "damping_trend",
    "initial_level",
    "initial_trend",
    "initial_seasons",
)
SHORT_NOTE = "完整往年不足两年，ETS 不适用，改用其他方法"
FALLBACK_NOTE = "ETS 拟合未收敛，改用其他方法"


def monthly_increments(panel: Panel, i: int, t: int, m: int) -> np.ndarray | None:
    """Single-month increments of series ``i``: 11 per year (1-2月 combined, then March … December).

    Complete years before ``t`` (at most the last four, restarting after a year with a gap), then
    year ``t`` up to month ``m``; ``None`` if a month of year ``t`` is missing.
    """
    parts = []
    for j in range(max(0, t - MAX_FIT_YEARS), t + 1):
        last = 12 if j < t else m
        row = panel.cum[i, j, 2 : last + 1]
        if not np.isfinite(row).all():
            if j < t:
                parts = []  # restart after a gap
                continue
            return None
        parts.append(np.diff(row, prepend=0.0))
    return np.concatenate(parts) if parts else None


@dataclass
class EtsFit:
    """Fixed Holt-Winters parameters of one series, estimated on complete past years."""

    params: dict
    scale: float
    n_past: int


@dataclass
class EtsCache:
    """Fits reused within a run: key (zone, indicator, projected year, past data) → fit or None."""

    fits: dict = field(default_factory=dict)
    n_fitted: int = 0


def _model(y: np.ndarray, fit: EtsFit | None = None):
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    if fit is None:
        init = {"initialization_method": "heuristic"}
    else:
        p = fit.params
        init = {
            "initialization_method": "known",
            "initial_level": p["initial_level"],
            "initial_trend": p["initial_trend"],
            "initial_seasonal": p["initial_seasons"],
        }
    return ExponentialSmoothing(
        y, trend="add", damped_trend=True, seasonal="add", seasonal_periods=SEASON, **init
    )


def fit_ets(past: np.ndarray, entry: dict, log: list[dict]) -> EtsFit | None:
    """Estimate the parameters on complete past years (scaled to a mean absolute value of 1).

    Parameters
    ----------
    past
        Monthly increments of complete years only (a multiple of 11 values).
    entry
        ``zone_id``, ``indicator``, ``method`` for the log.
    log
        Receives warnings, failures and fallbacks (never printed).

    Returns
    -------
    EtsFit or None
        ``None`` if the fit failed, warned about convergence or did not converge.
    """
    scale = float(np.mean(np.abs(past))) or 1.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = _model(past / scale).fit(use_brute=False, method=FIT_METHOD)
            ok = bool(getattr(res.mle_retvals, "success", True))
        except (ValueError, np.linalg.LinAlgError) as exc:
            log.append(entry | {"event": "fit_failed", "message": f"ETS 拟合失败：{exc}"})
            ok, res = False, None
    for w in caught:
        log.append(entry | {"event": "warning", "message": str(w.message)})
        ok &= "converge" not in str(w.message).lower()
    params = dict(res.params) if ok and res is not None else {}
    ok = ok and all(
        k in params and np.all(np.isfinite(np.asarray(params[k], float))) for k in PARAM_NAMES
    )
    if not ok:
        log.append(entry | {"event": "fallback", "message": FALLBACK_NOTE})
        return None
    return EtsFit(params={k: params[k] for k in PARAM_NAMES}, scale=scale, n_past=len(past))


def simulate_remaining(
    y: np.ndarray, fit: EtsFit, horizon: int, n_sims: int, rng: np.random.Generator
) -> tuple[float, np.ndarray]:
    """Filter ``y`` with the fixed parameters and simulate the rest of the year.

    Returns
    -------
    tuple
        The point forecast of the remaining months' sum and ``n_sims`` simulated sums.
    """
    p = fit.params
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fixed parameters: nothing to converge
        res = _model(y / fit.scale, fit).fit(
            smoothing_level=p["smoothing_level"],
            smoothing_trend=p["smoothing_trend"],
            smoothing_seasonal=p["smoothing_seasonal"],
            damping_trend=p["damping_trend"],
            optimized=False,
        )
        point = float(np.sum(res.forecast(horizon)))
        paths = np.asarray(res.simulate(horizon, repetitions=n_sims, error="add", random_state=rng))
    return point * fit.scale, paths.reshape(horizon, n_sims).sum(axis=0) * fit.scale


def project_ets(
    panel: Panel,
    t: int,
    m: int,
    rows: np.ndarray,
    *,
    n_sims: int = 500,
    seed: int = 0,
    log: list[dict] | None = None,
    cache: EtsCache | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exponential smoothing year-end projections with simulated paths, for monthly series.

    Additive damped trend and additive seasonality (11 slots a year) on the monthly increments.
    Parameters come from complete years before ``t`` (at least two, else the series falls back
    with a note in ``log``); the year's months up to ``m`` are filtered with them fixed.

    Parameters
    ----------
    panel
        The series (only monthly ones are fitted; others get NaN).
    t, m
        Projected year index and month.
    rows
        Indices of the series to project.
    n_sims, seed
        Simulated paths per series (the generator is seeded per series and year).
    log
        Receives dicts with ``zone_id``, ``indicator``, ``method``, ``event``, ``message``.
    cache
        Fits to reuse (and extend) across calls.

    Returns
    -------
    tuple of numpy.ndarray
        Point per series of ``rows`` (YTD + forecast of the remaining months; flows floored at
        the YTD value) and the simulated year-ends, shape ``(len(rows), n_sims)``; NaN where
        ETS was not used.
    """
    log = log if log is not None else []
    cache = cache if cache is not None else EtsCache()
    points = np.full(len(rows), np.nan)
    sims = np.full((len(rows), n_sims), np.nan)
    horizon = 12 - m
    for k, i in enumerate(rows):
        key = panel.keys.iloc[i]
        ytd = panel.cum[i, t, m]
        if horizon <= 0 or key["frequency"] != MONTHLY or not np.isfinite(ytd):
            continue
        entry = {"zone_id": key["zone_id"], "indicator": key["indicator"], "method": ETS}
        y = monthly_increments(panel, i, t, m)
        n_past = 0 if y is None else len(y) - (m - 1)
        if y is None or n_past < MIN_FIT_YEARS * SEASON:
            log.append(entry | {"event": "short_history", "message": SHORT_NOTE})
            continue
        past = y[:n_past]
        ck = (key["zone_id"], key["indicator"], int(panel.years[t]), past.tobytes())
        if ck not in cache.fits:
            cache.fits[ck] = fit_ets(past, entry, log)
            cache.n_fitted += 1
        fit = cache.fits[ck]
        if fit is None:
            continue
        rng = np.random.default_rng([seed, int(i), int(panel.years[t]), m])
        try:
            remaining, sim = simulate_remaining(y, fit, horizon, n_sims, rng)
        except (ValueError, np.linalg.LinAlgError) as exc:
            log.append(entry | {"event": "fallback", "message": f"ETS 模拟失败，已回退：{exc}"})
            continue
        if key["kind"] == "ytd_flow" and ytd >= 0:
            remaining, sim = max(remaining, 0.0), np.maximum(sim, 0.0)
        points[k] = ytd + remaining
        sims[k] = ytd + sim
    return points, sims
