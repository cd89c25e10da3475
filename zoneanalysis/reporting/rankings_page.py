"""What the rankings page says about each list: one line per list, its assumptions, the star rules.

Every sentence is generated from the criteria file and the star rules the ranking ran on, so the
page cannot state a weight or a threshold the computation did not use.
"""

from __future__ import annotations

import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.ranking.criteria import (
    AGGREGATION_NAMES_ZH,
    NORMALISATION_NAMES_ZH,
    Criteria,
    ListCriteria,
)

#: How 十快 ranks at mid-year (the same rule as ``ranking.indicators._mid_year_growth``).
SPEED_BASIS_MID_YEAR = (
    "年中按统计局报表的 1-{month}月同比增速（可比口径）排名；某区某项指标报表没有增速时，"
    "用该项的预测全年增速（按上年年末值计算，非可比口径）代替，这些区记入排名日志"
    "（ranking_log，action = basis）。"
)
SPEED_BASIS_YEAR_END = (
    "全年按统计局报表的同比增速（可比口径）排名；报表没有增速时按上年年末值计算。"
)
#: Why the rank-improvement list's draws are comparable.
IMPROVEMENT_METHOD = (
    "每次抽样用同一组权重和同一种标准化、加总方法同时计算上年和本年的十强名次，"
    "名次变化只反映各区的变化，不混入方法的变化。"
)
ASSUMPTIONS_NOTE = (
    "以下口径是本项目的假设：省里没有公布十强、十快、十先以及 2017 年四大领域方案的具体指标和权重，"
    "也没有公布星级评定标准。名次区间与进入前 N 名概率已经包含了权重和方法的不确定性，"
    "但换成真实口径后名次仍可能明显不同。配置见 data/raw/reference/ranking_criteria.yaml、star_rules.csv。"
)
STAR_LABELS_NOTE = (
    "星级：“当前”按最近一个完整年度的实际数评定；“预计”按本年年末（年中为预测）评定；"
    "“目标”是计划定的本年星级目标；“达到目标概率”是蒙特卡洛抽样中预计星级不低于目标的比例。"
)
PARK_NOTE = (
    "市级工业专业园区不参加省里的星级评定和十强、十快、十先排名（这些只评省级产业集聚区），"
    "因此本页没有星级和排名部分。"
)


def _name(code: str, criteria: Criteria) -> str:
    if code in criteria.derived:
        return criteria.derived[code].name_zh
    ind = load_indicator_catalogue().get(code)
    return ind.name_zh if ind else code


def describe_weights(lst: ListCriteria, criteria: Criteria) -> str:
    """``主营业务收入 25 %、工业增加值 20 %…`` (nominal weights, whole percent)."""
    parts = [
        f"{_name(i.code, criteria)}{'（越小越好）' if i.direction < 0 else ''} {i.weight * 100:.0f} %"
        for i in lst.indicators
    ]
    return "、".join(parts)


def describe_list(lst: ListCriteria, criteria: Criteria, month: int) -> str:
    """One line that explains a list: what it ranks, on which basis, with which weights.

    Examples
    --------
    The shipped 十快 at mid-year names the reported comparable growth as its basis:

    >>> from zoneanalysis.ranking.criteria import load_criteria
    >>> c = load_criteria()
    >>> "可比口径" in describe_list(c.lists["shikuai"], c, 6)
    True
    """
    text = lst.description.rstrip("。") + "。"
    if lst.method == "rank_improvement":
        return text + IMPROVEMENT_METHOD
    if any(criteria.derived.get(c) and criteria.derived[c].kind == "growth" for c in lst.codes):
        text += (SPEED_BASIS_MID_YEAR if month < 12 else SPEED_BASIS_YEAR_END).format(month=month)
    method = (
        f"{NORMALISATION_NAMES_ZH.get(lst.normalisation, lst.normalisation)}、"
        f"{AGGREGATION_NAMES_ZH.get(lst.aggregation, lst.aggregation)}"
    )
    return text + f"指标与权重（假设）：{describe_weights(lst, criteria)}；{method}。"


def describe_star_rules(rules: pd.DataFrame, list_names: dict[str, str]) -> list[str]:
    """The star rules in words, one line per level: ``三星：主营业务收入 ≥ 250 亿元（示例）``."""
    catalogue = load_indicator_catalogue()
    lines = []
    for _star, group in rules.groupby(rules["star"].astype(int), sort=True):
        parts = []
        for r in group.itertuples():
            op = {">=": "≥", "<=": "≤"}.get(str(r.operator), str(r.operator))
            threshold = float(r.threshold)
            shown = f"{threshold:g}"
            if str(r.indicator).startswith("rank:"):
                key = str(r.indicator).split(":", 1)[1]
                parts.append(f"{list_names.get(key, key)}名次 {op} {shown}")
            else:
                ind = catalogue.get(str(r.indicator))
                name = ind.name_zh if ind else str(r.indicator)
                parts.append(f"{name} {op} {shown} {ind.unit if ind else ''}".strip())
        lines.append(f"{group['name_zh'].iloc[0]}：" + "，且".join(parts) + "（示例门槛）")
    return lines
