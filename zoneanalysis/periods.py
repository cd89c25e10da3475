"""Reporting periods written as YYYY-MM (the last month of a year-to-date period)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from zoneanalysis.errors import ConfigError, PeriodError

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(text: str, *, today: dt.date | None = None) -> tuple[int, int]:
    """Parse ``YYYY-MM`` into ``(year, month)``.

    Parameters
    ----------
    text
        The period, e.g. ``"2016-06"``. January alone is never published (the first release is
        1-2月), so ``YYYY-01`` is refused.
    today
        The current date (for refusing future periods); today by default.

    Returns
    -------
    tuple of int
        ``(year, month)``.

    Raises
    ------
    PeriodError
        If the text is malformed, the month is 1 or out of range, or the period is in the future.
    """
    m = _PERIOD.match(str(text).strip())
    if not m:
        raise PeriodError(
            f"期间“{text}”格式不对", hint="请写成 YYYY-MM，例如 2016-06 表示 1-6月累计。"
        )
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        raise PeriodError(f"期间“{text}”的月份不在 1-12 之间", hint="例如 2016-06。")
    if month == 1:
        raise PeriodError(
            f"期间“{text}”：1月数据不单独发布，首期为 1-2月", hint=f"请改用 {year}-02。"
        )
    today = today or dt.date.today()
    if (year, month) > (today.year, today.month):
        raise PeriodError(f"期间“{text}”在未来，还没有数据", hint="请选择已发布的月份。")
    return year, month


def format_period(year: int, month: int) -> str:
    """``(2016, 6)`` → ``"2016-06"``."""
    return f"{year:04d}-{month:02d}"


def period_label_zh(year: int, month: int) -> str:
    """Chinese label of a year-to-date period: ``2016年1-6月``; ``2016年全年`` for December."""
    if month == 12:
        return f"{year}年全年"
    return f"{year}年1-{month}月"


def require_period_in_data(stats: pd.DataFrame, year: int, month: int, source: str) -> None:
    """Raise a clear error if ``stats`` has no rows for ``year``/``month``.

    Parameters
    ----------
    stats
        A table with ``year`` and ``month`` columns.
    year, month
        The requested period.
    source
        The file the table came from (for the message).
    """
    have = stats.loc[stats["year"] == year, "month"]
    if (have == month).any():
        return
    have_ym = stats[["year", "month"]].drop_duplicates().sort_values(["year", "month"])
    wanted = format_period(year, month)
    add = f"把 {wanted} 的报表放进 data/raw/bureau/ 后重新运行 make report（它会从清洗开始做）。"
    hint = f"请{add}"
    if not have_ym.empty:
        first = format_period(int(have_ym.iloc[0]["year"]), int(have_ym.iloc[0]["month"]))
        last = format_period(int(have_ym.iloc[-1]["year"]), int(have_ym.iloc[-1]["month"]))
        if wanted > last:
            hint = f"数据最新到 {last}：请选 {last} 或更早的月份，或{add}"
        elif wanted < first:
            hint = f"数据最早从 {first} 开始：请选 {first} 至 {last} 之间的月份。"
        else:
            hint = f"现有数据 {first} 至 {last}，但缺 {wanted} 这一期：请{add}"
    raise PeriodError(f"没有 {format_period(year, month)} 的数据", file=source, hint=hint)


def latest_period(stats: pd.DataFrame, zones: pd.DataFrame) -> str:
    """The latest ``YYYY-MM`` with data for a Zhengzhou zone (any zone if none has data).

    Parameters
    ----------
    stats
        The cleaned ``zone_stats`` table.
    zones
        The registry (Zhengzhou's zones decide the period: they report monthly).

    Returns
    -------
    str
        For example ``"2016-09"``.

    Raises
    ------
    ConfigError
        If ``stats`` is empty.
    """
    zz = set(zones.loc[zones["is_zhengzhou"], "zone_id"])
    subset = stats[stats["zone_id"].isin(zz)]
    subset = subset if not subset.empty else stats
    if subset.empty:
        raise ConfigError(
            "已处理数据里没有任何数据行", file="zone_stats.parquet", hint="请先运行 make report。"
        )
    last = subset[["year", "month"]].drop_duplicates().sort_values(["year", "month"]).iloc[-1]
    return format_period(int(last["year"]), int(last["month"]))
