"""The tables the office forwards, as Chinese-headed frames with a number format per column.

Every figure comes from the processed tables (projections, rankings, stars, ledger), the same ones
the HTML pages read; nothing is recomputed here but the verdict (by the pages' own rule) and signed
gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from zoneanalysis import labels, paths, verdicts
from zoneanalysis.evaluation import YearEndEvaluation, evaluate_report
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.ledger.run import read_ledger_tables
from zoneanalysis.periods import latest_period, parse_period, period_label_zh
from zoneanalysis.quarterly import QuarterComparison, compare_quarters
from zoneanalysis.reporting import views
from zoneanalysis.reporting.data import ReportTables, load_report_tables
from zoneanalysis.rules.sentences import describe_star_risk

#: Number format kinds a column may carry (see :mod:`zoneanalysis.office.workbook`).
FORMAT_KINDS = ("text", "amount", "pct", "prob", "count", "rank")
VERDICT_COLUMN = "结论"


@dataclass
class Sheet:
    """One worksheet: a frame, the format kind of each column, and what to say above it.

    Attributes
    ----------
    name
        Sheet name (≤ 31 characters, Chinese).
    title
        First line above the table.
    frame
        The table, Chinese headers with units in them.
    formats
        Column → one of :data:`FORMAT_KINDS`; columns not listed are text.
    has_examples
        True when the sheet shows sample data or example targets (a 示例 line above the table).
    """

    name: str
    title: str
    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    has_examples: bool = False


@dataclass
class OfficeTables:
    """Everything the workbook and the brief read, gathered once per period."""

    report: ReportTables
    ledger: dict[str, pd.DataFrame]
    period_label: str
    data_cutoff: str
    evaluation: YearEndEvaluation | None = None
    quarter: QuarterComparison | None = None

    @property
    def is_sample(self) -> bool:
        """True when the data are the shipped sample (示例 everywhere)."""
        return self.report.is_sample

    @property
    def example_target_ids(self) -> set[str]:
        """Zones whose targets are examples (``is_example`` in the targets file)."""
        return views.list_example_target_ids(self.report.targets)


def load_office_tables(
    period: str,
    processed_dir: str | Path | None = None,
    *,
    zones_path: str | Path | None = None,
    targets_path: str | Path | None = None,
) -> OfficeTables:
    """Read the period's processed tables (the pages' reader) and the ledger tables."""
    processed = Path(processed_dir) if processed_dir else paths.PROCESSED_DIR
    report = load_report_tables(period, processed, zones_path, targets_path)
    year, month = parse_period(period)
    cutoff = period_label_zh(*parse_period(latest_period(report.stats, report.zones)))
    ledger = read_ledger_tables(processed, period)
    evaluation = evaluate_report(report, ledger) if month == 12 else None
    quarter = compare_quarters(period, processed, report.zones)
    return OfficeTables(report, ledger, period_label_zh(year, month), cutoff, evaluation, quarter)


def units() -> dict[str, str]:
    """Indicator code → canonical unit (亿元, 万人 …) from the catalogue."""
    return {code: ind.unit for code, ind in load_indicator_catalogue().items()}


def _column(frame: pd.DataFrame, name: str, default: object = None) -> pd.Series:
    """``frame[name]``, or ``default`` on every row when a nullable column is absent."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object)


def signed_gap(projected: float, target: float) -> str:
    """``超 12.3`` / ``差 45.6`` / ``持平``: the projected gap to target, named so it cannot be misread."""
    if pd.isna(projected) or pd.isna(target):
        return labels.NA_TEXT
    gap = projected - target
    if abs(gap) < 0.05:
        return "持平"
    return f"{'超' if gap > 0 else '差'} {abs(gap):,.1f}"


def _target_lines(tables: OfficeTables, ids: list[str]) -> pd.DataFrame:
    proj = tables.report.projections
    rows = proj[proj["zone_id"].isin(ids) & proj["target_value"].notna()]
    order = {z: i for i, z in enumerate(ids)}
    names = list(labels.indicator_names())
    ind_order = {c: i for i, c in enumerate(names)}
    return rows.assign(
        _z=rows["zone_id"].map(order), _i=rows["indicator"].map(ind_order)
    ).sort_values(["_z", "_i"], kind="stable")


