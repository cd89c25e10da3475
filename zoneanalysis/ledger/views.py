"""Reader-facing tables of the ledger (Chinese columns) for the city overview and zone reports.

Each function takes the tables of :func:`zoneanalysis.ledger.read_ledger_tables` and returns a
small frame ready for ``reporting.display.show_table``; an empty dict of tables gives an empty
frame with a note, so a report without ledger data still renders.
"""

from __future__ import annotations

import pandas as pd

from zoneanalysis.labels import LEVEL_SHORT_NAMES_ZH
from zoneanalysis.ledger.columns import CITY_ID
from zoneanalysis.ledger.counts import COUNT_TOLERANCE_PP
from zoneanalysis.ledger.tracking import (
    BIG_DONE,
    BIG_NONE,
    BIG_NOT_STARTED,
    classify_big_project,
)

EXAMPLE_NOTE = "项目类别与示例项目为示例假设（计划附件5-7未公开）"
#: Bar colours of the count-progress chart (same rule as the table's 结论).
COUNT_VERDICTS = (
    "进度正常或已完成",
    f"滞后（落后时间进度 {COUNT_TOLERANCE_PP:g} 个百分点以上）",
)
LEVEL_ZH = LEVEL_SHORT_NAMES_ZH


def describe_missing_ledger(tables: dict[str, pd.DataFrame], period_label: str) -> str | None:
    """A Chinese sentence when the period has no ledger tables (``None`` when it has them)."""
    if tables:
        return None
    return (
        f"{period_label}的项目台账汇总表尚未生成，本节暂无数据；"
        "把当月重大项目台账放入原始数据的 ledger 文件夹后重新运行即可显示。"
    )


def _whole(values) -> pd.Series:
    """Counts as integers (``100`` not ``100.0``); fractional values and gaps stay as they are."""
    out = []
    for v in values:
        if v is None or pd.isna(v):
            out.append(None)
        elif float(v).is_integer():
            out.append(int(v))
        else:
            out.append(float(v))
    return pd.Series(out, dtype=object)


def _verdict(done: float, target: float, progress: float, time: float) -> str:
    if pd.isna(done) or pd.isna(target):
        return "无数据"
    if done >= target:
        return "已完成"
    return "进度正常" if progress >= time - COUNT_TOLERANCE_PP else "滞后"


def build_project_summary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """How many of the 100 starts and 100 completions are done (city-wide), with time progress.

    Returns
    -------
    pandas.DataFrame
        Two rows (新开工, 竣工投产): 任务, 全年目标, 已完成, 任务进度%, 时间进度%, 结论.
    """
    starts = tables.get("starts")
    if starts is None or starts.empty:
        return pd.DataFrame({"说明": ["项目台账数据待接入"]})
    city = starts[starts["zone_id"] == CITY_ID].iloc[0]
    rows = []
    for label, done, target, pct in (
        ("重大项目新开工", city["started"], city["target_starts"], city["start_progress_pct"]),
        (
            "重大项目竣工投产",
            city["completed"],
            city["target_completions"],
            city["completion_progress_pct"],
        ),
    ):
        rows.append(
            {
                "任务": label,
                "全年目标": _whole([target]).iloc[0],
                "已完成": int(done),
                "任务进度%": pct,
                "时间进度%": city["time_progress_pct"],
                "结论": _verdict(done, target, pct, city["time_progress_pct"]),
            }
        )
    return pd.DataFrame(rows)


def build_zone_project_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Starts and completions per zone against the zone's own planned counts (示例类别)."""
    starts = tables.get("starts")
    if starts is None or starts.empty:
        return pd.DataFrame({"说明": ["项目台账数据待接入"]})
    z = starts[~starts["is_aggregate"].astype(bool)]
    return pd.DataFrame(
        {
            "集聚区": z["zone_name"].to_numpy(),
            "台账项目数": z["n_projects"].to_numpy(),
            "计划新开工（示例类别）": z["planned_starts"].to_numpy(),
            "今年已开工": z["started"].to_numpy(),
            "计划竣工（示例类别）": z["planned_completions"].to_numpy(),
            "已竣工投产": z["completed"].to_numpy(),
        }
    )


