"""Time progress against task progress, and the growth the rest of the year needs (倒推)."""

from __future__ import annotations

import numpy as np


def compute_time_progress(month: int) -> float:
    """Share of the year gone by the end of ``month`` (%): June → 50."""
    return month / 12.0 * 100.0


def compute_task_progress(ytd: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Year-to-date value as a share of the year-end target (%); NaN without a positive target."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(target > 0, ytd / target * 100.0, np.nan)


def compute_required_growth(
    ytd: np.ndarray,
    target: np.ndarray,
    prev_year_end: np.ndarray,
    prev_same_period: np.ndarray,
    is_flow: np.ndarray,
) -> np.ndarray:
    """Growth the remaining months need to reach the target (%).

    Flows: what is still missing, (target − YTD), against what the same remaining months brought
    last year, (last year-end − last year's YTD at the same month): required = missing / last − 1.
    Stocks: the change from the current level to the target, target / current − 1.

    Parameters
    ----------
    ytd
        This year's year-to-date value (the current level for stocks).
    target
        The year-end target level.
    prev_year_end, prev_same_period
        Last year's year-end and its value at the same month.
    is_flow
        Which series are year-to-date flows.

    Returns
    -------
    numpy.ndarray
        Percent; NaN where last year's remaining months were not positive or there is no target.
        A negative value means the target is met even if the rest of the year falls short of
        last year by that much.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        last_rest = prev_year_end - prev_same_period
        flow = np.where(last_rest > 0, ((target - ytd) / last_rest - 1.0) * 100.0, np.nan)
        stock = np.where(ytd > 0, (target / ytd - 1.0) * 100.0, np.nan)
    return np.where(np.isfinite(target), np.where(is_flow, flow, stock), np.nan)
