"""The answer-first summary at the top of index.html: verdict counts and stars per zone.

Every verdict comes from :func:`zoneanalysis.reporting.views.build_verdict_table`, the same rule
the zone reports and the overview show, so the index and the pages never disagree.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zoneanalysis import labels, paths, verdicts
from zoneanalysis.periods import parse_period
from zoneanalysis.registry import load_zones, zone_level
from zoneanalysis.reporting import views
from zoneanalysis.reporting.answer import build_answer_lines
from zoneanalysis.reporting.data import read_table, read_targets

#: The plan's aggregate lines shown first (against the plan's own targets).
SUMMARY_AGGREGATES = labels.AGGREGATE_SHORT_NAMES_ZH
GROUP_AGGREGATE = "全市合计"
#: Registry level → the group heading its zones are listed under.
LEVEL_GROUP = labels.LEVEL_NAMES_ZH
SUMMARY_COLUMNS = [
    "unit_id",
    "name",
    "group",
    "report_key",
    "n_on_track",
    "n_at_risk",
    "n_off_track",
    "off_track_indicators",
    "star_projected",
    "star_target",
    "star_below_target",
    "targets_are_example",
    "headline",
]


def _count_row(projections: pd.DataFrame, unit_id: str, thresholds) -> dict:
    verdicts = views.build_verdict_table(projections, unit_id, thresholds)
    counts = verdicts["结论"].value_counts() if not verdicts.empty else pd.Series(dtype=int)
    off = verdicts.loc[verdicts["结论"] == labels.OFF_TRACK, "指标"] if not verdicts.empty else []
    lines = build_answer_lines(projections, unit_id)
    return {
        "n_on_track": int(counts.get(labels.ON_TRACK, 0)),
        "n_at_risk": int(counts.get(labels.AT_RISK, 0)),
        "n_off_track": int(counts.get(labels.OFF_TRACK, 0)),
        "off_track_indicators": "、".join(off),
        # The answer for the hardest target (lowest probability), one sentence.
        "headline": lines[0] if lines else "",
    }


def build_index_summary(
    projections: pd.DataFrame,
    stars: pd.DataFrame,
    zones: pd.DataFrame,
    year: int,
    *,
    example_ids: set[str] | frozenset[str] = frozenset(),
    zone_ids: list[str] | None = None,
    thresholds: verdicts.VerdictThresholds | None = None,
) -> pd.DataFrame:
    """One row per aggregate line and per Zhengzhou zone/park: traffic-light counts and stars.

    Parameters
    ----------
    projections
        The period's ``projections`` table.
    stars
        The period's ``stars`` table (may be empty: stars then show as missing).
    zones
        The registry; the zones are the Zhengzhou zones registered in ``year`` (the ones the
        batch writes reports for), in registry order.
    year
        The reporting year.
    example_ids
        Zones whose targets are examples (:func:`views.list_example_target_ids`).
    zone_ids
        Only these zones (the reports of a run restricted with ``--zones``); all by default.
    thresholds
        The verdict cut-offs; the reports' defaults when ``None``.

    Returns
    -------
    pandas.DataFrame
        ``SUMMARY_COLUMNS``: the two aggregate lines first (``report_key`` ``overview``), then
        provincial zones, then city parks (``report_key`` ``zones/<zone_id>``). Counts are the
        number of targets per verdict; ``off_track_indicators`` names the 难以完成 ones;
        ``star_projected`` / ``star_target`` are levels (nullable), ``star_below_target`` is
        true when the projection falls short of the target; ``headline`` is the one-sentence
        answer for the hardest target (:func:`zoneanalysis.reporting.answer.build_answer_lines`).
    """
    thresholds = thresholds or verdicts.VerdictThresholds()
    rows = []
    for unit_id, name in SUMMARY_AGGREGATES.items():
        rows.append(
            {
                "unit_id": unit_id,
                "name": name,
                "group": GROUP_AGGREGATE,
                "report_key": "overview",
                **_count_row(projections, unit_id, thresholds),
                "targets_are_example": False,
            }
        )
    level = zone_level(zones, year)
    star = stars.set_index("zone_id") if not stars.empty else pd.DataFrame()
    zz = zones[zones["is_zhengzhou"]]
    for group_level in ("provincial", "city_park"):
        for zone_id, name in zip(zz["zone_id"], zz["zone_name"], strict=True):
            if level.get(zone_id) is pd.NA or level.get(zone_id) != group_level:
                continue
            if zone_ids is not None and zone_id not in zone_ids:
                continue
            projected = star.at[zone_id, "star_projected"] if zone_id in star.index else pd.NA
            target = star.at[zone_id, "star_target"] if zone_id in star.index else pd.NA
            rows.append(
                {
                    "unit_id": zone_id,
                    "name": name,
                    "group": LEVEL_GROUP[group_level],
                    "report_key": f"zones/{zone_id}",
                    **_count_row(projections, zone_id, thresholds),
                    "star_projected": projected,
                    "star_target": target,
                    "targets_are_example": zone_id in example_ids,
                }
            )
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for col in ("star_projected", "star_target"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    below = out["star_projected"] < out["star_target"]
    out["star_below_target"] = below.fillna(False).astype(bool)
    out["targets_are_example"] = out["targets_are_example"].astype(bool)
    return out


def load_index_summary(
    period: str,
    *,
    processed: str | Path | None = None,
    zones_path: str | Path | None = None,
    targets_path: str | Path | None = None,
    zone_ids: list[str] | None = None,
) -> pd.DataFrame:
    """Read the period's tables from the processed folder and build :func:`build_index_summary`.

    ``zone_ids`` limits the zone rows (all Zhengzhou zones of the year by default).

    Raises
    ------
    InputDataError
        If the period's projections are missing (the stars table is optional).
    """
    year, _ = parse_period(period)
    processed = Path(processed) if processed else paths.PROCESSED_DIR
    projections = read_table(paths.projections_path(processed, period), required=True)
    stars = read_table(paths.stars_path(processed, period), required=False)
    targets = read_targets(targets_path if targets_path else paths.TARGETS_FILE, year=year)
    return build_index_summary(
        projections,
        stars,
        load_zones(zones_path),
        year,
        example_ids=views.list_example_target_ids(targets),
        zone_ids=zone_ids,
    )
