"""Reader-facing tables of the ledger (Chinese columns) for the city overview and zone reports.

Each function takes the tables of :func:`zoneanalysis.ledger.read_ledger_tables` and returns a
small frame ready for ``reporting.display.show_table``; an empty dict of tables gives an empty
frame with a note, so a report without ledger data still renders.
"""

from __future__ import annotations

import pandas as pd

from zoneanalysis.ledger.columns import CITY_ID

EXAMPLE_NOTE = "项目类别与示例项目为示例假设（计划附件5-7未公开）"


def _verdict(done: float, target: float, progress: float, time: float) -> str:
    if pd.isna(done) or pd.isna(target):
        return "无数据"
    if done >= target:
        return "已完成"
    return "进度正常" if progress >= time - 5 else "滞后"


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
                "全年目标": target,
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
            "计划新开工": z["planned_starts"].to_numpy(),
            "今年已开工": z["started"].to_numpy(),
            "计划竣工": z["planned_completions"].to_numpy(),
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
            "全年目标": c["target"].to_numpy(),
            "累计完成": c["value"].to_numpy(),
            "任务进度%": c["task_progress_pct"].to_numpy(),
            "时间进度%": c["time_progress_pct"].to_numpy(),
            "结论": [
                s + ("（本月未报）" if stale else "")
                for s, stale in zip(c["status"], c["is_stale"], strict=True)
            ],
        }
    )


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
    return pd.DataFrame(
        {
            "项目": mine["project_name"].to_numpy(),
            "类别（示例）": mine["category"].to_numpy(),
            "本年计划投资（亿元）": mine["plan_investment"].to_numpy(),
            "累计完成（亿元）": mine["ytd_investment"].to_numpy(),
            "完成计划%": mine["completion_pct"].to_numpy(),
            "问题": [reasons.get(p, "") for p in mine["project_id"]],
        }
    )


def build_zone_big_project(tables: dict[str, pd.DataFrame], zone_id: str) -> str:
    """One Chinese sentence on the zone's newly introduced ≥10亿 (parks ≥5亿) project."""
    big = tables.get("big_projects")
    if big is None or big.empty or zone_id not in set(big["zone_id"]):
        return "新引进重大项目：无台账数据。"
    row = big.set_index("zone_id").loc[zone_id]
    limit = f"{row['threshold']:.0f}亿元"
    if not row["met"]:
        return f"新引进 {limit} 以上项目：尚无（计划要求至少 1 个）。"
    started = "已开工" if row["met_started"] else "尚未开工（开工情况是考核评先的前置条件）"
    return (
        f"新引进 {limit} 以上项目 {int(row['n_qualifying'])} 个，最大为“{row['largest_project']}”"
        f"（总投资 {row['largest_investment']:.1f} 亿元）；其中{started}。"
    )
