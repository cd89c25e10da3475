"""The city overview's tables: aggregate targets, the completion heatmap, drag zones, counts."""

from __future__ import annotations

import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.reporting.answer import format_amount, label_gap
from zoneanalysis.reporting.views.common import AGGREGATE_IDS, indicator_names, mark_example
from zoneanalysis.reporting.views.verdicts import GAP_COLUMN
from zoneanalysis.verdicts import VerdictThresholds, classify_rows


def build_aggregate_table(
    projections: pd.DataFrame, thresholds: VerdictThresholds | None = None
) -> pd.DataFrame:
    """The plan's aggregate targets with their projections (one row per aggregate × target).

    Returns
    -------
    pandas.DataFrame
        Columns 结论, 范围, 指标, 单位, 本年累计, 预测年末, 80%区间, 目标, 完成目标概率,
        与目标相比 (差 … / 超 …), 预测增速%, 目标增速%, 其余月份需增长% (the verdict first, so a
        narrow screen still shows it).
    """
    catalogue = load_indicator_catalogue()
    agg = projections[
        projections["zone_id"].isin(AGGREGATE_IDS) & projections["target_value"].notna()
    ]
    order = {z: i for i, z in enumerate(AGGREGATE_IDS)}
    agg = agg.assign(_o=agg["zone_id"].map(order)).sort_values(["_o"], kind="stable")
    units = [catalogue[c].unit if c in catalogue else "" for c in agg["indicator"]]
    return pd.DataFrame(
        {
            "结论": classify_rows(agg, thresholds),
            "范围": agg["zone_name"].to_numpy(),
            "指标": [catalogue[c].name_zh if c in catalogue else c for c in agg["indicator"]],
            "单位": units,
            "本年累计": agg["ytd_value"].to_numpy(),
            "预测年末": agg["projected_value"].to_numpy(),
            "80%区间": [
                f"{format_amount(a)} ~ {format_amount(b)}"
                for a, b in zip(agg["lower_80"], agg["upper_80"], strict=True)
            ],
            "目标": agg["target_value"].to_numpy(),
            "完成目标概率": agg["p_meet_target"].to_numpy(),
            GAP_COLUMN: [
                label_gap(v, t, u)
                for v, t, u in zip(agg["projected_value"], agg["target_value"], units, strict=True)
            ],
            "预测增速%": agg["projected_growth_pct"].to_numpy(),
            "目标增速%": agg["target_growth_pct"].to_numpy(),
            "其余月份需增长%": agg["required_growth_pct"].to_numpy(),
        }
    )


def build_completion_frame(projections: pd.DataFrame, zones: pd.DataFrame) -> pd.DataFrame:
    """Task progress by Zhengzhou zone and indicator (the heatmap's tidy frame).

    Returns
    -------
    pandas.DataFrame
        Columns zone_id, zone_name, indicator, indicator_zh, task_progress_pct,
        projected_completion_pct (projected / target × 100), time_progress_pct; registry order.
    """
    names = indicator_names()
    zz = zones.loc[zones["is_zhengzhou"], ["zone_id"]]
    rows = projections[
        projections["zone_id"].isin(zz["zone_id"]) & projections["target_value"].notna()
    ]
    order = {z: i for i, z in enumerate(zz["zone_id"])}
    rows = rows.assign(_o=rows["zone_id"].map(order)).sort_values(["_o", "indicator"])
    return pd.DataFrame(
        {
            "zone_id": rows["zone_id"].to_numpy(),
            "zone_name": rows["zone_name"].to_numpy(),
            "indicator": rows["indicator"].to_numpy(),
            "indicator_zh": [names.get(c, c) for c in rows["indicator"]],
            "task_progress_pct": rows["task_progress_pct"].astype(float).to_numpy(),
            "projected_completion_pct": (rows["projected_value"] / rows["target_value"] * 100)
            .astype(float)
            .to_numpy(),
            "time_progress_pct": rows["time_progress_pct"].astype(float).to_numpy(),
        }
    )


def find_drag_zones(
    projections: pd.DataFrame,
    zones: pd.DataFrame,
    top: int = 5,
    *,
    example_ids: set[str] | frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Which zones pull the totals down: largest projected shortfalls against their targets.

    Parameters
    ----------
    example_ids
        Zones whose targets are examples (:func:`list_example_target_ids`); their target values
        are marked 示例 (``1,680.0（示例）``).

    Returns
    -------
    pandas.DataFrame
        Columns 集聚区, 指标, 单位, 预测年末, 目标, 比目标少 (a positive amount), 占合计缺口%;
        only zones with a shortfall, the ``top`` largest per indicator.
    """
    names = indicator_names()
    catalogue = load_indicator_catalogue()
    zz = set(zones.loc[zones["is_zhengzhou"], "zone_id"])
    rows = projections[projections["zone_id"].isin(zz) & projections["target_value"].notna()].copy()
    rows["gap"] = rows["projected_value"] - rows["target_value"]
    short = rows[rows["gap"] < 0].copy()
    short["share"] = short["gap"] / short.groupby("indicator")["gap"].transform("sum") * 100
    short = short.sort_values(["indicator", "gap"]).groupby("indicator").head(top)
    return pd.DataFrame(
        {
            "集聚区": short["zone_name"].to_numpy(),
            "指标": [names.get(c, c) for c in short["indicator"]],
            "单位": [catalogue[c].unit if c in catalogue else "" for c in short["indicator"]],
            "预测年末": short["projected_value"].to_numpy(),
            "目标": [
                mark_example(v, z in example_ids)
                for v, z in zip(short["target_value"], short["zone_id"], strict=True)
            ],
            "比目标少": -short["gap"].to_numpy(),
            "占合计缺口%": short["share"].to_numpy(),
        }
    )


def build_count_targets(targets: dict) -> pd.DataFrame:
    """The plan's count targets; progress is not available yet (shown as 进度数据待接入).

    Returns
    -------
    pandas.DataFrame
        Columns 任务, 目标, 单位, 进度, 来源.
    """
    rows = []
    for item in targets.get("counts", []) or []:
        comparison = {">=": "≥", ">": ">"}.get(str(item.get("comparison", "")), "")
        rows.append(
            {
                "任务": item.get("name_zh", item.get("code", "")),
                "目标": f"{comparison}{item.get('target', '')}",
                "单位": item.get("unit", ""),
                "进度": "进度数据待接入",
                "来源": item.get("source", ""),
            }
        )
    return pd.DataFrame(rows, columns=["任务", "目标", "单位", "进度", "来源"])
