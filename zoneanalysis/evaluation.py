"""The year-end evaluation (年考评), by the rules in ``data/raw/reference/evaluation_rules.yaml``.

Outcomes against targets, the 评先 precondition, star changes and laggards.

Used when the period is a December (全年 data): the report and the workbook switch from projection
to outcome. Every input is a processed table (projections, rankings, stars, the ledger's
``big_projects``); nothing here reads raw files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.labels import format_stars, indicator_names

EVALUATION_RULES_FILE = paths.REFERENCE_DIR / "evaluation_rules.yaml"
NOT_ELIGIBLE = "不具备评先资格"
#: What the year-end section of the pages says about itself.
YEAR_END_NOTE = (
    "12 月为全年数据：由“预测”转为“结果”，按全年实际对照目标。规则（评先前置条件、书面说明、"
    "发展靠后取几名）见 data/raw/reference/evaluation_rules.yaml；“靠后”取几名、星级门槛是本项目的"
    "假设。示例数据中的项目（含重大项目）、分区目标与星级门槛均为示例。"
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PreconditionRule(_Strict):
    """评先 precondition: a started big project (thresholds in the ledger rules)."""

    requires_big_project_started: bool = True
    marked_lists: list[str] = Field(default_factory=lambda: ["shixian"])


class StarExplanationRule(_Strict):
    """Who owes the city a written explanation about their star level."""

    when_below_previous: bool = True
    when_below_target: bool = False


class LaggardRule(_Strict):
    """Which zones are named as lagging, and how many weak pillars are listed for each."""

    lists: list[str] = Field(default_factory=lambda: ["zz_liangqiang", "zz_liangkuai"])
    bottom_n: int = Field(2, ge=0)
    weakest_pillars: int = Field(2, ge=1)


class EvaluationRules(_Strict):
    """All rules of the year-end evaluation (``evaluation_rules.yaml``)."""

    precondition: PreconditionRule = Field(default_factory=PreconditionRule)
    star_explanation: StarExplanationRule = Field(default_factory=StarExplanationRule)
    laggards: LaggardRule = Field(default_factory=LaggardRule)


def load_evaluation_rules(path: str | Path | None = None) -> EvaluationRules:
    """Read and check the evaluation rules.

    Raises
    ------
    ConfigError
        Naming the file and the key of anything missing, unknown or of the wrong type.
    """
    path = Path(path) if path is not None else EVALUATION_RULES_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError("找不到年度考评规则文件", file=path) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"年度考评规则文件无法读取：{exc}", file=path) from None
    try:
        return EvaluationRules.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"年度考评规则有误：{first['msg']}",
            file=path,
            location=key,
            hint="按文件开头的说明修改该键。",
        ) from None


def outcome_table(projections: pd.DataFrame, ids: list[str], names: dict[str, str]) -> pd.DataFrame:
    """Actual year-end values against targets, one row per unit × indicator with a target.

    Returns
    -------
    pandas.DataFrame
        Columns 范围, 指标, 全年实际, 目标, 完成目标(%), 达标, 比目标.
    """
    rows = projections[projections["zone_id"].isin(ids) & projections["target_value"].notna()]
    order = {z: i for i, z in enumerate(ids)}
    rows = rows.assign(_o=rows["zone_id"].map(order)).sort_values(["_o", "indicator"])
    gap = rows["ytd_value"] - rows["target_value"]
    return pd.DataFrame(
        {
            "范围": rows["zone_name"].to_numpy(),
            "指标": [names.get(c, c) for c in rows["indicator"]],
            "全年实际": rows["ytd_value"].to_numpy(),
            "目标": rows["target_value"].to_numpy(),
            "完成目标(%)": (rows["ytd_value"] / rows["target_value"] * 100).to_numpy(),
            "达标": ["是" if g >= 0 else "否" for g in gap],
            "比目标": [f"{'超' if g >= 0 else '差'} {abs(g):,.1f}" for g in gap],
        }
    )


def eligibility_table(
    big_projects: pd.DataFrame | None, zones: pd.DataFrame, rules: EvaluationRules
) -> pd.DataFrame:
    """The 评先 precondition per Zhengzhou zone/park: a started project above the threshold.

    With no project ledger for the year the precondition cannot be checked: every zone is shown
    as 未核对 (never as eligible).
    """
    zz = zones.loc[zones["is_zhengzhou"], ["zone_id", "zone_name"]]
    if not rules.precondition.requires_big_project_started:
        return zz.assign(门槛亿元=pd.NA, 达标项目已开工=pd.NA, 评先资格="不设前置条件")
    big = (
        big_projects.set_index("zone_id")
        if big_projects is not None and len(big_projects)
        else pd.DataFrame()
    )
    out = []
    for z in zz.itertuples(index=False):
        if z.zone_id not in big.index:
            out.append((z.zone_name, None, None, "未核对（本年没有项目台账）"))
            continue
        b = big.loc[z.zone_id]
        started = int(b["n_qualifying_started"])
        ok = bool(b["met"]) if "met" in b else started > 0
        out.append((z.zone_name, float(b["threshold"]), started, "具备" if ok else NOT_ELIGIBLE))
    return pd.DataFrame(out, columns=["集聚区", "门槛(亿元)", "达标项目已开工(个)", "评先资格"])


def star_change_table(stars: pd.DataFrame, rules: EvaluationRules) -> pd.DataFrame:
    """Stars reached against the target and last year's level; who owes a written explanation."""
    if stars.empty:
        return pd.DataFrame(
            columns=["集聚区", "上年星级", "本年星级", "目标星级", "需递交书面说明"]
        )
    target_col = next((c for c in stars.columns if c.startswith("star_target")), None)
    prev = (
        stars["star_previous"] if "star_previous" in stars else pd.Series(pd.NA, index=stars.index)
    )
    now = stars["star_projected"]
    target = stars[target_col] if target_col else pd.Series(pd.NA, index=stars.index)
    owes = []
    for p, n, t in zip(prev, now, target):
        reasons = []
        if rules.star_explanation.when_below_previous and not pd.isna(p) and n < p:
            reasons.append("低于上年星级")
        if rules.star_explanation.when_below_target and not pd.isna(t) and n < t:
            reasons.append("未达到目标星级")
        owes.append("是（" + "、".join(reasons) + "）" if reasons else "")
    return pd.DataFrame(
        {
            "集聚区": stars["zone_name"].to_numpy(),
            "上年星级": [format_stars(v) for v in prev],
            "本年星级": [format_stars(v) for v in now],
            "目标星级": [format_stars(v) for v in target],
            "达到目标星级": [
                "—" if pd.isna(t) else ("是" if n >= t else "否") for n, t in zip(now, target)
            ],
            "需递交书面说明": owes,
        }
    )


