"""Year-end projection methods, vectorised across series.

Every point method takes a :class:`~zoneanalysis.projection.history.Panel`, the index ``t`` of the
projected year and the month ``m`` of the latest year-to-date value, and returns one point per
series (NaN where the method cannot be used). Uncertainty comes from :func:`simulate_year_end`,
which turns a point and a backtest-calibrated spread into simulated year-end draws.
"""

from __future__ import annotations

import numpy as np

from zoneanalysis.projection.history import Panel

SEASONAL_SHARE = "seasonal_share"
CARRY_GROWTH = "carry_growth"
RUN_RATE = "run_rate"
ETS = "ets"
METHOD_NAMES_ZH = {
    SEASONAL_SHARE: "历年同期完成比例",
    CARRY_GROWTH: "沿用累计增速",
    RUN_RATE: "简单年化",
    ETS: "指数平滑（ETS）",
    "combined": "组合预测",
}
MIN_SEASONAL_YEARS = 2  # < 24 months / 8 quarters of history: no seasonal model


def _floor_flows(panel: Panel, point: np.ndarray, ytd: np.ndarray) -> np.ndarray:
    """A non-negative flow cannot end the year below its year-to-date value."""
    floor = panel.is_flow & (ytd >= 0) & np.isfinite(point)
    return np.where(floor, np.maximum(point, ytd), point)


def project_run_rate(panel: Panel, t: int, m: int) -> np.ndarray:
    """Naive run rate: flows YTD × 12 / m, stocks the latest level.

    Parameters
    ----------
    panel
        The series.
    t
        Index of the projected year in ``panel.years``.
    m
        Last month of the year-to-date period.

    Returns
    -------
    numpy.ndarray
        One point per series (NaN without a value at ``m``).
    """
    ytd = panel.cum[:, t, m]
    return np.where(panel.is_flow, ytd * 12.0 / m, ytd)


def seasonal_shares(panel: Panel, t: int, m: int) -> np.ndarray:
    """Past years' share of the year-end reached by month ``m``: shape ``(series, t)``.

    NaN where a year lacks either value or its year-end is not positive.
    """
    past = panel.cum[:, :t, :]
    end = past[:, :, 12]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = past[:, :, m] / end
    ok = np.isfinite(share) & (end > 0) & (share > 0)
    return np.where(ok, share, np.nan)


def project_seasonal_share(
    panel: Panel, t: int, m: int, *, min_years: int = MIN_SEASONAL_YEARS
) -> np.ndarray:
    """历年同期完成比例: YTD divided by the mean share of the year-end past years had by month ``m``.

    Parameters
    ----------
    panel
        The series.
    t
        Index of the projected year.
    m
        Last month of the year-to-date period.
    min_years
        Fewer past years with both values than this switch the method off (NaN) for the series.

    Returns
    -------
    numpy.ndarray
        One point per series. Flows are floored at the YTD value; stocks use the same ratio of
        the level at ``m`` to the year-end level.
    """
    shares = seasonal_shares(panel, t, m)
    n = np.isfinite(shares).sum(axis=1)
    with np.errstate(invalid="ignore"):
        mean_share = np.nanmean(np.where(n[:, None] > 0, shares, 1.0), axis=1)
    ytd = panel.cum[:, t, m]
    point = np.where((n >= min_years) & (ytd > 0), ytd / mean_share, np.nan)
    return _floor_flows(panel, point, ytd)


def project_carry_growth(panel: Panel, t: int, m: int) -> np.ndarray:
    """Carry forward the reported YTD growth: last year's year-end × (1 + growth).

    Where growth is not reported, the growth computed from the same period of last year is used.

    Parameters
    ----------
    panel
        The series.
    t
        Index of the projected year (needs ``t - 1``).
    m
        Last month of the year-to-date period.

    Returns
    -------
    numpy.ndarray
        One point per series (NaN without last year's values); flows floored at the YTD value.
    """
    if t < 1:
        return np.full(len(panel.keys), np.nan)
    ytd = panel.cum[:, t, m]
    prev_end = panel.cum[:, t - 1, 12]
    prev_same = panel.cum[:, t - 1, m]
    with np.errstate(invalid="ignore", divide="ignore"):
        computed = np.where(prev_same > 0, ytd / prev_same - 1.0, np.nan)
    reported = panel.yoy[:, t, m] / 100.0
    growth = np.where(np.isfinite(reported), reported, computed)
    point = np.where(prev_end > 0, prev_end * (1.0 + growth), np.nan)
    return _floor_flows(panel, point, ytd)


