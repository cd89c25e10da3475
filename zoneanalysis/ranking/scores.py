"""Composite scores of one list: coverage, imputation, outliers, scores, ranks, pillars."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zoneanalysis.ranking.aggregate import compose_contributions
from zoneanalysis.ranking.criteria import ListCriteria, OutlierSpec
from zoneanalysis.ranking.normalise import normalise


def rank_scores(scores: np.ndarray, decimals: int = 9) -> np.ndarray:
    """Ranks, 1 = highest score; equal scores share the best rank (1, 2, 2, 4).

    Scores are rounded to ``decimals`` first so float noise does not break a true tie.
    NaN scores get rank 0 (not ranked).
    """
    s = pd.Series(np.round(np.asarray(scores, dtype=float), decimals))
    return s.rank(method="min", ascending=False).fillna(0).astype(int).to_numpy()


def measure_coverage(matrix: pd.DataFrame) -> pd.Series:
    """Share of the list's indicators each zone has (0–1)."""
    return matrix.notna().mean(axis=1)


def impute_median(matrix: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Fill each missing value with the indicator's median over the peer group (logged)."""
    medians = matrix.median()
    log = [
        {
            "zone_id": zone_id,
            "indicator": code,
            "action": "imputation",
            "detail": f"缺失，用同组中位数 {medians[code]:.4g} 补齐",
            "value_after": float(medians[code]),
        }
        for zone_id, code in matrix.stack(future_stack=True)[lambda v: v.isna()].index
    ]
    return matrix.fillna(medians), log


def winsorise_column(values: pd.Series, spec: OutlierSpec) -> tuple[pd.Series, list[dict]]:
    """Winsorise one indicator point by point while |skew| > spec.skew and kurtosis > spec.kurtosis.

    Each step sets the most extreme value (on the side of the skew) to the next one in, as in
    the JRC/COINr practice, at most ``spec.max_points`` times.
    """
    v = values.astype(float).copy()
    log: list[dict] = []
    for _ in range(spec.max_points):
        if v.nunique() < 4:
            break
        skew, kurt = float(v.skew()), float(v.kurt())
        if not (abs(skew) > spec.skew and kurt > spec.kurtosis):
            break
        if skew > 0:
            zone_id = v.idxmax()
            new = v[v < v.max()].max()
        else:
            zone_id = v.idxmin()
            new = v[v > v.min()].min()
        hit = v == v[zone_id]
        for z in v.index[hit]:
            log.append(
                {
                    "zone_id": z,
                    "indicator": values.name,
                    "action": "outlier",
                    "detail": f"偏度 {skew:.2f}、峰度 {kurt:.2f}，缩尾至相邻值",
                    "value_before": float(v[z]),
                    "value_after": float(new),
                }
            )
        v[hit] = new
    return v, log


@dataclass
class PreparedList:
    """A list's indicator matrix ready for scoring (eligible zones only, no NaN).

    Attributes
    ----------
    zone_ids
        Zones that are ranked (coverage ≥ the list's minimum).
    point
        ``(zones, indicators)`` treated values.
    caps
        ``(indicators, 2)`` winsorisation bounds applied to Monte Carlo draws too.
    coverage
        Coverage of every zone of the peer group (ranked or not).
    log
        Coverage flags, imputations and outlier treatments.
    """

    zone_ids: list[str]
    point: np.ndarray
    caps: np.ndarray
    coverage: pd.Series
    log: list[dict] = field(default_factory=list)

    def treat_draws(self, draws: np.ndarray) -> np.ndarray:
        """Impute (median per draw) and cap ``(draws, zones, indicators)`` like the point data."""
        x = np.array(draws, dtype=float)
        if np.isnan(x).any():
            med = np.nanmedian(x, axis=-2, keepdims=True)
            x = np.where(np.isnan(x), med, x)
        return np.clip(x, self.caps[:, 0], self.caps[:, 1])


def prepare_list(matrix: pd.DataFrame, lst: ListCriteria) -> PreparedList:
    """Coverage check, median imputation and outlier treatment of a list's raw matrix.

    Parameters
    ----------
    matrix
        Peer-group zones × the list's indicator codes (raw values, NaN = missing).
    lst
        The list's criteria.
    """
    matrix = matrix[lst.codes].astype(float)
    coverage = measure_coverage(matrix)
    log: list[dict] = []
    low = coverage[coverage < lst.min_coverage]
    for zone_id, cov in low.items():
        log.append(
            {
                "zone_id": zone_id,
                "indicator": "",
                "action": "coverage",
                "detail": f"指标覆盖率 {cov:.0%} 低于 {lst.min_coverage:.0%}，不参加排名",
            }
        )
    kept = matrix.drop(index=low.index)
    kept, imputed = impute_median(kept)
    log += imputed
    caps = np.tile([-np.inf, np.inf], (len(lst.codes), 1))
    if lst.outliers.method == "winsorise" and len(kept) >= 4:
        for k, code in enumerate(lst.codes):
            treated, events = winsorise_column(kept[code], lst.outliers)
            if events:
                kept[code] = treated
                caps[k] = [treated.min(), treated.max()]
                log += events
    for entry in log:
        entry.setdefault("list", lst.key)
    return PreparedList(
        zone_ids=list(kept.index),
        point=kept.to_numpy(dtype=float),
        caps=caps,
        coverage=coverage,
        log=log,
    )


def list_arrays(lst: ListCriteria) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Directions, nominal weights and goalposts (or ``None``) of a list as arrays."""
    directions = np.array([i.direction for i in lst.indicators], dtype=float)
    weights = np.array(lst.weights, dtype=float)
    goalposts = None
    if all(i.goalposts is not None for i in lst.indicators):
        goalposts = np.array([i.goalposts for i in lst.indicators], dtype=float)
    return directions, weights, goalposts


def score_matrix(
    x: np.ndarray,
    lst: ListCriteria,
    *,
    weights: np.ndarray | None = None,
    normalisation: str | None = None,
    aggregation: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Composite scores and per-indicator contributions of a treated matrix.

    Parameters
    ----------
    x
        ``(..., zones, indicators)`` without NaN.
    lst
        The list's criteria (directions, nominal weights and methods).
    weights, normalisation, aggregation
        Override the nominal choices.

    Returns
    -------
    tuple of numpy.ndarray
        Scores ``(..., zones)`` and contributions ``(..., zones, indicators)`` (summing to the
        score).
    """
    directions, nominal, goalposts = list_arrays(lst)
    w = nominal if weights is None else weights
    y = normalise(x, directions, normalisation or lst.normalisation, goalposts)
    contributions = compose_contributions(y, w, aggregation or lst.aggregation)
    return contributions.sum(axis=-1), contributions


def sum_pillars(contributions: np.ndarray, lst: ListCriteria) -> pd.DataFrame:
    """Pillar contributions ``pillar_<name>`` of a ``(zones, indicators)`` contribution array."""
    out = {}
    for pillar in lst.pillars:
        idx = [k for k, i in enumerate(lst.indicators) if i.pillar == pillar]
        out[f"pillar_{pillar}"] = contributions[:, idx].sum(axis=1)
    return pd.DataFrame(out)
