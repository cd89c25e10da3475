"""Refuse a value whose magnitude disagrees with the same series in its other periods.

A unit slip (a table in 万元 under a 亿元 unit line, 人 read as 万人, a unit line missing) gives
values 10,000 times too large or too small; within an indicator's allowed range such a value would
otherwise enter the data unnoticed. Each value is compared with the same zone and indicator in the
other periods of the run, on a monthly run rate (a year-to-date flow divided by its months, a stock
as it is), so a year-to-date figure is not mistaken for a jump. The same cross-period view notes a
reported growth that looks written as a fraction (:func:`flag_fraction_growth`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zoneanalysis.cleaning.layout import column_letter
from zoneanalysis.errors import InputDataError
from zoneanalysis.indicators import Indicator
from zoneanalysis.periods import period_label_zh

#: Indicator kinds whose value accumulates over the year (compared per month).
RUN_RATE_KINDS = frozenset({"ytd_flow", "count"})
#: Indicator kinds compared as they are.
LEVEL_KINDS = frozenset({"stock"})
#: At most this many cells are listed in one refusal.
MAX_LISTED = 10


def magnitude_ratios(records: pd.DataFrame, catalogue: dict[str, Indicator]) -> pd.Series:
    """Each record's run rate over the typical run rate of its series' other periods.

    Parameters
    ----------
    records
        Cleaned records (``zone_id``, ``indicator``, ``year``, ``month``, ``value``), one per
        zone × period × indicator.
    catalogue
        The indicator catalogue (``kind`` and ``min`` select what is compared).

    Returns
    -------
    pandas.Series
        Ratio per record (index of ``records``); NaN where nothing is compared: rates, values
        ≤ 0, indicators that may be negative, a series with one period. The typical value is the
        median of the series' run rates (with two periods: the other one).

    Examples
    --------
    >>> from zoneanalysis.indicators import load_indicator_catalogue
    >>> r = pd.DataFrame({"zone_id": "a", "indicator": "revenue", "year": 2016,
    ...                   "month": [3, 6, 9], "value": [30.0, 60.0, 900000.0]})
    >>> magnitude_ratios(r, load_indicator_catalogue()).round(1).tolist()
    [1.0, 1.0, 10000.0]
    """
    kinds = records["indicator"].map(lambda c: catalogue[c].kind).astype(object)
    signed = records["indicator"].map(lambda c: catalogue[c].min < 0).astype(bool)
    value = records["value"].astype(float)
    usable = (kinds.isin(RUN_RATE_KINDS | LEVEL_KINDS) & ~signed & (value > 0)).to_numpy()
    part = records.loc[usable, ["zone_id", "indicator"]].astype(str)
    months = records.loc[usable, "month"].astype(float)
    rate = value[usable] / np.where(kinds[usable].isin(RUN_RATE_KINDS), months, 1.0)
    groups = rate.groupby([part["zone_id"], part["indicator"]], sort=False)
    size = groups.transform("size")
    typical = groups.transform("median")
    # With two periods the median is their mean: compare each with the other one instead.
    other = groups.transform("sum") - rate
    typical = typical.where(size != 2, other)
    out = pd.Series(np.nan, index=records.index)
    out[usable] = (rate / typical).where(size >= 2).to_numpy()
    return out


def check_magnitudes(records: pd.DataFrame, catalogue: dict[str, Indicator], factor: float) -> None:
    """Refuse every value ``factor`` times above or below its series' other periods.

    Parameters
    ----------
    records
        Cleaned records with ``source_file``, ``source_row``, ``source_column`` and
        ``zone_name`` (as :func:`zoneanalysis.cleaning.clean.clean_tables` holds them).
    catalogue
        The indicator catalogue.
    factor
        ``cleaning_rules.yaml`` ``magnitude_jump_factor`` (``inf``: no check).

    Raises
    ------
    InputDataError
        Naming each suspicious cell (file, row, column), its value and the typical value.
    """
    if not np.isfinite(factor) or records.empty:
        return
    ratio = magnitude_ratios(records, catalogue)
    bad = records[(ratio >= factor) | (ratio <= 1.0 / factor)]
    if bad.empty:
        return
    lines = [_describe(r, ratio[i], catalogue) for i, r in bad.head(MAX_LISTED).iterrows()]
    more = f"\n  ……另有 {len(bad) - MAX_LISTED} 处" if len(bad) > MAX_LISTED else ""
    first = bad.iloc[0]
    raise InputDataError(
        f"有 {len(bad)} 个数值与同一集聚区同一指标的其他期间相差 {factor:g} 倍以上，"
        "多半是单位写错（万元当成亿元、人当成万人，相差 10000 倍）或单位行缺失：\n  "
        + "\n  ".join(lines)
        + more,
        file=str(first["source_file"]),
        hint=(
            "核对这些单元格所在报表的单位行和表头单位，改正单位后重新运行（原表保留备份，可作为修订版）；"
            "若数值确实无误，可调整 data/raw/reference/cleaning_rules.yaml 的 magnitude_jump_factor。"
        ),
    )


def _describe(r: pd.Series, ratio: float, catalogue: dict[str, Indicator]) -> str:
    ind = catalogue[str(r["indicator"])]
    col = int(r["source_column"])
    cell = f"第 {int(r['source_row'])} 行" + (f"第 {column_letter(col)} 列" if col >= 0 else "")
    typical = float(r["value"]) / ratio
    per = "（按每月折算比较）" if ind.kind in RUN_RATE_KINDS else ""
    return (
        f"{r['source_file']}（{cell}）{r['zone_name']} {period_label_zh(int(r['year']), int(r['month']))}"
        f" {ind.name_zh} {float(r['value']):g}{ind.unit}，其他期间同口径约 {typical:.3g}{ind.unit}"
        f"{per}，相差 {max(ratio, 1 / ratio):,.0f} 倍"
    )


def flag_fraction_growth(records: pd.DataFrame, catalogue: dict[str, Indicator]) -> list[dict]:
    """Warn where a reported growth rate looks written as a fraction (0.123 for 12.3 %).

    The reported growth (可比口径) is data and is kept as printed; it is compared with the growth
    implied by the same zone's value a year earlier in the run. When the reported figure is below
    1 in size, the implied growth is at least 3 points and 100 × the reported figure is within a
    quarter of it, the cleaning report notes the cell.

    Parameters
    ----------
    records
        Cleaned records (``yoy_pct``, ``value``, ``source_file``, ``source_row``, ``raw_text``).
    catalogue
        The indicator catalogue (names for the message).

    Returns
    -------
    list of dict
        Warning rows for the cleaning report.

    Examples
    --------
    >>> from zoneanalysis.indicators import load_indicator_catalogue
    >>> r = pd.DataFrame({"zone_id": "a", "indicator": "revenue", "year": [2015, 2016],
    ...                   "month": 6, "value": [100.0, 112.0], "yoy_pct": [float("nan"), 0.12],
    ...                   "source_file": "f.csv", "source_row": [4, 4], "raw_text": "a"})
    >>> [w["source_row"] for w in flag_fraction_growth(r, load_indicator_catalogue())]
    [4]
    """
    if records.empty or records["yoy_pct"].isna().all():
        return []
    key = ["zone_id", "indicator", "month"]
    prev = records[[*key, "year", "value"]].assign(year=records["year"] + 1)
    both = records.reset_index().merge(
        prev.rename(columns={"value": "prev"}), on=[*key, "year"], how="inner"
    )
    yoy, value, before = both["yoy_pct"], both["value"], both["prev"]
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = (value / before - 1.0) * 100.0
    odd = (
        yoy.notna()
        & (yoy.abs() < 1.0)
        & (before > 0)
        & (implied.abs() >= 3.0)
        & ((yoy * 100.0 - implied).abs() <= 0.25 * implied.abs())
    )
    return [
        {
            "source_file": r.source_file,
            "source_row": int(r.source_row),
            "raw_text": r.raw_text,
            "reason": (
                f"{catalogue[str(r.indicator)].name_zh}的报表增速 {r.yoy_pct:g}% 疑似写成了小数"
                f"（按上年同期值计算约 {imp:.1f}%），已按原值保留，请核对"
            ),
            "severity": "warning",
        }
        for r, imp in zip(both[odd].itertuples(), implied[odd], strict=True)
    ]
