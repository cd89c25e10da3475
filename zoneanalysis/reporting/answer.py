"""The one-sentence answer that opens a zone page and each aggregate line, and how figures read.

"预计全年 2,360 亿元，比目标少 216 亿元；余下 3 个月需同比增长 36 %": units everywhere, the gap
named 少 / 多 (差 / 超 in tables) so its sign cannot be misread, counts as integers, and
percentages shown so that the shown figure never contradicts a rule stated on the page:
probabilities are rounded *down* to a whole percent (0.6985 shows "69 %", so it can never read as
"70 %" under "≥ 70 % 为绿灯"; a shown figure at or above a threshold always means the true one is).
"""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.labels import NA_TEXT

#: Units whose figures are whole numbers.
INTEGER_UNITS = frozenset({"个", "家", "次", "列", "套", "人"})


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def format_amount(value: object, unit: str = "") -> str:
    """A level or a gap with its unit: 2,360 亿元, 18.4 亿元, 3.27 亿元, 72.4 万人, 49 个.

    Money and people keep three significant figures at least (no decimals from 100 up, one from
    10, two below), so small park figures stay readable; counts are integers.

    Examples
    --------
    >>> format_amount(2359.6, "亿元"), format_amount(18.44, "亿元"), format_amount(3.271, "亿元")
    ('2,360 亿元', '18.4 亿元', '3.27 亿元')
    >>> format_amount(49.2, "个"), format_amount(None, "亿元")
    ('49 个', '—')
    """
    if _missing(value):
        return NA_TEXT
    x = float(value)
    if unit in INTEGER_UNITS:
        text = f"{round(x):,d}"
    elif abs(x) >= 100:
        text = f"{x:,.0f}"
    elif abs(x) >= 10:
        text = f"{x:,.1f}"
    else:
        text = f"{x:,.2f}"
    return f"{text} {unit}".strip()


def format_probability(p: object) -> str:
    """A probability as a whole percent, rounded down (never up past a threshold).

    Examples
    --------
    >>> [format_probability(p) for p in (0.6985, 0.7, 0.29, 0.004, 0.0, 1.0, None)]
    ['69 %', '70 %', '29 %', '< 1 %', '0 %', '100 %', '—']
    """
    if _missing(p):
        return NA_TEXT
    # On the shortest decimal that reads back as the float (0.57 → 57, not 56.999…), so the
    # shown whole percent is below a threshold exactly when the probability is.
    x = Decimal(repr(float(p))) * 100
    shown = math.floor(x)
    if shown == 0 and x > 0:
        return "< 1 %"
    return f"{shown} %"


def format_growth(pct: object) -> str:
    """A growth rate to a whole percent (rounded half away from zero), with its sign word."""
    if _missing(pct):
        return NA_TEXT
    return f"{float(pct):.0f} %"


def describe_gap(projected: object, target: object, unit: str) -> str:
    """``比目标少 216 亿元`` / ``比目标多 12.3 亿元`` / ``与目标持平``.

    Examples
    --------
    >>> describe_gap(2144.0, 2360.0, "亿元"), describe_gap(101.0, 100.0, "万人")
    ('比目标少 216 亿元', '比目标多 1.00 万人')
    """
    if _missing(projected) or _missing(target):
        return NA_TEXT
    gap = float(projected) - float(target)
    shown = format_amount(abs(gap), unit)
    if shown.split(" ")[0].strip("0.,") == "":
        return "与目标持平"
    return f"比目标{'少' if gap < 0 else '多'} {shown}"


def label_gap(projected: object, target: object, unit: str = "") -> str:
    """The gap for a table cell: ``差 216 亿元`` (short of target) or ``超 12.3 亿元`` (above)."""
    text = describe_gap(projected, target, unit)
    if text.startswith("比目标少"):
        return "差 " + text.removeprefix("比目标少 ")
    if text.startswith("比目标多"):
        return "超 " + text.removeprefix("比目标多 ")
    return "持平" if text == "与目标持平" else text


def describe_requirement(row: pd.Series, kind: str) -> str:
    """What the rest of the year needs: ``余下 6 个月需同比增长 36 %`` (flows) or the stock rise."""
    if _missing(row.get("month")) or int(row["month"]) >= 12:
        return ""
    month = int(row["month"])
    required = row.get("required_growth_pct")
    if kind == "stock":
        if _missing(required):
            return ""
        if float(required) <= 0:
            return "当前水平已达到目标"
        return f"年末需比当前水平提高 {format_growth(required)}"
    if not _missing(row.get("ytd_value")) and float(row["ytd_value"]) >= float(row["target_value"]):
        return "本年累计已完成全年目标"
    if _missing(required):
        return "上年同期数据不足，无法倒推余下月份所需增速"
    rest = 12 - month
    if float(required) < 0:
        return f"余下 {rest} 个月即使比上年同期少 {format_growth(-float(required))} 也能完成"
    return f"余下 {rest} 个月需同比增长 {format_growth(required)}"