def _line_frame(tables: OfficeTables, rows: pd.DataFrame, scope: str) -> pd.DataFrame:
    names, unit = labels.indicator_names(), units()
    examples = tables.example_target_ids
    return pd.DataFrame(
        {
            VERDICT_COLUMN: verdicts.classify_rows(rows),
            scope: rows["zone_name"].to_numpy(),
            "指标": [names.get(c, c) for c in rows["indicator"]],
            "单位": [unit.get(c, "") for c in rows["indicator"]],
            "本年累计": rows["ytd_value"].to_numpy(),
            "预测全年": rows["projected_value"].to_numpy(),
            "80%区间下限": rows["lower_80"].to_numpy(),
            "80%区间上限": rows["upper_80"].to_numpy(),
            "目标": rows["target_value"].to_numpy(),
            "目标说明": ["示例目标" if z in examples else "" for z in rows["zone_id"]],
            "预计超/差目标": [
                signed_gap(p, t) for p, t in zip(rows["projected_value"], rows["target_value"])
            ],
            "完成目标概率": rows["p_meet_target"].to_numpy(),
            "预测全年增长(%)": rows["projected_growth_pct"].to_numpy(),
            "目标增长(%)": rows["target_growth_pct"].to_numpy(),
            "其余月份需增长(%)": rows["required_growth_pct"].to_numpy(),
            "时间进度(%)": rows["time_progress_pct"].to_numpy(),
            "任务进度(%)": rows["task_progress_pct"].to_numpy(),
        }
    )


LINE_FORMATS = {
    "本年累计": "amount",
    "预测全年": "amount",
    "80%区间下限": "amount",
    "80%区间上限": "amount",
    "目标": "amount",
    "完成目标概率": "prob",
    "预测全年增长(%)": "pct",
    "目标增长(%)": "pct",
    "其余月份需增长(%)": "pct",
    "时间进度(%)": "pct",
    "任务进度(%)": "pct",
}


def aggregate_sheet(tables: OfficeTables) -> Sheet:
    """The plan's aggregate lines against their targets."""
    rows = _target_lines(tables, views.AGGREGATE_IDS)
    return Sheet(
        "全市目标",
        f"全市产业集聚区主要指标完成情况与全年预测（{tables.period_label}）",
        _line_frame(tables, rows, "范围"),
        LINE_FORMATS,
        tables.is_sample,
    )


def zone_sheet(tables: OfficeTables) -> Sheet:
    """Each Zhengzhou zone's and park's indicators against their targets, with reported growth."""
    zones = tables.report.zones
    ids = list(zones.loc[zones["is_zhengzhou"], "zone_id"])
    rows = _target_lines(tables, ids)
    frame = _line_frame(tables, rows, "集聚区")
    stats = tables.report.stats
    year, month = parse_period(tables.report.period)
    now = stats[(stats["year"] == year) & (stats["month"] == month)]
    yoy = now.set_index(["zone_id", "indicator"])["yoy_pct"]
    yoy = yoy[~yoy.index.duplicated()]
    keys = list(zip(rows["zone_id"], rows["indicator"]))
    frame.insert(5, "报告同比(%，可比口径)", [yoy.get(k, float("nan")) for k in keys])
    has_examples = tables.is_sample or bool(frame["目标说明"].astype(bool).any())
    return Sheet(
        "分区指标",
        f"各产业集聚区、专业园区主要指标与目标（{tables.period_label}）",
        frame,
        {**LINE_FORMATS, "报告同比(%，可比口径)": "pct"},
        has_examples,
    )


