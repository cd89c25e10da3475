"""Normalise an indicator matrix so indicators of different units can be aggregated.

Every function works on arrays shaped ``(..., zones, indicators)``: the zones axis is ``-2``, so a
leading axis of Monte Carlo draws is handled in one call, without a Python loop per draw.
Directions are applied first (``-1``: smaller is better), so a higher normalised value is always
better. Bounded methods give 0–100.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

#: Score a zone gets on an indicator on which every zone of the peer group is equal.
NEUTRAL_SCORE = 50.0


def _oriented(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=float) * np.asarray(directions, dtype=float)


def normalise_minmax(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Min-max to 0–100 within the peer group: ``100 (x - min) / (max - min)``.

    Parameters
    ----------
    x
        Raw values, shape ``(..., zones, indicators)``, no NaN.
    directions
        ``+1`` / ``-1`` per indicator, shape ``(indicators,)``.

    Returns
    -------
    numpy.ndarray
        Same shape; an indicator with no spread gets :data:`NEUTRAL_SCORE` for every zone.
    """
    v = _oriented(x, directions)
    lo = v.min(axis=-2, keepdims=True)
    span = v.max(axis=-2, keepdims=True) - lo
    safe = np.where(span > 0, span, 1.0)
    return np.where(span > 0, 100.0 * (v - lo) / safe, NEUTRAL_SCORE)


def normalise_zscore(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Standard scores within the peer group: ``(x - mean) / sd`` (sample sd, ddof = 1).

    An indicator with no spread scores 0 for every zone.
    """
    v = _oriented(x, directions)
    mean = v.mean(axis=-2, keepdims=True)
    sd = v.std(axis=-2, ddof=1, keepdims=True)
    safe = np.where(sd > 0, sd, 1.0)
    return np.where(sd > 0, (v - mean) / safe, 0.0)


def normalise_rank(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Percentile of the zone's rank within the peer group, 0 (worst) to 100 (best).

    ``100 (r - 1) / (n - 1)`` with ``r`` the ascending rank (ties get the average rank).
    """
    v = _oriented(x, directions)
    n = v.shape[-2]
    if n < 2:
        return np.full(v.shape, NEUTRAL_SCORE)
    r = rankdata(v, method="average", axis=-2)
    return 100.0 * (r - 1.0) / (n - 1.0)


def normalise_goalposts(x: np.ndarray, directions: np.ndarray, goalposts: np.ndarray) -> np.ndarray:
    """Fixed goalposts, the same every year so scores compare year on year.

    ``100 (x - lo) / (hi - lo)`` clipped to 0–100 (``100 (hi - x) / (hi - lo)`` when smaller is
    better).

    Parameters
    ----------
    x
        Raw values, shape ``(..., zones, indicators)``.
    directions
        ``+1`` / ``-1`` per indicator.
    goalposts
        Shape ``(indicators, 2)``: ``lo``, ``hi`` per indicator.
    """
    gp = np.asarray(goalposts, dtype=float)
    lo, hi = gp[:, 0], gp[:, 1]
    up = (np.asarray(x, dtype=float) - lo) / (hi - lo)
    d = np.asarray(directions, dtype=float)
    y = np.where(d > 0, up, 1.0 - up)
    return 100.0 * np.clip(y, 0.0, 1.0)


def normalise(
    x: np.ndarray,
    directions: np.ndarray,
    method: str,
    goalposts: np.ndarray | None = None,
) -> np.ndarray:
    """Dispatch to the normalisation named ``method`` (minmax, zscore, rank, goalposts)."""
    if method == "minmax":
        return normalise_minmax(x, directions)
    if method == "zscore":
        return normalise_zscore(x, directions)
    if method == "rank":
        return normalise_rank(x, directions)
    if method == "goalposts":
        if goalposts is None:
            raise ValueError("goalposts normalisation needs goalposts")
        return normalise_goalposts(x, directions, goalposts)
    raise ValueError(f"unknown normalisation {method!r}")