def describe_target_line(row: pd.Series) -> str:
    """The one-sentence answer for one target of one zone or aggregate.

    Parameters
    ----------
    row
        A projections row (indicator, month, ytd_value, projected_value, target_value,
        p_meet_target, required_growth_pct).

    Examples
    --------
    >>> row = pd.Series({"indicator": "fai", "month": 9, "ytd_value": 1500.0,
    ...     "projected_value": 2144.0, "target_value": 2360.0, "p_meet_target": 0.6985,
    ...     "required_growth_pct": 36.2})
    >>> describe_target_line(row)
    '固定资产投资：预计全年 2,144 亿元，比目标少 216 亿元（完成概率 69 %）；余下 3 个月需同比增长 36 %。'
    """
    catalogue = load_indicator_catalogue()
    ind = catalogue.get(str(row["indicator"]))
    name = ind.name_zh if ind else str(row["indicator"])
    unit = ind.unit if ind else ""
    kind = "stock" if ind is not None and ind.kind == "stock" else "flow"
    final = not _missing(row.get("month")) and int(row["month"]) >= 12
    when = ("年末" if kind == "stock" else "全年") if not final else "全年实际"
    lead = "" if final else "预计"
    text = f"{name}：{lead}{when} {format_amount(row['projected_value'], unit)}，"
    text += describe_gap(row["projected_value"], row["target_value"], unit)
    if not final and not _missing(row.get("p_meet_target")):
        text += f"（完成概率 {format_probability(row['p_meet_target'])}）"
    need = describe_requirement(row, kind)
    return text + (f"；{need}。" if need else "。")


def build_answer_lines(projections: pd.DataFrame, unit_id: str) -> list[str]:
    """One sentence per target of a zone or aggregate, worst (lowest probability) first."""
    rows = projections[(projections["zone_id"] == unit_id) & projections["target_value"].notna()]
    rows = rows[rows["projected_value"].notna()]
    rows = rows.sort_values("p_meet_target", na_position="last", kind="stable")
    return [describe_target_line(r) for _, r in rows.iterrows()]


#: The zone page's notice for a series without a complete past year, and with only one.
NO_PAST_YEAR_NOTICE = "本区{name}没有完整的上年数据，年末预测只按进度外推，区间很宽"
ONE_PAST_YEAR_NOTICE = (
    "本区{name}只有一年历史数据，年末预测按沿用累计增速与一年的同期完成比例推算，区间较宽"
)


def describe_history_notices(projections: pd.DataFrame, unit_id: str) -> list[str]:
    """One notice per indicator of a zone with no complete past year, or with only one.

    Reads ``no_past_year`` and ``past_years`` of the projections (aggregates have neither and
    get no notice); indicators without a complete past year come first.

    Examples
    --------
    >>> proj = pd.DataFrame({"zone_id": ["z", "z", "z"], "indicator": ["revenue", "fai", "tax"],
    ...     "past_years": [0, 1, 3], "no_past_year": [True, False, False]})
    >>> describe_history_notices(proj, "z")  # doctest: +NORMALIZE_WHITESPACE
    ['本区规模以上工业主营业务收入没有完整的上年数据，年末预测只按进度外推，区间很宽',
     '本区固定资产投资只有一年历史数据，年末预测按沿用累计增速与一年的同期完成比例推算，区间较宽']
    """
    if "past_years" not in projections.columns:
        return []
    rows = projections[projections["zone_id"] == unit_id]
    years = pd.to_numeric(rows["past_years"], errors="coerce")
    none = years.eq(0)
    if "no_past_year" in rows.columns:
        none = none | rows["no_past_year"].astype("boolean").fillna(False).astype(bool)
    one = years.eq(1) & ~none
    catalogue = load_indicator_catalogue()

    def name(code: object) -> str:
        ind = catalogue.get(str(code))
        return ind.name_zh if ind else str(code)

    out = [NO_PAST_YEAR_NOTICE.format(name=name(c)) for c in rows.loc[none, "indicator"]]
    return out + [ONE_PAST_YEAR_NOTICE.format(name=name(c)) for c in rows.loc[one, "indicator"]]