def ranking_sheet(tables: OfficeTables) -> Sheet:
    """Every ranking list with the rank interval and P(top N), Zhengzhou zones first in each list."""
    rankings = tables.report.rankings
    if rankings.empty:
        frame = pd.DataFrame(columns=["榜单", "排名", "集聚区"])
    else:
        rows = rankings.sort_values(["list", "rank", "zone_name"], kind="stable")
        frame = pd.DataFrame(
            {
                "榜单": rows["list_name_zh"].to_numpy(),
                "排名": rows["rank"].to_numpy(),
                "排名区间(90%)": [
                    labels.NA_TEXT if pd.isna(a) else f"{int(a)}–{int(b)}"
                    for a, b in zip(rows["rank_p05"], rows["rank_p95"])
                ],
                "集聚区": rows["zone_name"].to_numpy(),
                "郑州": ["是" if z else "" for z in rows["is_zhengzhou"]],
                "得分": rows["score"].to_numpy(),
                "进入前N概率": rows["p_top_n"].to_numpy(),
                "前N": rows["top_n"].to_numpy(),
                "较上年": [views.describe_rank_change(c) for c in _column(rows, "rank_change")],
                "依据": ["预测" if b == "projected" else "实际" for b in _column(rows, "basis")],
                "说明": _column(rows, "note", "").fillna("").to_numpy(),
            }
        )
    return Sheet(
        "排名",
        f"十强、十快、十先及郑州市排名（{tables.period_label}；评分规则为示例假设）",
        frame,
        {"排名": "rank", "得分": "amount", "进入前N概率": "prob", "前N": "count"},
        True,
    )


def star_sheet(tables: OfficeTables) -> Sheet:
    """Stars: current, projected and the plan year's target, with the risk flag."""
    stars = tables.report.stars
    target_col = next((c for c in stars.columns if c.startswith("star_target")), None)
    frame = pd.DataFrame(
        {
            "集聚区": stars.get("zone_name", pd.Series(dtype=str)).to_numpy(),
            "当前星级": [labels.format_stars(s) for s in stars.get("star_current", [])],
            "预计星级": [labels.format_stars(s) for s in stars.get("star_projected", [])],
            "目标星级": [labels.format_stars(s) for s in stars[target_col]] if target_col else [],
            "达到目标星级概率": stars.get("p_reach_target", pd.Series(dtype=float)).to_numpy(),
            labels.AT_RISK: ["是" if r else "" for r in stars.get("at_risk", [])],
            "说明": stars.get("note", pd.Series(dtype=str)).fillna("").to_numpy(),
        }
    )
    return Sheet(
        "星级",
        f"星级：当前、预计与目标（{tables.period_label}；{describe_star_risk().rstrip('。')}；"
        "晋级标准为示例假设）",
        frame,
        {"达到目标星级概率": "prob"},
        True,
    )


def project_sheets(tables: OfficeTables) -> list[Sheet]:
    """Major projects: starts by zone (the 100/100 counts), the ≥10/5亿 projects, lagging projects."""
    ledger, out = tables.ledger, []
    if "starts" in ledger:
        s = ledger["starts"]
        frame = pd.DataFrame(
            {
                "集聚区": s["zone_name"].to_numpy(),
                "项目数": s["n_projects"].to_numpy(),
                "计划开工": s["planned_starts"].to_numpy(),
                "已开工": s["started"].to_numpy(),
                "计划投产": s["planned_completions"].to_numpy(),
                "已投产": s["completed"].to_numpy(),
                "开工进度(%)": s["start_progress_pct"].to_numpy(),
                "投产进度(%)": s["completion_progress_pct"].to_numpy(),
                "时间进度(%)": s["time_progress_pct"].to_numpy(),
            }
        )
        kinds = {c: "count" for c in ["项目数", "计划开工", "已开工", "计划投产", "已投产"]}
        kinds |= {c: "pct" for c in ["开工进度(%)", "投产进度(%)", "时间进度(%)"]}
        out.append(
            Sheet("项目开工", "重大项目开工、投产情况（个）", frame, kinds, tables.is_sample)
        )
    if "investment" in ledger:
        inv = ledger["investment"].sort_values(["zone_name", "gap_pp"], kind="stable")
        behind = ledger.get("behind", pd.DataFrame(columns=["project_id", "reasons"]))
        reasons = behind.set_index("project_id")["reasons"].to_dict() if len(behind) else {}
        frame = pd.DataFrame(
            {
                "项目": inv["project_name"].to_numpy(),
                "集聚区": inv["zone_name"].to_numpy(),
                "类别": inv["category"].to_numpy(),
                "本年计划投资(亿元)": inv["plan_investment"].to_numpy(),
                "累计完成投资(亿元)": inv["ytd_investment"].to_numpy(),
                "完成计划(%)": inv["completion_pct"].to_numpy(),
                "时间进度(%)": inv["time_progress_pct"].to_numpy(),
                "滞后原因": [reasons.get(p, "") for p in inv["project_id"]],
            }
        )
        kinds = {"本年计划投资(亿元)": "amount", "累计完成投资(亿元)": "amount"}
        kinds |= {"完成计划(%)": "pct", "时间进度(%)": "pct"}
        out.append(Sheet("项目进度", "重大项目投资完成情况", frame, kinds, tables.is_sample))
    if "counts" in ledger:
        c = ledger["counts"]
        c = c[c["is_latest"].astype(bool)] if "is_latest" in c else c
        frame = pd.DataFrame(
            {
                "任务": c["name_zh"].to_numpy(),
                "单位": c["unit"].to_numpy(),
                "目标": c["target"].to_numpy(),
                "累计完成": c["value"].to_numpy(),
                "任务进度(%)": c["task_progress_pct"].to_numpy(),
                "时间进度(%)": c["time_progress_pct"].to_numpy(),
                "状态": c["status"].to_numpy(),
                "说明": c["note"].fillna("").to_numpy(),
            }
        )
        kinds = {"目标": "count", "累计完成": "count", "任务进度(%)": "pct", "时间进度(%)": "pct"}
        out.append(Sheet("计数目标", "计划中的数量目标完成情况", frame, kinds, tables.is_sample))
    return out


