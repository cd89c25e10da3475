"""The long frames behind the projection fan chart, with an aggregate's summed history."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from zoneanalysis.projection.aggregate import find_members
from zoneanalysis.reporting.views.common import AGGREGATE_IDS, TARGET_SERIES

#: The main indicators of the 十强 list: a zone without targets shows their fan charts (and the
#: province overview's city tables show them).
KEY_INDICATORS = ("revenue", "value_added", "fai", "tax")
#: Said under the fan charts of a zone without targets.
NO_TARGET_FAN_NOTE = (
    "本区本期没有分区目标：下图只画主要指标的往年累计、本年累计与年末预测区间，没有目标线。"
)


def select_fan_indicators(
    projections: pd.DataFrame, zone_id: str, fallback: Iterable[str] = KEY_INDICATORS
) -> tuple[list[str], bool]:
    """The indicators whose fan chart a zone's page draws, and whether they have targets.

    Parameters
    ----------
    projections
        The period's projections.
    zone_id
        The zone.
    fallback
        Drawn (those projected, in this order) when no indicator of the zone has a target.

    Returns
    -------
    tuple
        The indicator codes and ``True`` when they are the zone's targeted indicators.

    Examples
    --------
    >>> p = pd.DataFrame({"zone_id": ["a", "a"], "indicator": ["fai", "revenue"],
    ...                   "target_value": [float("nan")] * 2})
    >>> select_fan_indicators(p, "a")
    (['revenue', 'fai'], False)
    """
    mine = projections[projections["zone_id"] == zone_id]
    targeted = list(mine.loc[mine["target_value"].notna(), "indicator"])
    if targeted:
        return targeted, True
    have = set(mine["indicator"])
    return [c for c in fallback if c in have], False


def build_projection_frame(
    stats: pd.DataFrame,
    projections: pd.DataFrame,
    zone_id: str,
    indicator: str,
    year: int,
    month: int,
    *,
    history_years: int = 2,
    zones: pd.DataFrame | None = None,
    target_label: str = TARGET_SERIES,
) -> pd.DataFrame:
    """The long frame behind the projection fan chart.

    Parameters
    ----------
    zones
        The registry; needed for an aggregate (``agg_zz_*``), whose history is the sum of its
        member zones (:func:`sum_aggregate_history`). Without it an aggregate has no history.
    target_label
        Series name of the target point (``目标`` or ``目标（示例）``).

    Returns
    -------
    pandas.DataFrame
        Columns series (往年实际 / 本年累计 / 年末预测 / 目标), year (str label, e.g. ``2015年``),
        month, value, lower_80, upper_80, lower_95, upper_95. Past years give monthly
        cumulative actuals; the current year its actuals up to ``month`` and a projected line
        from the last actual to December with the intervals at December; the target is a
        December point.
    """
    cols = ["series", "year", "month", "value", "lower_80", "upper_80", "lower_95", "upper_95"]
    if zone_id in AGGREGATE_IDS and zones is not None:
        stats = sum_aggregate_history(
            stats, zones, zone_id, years=range(year - history_years, year + 1)
        )
    parts = _actual_points(stats, zone_id, indicator, year, month, history_years)
    proj = projections[
        (projections["zone_id"] == zone_id) & (projections["indicator"] == indicator)
    ]
    if not proj.empty:
        parts += _projected_points(proj.iloc[0], year, month, target_label)
    frame = pd.DataFrame(parts, columns=cols)
    for c in cols[2:]:
        frame[c] = pd.to_numeric(frame[c], errors="coerce")
    return frame


def _actual_points(
    stats: pd.DataFrame, zone_id: str, indicator: str, year: int, month: int, history_years: int
) -> list[dict]:
    """Monthly cumulative actuals: past years whole, the current year up to ``month``."""
    sel = stats[
        (stats["zone_id"] == zone_id)
        & (stats["indicator"] == indicator)
        & (stats["year"].between(year - history_years, year))
    ]
    sel = sel[(sel["year"] < year) | (sel["month"] <= month)]
    return [
        {
            "series": "本年累计" if y == year else "往年实际",
            "year": f"{y}年",
            "month": m,
            "value": v,
        }
        for (y, m), v in sel.groupby(["year", "month"])["value"].last().items()
    ]


def _projected_points(p: pd.Series, year: int, month: int, target_label: str) -> list[dict]:
    """The projected line from the last actual to December with its intervals, and the target."""
    parts = []
    if pd.notna(p["ytd_value"]):
        parts.append(
            {"series": "年末预测", "year": f"{year}年", "month": month, "value": p["ytd_value"]}
        )
    parts.append(
        {
            "series": "年末预测",
            "year": f"{year}年",
            "month": 12,
            "value": p["projected_value"],
            "lower_80": p["lower_80"],
            "upper_80": p["upper_80"],
            "lower_95": p["lower_95"],
            "upper_95": p["upper_95"],
        }
    )
    if pd.notna(p["target_value"]):
        parts.append(
            {"series": target_label, "year": f"{year}年", "month": 12, "value": p["target_value"]}
        )
    return parts


def sum_aggregate_history(
    stats: pd.DataFrame,
    zones: pd.DataFrame,
    aggregate_id: str,
    *,
    years: Iterable[int],
) -> pd.DataFrame:
    """An aggregate's monthly cumulative history: the sum over its member zones.

    Membership is taken in each year by the projection's rule
    (:func:`zoneanalysis.projection.aggregate.find_members`, i.e. ``targets.AGGREGATE_LEVELS``
    on the registry level of that year). A year × month × indicator is kept only when every
    member that reports the indicator that year reports it that month, so a missing report
    leaves a gap instead of a false dip.

    Parameters
    ----------
    stats
        ``zone_stats``.
    zones
        The registry.
    aggregate_id
        ``agg_zz_provincial``, ``agg_zz_parks`` or ``agg_zz_all``.
    years
        Calendar years to sum.

    Returns
    -------
    pandas.DataFrame
        Columns zone_id (the aggregate id), year, month, indicator, value, n_members (members
        reporting the indicator that year), n_reporting.
    """
    cols = ["zone_id", "year", "month", "indicator", "value", "n_members", "n_reporting"]
    parts = []
    for year in years:
        members = find_members(zones, int(year)).get(aggregate_id, set())
        rows = stats[(stats["year"] == year) & stats["zone_id"].isin(members)]
        if rows.empty:
            continue
        # The last row per zone × month (a restated figure replaces the first one).
        rows = rows.drop_duplicates(["zone_id", "indicator", "month"], keep="last")
        summed = rows.groupby(["indicator", "month"], as_index=False).agg(
            value=("value", "sum"), n_reporting=("zone_id", "nunique")
        )
        summed["n_members"] = summed["indicator"].map(
            rows.groupby("indicator")["zone_id"].nunique()
        )
        summed = summed[summed["n_reporting"] == summed["n_members"]]
        parts.append(summed.assign(zone_id=aggregate_id, year=int(year)))
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)[cols]
    return out.sort_values(["indicator", "year", "month"]).reset_index(drop=True)
