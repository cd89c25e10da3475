"""时间过半、任务过半 that agrees with the verdict: flows against their usual pace, stocks against the target.

A flow (年初至今累计: revenue, investment …) is judged against two yardsticks: time progress
(June → 50 %) and the zone's own usual completion share by that month (往年同期进度: the share of
the year-end total that the zone had reached by the same month in its past years). Back-loaded
investment is thus judged against its own rhythm, not against the calendar. The verdict of a flow
uses the usual share when the zone has history, else time progress.

A stock (期末存量: employment) is a level, not a cumulative sum: it is judged by its level against
the target and has no time yardstick, so a stock never shows "超过时间进度".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.rules.report import ReportRules, load_report_rules

#: Catalogue kinds judged as flows (cumulative within the year) and as stocks (levels).
FLOW_KINDS = frozenset({"ytd_flow", "count"})
STOCK_KINDS = frozenset({"stock"})
#: How many past years the usual completion share averages (the most recent ones).
USUAL_SHARE_YEARS = 3

AHEAD_OF_USUAL, BEHIND_USUAL = "快于往年同期进度", "慢于往年同期进度"
AHEAD_OF_TIME, BEHIND_TIME = "超过时间进度", "落后时间进度"
STOCK_MET, STOCK_SHORT = "已达到目标水平", "未达到目标水平"
ON_USUAL, ON_TIME = "与往年同期进度持平", "与时间进度持平"
#: Every pace verdict: good ones (green), level ones (grey), then bad ones (red).
PACE_VERDICTS = (
    AHEAD_OF_USUAL,
    AHEAD_OF_TIME,
    STOCK_MET,
    ON_USUAL,
    ON_TIME,
    BEHIND_USUAL,
    BEHIND_TIME,
    STOCK_SHORT,
)
GOOD_VERDICTS = frozenset({AHEAD_OF_USUAL, AHEAD_OF_TIME, STOCK_MET})
LEVEL_VERDICTS = frozenset({ON_USUAL, ON_TIME})

PROGRESS_COLUMNS = [
    "indicator",
    "indicator_zh",
    "kind",
    "time_progress_pct",
    "task_progress_pct",
    "usual_progress_pct",
    "usual_years",
    "yardstick_pct",
    "yardstick_zh",
    "verdict",
]


def level_band_pp(rules: ReportRules | None = None) -> float:
    """Points within which task progress is "持平" with its yardstick (neither ahead nor behind).

    A 0.1-point lead is no reason to call a zone ahead when its projection falls short; the band
    is report_rules.yaml ``progress.level_band_pp``.
    """
    return float((rules or load_report_rules()).progress.level_band_pp)


def describe_progress_rule(rules: ReportRules | None = None) -> str:
    """The rule in plain Chinese (shown under the chart), with the configured band.

    Examples
    --------
    >>> "相差不到 1 个百分点算持平" in describe_progress_rule()
    True
    """
    return (
        "累计类指标（收入、投资等）的任务进度（本年累计占全年目标的百分比）同时对照时间进度和本区"
        f"往年同期进度（往年到同一月份完成全年的比例，最近 {USUAL_SHARE_YEARS} 年平均）；"
        "判断快慢以往年同期进度为准，没有往年数据时以时间进度为准；"
        f"相差不到 {level_band_pp(rules):g} 个百分点算持平。存量指标（从业人员等）是期末水平，"
        "不按时间进度判断，只比较当前水平与目标水平。"
    )


#: :func:`describe_progress_rule` of the shipped rules (the pages show it under the chart).
PROGRESS_RULE = describe_progress_rule()
#: Shown instead of the progress chart and table when no indicator of the zone has a target.
NO_PROGRESS_NOTE = (
    "本区本期没有分区目标，不计算任务进度（时间过半、任务过半只对有目标的指标判断）。"
)


def classify_kind(indicator: str) -> str | None:
    """``flow``, ``stock`` or ``None`` (rates are not judged) from the indicator catalogue."""
    ind = load_indicator_catalogue().get(indicator)
    if ind is None:
        return None
    if ind.kind in FLOW_KINDS:
        return "flow"
    if ind.kind in STOCK_KINDS:
        return "stock"
    return None


def compute_usual_share(
    history: pd.DataFrame, year: int, month: int, *, max_years: int = USUAL_SHARE_YEARS
) -> tuple[float, int]:
    """The usual share (%) of the year-end total reached by ``month``, from past years.

    Parameters
    ----------
    history
        One unit's rows of one indicator: ``year``, ``month``, ``value`` (cumulative).
    year
        The reporting year (only earlier years count).
    month
        The reporting month.
    max_years
        Average over at most this many of the most recent complete past years.

    Returns
    -------
    tuple of (float, int)
        The mean share × 100 (NaN without a usable year) and the number of years averaged.

    Examples
    --------
    >>> h = pd.DataFrame({"year": [2014, 2014, 2015, 2015], "month": [6, 12, 6, 12],
    ...                   "value": [30.0, 100.0, 40.0, 100.0]})
    >>> compute_usual_share(h, 2016, 6)
    (35.0, 2)
    """
    past = history[history["year"] < year]
    wide = past.pivot_table(index="year", columns="month", values="value", aggfunc="last")
    if month not in wide.columns or 12 not in wide.columns:
        return float("nan"), 0
    share = (wide[month] / wide[12]).where(wide[12] > 0).dropna()
    share = share.sort_index().tail(max_years)
    if share.empty:
        return float("nan"), 0
    return float(share.mean() * 100.0), int(share.size)


def judge_pace(
    kind: str, task: float, time: float, usual: float, *, band_pp: float | None = None
) -> tuple[float, str, str]:
    """The yardstick and verdict of one indicator.

    ``band_pp`` is the 持平 band (:func:`level_band_pp` of the shipped rules by default).

    Returns
    -------
    tuple
        ``(yardstick_pct, yardstick_zh, verdict)``.

    Examples
    --------
    >>> judge_pace("stock", 95.0, 50.0, float("nan"))
    (100.0, '目标水平', '未达到目标水平')
    >>> judge_pace("flow", 40.0, 50.0, 35.0)
    (35.0, '往年同期进度', '快于往年同期进度')
    >>> judge_pace("flow", 40.0, 50.0, float("nan"))
    (50.0, '时间进度', '落后时间进度')
    >>> judge_pace("flow", 45.9, 50.0, 45.8)[2]
    '与往年同期进度持平'

    """
    if kind == "stock":
        return 100.0, "目标水平", STOCK_MET if task >= 100.0 else STOCK_SHORT
    band = level_band_pp() if band_pp is None else band_pp
    if not np.isnan(usual):
        verdict = _compare(task, usual, band, AHEAD_OF_USUAL, ON_USUAL, BEHIND_USUAL)
        return usual, "往年同期进度", verdict
    return time, "时间进度", _compare(task, time, band, AHEAD_OF_TIME, ON_TIME, BEHIND_TIME)


def _compare(
    task: float, yardstick: float, band: float, ahead: str, level: str, behind: str
) -> str:
    if abs(task - yardstick) < band:
        return level
    return ahead if task > yardstick else behind


def build_progress_frame(
    projections: pd.DataFrame,
    unit_id: str,
    stats: pd.DataFrame | None = None,
    *,
    zones: pd.DataFrame | None = None,
    rules: ReportRules | None = None,
) -> pd.DataFrame:
    """Task progress of one zone or aggregate, each indicator against the yardstick of its kind.

    Parameters
    ----------
    projections
        The period's projections.
    unit_id
        A zone id or ``agg_zz_*``.
    stats
        ``zone_stats`` for the usual completion share; without it flows use time progress only.
    zones
        The registry, needed for an aggregate's history (sum of its members).
    rules
        The report rules (the 持平 band); the shipped ones by default.

    Returns
    -------
    pandas.DataFrame
        ``PROGRESS_COLUMNS``: ``kind`` is flow / stock, ``time_progress_pct`` is NaN for a
        stock, ``usual_progress_pct`` the usual share (NaN for a stock or without history),
        ``yardstick_pct`` what the verdict compares with, ``verdict`` one of
        :data:`PACE_VERDICTS`.
    """
    from zoneanalysis.reporting.views import (
        AGGREGATE_IDS,
        indicator_names,
        sort_unit_rows,
        sum_aggregate_history,
    )

    names = indicator_names()
    band = level_band_pp(rules)
    rows = sort_unit_rows(projections, unit_id)
    rows = rows[rows["task_progress_pct"].notna() & rows["target_value"].notna()]
    history = pd.DataFrame(columns=["indicator", "year", "month", "value"])
    if stats is not None and not rows.empty:
        year = int(rows["year"].iloc[0])
        if unit_id in AGGREGATE_IDS and zones is not None:
            history = sum_aggregate_history(
                stats, zones, unit_id, years=range(year - USUAL_SHARE_YEARS, year)
            )
        else:
            history = stats[stats["zone_id"] == unit_id]
    out = []
    for r in rows.itertuples():
        kind = classify_kind(r.indicator)
        if kind is None:
            continue
        task = float(r.task_progress_pct)
        time = float(r.time_progress_pct) if kind == "flow" else float("nan")
        usual, n_years = float("nan"), 0
        if kind == "flow" and int(r.month) < 12:
            own = history[history["indicator"] == r.indicator]
            usual, n_years = compute_usual_share(own, int(r.year), int(r.month))
        yardstick, yardstick_zh, verdict = judge_pace(kind, task, time, usual, band_pp=band)
        out.append(
            [r.indicator, names.get(r.indicator, r.indicator), kind, time, task, usual, n_years]
            + [yardstick, yardstick_zh, verdict]
        )
    frame = pd.DataFrame(out, columns=PROGRESS_COLUMNS)
    for col in ("time_progress_pct", "task_progress_pct", "usual_progress_pct", "yardstick_pct"):
        frame[col] = frame[col].astype(float)
    frame["usual_years"] = frame["usual_years"].astype(int)
    return frame


def build_progress_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The progress frame as the page's table (Chinese headers, — where a yardstick does not apply).

    Returns
    -------
    pandas.DataFrame
        Columns 指标, 判断, 任务进度%, 往年同期进度%, 时间进度%, 类型 (the verdict second, so a
        narrow screen still shows it).
    """
    return pd.DataFrame(
        {
            "指标": frame["indicator_zh"].to_numpy(),
            "判断": frame["verdict"].to_numpy(),
            "任务进度%": frame["task_progress_pct"].to_numpy(),
            "往年同期进度%": frame["usual_progress_pct"].to_numpy(),
            "时间进度%": frame["time_progress_pct"].to_numpy(),
            "类型": frame["kind"].map({"flow": "累计", "stock": "存量（期末水平）"}).to_numpy(),
        }
    )
