"""Star levels as a page shows them: the words and the zone's star table."""

from __future__ import annotations

import pandas as pd

from zoneanalysis.labels import format_stars

#: Star table headers: the current level (last complete year's actuals), the projected one (this
#: year-end) and the plan's target.
STAR_CURRENT, STAR_PROJECTED, STAR_TARGET = "当前星级", "预计星级", "目标星级"


def label_star_columns(year: int | None = None, month: int | None = None) -> dict[str, str]:
    """The star headers with what each level rests on, e.g. ``当前星级（2015 年实际）``.

    Examples
    --------
    >>> label_star_columns(2016, 6)["当前星级"], label_star_columns(2016, 12)["预计星级"]
    ('当前星级（2015 年实际）', '预计星级（2016 年实际）')
    """
    if year is None:
        return {
            STAR_CURRENT: "当前星级（最近完整年度实际）",
            STAR_PROJECTED: "预计星级（本年年末预测）",
            STAR_TARGET: "目标星级（计划）",
        }
    final = month is not None and month >= 12
    current_year = year if final else year - 1
    return {
        STAR_CURRENT: f"当前星级（{current_year} 年实际）",
        STAR_PROJECTED: f"预计星级（{year} 年{'实际' if final else '末预测'}）",
        STAR_TARGET: f"目标星级（{year} 年计划）",
    }


def build_star_table(
    stars: pd.DataFrame, zone_id: str, *, year: int | None = None, month: int | None = None
) -> pd.DataFrame:
    """Star level now / projected / target for one zone (empty if the zone has none).

    Parameters
    ----------
    year, month
        The period, to say which year each level rests on (:func:`label_star_columns`).

    Returns
    -------
    pandas.DataFrame
        Columns 当前星级（…）, 预计星级（…）, 目标星级（…）, 达到目标概率, 提示.
    """
    labels = label_star_columns(year, month)
    cols = [
        labels[STAR_CURRENT],
        labels[STAR_PROJECTED],
        labels[STAR_TARGET],
        "达到目标概率",
        "提示",
    ]
    if stars.empty:
        return pd.DataFrame(columns=cols)
    rows = stars[stars["zone_id"] == zone_id]
    return pd.DataFrame(
        {
            cols[0]: rows["star_current"].map(format_stars).to_numpy(),
            cols[1]: rows["star_projected"].map(format_stars).to_numpy(),
            cols[2]: rows["star_target"].map(format_stars).to_numpy(),
            "达到目标概率": rows["p_reach_target"].to_numpy(),
            "提示": rows["note"].fillna("").to_numpy(),
        },
        columns=cols,
    )
