"""Spread of the combined projection's log error, estimated per family of methods.

A projection's error depends on which methods could run for it, and that is set by the length of
its history: with one past year only the carried growth and the run rate run (no seasonal share,
no ETS), with two or more the seasonal share joins, and ETS needs two complete years of monthly
data. So the spread of a row is estimated on the backtest errors of the *same family of methods*:
for every earlier row where all of them ran, the family is combined with the same weights (the
other methods left out) and its log error measured. A short-history row is thereby calibrated
on the many long-history rows whose carried growth and run rate are known, not on the few rows
that happened to be short, and never on other indicators' (much smaller) errors while its own
indicator has enough.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

Z80 = 1.2815515655446004
MIN_ERRORS = 8  # fewer errors in a group: pool wider
FAMILY_SEP = "+"
WeightsFor = Callable[[str, str, int | None, int], dict[str, float]]
"""(indicator, frequency, held-out year or None for all years, month) → method → weight."""


def name_family(methods: Sequence[str]) -> str:
    """The label of a family of methods: names joined by ``+`` in a fixed order."""
    return FAMILY_SEP.join(sorted(methods))


def split_family(family: str) -> list[str]:
    """The method names in a family label (inverse of :func:`name_family`)."""
    return family.split(FAMILY_SEP) if family else []


def weight_matrix(
    frame: pd.DataFrame, methods: Sequence[str], weights_of: Callable[[tuple], dict[str, float]]
) -> np.ndarray:
    """Per row, the weight of each method: shape ``(rows, methods)``.

    Parameters
    ----------
    frame
        Rows with ``indicator``, ``frequency``, ``year`` and ``month``.
    methods
        Column order of the result.
    weights_of
        ``(indicator, frequency, year, month)`` → method → weight; called once per distinct key.
    """
    keys = ["indicator", "frequency", "year", "month"]
    codes = frame.groupby(keys, sort=False).ngroup().to_numpy()
    firsts = frame.drop_duplicates(keys)[keys].itertuples(index=False, name=None)
    table = np.array([[weights_of(k).get(m, 0.0) for m in methods] for k in firsts], float)
    return table.reshape(-1, len(methods))[codes] if len(frame) else np.zeros((0, len(methods)))


def combine_matrix(
    points: np.ndarray, weights: np.ndarray, fallback: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean of the finite points per row, and which methods took part.

    Returns
    -------
    tuple of numpy.ndarray
        The combined point (``fallback`` where no weighted method ran) and a boolean
        ``(rows, methods)`` mask of the methods that contributed.
    """
    used = np.isfinite(points) & (weights > 0)
    w = np.where(used, weights, 0.0)
    den = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        point = (w * np.nan_to_num(points)).sum(axis=1) / den
    return np.where(den > 0, point, fallback), used


def label_families(used: np.ndarray, methods: Sequence[str], fallback: str) -> np.ndarray:
    """Family label per row from a ``(rows, methods)`` mask; ``fallback`` where none took part."""
    order = np.argsort(methods)
    names = np.asarray(methods, object)[order]
    labels = [FAMILY_SEP.join(names[row]) for row in used[:, order]]
    return np.array([lab or fallback for lab in labels], dtype=object)


def quantile_spread(abs_errors: np.ndarray, level: float = 0.8) -> float:
    """Spread whose normal 80 % interval covers a new error with 80 % probability on average.

    The ``level`` quantile of the |errors| at the Weibull plotting position ``level · (n + 1)``
    (``numpy.quantile(method="weibull")``), divided by z₀.₈; robust to heavy tails. For
    exchangeable errors the k-th smallest of n bounds a new one with probability k / (n + 1), so
    this position gives ``level`` on average, whereas the usual (linear) sample quantile sits at
    ``level · (n − 1) + 1`` and covers only about 77 % with n = 20 (e.g. 20 zones × one other
    year): too narrow exactly where errors are few. NaN with fewer than ``MIN_ERRORS`` errors.
    """
    e = abs_errors[np.isfinite(abs_errors)]
    if e.size < MIN_ERRORS:
        return np.nan
    return float(np.quantile(e, level, method="weibull") / Z80)