def evaluation_sheets(tables: OfficeTables) -> list[Sheet]:
    """The year-end evaluation (December only): outcomes, precondition, stars, laggards."""
    ev = tables.evaluation
    if ev is None:
        return []
    ex = tables.is_sample
    return [
        Sheet(
            "考评-目标结果",
            f"年度考评：全年实际与目标（{tables.period_label}）",
            ev.outcomes,
            {"全年实际": "amount", "目标": "amount", "完成目标(%)": "pct"},
            ex or bool(tables.example_target_ids),
        ),
        Sheet(
            "考评-评先资格",
            "评先前置条件：本年有 10 亿元（园区 5 亿元）以上重大项目开工（郑政办〔2016〕49号 四（三））",
            ev.eligibility,
            {"门槛(亿元)": "amount", "达标项目已开工(个)": "count"},
            ex,
        ),
        Sheet(
            "考评-星级",
            "星级：本年与上年、目标相比；低于上年星级的需递交书面说明（二）；晋级标准为示例假设",
            ev.star_changes,
            {},
            True,
        ),
        Sheet(
            "考评-发展靠后",
            "发展靠后的集聚区及拖后腿的分项（需落实整改措施；评分规则为示例假设）",
            ev.laggards,
            {"名次": "rank", "同组个数": "count"},
            True,
        ),
    ]


def quarter_sheets(tables: OfficeTables) -> list[Sheet]:
    """What moved since last quarter (quarter-end periods after March)."""
    q = tables.quarter
    if q is None:
        return []
    frame = q.verdicts if len(q.verdicts) else pd.DataFrame({"说明": [q.note]})
    out = [Sheet("季度变化-判断", f"季度通报：{q.note}", frame, {}, tables.is_sample)]
    if len(q.ranks):
        kinds = {"上季度名次": "rank", "本季度名次": "rank"}
        out.append(
            Sheet(
                "季度变化-名次",
                f"季度通报：郑州集聚区名次变化（{q.previous} → {q.period}）",
                q.ranks,
                kinds,
                True,
            )
        )
    return out


def build_sheets(tables: OfficeTables) -> list[Sheet]:
    """All data sheets of the ledger workbook, in the order they are forwarded."""
    return [
        *evaluation_sheets(tables),
        aggregate_sheet(tables),
        zone_sheet(tables),
        *quarter_sheets(tables),
        ranking_sheet(tables),
        star_sheet(tables),
        *project_sheets(tables),
    ]
