"""Year-end projection methods, vectorised across series.

Every point method takes a :class:`~zoneanalysis.projection.history.Panel`, the index ``t`` of the
projected year and the month ``m`` of the latest year-to-date value, and returns one point per
series (NaN where the method cannot be used). Uncertainty comes from :func:`simulate_year_end`,
which turns a point and a backtest-calibrated spread into simulated year-end draws.
"""

from __future__ import annotations

import numpy as np

from zoneanalysis.projection.ets import ETS
from zoneanalysis.projection.history import Panel
from zoneanalysis.projection.settings import DEFAULT_SETTINGS

SEASONAL_SHARE = "seasonal_share"
CARRY_GROWTH = "carry_growth"
RUN_RATE = "run_rate"
REMAINDER_GROWTH = "remainder_growth"
METHOD_NAMES_ZH = {
    SEASONAL_SHARE: "历年同期完成比例",
    CARRY_GROWTH: "沿用累计增速",
    RUN_RATE: "简单年化",
    REMAINDER_GROWTH: "上年剩余月份×上年增速",
    ETS: "指数平滑（ETS）",
    "combined": "组合预测",
}
MIN_SEASONAL_YEARS = DEFAULT_SETTINGS.min_seasonal_years  # one past year gives a one-year share


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
    if t < 1:
        return np.full(len(panel.keys), np.nan)
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


def project_remainder_growth(panel: Panel, t: int, m: int) -> np.ndarray:
    """YTD + last year's remaining months × last year's full-year growth (flows only).

    The rest of the year is not scaled by this year's year-to-date: where early months are
    noisy and the noise does not persist (lumpy investment), an early shortfall is not carried
    into the remaining months. Without a year before last, the growth factor is 1 (last year's
    remainder as it was).

    Parameters
    ----------
    panel
        The series.
    t
        Index of the projected year (needs ``t - 1``; uses ``t - 2`` for the growth).
    m
        Last month of the year-to-date period.

    Returns
    -------
    numpy.ndarray
        One point per flow series (NaN for stocks and where last year's remainder is not
        positive).
    """
    if t < 1:
        return np.full(len(panel.keys), np.nan)
    ytd = panel.cum[:, t, m]
    prev_end = panel.cum[:, t - 1, 12]
    rest = prev_end - panel.cum[:, t - 1, m]
    growth = np.ones_like(prev_end)
    if t >= 2:
        before = panel.cum[:, t - 2, 12]
        with np.errstate(invalid="ignore", divide="ignore"):
            growth = np.where(before > 0, prev_end / before, 1.0)
    point = ytd + rest * growth
    return np.where(panel.is_flow & (rest > 0), point, np.nan)


def draw_normals(
    n_series: int,
    n_sims: int,
    rho: float | np.ndarray,
    rng: np.random.Generator,
    common: np.ndarray | None = None,
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
    common
        The common factor, shape ``(n_sims,)``, if it is shared with other draws (e.g. ETS paths);
        drawn from ``rng`` otherwise.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_series, n_sims)``.
    """
    rho = np.clip(np.broadcast_to(np.asarray(rho, float), (n_series,)), 0.0, 1.0)[:, None]
    common = rng.standard_normal((1, n_sims)) if common is None else np.reshape(common, (1, -1))
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


def shape_ets_draws(
    ytd: np.ndarray,
    point: np.ndarray,
    paths: np.ndarray,
    scale: np.ndarray,
    rho: np.ndarray,
    is_flow: np.ndarray,
    common: np.ndarray,
    *,
    zone: np.ndarray | None = None,
    zone_share: np.ndarray | None = None,
) -> np.ndarray:
    """Year-end draws around the combined point with the shape of the ETS simulated paths.

    draw = point + scale · (√ρ·sd·C + √b·sd·Z + √(1 − ρ − b)·(path − mean path)): the ETS paths
    give each series its own spread (its volatility and the months left), ``scale`` (from the
    backtest) calibrates it, the common factor C correlates all series as in
    :func:`zoneanalysis.projection.correlation.draw_factor_normals` and the zone factor Z (share
    b) a zone's indicators. Non-negative flows are floored at the YTD value.

    Parameters
    ----------
    ytd, point, scale, rho, is_flow
        One value per series.
    paths
        ETS simulated year-ends, shape ``(series, sims)``.
    common
        The common standard normal factor, shape ``(sims,)``.
    zone, zone_share
        The zone factor of each series, shape ``(series, sims)``, and its variance share
        (none by default).

    Returns
    -------
    numpy.ndarray
        Shape ``(series, sims)``.
    """
    dev = paths - paths.mean(axis=1, keepdims=True)
    sd = paths.std(axis=1, keepdims=True)
    rho = np.clip(rho, 0.0, 1.0)[:, None]
    b = np.zeros_like(rho) if zone_share is None else np.clip(zone_share, 0.0, 1.0)[:, None]
    b = np.minimum(b, 1.0 - rho)
    shock = np.sqrt(rho) * sd * common[None, :] + np.sqrt(1.0 - rho - b) * dev
    if zone is not None:
        shock = shock + np.sqrt(b) * sd * zone
    draws = point[:, None] + scale[:, None] * shock
    floor = (is_flow & (ytd >= 0))[:, None]
    return np.where(floor, np.maximum(draws, ytd[:, None]), draws)