def laggard_table(
    rankings: pd.DataFrame, rules: EvaluationRules, pillar_names: dict[str, str]
) -> pd.DataFrame:
    """The bottom zones of each configured list, with the pillars that put them there.

    A pillar is weak when the zone's contribution falls furthest below the list's average.
    """
    cols = ["榜单", "集聚区", "名次", "同组个数", "拖后腿的分项"]
    if rankings.empty or rules.laggards.bottom_n == 0:
        return pd.DataFrame(columns=cols)
    out = []
    for code in rules.laggards.lists:
        rows = rankings[(rankings["list"] == code) & rankings["rank"].notna()]
        if rows.empty:
            continue
        pillars = [c for c in rows.columns if c.startswith("pillar_") and rows[c].notna().any()]
        mean = rows[pillars].mean()
        worst = rows.sort_values("rank", ascending=False).head(rules.laggards.bottom_n)
        for r in worst.sort_values("rank").itertuples(index=False):
            r = r._asdict()
            short = sorted(pillars, key=lambda p: r[p] - mean[p])[: rules.laggards.weakest_pillars]
            weak = "、".join(
                f"{pillar_names.get(p[7:], p[7:])}（{r[p]:.1f} 分，同组平均 {mean[p]:.1f}）"
                for p in short
            )
            out.append((r["list_name_zh"], r["zone_name"], int(r["rank"]), len(rows), weak))
    return pd.DataFrame(out, columns=cols)


@dataclass
class YearEndEvaluation:
    """The four parts of the year-end evaluation, as Chinese-headed tables."""

    outcomes: pd.DataFrame
    eligibility: pd.DataFrame
    star_changes: pd.DataFrame
    laggards: pd.DataFrame

    def not_eligible(self) -> list[str]:
        """Zones shown as not eligible for 评先 (marked on the rankings)."""
        e = self.eligibility
        return list(e.loc[e["评先资格"] == NOT_ELIGIBLE, "集聚区"]) if len(e) else []

    def owe_explanation(self) -> list[str]:
        """Zones that fell below their standard and owe a written explanation."""
        s = self.star_changes
        return list(s.loc[s["需递交书面说明"].astype(str) != "", "集聚区"]) if len(s) else []