def build_cluster_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each cluster's projected revenue against the plan's target, with the 80 % interval.

    Returns
    -------
    pandas.DataFrame
        产业集群, 本年累计, 预测年末, 80%区间, 目标, 完成目标概率, 其余月份需增长%, 任务进度%, 时间进度%.
    """
    clusters = tables.get("clusters")
    if clusters is None or clusters.empty:
        return pd.DataFrame({"说明": ["产业集群数据待接入"]})
    return pd.DataFrame(
        {
            "产业集群": clusters["industry"].to_numpy(),
            "本年累计": clusters["ytd_value"].to_numpy(),
            "预测年末": clusters["projected_value"].to_numpy(),
            "80%区间": [
                "—" if pd.isna(a) else f"{a:,.1f} ~ {b:,.1f}"
                for a, b in zip(clusters["lower_80"], clusters["upper_80"], strict=True)
            ],
            "目标": [
                f"{c}{t:,.0f}"
                for c, t in zip(clusters["comparison"], clusters["target_value"], strict=True)
            ],
            "完成目标概率": clusters["p_meet_target"].to_numpy(),
            "其余月份需增长%": clusters["required_growth_pct"].to_numpy(),
            "任务进度%": clusters["task_progress_pct"].to_numpy(),
            "时间进度%": clusters["time_progress_pct"].to_numpy(),
        }
    )


def build_big_project_table(
    tables: dict[str, pd.DataFrame], zone_names: dict[str, str] | None = None
) -> pd.DataFrame:
    """Each zone's newly introduced big project (provincial zones ≥10亿, parks ≥5亿).

    Parameters
    ----------
    zone_names
        Zone id → name (the registry's); names in the ``starts`` table fill the gaps.

    Returns
    -------
    pandas.DataFrame
        集聚区, 类别, 结论 (已完成 = 已引进且开工 / 已引进、未开工 / 尚无; the rule of
        :func:`zoneanalysis.ledger.tracking.classify_big_project`, the same as the count
        target's), 门槛（亿元）, 达到门槛的项目,
        其中已开工, 最大项目总投资（亿元）, 最大项目; zones without a started one first.
    """
    big = tables.get("big_projects")
    if big is None or big.empty:
        return pd.DataFrame({"说明": ["项目台账数据待接入"]})
    starts = tables.get("starts", pd.DataFrame(columns=["zone_id", "zone_name"]))
    zone_names = {
        **dict(zip(starts["zone_id"], starts["zone_name"], strict=True)),
        **(zone_names or {}),
    }
    verdict = _big_status(big)
    out = pd.DataFrame(
        {
            "集聚区": [zone_names.get(z, z) for z in big["zone_id"]],
            "类别": big["level"].map(LEVEL_ZH).fillna("").to_numpy(),
            "结论": verdict,
            "门槛（亿元）": big["threshold"].to_numpy(),
            "达到门槛的项目": big["n_qualifying"].astype(int).to_numpy(),
            "其中已开工": big["n_qualifying_started"].astype(int).to_numpy(),
            "最大项目总投资（亿元）": big["largest_investment"].to_numpy(),
            "最大项目": big["largest_project"].fillna("—").to_numpy(),
        }
    )
    order = {BIG_NONE: 0, BIG_NOT_STARTED: 1, BIG_DONE: 2}
    return out.sort_values("结论", key=lambda c: c.map(order), kind="stable").reset_index(drop=True)


def _big_status(big: pd.DataFrame) -> list[str]:
    """Each zone's big-project status by the tracking rule (also for tables written before it)."""
    return [
        classify_big_project(n, s)
        for n, s in zip(big["n_qualifying"], big["n_qualifying_started"], strict=True)
    ]


def build_count_progress_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The count targets' latest progress as the tidy frame of the progress bullet chart.

    Returns
    -------
    pandas.DataFrame
        indicator, indicator_zh, time_progress_pct, task_progress_pct, verdict: the table's
        conclusion (:data:`COUNT_VERDICTS`: 已完成 or 进度正常 → 不落后, else 滞后), so chart and
        table agree; empty without ledger data.
    """
    cols = ["indicator", "indicator_zh", "time_progress_pct", "task_progress_pct", "verdict"]
    counts = tables.get("counts")
    if counts is None or counts.empty:
        return pd.DataFrame(columns=cols)
    c = counts[counts["is_latest"].astype(bool) & counts["task_progress_pct"].notna()]
    task = c["task_progress_pct"].astype(float).to_numpy()
    time = c["time_progress_pct"].astype(float).to_numpy()
    return pd.DataFrame(
        {
            "indicator": c["code"].to_numpy(),
            "indicator_zh": c["name_zh"].to_numpy(),
            "time_progress_pct": time,
            "task_progress_pct": task,
            "verdict": [
                COUNT_VERDICTS[0] if a >= b - COUNT_TOLERANCE_PP else COUNT_VERDICTS[1]
                for a, b in zip(task, time, strict=True)
            ],
        },
        columns=cols,
    )


def build_count_progress_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each count target's latest progress: 指标, 单位, 全年目标, 累计完成, 任务进度%, 时间进度%, 结论."""
    counts = tables.get("counts")
    if counts is None or counts.empty:
        return pd.DataFrame({"说明": ["进度数据待接入"]})
    c = counts[counts["is_latest"].astype(bool)]
    return pd.DataFrame(
        {
            "指标": c["name_zh"].to_numpy(),
            "单位": c["unit"].to_numpy(),
            "全年目标": _whole(c["target"]).to_numpy(),
            "累计完成": _whole(c["value"]).to_numpy(),
            "任务进度%": c["task_progress_pct"].to_numpy(),
            "时间进度%": c["time_progress_pct"].to_numpy(),
            "结论": [
                s + ("（本月未报）" if stale else "") + (f"（{n}）" if n else "")
                for s, stale, n in zip(c["status"], c["is_stale"], _notes(c), strict=True)
            ],
        }
    )


def _notes(counts: pd.DataFrame) -> list[str]:
    if "note" not in counts.columns:
        return [""] * len(counts)
    return ["" if n is None or pd.isna(n) else str(n) for n in counts["note"]]


def build_zone_key_projects(tables: dict[str, pd.DataFrame], zone_id: str) -> pd.DataFrame:
    """A zone's key projects: investment against plan and schedule, late ones first."""
    invest = tables.get("investment")
    if invest is None or invest.empty:
        return pd.DataFrame({"说明": ["项目台账数据待接入"]})
    mine = invest[invest["zone_id"] == zone_id]
    behind = tables.get("behind", pd.DataFrame(columns=["project_id", "reasons"]))
    reasons = behind.set_index("project_id")["reasons"] if not behind.empty else pd.Series()
    mine = mine.assign(_late=mine["project_id"].isin(reasons.index))
    mine = mine.sort_values(["_late", "plan_investment"], ascending=[False, False])
    out = pd.DataFrame(
        {
            "项目": mine["project_name"].to_numpy(),
            "类别（示例）": mine["category"].to_numpy(),
            "状态": _project_status(mine),
            "本年计划投资（亿元）": mine["plan_investment"].to_numpy(),
            "累计完成（亿元）": mine["ytd_investment"].to_numpy(),
            "完成计划%": mine["completion_pct"].astype(float).to_numpy(),
            "滞后": mine["_late"].to_numpy(),
            "问题": [reasons.get(p, "") for p in mine["project_id"]],
        }
    )
    if out.empty:
        return pd.DataFrame({"说明": ["本区在台账中没有项目"]})
    return out


def _project_status(rows: pd.DataFrame) -> list[str]:
    """已投产 / 已开工 / 未开工 as reported that month (— for tables written before the status)."""
    if "started" not in rows.columns or "completed" not in rows.columns:
        return ["—"] * len(rows)
    return [
        "已投产" if bool(done) else ("已开工" if bool(started) else "未开工")
        for started, done in zip(rows["started"], rows["completed"], strict=True)
    ]


def build_zone_big_project(tables: dict[str, pd.DataFrame], zone_id: str) -> str:
    """One Chinese sentence on the zone's newly introduced ≥10亿 (parks ≥5亿) project."""
    big = tables.get("big_projects")
    if big is None or big.empty or zone_id not in set(big["zone_id"]):
        return "新引进重大项目：无台账数据。"
    row = big.set_index("zone_id").loc[zone_id]
    limit = f"{row['threshold']:.0f}亿元"
    status = classify_big_project(row["n_qualifying"], row["n_qualifying_started"])
    if status == BIG_NONE:
        return f"新引进 {limit} 以上项目：尚无（计划要求至少 1 个并开工）。"
    started = (
        "已开工，本项任务已完成"
        if status == BIG_DONE
        else "尚未开工，本项任务尚未完成（开工是考核评先的前置条件）"
    )
    return (
        f"新引进 {limit} 以上项目 {int(row['n_qualifying'])} 个，最大为“{row['largest_project']}”"
        f"（总投资 {row['largest_investment']:.1f} 亿元）；其中{started}。"
    )
