"""Industry clusters: revenue by leading industry, projected to year end against the plan's targets.

The projection reuses :func:`zoneanalysis.projection.project_year_end` (its methods, backtest,
combination and simulated intervals): each cluster's city-wide revenue series is handed to it as
one more unit, with the cluster target as that unit's level target.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from zoneanalysis.targets import Targets

CLUSTER_PREFIX = "cluster_"

CLUSTER_COLUMNS = [
    "industry",
    "year",
    "month",
    "n_zones",
    "zones",
    "ytd_value",
    "prev_year_value",
    "projected_value",
    "lower_80",
    "upper_80",
    "lower_95",
    "upper_95",
    "projected_growth_pct",
    "target_value",
    "comparison",
    "p_meet_target",
    "required_growth_pct",
    "time_progress_pct",
    "task_progress_pct",
    "method",
    "backtest_mape_pct",
    "notes",
]


def sum_cluster_revenue(industry: pd.DataFrame) -> pd.DataFrame:
    """City-wide revenue of each industry per period (sum over the zones reporting it).

    Parameters
    ----------
    industry
        Tidy revenue by industry per zone (``columns.INDUSTRY_COLUMNS``).

    Returns
    -------
    pandas.DataFrame
        ``industry``, ``year``, ``month``, ``value`` (亿元), ``n_zones``.
    """
    out = (
        industry.groupby(["industry", "year", "month"], sort=True)
        .agg(value=("value", "sum"), n_zones=("zone_id", "nunique"))
        .reset_index()
    )
    return out


def project_clusters(
    industry: pd.DataFrame,
    clusters: list[dict],
    year: int,
    month: int,
    *,
    targets: Targets,
    zones: pd.DataFrame,
    n_sims: int = 2000,
    seed: int = 2016,
) -> pd.DataFrame:
    """Project each target cluster's city-wide revenue to year end, with intervals and P(meet).

    Parameters
    ----------
    industry
        Tidy revenue by industry per zone, all years available (the backtest uses past years).
    clusters
        The ``clusters:`` list of the targets file (``industry``, ``target_revenue``,
        ``comparison``, ``zones`` …).
    year, month
        The reporting period.
    targets
        The loaded targets (only used as a template; its zone targets are replaced).
    zones
        The registry.
    n_sims, seed
        Passed to the projection.

    Returns
    -------
    pandas.DataFrame
        One row per cluster of the targets file, columns ``CLUSTER_COLUMNS``; a cluster without
        data in the period has null projections and the note "本期无数据".
    """
    from zoneanalysis.projection import project_year_end

    totals = sum_cluster_revenue(industry)
    totals = totals[
        (totals["year"] < year) | ((totals["year"] == year) & (totals["month"] <= month))
    ]
    unit_of = {c["industry"]: f"{CLUSTER_PREFIX}{i}" for i, c in enumerate(clusters)}
    stats = totals[totals["industry"].isin(unit_of)].assign(
        zone_id=lambda f: f["industry"].map(unit_of),
        indicator="revenue",
        unit="亿元",
        yoy_pct=float("nan"),
    )
    cluster_targets = dataclasses.replace(
        targets,
        zone_targets={
            unit_of[c["industry"]]: {"revenue": float(c["target_revenue"])} for c in clusters
        },
        zone_is_example={unit_of[c["industry"]]: False for c in clusters},
        aggregates={},
    )
    projected = pd.DataFrame()
    if not stats.empty:
        projected = project_year_end(
            stats[["zone_id", "year", "month", "indicator", "value", "unit", "yoy_pct"]],
            year,
            month,
            targets=cluster_targets,
            zones=zones,
            n_sims=n_sims,
            seed=seed,
        )
        projected = projected[~projected["is_aggregate"].astype(bool)]
    now = totals[(totals["year"] == year) & (totals["month"] == month)].set_index("industry")
    rows = []
    for c in clusters:
        ind = c["industry"]
        row = {col: pd.NA for col in CLUSTER_COLUMNS}
        hit = projected[projected["zone_id"] == unit_of[ind]] if not projected.empty else projected
        if not hit.empty:
            row.update(hit.iloc[0].to_dict())
        row.update(
            industry=ind,
            year=year,
            month=month,
            n_zones=int(now.at[ind, "n_zones"]) if ind in now.index else 0,
            zones="；".join(c.get("zones") or []),
            target_value=float(c["target_revenue"]),
            comparison=c.get("comparison", ">"),
            time_progress_pct=month / 12 * 100,
        )
        if hit.empty:
            row["notes"] = "本期无数据"
        rows.append(row)
    out = pd.DataFrame(rows, columns=CLUSTER_COLUMNS)
    numeric = [c for c in CLUSTER_COLUMNS[5:] if c not in ("comparison", "method", "notes")]
    for col in numeric:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Float64")
    return out
