"""The verdict per target (有望完成 / 有风险 / 难以完成) as a page shows it: its sentence and table.

The rule itself is :mod:`zoneanalysis.verdicts`; its words are in :mod:`zoneanalysis.labels`.
"""

from __future__ import annotations

import pandas as pd

from zoneanalysis import labels
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.labels import AT_RISK, OFF_TRACK, ON_TRACK
from zoneanalysis.reporting.answer import label_gap
from zoneanalysis.reporting.views.common import TARGET_SERIES, sort_unit_rows
from zoneanalysis.verdicts import VerdictThresholds, classify_verdict

#: The order verdict tables sort by (worst first).
VERDICT_ORDER = list(labels.VERDICT_ORDER)
#: Traffic-light colour of each verdict.
LIGHTS = {ON_TRACK: "green", AT_RISK: "amber", OFF_TRACK: "red"}
#: The gap column of verdict tables: 差 … (short of the target) or 超 … (above it).
GAP_COLUMN = "与目标相比"


def describe_verdict_thresholds(thresholds: VerdictThresholds | None = None) -> str:
    """The verdict rule in plain Chinese, with the configured cut-offs.

    Examples
    --------
    >>> describe_verdict_thresholds(VerdictThresholds(0.8, 0.5, 0.9))[:38]
    '按完成目标的概率判断：≥ 80% 为绿灯“有望完成”，50%～80% 为黄灯'
    """

    def pct(x: float) -> str:
        return f"{x * 100:g}%"

    thresholds = thresholds or VerdictThresholds()
    on, risk = pct(thresholds.p_on_track), pct(thresholds.p_at_risk)
    return (
        f"按完成目标的概率判断：≥ {on} 为绿灯“{ON_TRACK}”，{risk}～{on} 为黄灯“{AT_RISK}”，"
        f"低于 {risk} 为红灯“{OFF_TRACK}”。没有概率时按预测年末与目标之比判断："
        f"达到目标为绿灯，达到目标的 {pct(thresholds.ratio_at_risk)} 以上为黄灯，其余为红灯。"
    )


def build_verdict_table(
    projections: pd.DataFrame,
    unit_id: str,
    thresholds: VerdictThresholds | None = None,
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
    thresholds = thresholds or VerdictThresholds()
    rows = sort_unit_rows(projections, unit_id)
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
