"""A zone page's tables: indicators against targets, the backtest error, progress, peers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.reporting.answer import format_amount
from zoneanalysis.reporting.views.common import (
    AGGREGATE_IDS,
    NA_TEXT,
    TARGET_SERIES,
    indicator_names,
    shorten_method,
    sort_unit_rows,
)

#: How the projected growth and the bureau's growth are labelled (each by its basis).
PROJECTED_GROWTH = "预测全年增速（按上年实际计算）%"
REPORTED_GROWTH = "报表同比增速（可比口径）%"
BACKTEST_OWN, BACKTEST_POOLED = "本区", "全部集聚区合计"


def build_indicator_table(
    projections: pd.DataFrame,
    unit_id: str,
    *,
    target_label: str = TARGET_SERIES,
    stats: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indicators against targets for one zone or aggregate.

    Parameters
    ----------
    target_label
        Heads the target column (``目标（示例）`` for example targets).
    stats
        ``zone_stats``: gives the bureau's reported growth (同比, 可比口径) of the period, shown
        beside the projected growth; without it that column is missing (—).

    Returns
    -------
    pandas.DataFrame
        One row per indicator: 指标, 单位, 本年累计, 报表同比增速（可比口径）%, 上年全年, 预测年末,
        80%区间, 预测全年增速（按上年实际计算）%, 目标, 目标增速%, 其余月份需增长%, 时间进度%,
        任务进度%, 预测方法, 回测误差% (labelled 本区 when the zone's own backtest error is in
        the projections as ``backtest_mape_zone_pct``, else 全部集聚区合计).
    """
    catalogue = load_indicator_catalogue()
    rows = sort_unit_rows(projections, unit_id)

    def interval(lo: float, hi: float) -> str:
        if pd.isna(lo) or pd.isna(hi):
            return NA_TEXT
        # Small figures keep their digits (1.50 ~ 1.58, not 1.5 ~ 1.6).
        return f"{format_amount(lo)} ~ {format_amount(hi)}"

    out = pd.DataFrame(
        {
            "指标": [catalogue[c].name_zh if c in catalogue else c for c in rows["indicator"]],
            "单位": [catalogue[c].unit if c in catalogue else "" for c in rows["indicator"]],
            "本年累计": rows["ytd_value"].to_numpy(),
            REPORTED_GROWTH: lookup_reported_growth(stats, rows),
            "上年全年": rows["prev_year_value"].to_numpy(),
            "预测年末": rows["projected_value"].to_numpy(),
            "80%区间": [interval(a, b) for a, b in zip(rows["lower_80"], rows["upper_80"])],
            PROJECTED_GROWTH: rows["projected_growth_pct"].to_numpy(),
            target_label: rows["target_value"].to_numpy(),
            "目标增速%": rows["target_growth_pct"].to_numpy(),
            "其余月份需增长%": rows["required_growth_pct"].to_numpy(),
            "时间进度%": rows["time_progress_pct"].to_numpy(),
            "任务进度%": rows["task_progress_pct"].to_numpy(),
            # The method's name only; its weights are in the data notes (a long cell would make
            # every row of this table several lines high).
            "预测方法": [shorten_method(m) for m in rows["method"]],
            "回测误差%": label_backtest_error(rows),
        }
    )
    return out.reset_index(drop=True)


def lookup_reported_growth(stats: pd.DataFrame | None, rows: pd.DataFrame) -> list[float]:
    """The bureau's reported growth (``yoy_pct``, 可比口径) of each projections row's period.

    Never computed: missing where the table printed none (and for aggregates, whose totals
    rows are not kept).
    """
    if stats is None or rows.empty or "yoy_pct" not in stats.columns:
        return [np.nan] * len(rows)
    keys = ["zone_id", "indicator", "year", "month"]
    reported = stats.drop_duplicates(keys, keep="last").set_index(keys)["yoy_pct"]
    index = pd.MultiIndex.from_frame(rows[keys].astype({"year": int, "month": int}))
    return pd.to_numeric(reported.reindex(index), errors="coerce").tolist()


def label_backtest_error(rows: pd.DataFrame) -> list[str]:
    """Backtest MAPE of each row, labelled by whose error it is (本区 or 全部集聚区合计).

    ``backtest_mape_zone_pct`` (the zone's own error over its past years), where the
    projections carry it, is preferred; else the pooled ``backtest_mape_pct``. An aggregate's
    ``backtest_mape_pct`` is its own (本合计).
    """
    own = rows.get("backtest_mape_zone_pct")
    out = []
    for i, (unit_id, pooled) in enumerate(zip(rows["zone_id"], rows["backtest_mape_pct"])):
        mine = own.iloc[i] if own is not None else np.nan
        if unit_id in AGGREGATE_IDS and pd.notna(pooled):
            # An aggregate's error is its own: the summed paths scored against summed actuals.
            out.append(f"{float(pooled):.1f}（本合计）")
        elif pd.notna(mine):
            out.append(f"{float(mine):.1f}（{BACKTEST_OWN}）")
        elif pd.notna(pooled):
            out.append(f"{float(pooled):.1f}（{BACKTEST_POOLED}）")
        else:
            out.append(NA_TEXT)
    return out


def build_progress_frame(
    projections: pd.DataFrame,
    unit_id: str,
    stats: pd.DataFrame | None = None,
    *,
    zones: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Task progress against the yardstick of each indicator's kind (时间过半、任务过半).

    Flows against time progress and the zone's usual share by this month, stocks against the
    target level; see :func:`zoneanalysis.reporting.progress.build_progress_frame`.
    """
    from zoneanalysis.reporting import progress

    return progress.build_progress_frame(projections, unit_id, stats, zones=zones)


def build_peer_table(
    projections: pd.DataFrame, zones: pd.DataFrame, zone_id: str, indicators: list[str]
) -> pd.DataFrame:
    """The zone among its Zhengzhou peers of the same kind (provincial zones or parks).

    Returns
    -------
    pandas.DataFrame
        One row per peer: 集聚区, then per indicator its task progress (%) and projected
        growth (%), and 本区 (True for ``zone_id``). Sorted by the first indicator's task
        progress, best first.
    """
    names = indicator_names()
    reg = zones.set_index("zone_id")
    if zone_id not in reg.index:
        return pd.DataFrame()
    is_park = pd.isna(reg.at[zone_id, "provincial_from"]) or pd.notna(
        reg.at[zone_id, "provincial_to"]
    )
    zz = reg[reg["is_zhengzhou"]]
    park_mask = zz["provincial_from"].isna() | zz["provincial_to"].notna()
    peer_ids = list(zz.index[park_mask == is_park])
    sub = projections[
        projections["zone_id"].isin(peer_ids) & projections["indicator"].isin(indicators)
    ]
    frame = pd.DataFrame({"zone_id": peer_ids})
    frame["集聚区"] = frame["zone_id"].map(reg["zone_name"])
    for code in indicators:
        part = sub[sub["indicator"] == code].set_index("zone_id")
        frame[f"{names.get(code, code)}任务进度%"] = frame["zone_id"].map(part["task_progress_pct"])
        frame[f"{names.get(code, code)}预测增速%"] = frame["zone_id"].map(
            part["projected_growth_pct"]
        )
    frame["本区"] = frame["zone_id"] == zone_id
    if indicators:
        key = f"{names.get(indicators[0], indicators[0])}任务进度%"
        frame = frame.sort_values(key, ascending=False, na_position="last")
    return frame.drop(columns="zone_id").reset_index(drop=True)
