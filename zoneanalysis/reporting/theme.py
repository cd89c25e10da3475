"""One altair theme for every chart: CJK fonts, Chinese labels, explicit sort orders.

Vega sorts strings by code point, which puts Chinese names in an order nobody expects; every
categorical axis therefore gets an explicit ``sort`` list from :func:`sort_order`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import altair as alt

THEME_NAME = "zoneanalysis"
FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
)
LOCALE = "zh-CN"

#: Series colours: history, actual year to date, projection, target.
SERIES_COLOURS = {
    "往年实际": "#9e9e9e",
    "本年累计": "#1565c0",
    "年末预测": "#ef6c00",
    "目标": "#c62828",
}


def build_theme() -> dict[str, Any]:
    """The theme's config block (fonts, sizes, colours, number format).

    Returns
    -------
    dict
        A Vega-Lite ``config`` object.
    """
    return {
        "config": {
            "font": FONT_STACK,
            "title": {"font": FONT_STACK, "fontSize": 15, "anchor": "start"},
            "axis": {"labelFont": FONT_STACK, "titleFont": FONT_STACK, "labelFontSize": 12},
            "legend": {"labelFont": FONT_STACK, "titleFont": FONT_STACK, "orient": "bottom"},
            "header": {"labelFont": FONT_STACK, "titleFont": FONT_STACK},
            "mark": {"font": FONT_STACK},
            "numberFormat": ",.1f",
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "range": {"category": list(SERIES_COLOURS.values()) + ["#6a1b9a", "#00838f"]},
        }
    }


def enable_theme() -> None:
    """Register the theme (once) and make it the active altair theme."""
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(build_theme)
    alt.theme.enable(THEME_NAME)


def sort_order(values: Iterable[object], preferred: Iterable[object] | None = None) -> list[str]:
    """An explicit order for a categorical axis.

    Parameters
    ----------
    values
        The categories that occur.
    preferred
        A known order (e.g. registry order of zones); categories in it come first in that order,
        the rest follow in their order of first appearance.

    Returns
    -------
    list of str
        Each category once.
    """
    seen = [str(v) for v in dict.fromkeys(values) if v is not None]
    if preferred is None:
        return seen
    pref = [str(v) for v in preferred]
    first = [p for p in dict.fromkeys(pref) if p in set(seen)]
    return first + [s for s in seen if s not in set(first)]
