"""The verdict per target (有望完成 / 有风险 / 难以完成): the rule, its sentence and the verdict table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.reporting.answer import label_gap
from zoneanalysis.reporting.views.common import _RULES, TARGET_SERIES, _unit_rows

ON_TRACK = "有望完成"
AT_RISK = "有风险"
OFF_TRACK = "难以完成"
VERDICT_ORDER = [OFF_TRACK, AT_RISK, ON_TRACK]
LIGHTS = {ON_TRACK: "green", AT_RISK: "amber", OFF_TRACK: "red"}
#: The gap column of verdict tables: 差 … (short of the target) or 超 … (above it).
GAP_COLUMN = "与目标相比"


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
    >>> describe_verdict_thresholds(VerdictThresholds(0.8, 0.5, 0.9))[:38]
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