def evaluate_year(
    projections: pd.DataFrame,
    rankings: pd.DataFrame,
    stars: pd.DataFrame,
    zones: pd.DataFrame,
    *,
    big_projects: pd.DataFrame | None,
    names: dict[str, str],
    pillar_names: dict[str, str],
    rules: EvaluationRules | None = None,
) -> YearEndEvaluation:
    """Evaluate a complete year from the processed tables of its December."""
    rules = rules or load_evaluation_rules()
    ids = ["agg_zz_provincial", "agg_zz_parks", *zones.loc[zones["is_zhengzhou"], "zone_id"]]
    return YearEndEvaluation(
        outcome_table(projections, ids, names),
        eligibility_table(big_projects, zones, rules),
        star_change_table(stars, rules),
        laggard_table(rankings, rules, pillar_names),
    )


def criteria_pillar_names() -> dict[str, str]:
    """Pillar code → Chinese name over every list of the ranking criteria."""
    from zoneanalysis.ranking.criteria import load_criteria

    names: dict[str, str] = {}
    for lst in load_criteria().lists.values():
        names.update(lst.pillars)
    return names


def evaluate_report(
    report: object, ledger: dict[str, pd.DataFrame], rules: EvaluationRules | None = None
) -> YearEndEvaluation:
    """:func:`evaluate_year` on a period's report tables and ledger tables (what pages read).

    Parameters
    ----------
    report
        :class:`zoneanalysis.reporting.data.ReportTables` of a December.
    ledger
        :func:`zoneanalysis.ledger.read_ledger_tables` of the same period (may be empty).
    """
    return evaluate_year(
        report.projections,
        report.rankings,
        report.stars,
        report.zones,
        big_projects=ledger.get("big_projects"),
        names=indicator_names(),
        pillar_names=criteria_pillar_names(),
        rules=rules,
    )


def describe_evaluation(ev: YearEndEvaluation) -> dict[str, str]:
    """One sentence per part of the evaluation (``outcomes``, ``eligibility``, ``stars``, ``laggards``)."""
    out = ev.outcomes
    if out.empty:
        outcomes = "本年没有目标任务文件，不比较目标完成情况（只评资格、星级与位次）。"
    else:
        met = int((out["达标"] == "是").sum())
        outcomes = f"全年 {len(out)} 项目标中完成 {met} 项、未完成 {len(out) - met} 项（全年实际对照目标）。"
    status = (
        ev.eligibility["评先资格"].astype(str) if len(ev.eligibility) else pd.Series([], dtype=str)
    )
    if status.str.startswith("未核对").all():
        eligibility = (
            "本年没有重大项目台账，评先前置条件（重大项目开工）无法核对，没有集聚区被视为具备资格。"
        )
    elif ev.not_eligible():
        eligibility = (
            f"{len(ev.not_eligible())} 个集聚区没有达到门槛的重大项目开工，"
            f"不具备评先资格：{'、'.join(ev.not_eligible())}；"
            f"其余 {int((status == '具备').sum())} 个满足前置条件。"
        )
    else:
        eligibility = "各集聚区均有达到门槛的重大项目开工，满足评先前置条件。"
    owe = ev.owe_explanation()
    stars = (
        f"星级低于上年、需向市政府递交书面说明的：{'、'.join(owe)}。"
        if owe
        else "没有集聚区星级低于上年，无需递交书面说明。"
    )
    laggards = (
        f"各榜单郑州同组最后的 {ev.laggards['集聚区'].nunique()} 个集聚区列为发展靠后，须落实整改措施。"
        if len(ev.laggards)
        else "本期没有排名结果，未列发展靠后的集聚区。"
    )
    return {"outcomes": outcomes, "eligibility": eligibility, "stars": stars, "laggards": laggards}


def mark_not_eligible(view: pd.DataFrame, not_eligible: list[str]) -> pd.DataFrame:
    """A rankings table (column 集聚区) with a 评先资格 column marking the zones not eligible.

    The column sits after 集聚区; zones meeting the precondition, zones outside Zhengzhou and
    the ``⋯`` gap rows are left blank.
    """
    marks = [NOT_ELIGIBLE if z in set(not_eligible) else "" for z in view["集聚区"]]
    at = list(view.columns).index("集聚区") + 1
    out = view.copy()
    out.insert(at, "评先资格", marks)
    return out
