"""The tables a report shows, built from the processed tables (pure pandas).

Column headers are Chinese because these frames are shown as they are.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.projection.aggregate import find_members
from zoneanalysis.reporting.answer import format_amount, label_gap
from zoneanalysis.rules.report import load_report_rules

ON_TRACK = "有望完成"
AT_RISK = "有风险"
OFF_TRACK = "难以完成"
VERDICT_ORDER = [OFF_TRACK, AT_RISK, ON_TRACK]
LIGHTS = {ON_TRACK: "green", AT_RISK: "amber", OFF_TRACK: "red"}
#: Rules from data/raw/reference/report_rules.yaml (zoneanalysis.rules.load_report_rules).
_RULES = load_report_rules()
AGGREGATE_IDS = list(_RULES.aggregates)
#: Order of the ranking lists on a page (report_rules.yaml ``display.list_order``).
LIST_ORDER = list(_RULES.display.list_order)
NA_TEXT = "—"
TARGET_SERIES = "目标"
#: How a per-zone target is labelled when the year's targets file marks it ``is_example``.
EXAMPLE_TARGET = "目标（示例）"
#: The gap column of verdict tables: 差 … (short of the target) or 超 … (above it).
GAP_COLUMN = "与目标相比"
#: How the projected growth and the bureau's growth are labelled (each by its basis).
PROJECTED_GROWTH = "预测全年增速（按上年实际计算）%"
REPORTED_GROWTH = "报表同比增速（可比口径）%"
BACKTEST_OWN, BACKTEST_POOLED = "本区", "全部集聚区合计"
#: Chinese wording of zone_stats quality flags (the codes never reach a page).
QUALITY_FLAG_ZH = {
    "revised": "后续报表修订了该数",
    "ytd_decrease": "累计值比上月减少",
}


@dataclass(frozen=True)
class VerdictThresholds:
    """When a target counts as on track, at risk or off track.

    Attributes
    ----------
    p_on_track
        ``p_meet_target`` at or above this: on track.
    p_at_risk
        ``p_meet_target`` at or above this (and below ``p_on_track``): at risk; below: off track.
    ratio_at_risk
        Used only when ``p_meet_target`` is missing: projected / target at or above 1 is on
        track, at or above this is at risk, below is off track.
    """

    p_on_track: float = _RULES.verdict.p_on_track
    p_at_risk: float = _RULES.verdict.p_at_risk
    ratio_at_risk: float = _RULES.verdict.ratio_at_risk


@functools.cache
def indicator_names() -> dict[str, str]:
    """Indicator code → Chinese name, from the catalogue (read once per process)."""
    return {code: ind.name_zh for code, ind in load_indicator_catalogue().items()}


def classify_verdict(
    p_meet: float | None,
    projected: float | None,
    target: float | None,
    thresholds: VerdictThresholds = VerdictThresholds(),
) -> str | None:
    """One target's verdict: on track, at risk or off track (``None`` without a target).

    Parameters
    ----------
    p_meet
        Probability of meeting the target (0–1), may be missing.
    projected, target
        Projected year-end value and the target (fallback when ``p_meet`` is missing).
    thresholds
        Cut-offs.
    """
    if target is None or pd.isna(target):
        return None
    if p_meet is not None and not pd.isna(p_meet):
        if p_meet >= thresholds.p_on_track:
            return ON_TRACK
        return AT_RISK if p_meet >= thresholds.p_at_risk else OFF_TRACK
    if projected is None or pd.isna(projected) or target == 0:
        return None
    ratio = projected / target
    if ratio >= 1:
        return ON_TRACK
    return AT_RISK if ratio >= thresholds.ratio_at_risk else OFF_TRACK


def classify_rows(
    rows: pd.DataFrame, thresholds: VerdictThresholds = VerdictThresholds()
) -> list[str | None]:
    """:func:`classify_verdict` of every projections row (``p_meet_target``, projected, target)."""
    return [
        classify_verdict(p, v, t, thresholds)
        for p, v, t in zip(rows["p_meet_target"], rows["projected_value"], rows["target_value"])
    ]


def describe_verdict_thresholds(thresholds: VerdictThresholds = VerdictThresholds()) -> str:
    """The verdict rule in plain Chinese, with the configured cut-offs.

    Examples
    --------
    >>> describe_verdict_thresholds(VerdictThresholds(0.8, 0.5, 0.9))[:30]
    '按完成目标的概率判断：≥ 80% 为绿灯“有望完成”，50%～80% 为黄灯'
    """

    def pct(x: float) -> str:
        return f"{x * 100:g}%"

    on, risk = pct(thresholds.p_on_track), pct(thresholds.p_at_risk)
    return (
        f"按完成目标的概率判断：≥ {on} 为绿灯“{ON_TRACK}”，{risk}～{on} 为黄灯“{AT_RISK}”，"
        f"低于 {risk} 为红灯“{OFF_TRACK}”。没有概率时按预测年末与目标之比判断："
        f"达到目标为绿灯，达到目标的 {pct(thresholds.ratio_at_risk)} 以上为黄灯，其余为红灯。"
    )


def list_example_target_ids(targets: dict) -> set[str]:
    """Zones whose targets in the targets YAML are examples (``is_example: true``).

    Aggregate targets come from the plan and are never examples.
    """
    zones = targets.get("zones") or {}
    return {
        zone_id
        for zone_id, spec in zones.items()
        if isinstance(spec, dict) and bool(spec.get("is_example", False))
    }


def label_target(unit_id: str, targets: dict) -> str:
    """``目标（示例）`` for a zone whose target is an example, else ``目标``."""
    return EXAMPLE_TARGET if unit_id in list_example_target_ids(targets) else TARGET_SERIES


def _unit_rows(projections: pd.DataFrame, unit_id: str) -> pd.DataFrame:
    rows = projections[projections["zone_id"] == unit_id]
    order = list(indicator_names())
    rank = {code: i for i, code in enumerate(order)}
    return rows.assign(_o=rows["indicator"].map(rank).fillna(len(order))).sort_values("_o")


def build_verdict_table(
    projections: pd.DataFrame,
    unit_id: str,
    thresholds: VerdictThresholds = VerdictThresholds(),
    *,
    target_label: str = TARGET_SERIES,
) -> pd.DataFrame:
    """The verdict per target of one zone or aggregate, worst first.

    Parameters
    ----------
    target_label
        Header of the target column: ``目标`` or ``目标（示例）`` (see :func:`label_target`).

    Returns
    -------
    pandas.DataFrame
        Columns 结论, 指标, 单位, 目标, 预测年末, 完成目标概率, 与目标相比; rows only for
        indicators with a target. 与目标相比 names the gap: ``差 216 亿元`` (projected short of
        the target) or ``超 12.3 亿元`` (above it), so its sign cannot be misread.
    """
    catalogue = load_indicator_catalogue()
    rows = _unit_rows(projections, unit_id)
    out = []
    for r in rows.itertuples():
        verdict = classify_verdict(r.p_meet_target, r.projected_value, r.target_value, thresholds)
        if verdict is None:
            continue
        ind = catalogue.get(r.indicator)
        unit = ind.unit if ind else ""
        out.append(
            {
                "结论": verdict,
                "指标": ind.name_zh if ind else r.indicator,
                "单位": unit,
                target_label: r.target_value,
                "预测年末": r.projected_value,
                "完成目标概率": r.p_meet_target,
                GAP_COLUMN: label_gap(r.projected_value, r.target_value, unit),
            }
        )
    columns = ["结论", "指标", "单位", target_label, "预测年末", "完成目标概率", GAP_COLUMN]
    frame = pd.DataFrame(out, columns=columns)
    if frame.empty:
        return frame
    frame["_o"] = frame["结论"].map({v: i for i, v in enumerate(VERDICT_ORDER)})
    return frame.sort_values(["_o"], kind="stable").drop(columns="_o").reset_index(drop=True)


def summarise_verdicts(verdicts: pd.DataFrame) -> str:
    """One Chinese sentence that answers first: how many targets are on track, at risk, off."""
    if verdicts.empty:
        return "本期没有可比较的目标。"
    counts = verdicts["结论"].value_counts()
    parts = [f"{v} {int(counts.get(v, 0))} 项" for v in [ON_TRACK, AT_RISK, OFF_TRACK]]
    return f"共 {len(verdicts)} 项目标：" + "，".join(parts) + "。"


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
    rows = _unit_rows(projections, unit_id)

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


def shorten_method(method: object) -> str:
    """``组合预测（沿用累计增速 99%，…）`` → ``组合预测``; other text unchanged."""
    if method is None or (not isinstance(method, str) and pd.isna(method)):
        return NA_TEXT
    text = str(method)
    return text.split("（", 1)[0] or text


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
    sel = stats[
        (stats["zone_id"] == zone_id)
        & (stats["indicator"] == indicator)
        & (stats["year"].between(year - history_years, year))
    ]
    sel = sel[(sel["year"] < year) | (sel["month"] <= month)]
    parts = []
    for (y, m), v in sel.groupby(["year", "month"])["value"].last().items():
        parts.append(
            {
                "series": "本年累计" if y == year else "往年实际",
                "year": f"{y}年",
                "month": m,
                "value": v,
            }
        )
    proj = projections[
        (projections["zone_id"] == zone_id) & (projections["indicator"] == indicator)
    ]
    if not proj.empty:
        p = proj.iloc[0]
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
                {
                    "series": target_label,
                    "year": f"{year}年",
                    "month": 12,
                    "value": p["target_value"],
                }
            )
    frame = pd.DataFrame(parts, columns=cols)
    for c in cols[2:]:
        frame[c] = pd.to_numeric(frame[c], errors="coerce")
    return frame


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


#: Star table headers: the current level (last complete year's actuals), the projected one (this
#: year-end) and the plan's target.
STAR_CURRENT, STAR_PROJECTED, STAR_TARGET = "当前星级", "预计星级", "目标星级"


def label_star_columns(year: int | None = None, month: int | None = None) -> dict[str, str]:
    """The star headers with what each level rests on, e.g. ``当前星级（2015 年实际）``.

    Examples
    --------
    >>> label_star_columns(2016, 6)["当前星级"], label_star_columns(2016, 12)["预计星级"]
    ('当前星级（2015 年实际）', '预计星级（2016 年实际）')
    """
    if year is None:
        return {
            STAR_CURRENT: "当前星级（最近完整年度实际）",
            STAR_PROJECTED: "预计星级（本年年末预测）",
            STAR_TARGET: "目标星级（计划）",
        }
    final = month is not None and month >= 12
    current_year = year if final else year - 1
    return {
        STAR_CURRENT: f"当前星级（{current_year} 年实际）",
        STAR_PROJECTED: f"预计星级（{year} 年{'实际' if final else '末预测'}）",
        STAR_TARGET: f"目标星级（{year} 年计划）",
    }


def build_star_table(
    stars: pd.DataFrame, zone_id: str, *, year: int | None = None, month: int | None = None
) -> pd.DataFrame:
    """Star level now / projected / target for one zone (empty if the zone has none).

    Parameters
    ----------
    year, month
        The period, to say which year each level rests on (:func:`label_star_columns`).

    Returns
    -------
    pandas.DataFrame
        Columns 当前星级（…）, 预计星级（…）, 目标星级（…）, 达到目标概率, 提示.
    """
    labels = label_star_columns(year, month)
    cols = [
        labels[STAR_CURRENT],
        labels[STAR_PROJECTED],
        labels[STAR_TARGET],
        "达到目标概率",
        "提示",
    ]
    if stars.empty:
        return pd.DataFrame(columns=cols)
    rows = stars[stars["zone_id"] == zone_id]
    return pd.DataFrame(
        {
            cols[0]: rows["star_current"].map(format_stars).to_numpy(),
            cols[1]: rows["star_projected"].map(format_stars).to_numpy(),
            cols[2]: rows["star_target"].map(format_stars).to_numpy(),
            "达到目标概率": rows["p_reach_target"].to_numpy(),
            "提示": rows["note"].fillna("").to_numpy(),
        },
        columns=cols,
    )


def format_stars(level: object) -> str:
    """``3`` → ``三星``; missing or 0 → ``未定星`` / ``—``."""
    if level is None or pd.isna(level):
        return NA_TEXT
    n = int(level)
    words = ["未定星", "一星", "二星", "三星", "四星", "五星", "六星"]
    return words[n] if 0 <= n < len(words) else f"{n}星"


def build_rank_table(rankings: pd.DataFrame, zone_id: str) -> pd.DataFrame:
    """One zone's place in each list: ``第 5 名（3–8）``, the list size and P(top N).

    Returns
    -------
    pandas.DataFrame
        Columns 榜单, 名次（5%–95% 区间）, 参评数, 进入前N名概率 (``3 %（前十）``, rounded
        down), 依据, 较上年.
    """
    from zoneanalysis.reporting.answer import format_probability

    cols = ["榜单", RANK_COLUMN, "参评数", "进入前N名概率", "依据", "较上年"]
    if rankings.empty:
        return pd.DataFrame(columns=cols)
    sizes = rankings.groupby("list")["zone_id"].size()
    rows = rankings[rankings["zone_id"] == zone_id]
    basis = {"actual": "实际数", "projected": "预测数"}
    return pd.DataFrame(
        {
            "榜单": rows["list_name_zh"].to_numpy(),
            RANK_COLUMN: [
                describe_rank(r, a, b)
                for r, a, b in zip(rows["rank"], rows["rank_p05"], rows["rank_p95"], strict=True)
            ],
            "参评数": [f"{int(n)} 个" for n in rows["list"].map(sizes)],
            "进入前N名概率": [
                f"{format_probability(p)}（{top_n_words(n)}）"
                for p, n in zip(rows["p_top_n"], rows["top_n"], strict=True)
            ],
            "依据": rows["basis"].map(basis).fillna(rows["basis"]).to_numpy(),
            "较上年": [describe_rank_change(c) for c in rows["rank_change"]],
        },
        columns=cols,
    )


#: What 较上年 means, in plain Chinese, for every page that shows it.
RANK_CHANGE_NOTE = (
    "“较上年”与上年同一榜单的名次相比：“↑ 上升 N 位”表示名次前移 N 位（变好），"
    "“↓ 下降 N 位”表示名次后退 N 位（变差），“持平”表示名次不变，“—”表示上年没有可比的名次。"
    "本期只有部分集聚区参加排名时（非季末月份），上年名次按这些集聚区重新排名后再比较。"
)


def describe_rank_change(change: object) -> str:
    """A rank change against last year in plain Chinese (positive: moved up, i.e. better).

    ``rank_change`` is last year's rank minus this year's, so ``3`` means three places higher.

    Examples
    --------
    >>> [describe_rank_change(c) for c in (3, -2, 0, None)]
    ['↑ 上升 3 位', '↓ 下降 2 位', '持平', '—']
    """
    if change is None or pd.isna(change):
        return NA_TEXT
    n = int(round(float(change)))
    if n > 0:
        return f"↑ 上升 {n} 位"
    if n < 0:
        return f"↓ 下降 {-n} 位"
    return "持平"


def count_rank_head(
    top_n: int,
    *,
    margin: int = _RULES.display.rank_head_margin,
    minimum: int = _RULES.display.rank_head_minimum,
) -> int:
    """How many leading ranks a list shows: its top N plus a margin, at least ``minimum``.

    Examples
    --------
    >>> count_rank_head(10), count_rank_head(20), count_rank_head(2)
    (20, 30, 20)
    """
    return max(int(minimum), int(top_n) + int(margin))


def select_rank_rows(rows: pd.DataFrame, *, head: int) -> pd.DataFrame:
    """One list's rows to show: ranks 1..``head`` and every Zhengzhou zone, with gap rows.

    Between two shown rows whose ranks are not adjacent in the list, and after the last shown
    row if others follow, a gap row says which ranks are left out and how many zones. Zones
    with no rank (too little data that month) are left out and counted in one last gap row.

    Parameters
    ----------
    rows
        Rows of ``rankings`` for one list (zone_name, rank, rank_p05, rank_p95, p_top_n,
        is_zhengzhou; other columns are kept).
    head
        Show every zone ranked ``head`` or better (ties at the edge included).

    Returns
    -------
    pandas.DataFrame
        The shown rows in rank order plus gap rows, with two more columns: ``is_gap`` and
        ``row_label`` (the zone name, or for a gap ``⋯ 略去第 21–44 名（24 个）``). Gap rows have
        missing ranks and ``is_zhengzhou`` false.
    """
    ranked = rows[rows["rank"].notna()]
    ordered = ranked.sort_values(["rank", "zone_name"], kind="stable").reset_index(drop=True)
    keep = (ordered["rank"] <= head) | ordered["is_zhengzhou"].astype(bool)
    parts: list[pd.DataFrame] = []
    skipped: list[int] = []

    def flush() -> None:
        if not skipped:
            return
        left = ordered.loc[skipped, "rank"]
        label = f"⋯ 略去第 {int(left.min())}–{int(left.max())} 名（{len(skipped)} 个）"
        if left.min() == left.max():
            label = f"⋯ 略去第 {int(left.min())} 名（{len(skipped)} 个）"
        gap = {c: [pd.NA] for c in ordered.columns}
        gap.update(
            {"zone_name": [label], "is_zhengzhou": [False], "is_gap": [True], "row_label": [label]}
        )
        parts.append(pd.DataFrame(gap))
        skipped.clear()

    for i, shown in enumerate(keep):
        if shown:
            flush()
            row = ordered.loc[[i]].assign(is_gap=False, row_label=ordered.at[i, "zone_name"])
            parts.append(row)
        else:
            skipped.append(i)
    flush()
    unranked = rows[rows["rank"].isna()]
    if not unranked.empty:  # e.g. a month whose province-wide figures are not yet published
        parts.append(_unranked_gap_row(unranked, ordered.columns))
    if not parts:
        return ordered.assign(is_gap=False, row_label=ordered["zone_name"])
    out = pd.concat([p.astype(object) for p in parts], ignore_index=True)
    for col in ("rank", "rank_p05", "rank_p95", "p_top_n", "score", "rank_change"):
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce")
    out["is_gap"] = out["is_gap"].astype(bool)
    out["is_zhengzhou"] = out["is_zhengzhou"].astype(bool)
    return out


def _unranked_gap_row(unranked: pd.DataFrame, columns: pd.Index) -> pd.DataFrame:
    """A gap row saying how many zones of a list have no rank (Zhengzhou ones named)."""
    label = f"⋯ 另有 {len(unranked)} 个未参加排名（数据不足）"
    zz = unranked.loc[unranked["is_zhengzhou"].astype(bool), "zone_name"].astype(str)
    if not zz.empty:
        label += f"，其中郑州：{'、'.join(zz)}"
    gap = {c: [pd.NA] for c in columns}
    gap.update(
        {"zone_name": [label], "is_zhengzhou": [False], "is_gap": [True], "row_label": [label]}
    )
    return pd.DataFrame(gap)


@dataclass(frozen=True)
class RankBlock:
    """One run of adjacent shown rows of a rankings list, drawn with its own rank scale.

    Attributes
    ----------
    rows
        The zone rows of the run, in rank order (no gap rows).
    lo, hi
        The ranks the block's axis spans: the lowest ``rank_p05`` and the highest ``rank_p95``
        (or rank) of its rows. The first block starts at rank 1 and ends at most at twice its
        last rank, so one wide interval cannot squeeze the head of the list.
    gap_after
        The ``⋯ 略去…`` label of the ranks left out after this block, or ``None``.
    """

    rows: pd.DataFrame
    lo: int
    hi: int
    gap_after: str | None


def split_rank_blocks(shown: pd.DataFrame) -> list[RankBlock]:
    """Cut the selection of :func:`select_rank_rows` at its gap rows into blocks.

    Each block keeps its own rank range, so the top ranks are not squeezed by a Zhengzhou zone
    ranked far down the list.

    Parameters
    ----------
    shown
        Rows with ``is_gap`` and ``row_label`` (:func:`select_rank_rows`), in display order.

    Returns
    -------
    list of RankBlock
        In display order. A selection that starts with a gap gets a first block with no rows.
    """
    blocks: list[RankBlock] = []
    current: list[int] = []

    def close(gap: str | None) -> None:
        rows = shown.loc[current]
        if rows.empty:
            lo = hi = 1
        else:
            ranks = pd.concat([rows["rank_p05"], rows["rank_p95"], rows["rank"]])
            lo = 1 if not blocks else int(ranks.min())
            hi = int(ranks.max())
            if not blocks:
                # The head keeps its ranks readable: an interval reaching past twice the last
                # shown rank is cut at the edge (the chart marks it) rather than widening the axis.
                hi = min(hi, 2 * int(rows["rank"].max()))
        blocks.append(RankBlock(rows.reset_index(drop=True), lo, hi, gap))
        current.clear()

    for i, is_gap in zip(shown.index, shown["is_gap"].astype(bool), strict=True):
        if is_gap:
            close(str(shown.at[i, "row_label"]))
        else:
            current.append(i)
    if current or not blocks:
        close(None)
    return blocks


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


def build_data_notes(
    stats: pd.DataFrame,
    cleaning: pd.DataFrame,
    projections: pd.DataFrame,
    zones: pd.DataFrame,
    zone_id: str,
    year: int,
) -> pd.DataFrame:
    """Where the zone's figures came from and what happened to them.

    Returns
    -------
    pandas.DataFrame
        Columns 类别 (来源 / 修订 / 数据质量 / 清洗记录 / 预测说明) and 说明.
    """
    notes: list[tuple[str, str]] = []
    own = stats[(stats["zone_id"] == zone_id) & (stats["year"] == year)]
    for src in sorted(own["source_file"].dropna().astype(str).unique()):
        notes.append(("来源", src))
    if "quality_flag" in own.columns:
        flagged = own[own["quality_flag"].notna() & (own["quality_flag"].astype(str) != "")]
        names = indicator_names()
        labels = {"revised": "修订", "ytd_decrease": "数据质量"}
        for r in flagged.itertuples():
            kind = labels.get(str(r.quality_flag), "数据质量")
            notes.append(
                (
                    kind,
                    f"{names.get(r.indicator, r.indicator)} {r.year}年1-{r.month}月："
                    + QUALITY_FLAG_ZH.get(str(r.quality_flag), "数据需要核对"),
                )
            )
    if not cleaning.empty:
        reg = zones.set_index("zone_id")
        words = (
            [w for w in (reg.at[zone_id, "zone_name"], reg.at[zone_id, "short_name"]) if w]
            if zone_id in reg.index
            else []
        )
        text = cleaning["raw_text"].astype(str)
        hit = (
            text.apply(lambda t: any(w in t for w in words)) if words else text.map(lambda _: False)
        )
        for r in cleaning[hit].itertuples():
            notes.append(("清洗记录", f"{r.source_file} 第{r.source_row}行：{r.reason}"))
    proj = projections[projections["zone_id"] == zone_id]
    names = indicator_names()
    for r in proj.itertuples():
        method = str(getattr(r, "method", "") or "")
        if method and shorten_method(method) != method:
            notes.append(("预测方法", f"{names.get(r.indicator, r.indicator)}：{method}"))
    for note in proj["notes"].dropna().astype(str).unique():
        if note:
            notes.append(("预测说明", note))
    return pd.DataFrame(notes, columns=["类别", "说明"])


def build_aggregate_table(
    projections: pd.DataFrame, thresholds: VerdictThresholds = VerdictThresholds()
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


def mark_example(value: float, is_example: bool) -> float | str:
    """``value`` as shown, with ``（示例）`` appended when it is an example figure."""
    if not is_example or value is None or pd.isna(value):
        return value
    return f"{value:,.1f}（示例）"


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


def build_rankings_view(
    rankings: pd.DataFrame, stars: pd.DataFrame, list_code: str, *, head: int | None = None
) -> pd.DataFrame:
    """One list as a plain table: ``第 95 名（92–105）``, ``进入前十概率 3 %``, change, star.

    Parameters
    ----------
    head
        Show ranks 1..``head`` and every Zhengzhou zone, with a ``⋯ 略去…`` row for each left-out
        run (:func:`select_rank_rows`); every zone when ``None``.

    Returns
    -------
    pandas.DataFrame
        Columns 名次（5%–95% 区间）, 集聚区, 进入前N概率 (headed with the list's N in words,
        e.g. 进入前十概率; rounded down, see :func:`zoneanalysis.reporting.answer.format_probability`),
        较上年 (:func:`describe_rank_change`), 得分, 当前星级 (Zhengzhou zones), 郑州; in rank
        order.
    """
    from zoneanalysis.reporting.answer import format_probability

    rows = rankings[rankings["list"] == list_code]
    top_n = int(rows["top_n"].iloc[0]) if len(rows) else 10
    if head is None:
        rows = rows.sort_values(["rank", "zone_name"]).assign(is_gap=False)
    else:
        rows = select_rank_rows(rows, head=head)
    star = stars.set_index("zone_id")["star_current"] if not stars.empty else pd.Series(dtype=float)
    change = rows["rank_change"] if "rank_change" in rows else pd.Series([None] * len(rows))
    gap = rows["is_gap"].to_numpy()

    def unless_gap(values) -> list:
        return [None if g else v for v, g in zip(values, gap, strict=True)]

    return pd.DataFrame(
        {
            RANK_COLUMN: [
                "⋯" if g else describe_rank(r, a, b)
                for r, a, b, g in zip(
                    rows["rank"], rows["rank_p05"], rows["rank_p95"], gap, strict=True
                )
            ],
            "集聚区": rows["zone_name"].to_numpy(),
            f"进入{top_n_words(top_n)}概率": [
                "" if g else format_probability(p)
                for p, g in zip(rows["p_top_n"], gap, strict=True)
            ],
            "较上年": [
                "" if g else describe_rank_change(c) for c, g in zip(change, gap, strict=True)
            ],
            "得分": unless_gap(rows["score"]),
            "当前星级": [
                "" if g else (format_stars(star.get(z)) if z in star.index else NA_TEXT)
                for z, g in zip(rows["zone_id"], gap, strict=True)
            ],
            "郑州": rows["is_zhengzhou"].astype(bool).to_numpy(),
        }
    )


#: Header of the rank column of rank tables.
RANK_COLUMN = "名次（5%–95% 区间）"


def describe_rank(rank: object, p05: object, p95: object) -> str:
    """``第 95 名（92–105）``; ``未排名`` without a rank.

    Examples
    --------
    >>> describe_rank(95, 92, 105), describe_rank(3, 3, 3), describe_rank(None, None, None)
    ('第 95 名（92–105）', '第 3 名（3–3）', '未排名')
    """
    if rank is None or pd.isna(rank):
        return "未排名"
    text = f"第 {int(rank)} 名"
    if p05 is not None and p95 is not None and pd.notna(p05) and pd.notna(p95):
        text += f"（{int(p05)}–{int(p95)}）"
    return text


def top_n_words(n: int) -> str:
    """``前十``, ``前二``, ``前二十`` (the way the lists are named).

    Examples
    --------
    >>> top_n_words(10), top_n_words(2), top_n_words(20), top_n_words(15), top_n_words(100)
    ('前十', '前二', '前二十', '前十五', '前100')
    """
    digits = "零一二三四五六七八九"
    n = int(n)
    if not 0 < n < 100:
        return f"前{n}"
    tens, ones = divmod(n, 10)
    word = ("" if tens == 1 else digits[tens]) + "十" if tens else ""
    return "前" + word + (digits[ones] if ones else "")


def list_rankings(rankings: pd.DataFrame) -> list[tuple[str, str]]:
    """The lists present, as ``(code, Chinese name)`` in a fixed order (十强, 十快, 十先, 郑州…)."""
    if rankings.empty:
        return []
    preferred = LIST_ORDER
    pairs = rankings[["list", "list_name_zh"]].drop_duplicates("list")
    rank = {c: i for i, c in enumerate(preferred)}
    pairs = pairs.assign(_o=pairs["list"].map(rank).fillna(len(preferred))).sort_values(
        ["_o", "list"]
    )
    return list(zip(pairs["list"], pairs["list_name_zh"]))
