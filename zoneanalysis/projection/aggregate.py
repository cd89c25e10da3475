"""Aggregates (provincial zones, parks, both) from summed simulated paths, never by adding bounds."""

from __future__ import annotations

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
