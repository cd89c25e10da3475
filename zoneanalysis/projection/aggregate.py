"""Aggregates (provincial zones, parks, both) from summed simulated paths, never by adding bounds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zoneanalysis.registry import zone_level
from zoneanalysis.targets import AGGREGATE_LEVELS


def find_members(zones: pd.DataFrame, year: int) -> dict[str, set[str]]:
    """Zhengzhou zones in each aggregate in ``year`` (by their registry level that year).

    Parameters
    ----------
    zones
        The registry.
    year
        Calendar year.

    Returns
    -------
    dict
        Aggregate id → member zone ids.
    """
    level = zone_level(zones, year)
    zz = zones.set_index("zone_id")["is_zhengzhou"].reindex(level.index).fillna(False)
    return {
        agg_id: {z for z in level.index if bool(zz[z]) and level[z] in levels}
        for agg_id, levels in AGGREGATE_LEVELS.items()
    }


@dataclass
class AggregateSums:
    """Per aggregate × indicator: summed values and summed simulated paths.

    Attributes
    ----------
    keys
        ``zone_id`` (aggregate id), ``indicator``, ``kind``, ``n_members``, ``members_missing``.
    ytd, prev_year_end, prev_same_period, point
        Sums over the members with data (NaN if a member lacks last year's value).
    draws
        Shape ``(aggregates, sims)``: the sum of the members' simulated year-end paths.
    """

    keys: pd.DataFrame
    ytd: np.ndarray
    prev_year_end: np.ndarray
    prev_same_period: np.ndarray
    point: np.ndarray
    draws: np.ndarray


def sum_aggregates(
    keys: pd.DataFrame,
    ytd: np.ndarray,
    prev_year_end: np.ndarray,
    prev_same_period: np.ndarray,
    point: np.ndarray,
    draws: np.ndarray,
    members: dict[str, set[str]],
) -> AggregateSums:
    """Add member series up, path by path.

    Parameters
    ----------
    keys
        One row per projected series (``zone_id``, ``indicator``, ``kind``).
    ytd, prev_year_end, prev_same_period, point
        One value per series.
    draws
        Simulated year-end paths, shape ``(series, sims)``; summing them keeps the cross-zone
        correlation of the simulation, so the aggregate interval is not the sum of the bounds.
    members
        Aggregate id → member zone ids (:func:`find_members`).

    Returns
    -------
    AggregateSums
        One row per aggregate × indicator with at least one member.
    """
    rows, sums = [], {"ytd": [], "prev": [], "same": [], "point": [], "draws": []}
    zone = keys["zone_id"].to_numpy()
    ind = keys["indicator"].to_numpy()
    for agg_id, member_ids in members.items():
        in_agg = np.isin(zone, list(member_ids))
        for code in pd.unique(ind[in_agg]):
            sel = in_agg & (ind == code)
            present = set(zone[sel])
            rows.append(
                {
                    "zone_id": agg_id,
                    "indicator": code,
                    "kind": keys["kind"].to_numpy()[sel][0],
                    "n_members": int(sel.sum()),
                    "members_missing": sorted(member_ids - present),
                }
            )
            sums["ytd"].append(ytd[sel].sum())
            sums["prev"].append(prev_year_end[sel].sum())
            sums["same"].append(prev_same_period[sel].sum())
            sums["point"].append(point[sel].sum())
            sums["draws"].append(draws[sel].sum(axis=0))
    n_sims = draws.shape[1] if draws.ndim == 2 else 0
    return AggregateSums(
        keys=pd.DataFrame(
            rows, columns=["zone_id", "indicator", "kind", "n_members", "members_missing"]
        ),
        ytd=np.asarray(sums["ytd"], float),
        prev_year_end=np.asarray(sums["prev"], float),
        prev_same_period=np.asarray(sums["same"], float),
        point=np.asarray(sums["point"], float),
        draws=np.asarray(sums["draws"], float).reshape(len(rows), n_sims),
    )


def backtest_aggregate_mape(combined_rows: pd.DataFrame, zones: pd.DataFrame) -> dict:
    """Backtest MAPE (%) of aggregates: summed combined points against summed actuals.

    Parameters
    ----------
    combined_rows
        The combined method's backtest rows (``zone_id``, ``indicator``, ``year``, ``month``,
        ``point``, ``actual``).
    zones
        The registry (membership is taken in each tested year).

    Returns
    -------
    dict
        ``(aggregate id, indicator)`` → MAPE over tested years and months.
    """
    out: dict[tuple[str, str], float] = {}
    if combined_rows.empty:
        return out
    parts = []
    for year in combined_rows["year"].unique():
        rows = combined_rows[combined_rows["year"] == year]
        for agg_id, member_ids in find_members(zones, int(year)).items():
            sub = rows[rows["zone_id"].isin(member_ids)]
            s = sub.groupby(["indicator", "month"])[["point", "actual"]].sum().reset_index()
            parts.append(s.assign(agg=agg_id, year=year))
    if not parts:
        return out
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[frame["actual"].abs() > 1e-9]
    frame["ape"] = (frame["point"] - frame["actual"]).abs() / frame["actual"].abs() * 100.0
    for (agg, ind), g in frame.groupby(["agg", "indicator"]):
        out[(agg, ind)] = float(g["ape"].mean())
    return out


def _member_draws(rows: pd.DataFrame, z: np.ndarray) -> np.ndarray:
    """Year-end draws of backtest rows from standard normals ``z`` (rows' predictive laws)."""
    point = rows["point"].to_numpy(float)[:, None]
    ytd = rows["ytd"].to_numpy(float)[:, None]
    is_flow = (rows["kind"] == "ytd_flow").to_numpy()[:, None]
    sd = rows["sd_abs"].to_numpy(float)[:, None]
    sigma = np.nan_to_num(rows["sigma_log"].to_numpy(float))[:, None]
    base = np.where(is_flow, ytd, 0.0)
    lognormal = base + (point - base) * np.exp(sigma * z)
    normal = point + np.nan_to_num(sd) * z
    draws = np.where(np.isfinite(sd) & (sd > 0), normal, lognormal)
    floor = is_flow & (ytd >= 0)
    return np.where(floor, np.maximum(draws, ytd), draws)


def backtest_aggregate_coverage(
    combined: pd.DataFrame,
    zones: pd.DataFrame,
    rho_for: Callable[[str, str, int], float],
    zone_share: float,
    *,
    n_sims: int = 400,
    seed: int = 0,
    independent: bool = False,
) -> pd.DataFrame:
    """Out-of-sample 80 % coverage of the aggregate lines, simulated with correlated errors.

    For every tested year and month, each member's year-end is drawn from its backtest
    predictive law (point, spread) with the common factor (ρ estimated without that year) and
    the zone factor; the draws are summed per aggregate line and the 10-90 % range compared with
    the summed actuals.

    Parameters
    ----------
    combined
        The combined method's backtest rows with ``sigma_log``, ``sd_abs`` (see
        :func:`zoneanalysis.projection.backtest.run_backtest`).
    zones
        The registry (membership is taken in each tested year).
    rho_for
        ``(indicator, frequency, held-out year)`` → common share estimated without that year.
    zone_share
        κ, the within-zone share of the remaining error.
    n_sims, seed
        Simulation size and seed.
    independent
        Draw members independently (ρ = κ = 0): the comparison of the old rule.

    Returns
    -------
    pandas.DataFrame
        One row per aggregate × indicator × year × month: ``agg``, ``indicator``, ``year``,
        ``month``, ``n_members``, ``actual``, ``point``, ``lower_80``, ``upper_80``,
        ``covered_80``, ``p_below`` (share of draws below the actual).
    """
    from zoneanalysis.projection.correlation import draw_factor_normals

    out = []
    rng = np.random.default_rng(seed)
    for (year, month), rows in combined.groupby(["year", "month"]):
        members = find_members(zones, int(year))
        for agg_id, member_ids in members.items():
            sub = rows[rows["zone_id"].isin(member_ids)]
            for ind, g in sub.groupby("indicator"):
                if len(g) < 2 or not np.isfinite(g["actual"]).all():
                    continue
                rho = np.array([rho_for(ind, f, int(year)) for f in g["frequency"]])
                kappa = (1.0 - rho) * zone_share
                if independent:
                    rho, kappa = np.zeros_like(rho), np.zeros_like(rho)
                codes = pd.factorize(g["zone_id"])[0]
                z = draw_factor_normals(codes, rho, kappa, n_sims, rng)
                total = _member_draws(g, z).sum(axis=0)
                lo, hi = np.quantile(total, [0.1, 0.9])
                actual = float(g["actual"].sum())
                out.append(
                    {
                        "agg": agg_id,
                        "indicator": ind,
                        "year": int(year),
                        "month": int(month),
                        "n_members": len(g),
                        "actual": actual,
                        "point": float(g["point"].sum()),
                        "lower_80": lo,
                        "upper_80": hi,
                        "covered_80": bool(lo <= actual <= hi),
                        "p_below": float((total < actual).mean()),
                    }
                )
    return pd.DataFrame(out)