def draw_normals(
    n_series: int, n_sims: int, rho: float | np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Standard normal draws with a common factor: corr(z_i, z_j) = sqrt(rho_i · rho_j).

    Parameters
    ----------
    n_series, n_sims
        Output shape.
    rho
        Share of each series' error variance that is common to all series (scalar or per series),
        estimated in the backtest; 0 gives independent series, 1 perfectly correlated ones.
    rng
        The random generator.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_series, n_sims)``.
    """
    rho = np.clip(np.broadcast_to(np.asarray(rho, float), (n_series,)), 0.0, 1.0)[:, None]
    common = rng.standard_normal((1, n_sims))
    own = rng.standard_normal((n_series, n_sims))
    return np.sqrt(rho) * common + np.sqrt(1.0 - rho) * own


def simulate_year_end(
    ytd: np.ndarray, point: np.ndarray, sigma: np.ndarray, is_flow: np.ndarray, z: np.ndarray
) -> np.ndarray:
    """Simulated year-end values around a point projection.

    Flows: YTD + remainder × exp(σ·z), where remainder = point − YTD (so a non-negative flow never
    falls below its YTD, and the median is the point). Stocks: point × exp(σ·z).

    Parameters
    ----------
    ytd, point, sigma, is_flow
        One value per series; ``sigma`` is the spread of the log error (of the remainder for
        flows, of the level for stocks).
    z
        Standard normal draws, shape ``(series, sims)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(series, sims)``.
    """
    factor = np.exp(sigma[:, None] * z)
    remainder = (point - ytd)[:, None]
    flows = ytd[:, None] + remainder * factor
    stocks = point[:, None] * factor
    return np.where(is_flow[:, None], flows, stocks)


def monthly_increments(panel: Panel, i: int, t: int, m: int) -> np.ndarray | None:
    """Single-month increments of series ``i``: 11 per year (1-2月 combined, then March … December).

    Complete years before ``t`` (at most the last four), then year ``t`` up to month ``m``;
    ``None`` if a needed month is missing.
    """
    parts = []
    for j in range(max(0, t - 4), t + 1):
        last = 12 if j < t else m
        row = panel.cum[i, j, 2 : last + 1]
        if not np.isfinite(row).all():
            if j < t:
                parts = []  # restart after a gap
                continue
            return None
        parts.append(np.diff(row, prepend=0.0))
    return np.concatenate(parts) if parts else None


def project_ets(
    panel: Panel,
    t: int,
    m: int,
    rows: np.ndarray,
    *,
    n_sims: int = 500,
    seed: int = 0,
    log: list[dict] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exponential smoothing (statsmodels Holt-Winters) on monthly increments, with simulated paths.

    Seasonal (additive, 11 slots a year) with two or more complete years, else level only (noted).
    A fit that raises or warns about convergence is dropped (NaN) so the combination falls back to
    the other methods; every statsmodels warning goes to ``log``, none is printed.

    Parameters
    ----------
    panel
        The series (monthly ones only are used).
    t, m
        Projected year index and month.
    rows
        Indices of the series to fit.
    n_sims, seed
        Simulated paths per series.
    log
        Receives dicts with ``zone_id``, ``indicator``, ``method``, ``event``, ``message``.

    Returns
    -------
    tuple of numpy.ndarray
        Point (median year-end of the paths) per series of ``rows`` and the simulated year-ends,
        shape ``(len(rows), n_sims)`` (NaN where not fitted).
    """
    import warnings

    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    log = log if log is not None else []
    points = np.full(len(rows), np.nan)
    sims = np.full((len(rows), n_sims), np.nan)
    horizon = 12 - m
    for k, i in enumerate(rows):
        key = panel.keys.iloc[i]
        entry = {"zone_id": key["zone_id"], "indicator": key["indicator"], "method": ETS}
        y = monthly_increments(panel, i, t, m)
        ytd = panel.cum[i, t, m]
        if y is None or len(y) < 11 or horizon == 0:
            continue
        seasonal = "add" if len(y) >= 22 else None
        if seasonal is None:
            log.append(
                entry | {"event": "short_history", "message": "历史不足两年，ETS 不含季节项"}
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fit = ExponentialSmoothing(
                    y,
                    trend="add",
                    damped_trend=True,
                    seasonal=seasonal,
                    seasonal_periods=11 if seasonal else None,
                ).fit()
                paths = fit.simulate(
                    horizon,
                    repetitions=n_sims,
                    error="add",
                    rng=np.random.default_rng(seed + int(i)),
                )
            except (ValueError, np.linalg.LinAlgError) as exc:
                log.append(entry | {"event": "fit_failed", "message": f"拟合失败，已回退：{exc}"})
                continue
        failed = False
        for w in caught:
            log.append(entry | {"event": "warning", "message": str(w.message)})
            failed |= "converge" in str(w.message).lower()
        if failed:
            log.append(entry | {"event": "fallback", "message": "未收敛，改用其他方法"})
            continue
        paths = np.asarray(paths).reshape(horizon, n_sims)
        remaining = paths.sum(axis=0)
        year_end = ytd + (np.maximum(remaining, 0.0) if key["kind"] == "ytd_flow" else 0.0)
        if key["kind"] != "ytd_flow":
            year_end = ytd + remaining  # stock increments are level changes
        sims[k] = year_end
        points[k] = float(np.median(year_end))
    return points, sims
