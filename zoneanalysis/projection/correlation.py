"""Correlated projection errors: a common year factor and a zone factor across indicators.

The backtest errors (log errors of the combined projection, out of sample) are split into

* a **common year factor**: the part all zones share within a year and month (one indicator's
  share is ρ, estimated in :func:`zoneanalysis.projection.backtest._estimate_rho`), and
* a **zone factor**: of what remains, the part a zone's indicators share in the same year and
  month (revenue, value added, tax and profit move together); its share κ of the remaining
  variance is estimated here.

A standard normal draw of series i (zone z) is then
``√ρ·C + √((1 − ρ)·κ)·Z_z + √((1 − ρ)·(1 − κ))·ε_i`` with C common to all series, Z_z common to
the zone's indicators and ε_i its own. The aggregates sum draws made this way, and the projections
table carries each row's two shares so the ranking Monte Carlo draws the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class ShareEstimate:
    """An estimated variance share with its uncertainty (bootstrap over zones)."""

    value: float
    low: float
    high: float
    n_cases: int


def _icc(values: np.ndarray, groups: np.ndarray) -> float:
    """Share of variance common within groups (method of moments, around zero means)."""
    frame = pd.DataFrame({"v": values, "g": groups})
    g = frame.groupby("g")["v"]
    n = g.size()
    ok = n >= 2
    if ok.sum() < 2:
        return np.nan
    within = float(np.average(g.var()[ok], weights=n[ok] - 1))
    mean = g.mean()[ok]
    common = max(float(np.mean(mean**2 - within / n[ok])), 0.0)
    total = common + within
    return common / total if total > 0 else np.nan


def standardised_residuals(combined: pd.DataFrame) -> pd.DataFrame:
    """Errors with the common (year × month) part removed, scaled per indicator × month.

    Returns
    -------
    pandas.DataFrame
        ``zone_id``, ``year``, ``month``, ``indicator``, ``resid``.
    """
    e = combined.dropna(subset=["log_err"])
    e = e[np.isfinite(e["log_err"])]
    keys = ["indicator", "frequency", "year", "month"]
    g = e.groupby(keys)["log_err"]
    centred = e["log_err"] - g.transform("mean")
    scale = centred.groupby([e["indicator"], e["frequency"], e["month"]]).transform("std")
    resid = centred / scale.where(scale > 0)
    out = e[["zone_id", "year", "month", "indicator"]].assign(resid=resid)
    return out.dropna(subset=["resid"])


def _rows_by_zone(zone_ids: pd.Series) -> dict[str, np.ndarray]:
    """Zone id → its row positions (ascending), in one pass (not one scan per zone)."""
    codes, uniq = pd.factorize(zone_ids)
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=len(uniq)))[:-1]
    return dict(zip(uniq, np.split(order, bounds)))


def estimate_zone_share(
    combined: pd.DataFrame, *, n_boot: int = 200, seed: int = 0
) -> ShareEstimate:
    """κ: share of a zone's non-common error that its indicators share (year × month).

    Parameters
    ----------
    combined
        The combined method's backtest rows (``zone_id``, ``indicator``, ``frequency``, ``year``,
        ``month``, ``log_err``).
    n_boot
        Bootstrap resamples of zones for the 10-90 % range.
    seed
        Seed of the bootstrap.

    Returns
    -------
    ShareEstimate
        0 where it cannot be estimated (fewer than two zones with two indicators).
    """
    r = standardised_residuals(combined)
    if r.empty:
        return ShareEstimate(0.0, 0.0, 0.0, 0)
    cell = r["zone_id"].astype(str) + "|" + r["year"].astype(str) + "|" + r["month"].astype(str)
    value = _icc(r["resid"].to_numpy(float), cell.to_numpy())
    if not np.isfinite(value):
        return ShareEstimate(0.0, 0.0, 0.0, len(r))
    zones = r["zone_id"].unique()
    rng = np.random.default_rng(seed)
    by_zone = _rows_by_zone(r["zone_id"]) if n_boot else {}
    cells, resid = cell.to_numpy(), r["resid"].to_numpy(float)
    boots = []
    for _ in range(n_boot):
        pick = rng.choice(zones, size=zones.size, replace=True)
        idx = np.concatenate([by_zone[z] for z in pick])
        labels = np.concatenate([cells[by_zone[z]] + f"#{k}" for k, z in enumerate(pick)])
        boots.append(_icc(resid[idx], labels))
    boots = np.asarray([b for b in boots if np.isfinite(b)])
    lo, hi = np.quantile(boots, [0.1, 0.9]) if boots.size else (value, value)
    return ShareEstimate(float(value), float(lo), float(hi), len(r))


def draw_factor_normals(
    zone_codes: np.ndarray,
    common_share: np.ndarray,
    zone_share: np.ndarray,
    n_sims: int,
    rng: np.random.Generator,
    common: np.ndarray | None = None,
) -> np.ndarray:
    """Standard normal draws with a common factor and a zone factor: shape ``(series, sims)``.

    Parameters
    ----------
    zone_codes
        Integer zone code per series (series of one zone share its zone factor).
    common_share
        ρ per series: share of the variance common to all series.
    zone_share
        Share of the variance the zone's series share (already ``(1 − ρ)·κ``), per series.
    n_sims
        Draws per series.
    rng
        Random generator.
    common
        The common factor ``(sims,)`` if shared with other draws; drawn otherwise.

    Returns
    -------
    numpy.ndarray
        Each row has unit variance: ``√a·C + √b·Z_zone + √(1 − a − b)·ε``.
    """
    common, zone = draw_factors(zone_codes, n_sims, rng, common)
    return combine_factors(common, zone, common_share, zone_share, rng)


def draw_factors(
    zone_codes: np.ndarray,
    n_sims: int,
    rng: np.random.Generator,
    common: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The common factor ``(sims,)`` and each series' zone factor ``(series, sims)``."""
    common = rng.standard_normal(n_sims) if common is None else np.asarray(common, float)
    uniq, inv = np.unique(np.asarray(zone_codes), return_inverse=True)
    return common, rng.standard_normal((uniq.size, n_sims))[inv]


def combine_factors(
    common: np.ndarray,
    zone: np.ndarray,
    common_share: np.ndarray,
    zone_share: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """``√a·C + √b·Z + √(1 − a − b)·ε`` with a fresh own part ε per series."""
    a = np.clip(np.broadcast_to(np.asarray(common_share, float), zone.shape[:1]), 0.0, 1.0)
    b = np.clip(np.broadcast_to(np.asarray(zone_share, float), a.shape), 0.0, 1.0 - a)
    own = rng.standard_normal(zone.shape)
    return (
        np.sqrt(a)[:, None] * common[None, :]
        + np.sqrt(b)[:, None] * zone
        + np.sqrt(1.0 - a - b)[:, None] * own
    )
