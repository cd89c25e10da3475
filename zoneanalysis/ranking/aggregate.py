"""Aggregate normalised indicators into a composite score, with each indicator's contribution.

Arrays are shaped ``(..., zones, indicators)``; weights ``(indicators,)`` or ``(..., indicators)``
(one weight vector per Monte Carlo draw), summing to 1.
"""

from __future__ import annotations

import numpy as np


def _weights(w: np.ndarray) -> np.ndarray:
    """Weights broadcast against ``(..., zones, indicators)``."""
    w = np.asarray(w, dtype=float)
    return w[..., None, :]


def shift_positive(y: np.ndarray) -> np.ndarray:
    """Map 0–100 scores to 1–100 (``1 + 0.99 y``) so a geometric mean is defined.

    A zone at the bottom of one indicator keeps a non-zero composite score, as the JRC handbook
    advises for geometric aggregation.
    """
    return 1.0 + 0.99 * np.asarray(y, dtype=float)


def contribute_arithmetic(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Contributions ``w_k y_k`` of each indicator; they sum to the weighted arithmetic mean."""
    return np.asarray(y, dtype=float) * _weights(w)


def contribute_geometric(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Contributions to the weighted geometric mean ``prod y_k ** w_k`` (``y`` must be > 0).

    The score is split in proportion to each indicator's share of ``sum w_k log y_k``, so the
    contributions sum to the score; with all ``log y_k = 0`` it is split by weight.
    """
    y = np.asarray(y, dtype=float)
    if np.any(y <= 0):
        raise ValueError("geometric aggregation needs positive values")
    wb = np.broadcast_to(_weights(w), y.shape)
    logs = wb * np.log(y)
    total = logs.sum(axis=-1, keepdims=True)
    score = np.exp(total)
    share = np.where(total != 0, logs / np.where(total != 0, total, 1.0), wb)
    return score * share


def aggregate_arithmetic(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted arithmetic mean over indicators: ``sum_k w_k y_k``."""
    return contribute_arithmetic(y, w).sum(axis=-1)


def aggregate_geometric(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted geometric mean over indicators: ``prod_k y_k ** w_k`` (``y`` must be > 0)."""
    y = np.asarray(y, dtype=float)
    if np.any(y <= 0):
        raise ValueError("geometric aggregation needs positive values")
    return np.exp((np.log(y) * _weights(w)).sum(axis=-1))


def compose_contributions(y: np.ndarray, w: np.ndarray, method: str) -> np.ndarray:
    """Per-indicator contributions to the composite (they sum to the score over the last axis).

    Parameters
    ----------
    y
        Normalised values, shape ``(..., zones, indicators)``. For ``geometric`` they must be on
        0–100 and are shifted with :func:`shift_positive` first.
    w
        Weights, ``(indicators,)`` or ``(..., indicators)``.
    method
        ``arithmetic`` or ``geometric``.
    """
    if method == "arithmetic":
        return contribute_arithmetic(y, w)
    if method == "geometric":
        return contribute_geometric(shift_positive(y), w)
    raise ValueError(f"unknown aggregation {method!r}")
