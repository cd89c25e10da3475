"""Find the reporting period (year and last month of the year-to-date period) of a table."""

from __future__ import annotations

import re

from zoneanalysis.cleaning.rules import CleaningRules
from zoneanalysis.names import normalise_name

_YEAR = re.compile(r"((?:19|20)\d{2})年")
_RANGE = re.compile(r"1[-—~至到](1[0-2]|0?[1-9])月")
_SINGLE_MONTH = re.compile(r"(?<![\d-])(1[0-2]|0?[2-9])月")
_NAME_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])(?!\d)")
_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def detect_period(text: str, rules: CleaningRules) -> tuple[int | None, int | None]:
    """Find the year and the last month of the period named in a title or file name.

    Parameters
    ----------
    text
        A title ("2016年1-6月郑州市…", "2016年上半年全省…") or a file name ("2016-06.xlsx").
    rules
        The cleaning rules (period words such as 一季度, 上半年, 前三季度, 全年).

    Returns
    -------
    tuple
        ``(year, month)``; either is ``None`` when not found. "1-12月" and "全年" give 12.

    Examples
    --------
    >>> from zoneanalysis.cleaning.rules import load_cleaning_rules
    >>> detect_period("2016年1-6月郑州市产业集聚区主要经济指标", load_cleaning_rules())
    (2016, 6)
    """
    s = normalise_name(text).replace("—", "-").replace("－", "-").replace("–", "-")
    year: int | None = None
    month: int | None = None
    m = _YEAR.search(s)
    if m:
        year = int(m.group(1))
        rest = s[m.end() :]
    else:
        rest = s
    m = _RANGE.search(rest)
    if m:
        month = int(m.group(1))
    else:
        for word, word_month in rules.period_words:
            if word in rest:
                month = word_month
                break
    if month is None:
        m = _SINGLE_MONTH.search(rest)
        if m:
            month = int(m.group(1))
    if year is None:
        m = _NAME_YEAR_MONTH.search(s)
        if m:
            year = int(m.group(1))
            month = month or int(m.group(2))
        else:
            m = _NAME_YEAR.search(s)
            if m:
                year = int(m.group(1))
    return year, month


def is_revision_title(text: str, rules: CleaningRules) -> bool:
    """True if a title or file name marks a revised release ("（修订）", "_更正", "revised" …).

    Latin letters are compared without case (``rules.revision_words`` are lower-case).
    """
    s = normalise_name(text).lower()
    return any(word in s for word in rules.revision_words)
