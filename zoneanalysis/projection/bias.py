"""Measured bias of each projection method, shrunk toward zero and corrected out of sample.

A method's bias for one indicator × frequency × month is the mean log error of its backtest
projections (of the remainder for flows, of the level for stocks). Errors of one year share their
sign (a common year factor), so a bias measured on n *years* is multiplied by n / (n + k): with few
years it is shrunk toward zero. The constant k is chosen per indicator by leave-one-year-out
cross-validation over a grid (the k whose corrections predict the held-out year's errors best);
where that cannot run (fewer than two tested years) a default is used. A backtest year is always
scored with the bias measured on the other years only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from zoneanalysis.projection.settings import DEFAULT_SETTINGS, ProjectionSettings

KEY = ["method", "indicator", "frequency", "month"]


def apply_log_bias(
    point: np.ndarray, ytd: np.ndarray, is_flow: np.ndarray, bias: np.ndarray
) -> np.ndarray:
    """Shift points by a log bias: remainder × e^bias for flows, level × e^bias for stocks.

    Points that are not finite, or flows whose remainder is not positive, are returned as they are.
    """
    b = np.nan_to_num(np.asarray(bias, float))
    with np.errstate(invalid="ignore", over="ignore"):
        flow = ytd + (point - ytd) * np.exp(b)
        stock = point * np.exp(b)
    flow = np.where(point - ytd > 0, flow, point)
    return np.where(is_flow, flow, stock)


@dataclass
class BiasModel:
    """Per-year sums of log errors per method × indicator × frequency × month.

    Attributes
    ----------
    sums
        Index ``KEY + ["year"]``, columns ``m`` (the year's log bias, see :func:`_year_sums`)
        and ``n`` (count).
    shrink
        Indicator → chosen shrinkage constant k.
    default_k
        The constant for indicators without a cross-validated one.
    """

    sums: pd.DataFrame
    shrink: dict[str, float]
    default_k: float

    def means(self) -> pd.DataFrame:
        """Key × year table of the per-year mean log error (NaN where a year has none)."""
        if "_means" not in self.__dict__:
            m = self.sums["m"].unstack("year")
            self.__dict__["_means"] = m
        return self.__dict__["_means"]

    def table(self, held_out: int | None = None) -> pd.Series:
        """Every key's shrunk bias (index ``KEY``), measured without ``held_out``."""
        m = self.means()
        if m.empty:
            return pd.Series(dtype=float)
        if held_out is not None and held_out in m.columns:
            m = m.drop(columns=held_out)
        n_years = m.notna().sum(axis=1)
        k = m.index.get_level_values("indicator").map(lambda i: self.shrink.get(i, self.default_k))
        k = np.asarray(k, float)
        with np.errstate(invalid="ignore"):
            factor = np.where(np.isinf(k), 0.0, n_years / (n_years + np.where(np.isinf(k), 1, k)))
        return (m.mean(axis=1).fillna(0.0) * np.nan_to_num(factor)).rename("bias")

    def estimate(self, key: tuple, held_out: int | None = None) -> float:
        """Shrunk bias of ``key`` (method, indicator, frequency, month), without ``held_out``."""
        return float(self.table(held_out).get(key, 0.0))


def _year_sums(rows: pd.DataFrame) -> pd.DataFrame:
    """Per key × year: ``m``, the log factor on the remainder that zeroes the mean % error.

    With base = YTD for flows and 0 for stocks, the corrected point base + c·(point − base) has
    mean signed % error 0 when c = mean((actual − base)/actual) / mean((point − base)/actual);
    ``m = log c``. (Correcting the mean *log* error instead would leave the mean % error
    positive for noisy series, since e^(−ε) − 1 averages above zero.) ``n`` counts the rows.
    """
    e = rows[np.isfinite(rows["point"]) & np.isfinite(rows["actual"]) & (rows["actual"] > 0)]
    base = np.where(e["kind"] == "ytd_flow", e["ytd"], 0.0)
    e = e.assign(
        _a=(e["actual"] - base) / e["actual"],
        _p=(e["point"] - base) / e["actual"],
    )
    e = e[(e["_p"] > 0) & (e["_a"] > -np.inf)]
    g = e.groupby([*KEY, "year"]).agg(a=("_a", "mean"), p=("_p", "mean"), n=("_p", "size"))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = g["a"] / g["p"]
    g["m"] = np.log(ratio.where(ratio > 0))
    return g.dropna(subset=["m"])[["m", "n"]]


def _cv_loss(sums: pd.DataFrame, k: float) -> float:
    """Mean squared held-out lean after correcting each year with the others' shrunk bias.

    Vectorised over keys × years: for a held-out year, the bias is the mean of the other years'
    log biases times n / (n + k); the loss weighs each year's squared residual lean by its rows.
    """
    m = sums["m"].unstack("year")
    n = sums["n"].unstack("year").reindex_like(m).fillna(0.0).to_numpy(float)
    values = m.to_numpy(float)
    have = np.isfinite(values)
    filled = np.where(have, values, 0.0)
    others = have.sum(axis=1, keepdims=True) - have
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (filled.sum(axis=1, keepdims=True) - filled) / others
        factor = np.zeros_like(mean) if np.isinf(k) else others / (others + k)
    valid = have & (others >= 1)
    if not valid.any():
        return np.nan
    resid = np.where(valid, values - mean * factor, 0.0)
    return float((n * resid**2)[valid].sum() / n[valid].sum())


def fit_bias_model(
    rows: pd.DataFrame, settings: ProjectionSettings = DEFAULT_SETTINGS
) -> BiasModel:
    """Collect per-year error sums and choose the shrinkage per indicator by cross-validation.

    Parameters
    ----------
    rows
        Backtest rows of the methods (``method``, ``indicator``, ``frequency``, ``month``,
        ``year``, ``log_err``).
    settings
        ``bias_shrink_grid`` and ``bias_shrink_default``.

    Returns
    -------
    BiasModel
    """
    sums = _year_sums(rows)
    shrink: dict[str, float] = {}
    if not sums.empty:
        for ind, part in sums.groupby(level="indicator"):
            losses = {k: _cv_loss(part, k) for k in settings.bias_shrink_grid}
            finite = {k: v for k, v in losses.items() if np.isfinite(v)}
            if finite:
                shrink[str(ind)] = min(finite, key=lambda k: (finite[k], -k))
    return BiasModel(sums, shrink, settings.bias_shrink_default)


def correct_rows_out_of_sample(rows: pd.DataFrame, model: BiasModel) -> pd.DataFrame:
    """Backtest rows with each point corrected by the bias measured on the *other* years.

    Adds ``bias`` (the log bias applied) and replaces ``point``; ``ape`` and ``log_err`` must be
    recomputed by the caller.
    """
    out = rows.copy()
    bias = np.zeros(len(out))
    idx = pd.MultiIndex.from_frame(out[KEY])
    for year in pd.unique(out["year"]):
        at = (out["year"] == year).to_numpy()
        table = model.table(held_out=int(year))
        if table.empty:
            continue
        bias[at] = table.reindex(idx[at]).fillna(0.0).to_numpy(float)
    out["bias"] = bias
    out["point"] = apply_log_bias(
        out["point"].to_numpy(float),
        out["ytd"].to_numpy(float),
        (out["kind"] == "ytd_flow").to_numpy(),
        bias,
    )
    return out