@dataclass
class SpreadModel:
    """Spreads of the log error per family of methods, from the backtest's method points.

    Attributes
    ----------
    wide
        One row per series × year × month: ``indicator``, ``kind``, ``frequency``, ``year``,
        ``month``, ``ytd``, ``actual`` and one point column per method in ``methods``.
    methods
        The weighted methods (columns of ``wide``).
    weights_for
        The combination weights; with a held-out year they are estimated without it.
    log_error
        ``(actual, point, ytd, is_flow) → log error`` (of the remainder for flows).
    """

    wide: pd.DataFrame
    methods: tuple[str, ...]
    weights_for: WeightsFor
    log_error: Callable[..., np.ndarray]
    _errors: dict = field(default_factory=dict, repr=False)
    _spreads: dict = field(default_factory=dict, repr=False)

    def errors(self, family: str, held_out: int | None = None) -> pd.DataFrame:
        """Log errors of ``family``'s combination on every row (not of ``held_out``) where it ran.

        Parameters
        ----------
        family
            A label from :func:`name_family`.
        held_out
            A tested year: its rows are left out and the weights estimated without it.

        Returns
        -------
        pandas.DataFrame
            ``indicator``, ``kind``, ``frequency``, ``month``, ``log_err``.
        """
        key = (family, held_out)
        if key not in self._errors:
            members = [m for m in split_family(family) if m in self.methods]
            w = self.wide
            if held_out is not None:
                w = w[w["year"] != held_out]
            ran = np.ones(len(w), bool)
            for m in members:
                ran &= np.isfinite(w[m].to_numpy(float))
            w = w[ran]
            pts = w[members].to_numpy(float)
            weights = weight_matrix(
                w, members, lambda k: self.weights_for(k[0], k[1], held_out, k[3])
            )
            if len(members) == 1:
                point = pts[:, 0]  # one method (e.g. the run-rate fallback): its own point
            else:
                # Rows where some of the family's weights are zero cannot stand for it.
                keep = (weights > 0).all(axis=1)
                w, pts, weights = w[keep], pts[keep], weights[keep]
                point, _ = combine_matrix(pts, weights, np.full(len(w), np.nan))
            err = self.log_error(
                w["actual"].to_numpy(float),
                point,
                w["ytd"].to_numpy(float),
                (w["kind"] == "ytd_flow").to_numpy(),
            )
            cols = ["indicator", "kind", "frequency", "month"]
            self._errors[key] = w[cols].assign(log_err=err).reset_index(drop=True)
        return self._errors[key]

    def sigma(
        self,
        group: tuple[str, str],
        kind: str,
        month: int,
        family: str,
        held_out: int | None = None,
    ) -> float:
        """Spread of ``family``'s log error for one indicator × frequency and month.

        Pooled wider only when its own errors are fewer than ``MIN_ERRORS``: the same indicator
        at both frequencies, then the indicators of the same kind, then all (NaN if none).
        """
        key = (family, held_out)
        if key not in self._spreads:
            e = self.errors(family, held_out)
            e = e.assign(abs_err=e["log_err"].abs())
            self._spreads[key] = [
                e.groupby(cols)["abs_err"].agg(quantile_spread).to_dict()
                for cols in (
                    ["indicator", "frequency", "month"],
                    ["indicator", "month"],
                    ["kind", "month"],
                    "month",
                )
            ]
        ind, freq = group
        for level, k in zip(self._spreads[key], ((ind, freq, month), (ind, month), (kind, month))):
            s = level.get(k, np.nan)
            if np.isfinite(s):
                return float(s)
        return float(self._spreads[key][3].get(month, np.nan))
