"""Combine several methods' projections with weights chosen in the backtest."""

from __future__ import annotations

import numpy as np

from zoneanalysis.projection.settings import DEFAULT_SETTINGS

# weights ∝ 1 / MAPE^power (2: a clearly better method dominates); projection_settings.yaml
WEIGHT_POWER = DEFAULT_SETTINGS.weight_power


def inverse_mape_weights(mape: dict[str, float], power: float = WEIGHT_POWER) -> dict[str, float]:
    """Weights proportional to ``1 / MAPE ** power``, summing to 1.

    Parameters
    ----------
    mape
        Method → backtest MAPE (%); non-finite entries are left out.
    power
        1 gives plain inverse-MAPE weights; 2 (the default) favours the better methods more.

    Returns
    -------
    dict
        Method → weight (empty if no method has a finite MAPE).
    """
    usable = {k: v for k, v in mape.items() if np.isfinite(v)}
    if not usable:
        return {}
    inv = {k: 1.0 / max(v, 1e-6) ** power for k, v in usable.items()}
    total = sum(inv.values())
    return {k: v / total for k, v in inv.items()}


def combine_points(
    points: dict[str, np.ndarray], weights: dict[str, float], fallback: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean of the methods that produced a point; ``fallback`` where none did.

    Weights of methods that could not run for a series are redistributed over the others.

    Parameters
    ----------
    points
        Method → one point per series (NaN where the method could not run).
    weights
        Method → weight.
    fallback
        The point to use where no weighted method ran (e.g. the run rate).

    Returns
    -------
    tuple of numpy.ndarray
        The combined point and a boolean mask of where the fallback was used.
    """
    num = np.zeros_like(fallback, dtype=float)
    den = np.zeros_like(fallback, dtype=float)
    for name, w in weights.items():
        p = points.get(name)
        if p is None or w <= 0:
            continue
        ok = np.isfinite(p)
        num += np.where(ok, w * np.nan_to_num(p), 0.0)
        den += np.where(ok, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        combined = num / den
    used_fallback = den <= 0
    return np.where(used_fallback, fallback, combined), used_fallback
