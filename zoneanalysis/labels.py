"""Every Chinese word a page, the workbook or the brief prints for a code: one copy, imported.

Words that name a code (verdicts, star levels, registry levels, aggregates' short names, the basis
of a rank, rank changes) live here; indicator names come from the indicator catalogue
(:func:`indicator_names`). Numbers that a policy maker could change are not labels: they are in
``data/raw/reference/report_rules.yaml`` (:func:`zoneanalysis.rules.load_report_rules`), and the
aggregates' full names with them.
"""

from __future__ import annotations

import functools

import pandas as pd

from zoneanalysis.indicators import indicator_names_zh

#: What a cell shows for a missing value.
NA_TEXT = "—"

#: The verdict of one target (traffic lights green, amber, red).
ON_TRACK, AT_RISK, OFF_TRACK = "有望完成", "有风险", "难以完成"
#: The order in which verdicts are listed everywhere: worst first.
VERDICT_ORDER = (OFF_TRACK, AT_RISK, ON_TRACK)

#: Star levels 0–6 (0: no level reached).
STAR_WORDS = ("未定星", "一星", "二星", "三星", "四星", "五星", "六星")

#: Registry levels, full (headings, groups) and short (table cells).
LEVEL_NAMES_ZH = {"provincial": "省级产业集聚区", "city_park": "市级工业专业园区"}
LEVEL_SHORT_NAMES_ZH = {"provincial": "省级集聚区", "city_park": "市级园区"}

#: Aggregates as a summary row names them, and as a sentence of the brief opens with them. Their
#: full names are in report_rules.yaml (``aggregates.<id>.name_zh``).
AGGREGATE_SHORT_NAMES_ZH = {"agg_zz_provincial": "省级集聚区合计", "agg_zz_parks": "市级园区合计"}
AGGREGATE_SCOPE_NAMES_ZH = {
    "agg_zz_provincial": "全市省级产业集聚区",
    "agg_zz_parks": "全市市级工业专业园区",
}

#: The target's series and column on a zone page, and the same for an example target (示例).
TARGET_SERIES, EXAMPLE_TARGET = "目标", "目标（示例）"

#: What a rank rests on (``rankings.basis``).
BASIS_ZH = {"actual": "实际数", "projected": "预测数"}

#: A rank change against an earlier list: moved up (better), down, or level.
RANK_UP, RANK_DOWN = "上升", "下降"
#: Neither up nor down: a rank unchanged, a projection level with its target.
EVEN = "持平"


def format_stars(level: object) -> str:
    """A star level in words: ``3`` → ``三星``, ``0`` → ``未定星``, missing → ``—``.

    Examples
    --------
    >>> [format_stars(x) for x in (3, 0, None, 7)]
    ['三星', '未定星', '—', '7星']
    """
    if level is None or pd.isna(level):
        return NA_TEXT
    n = int(level)
    return STAR_WORDS[n] if 0 <= n < len(STAR_WORDS) else f"{n}星"


def describe_places(change: int) -> str:
    """``上升 3 位`` / ``下降 2 位`` / ``持平`` for a change in places (positive: moved up).

    Examples
    --------
    >>> describe_places(3), describe_places(-2), describe_places(0)
    ('上升 3 位', '下降 2 位', '持平')
    """
    if change > 0:
        return f"{RANK_UP} {change} 位"
    if change < 0:
        return f"{RANK_DOWN} {-change} 位"
    return EVEN


@functools.cache
def indicator_names() -> dict[str, str]:
    """Indicator code → Chinese name, from the catalogue (read once per process), in its order."""
    return indicator_names_zh()
