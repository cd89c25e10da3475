"""Rank tables: a zone's place in each list, one list as a table, rank and rank-change words."""

from __future__ import annotations

import pandas as pd

from zoneanalysis.labels import (
    BASIS_ZH,
    EVEN,
    NA_TEXT,
    RANK_DOWN,
    RANK_UP,
    describe_places,
    format_stars,
)
from zoneanalysis.reporting.views.common import LIST_ORDER
from zoneanalysis.reporting.views.rank_selection import select_rank_rows


def build_rank_table(rankings: pd.DataFrame, zone_id: str) -> pd.DataFrame:
    """One zone's place in each list: ``第 5 名（3–8）``, the list size and P(top N).

    Returns
    -------
    pandas.DataFrame
        Columns 榜单, 名次（5%–95% 区间）, 参评数, 进入前N名概率 (``3 %（前十）``, rounded
        down), 依据, 较上年.
    """
    from zoneanalysis.reporting.answer import format_probability

    cols = ["榜单", RANK_COLUMN, "参评数", "进入前N名概率", "依据", "较上年"]
    if rankings.empty:
        return pd.DataFrame(columns=cols)
    sizes = rankings.groupby("list")["zone_id"].size()
    rows = rankings[rankings["zone_id"] == zone_id]
    return pd.DataFrame(
        {
            "榜单": rows["list_name_zh"].to_numpy(),
            RANK_COLUMN: [
                describe_rank(r, a, b)
                for r, a, b in zip(rows["rank"], rows["rank_p05"], rows["rank_p95"], strict=True)
            ],
            "参评数": [f"{int(n)} 个" for n in rows["list"].map(sizes)],
            "进入前N名概率": [
                f"{format_probability(p)}（{top_n_words(n)}）"
                for p, n in zip(rows["p_top_n"], rows["top_n"], strict=True)
            ],
            "依据": rows["basis"].map(BASIS_ZH).fillna(rows["basis"]).to_numpy(),
            "较上年": [describe_rank_change(c) for c in rows["rank_change"]],
        },
        columns=cols,
    )


#: What 较上年 means, in plain Chinese, for every page that shows it.
RANK_CHANGE_NOTE = (
    f"“较上年”与上年同一榜单的名次相比：“↑ {RANK_UP} N 位”表示名次前移 N 位（变好），"
    f"“↓ {RANK_DOWN} N 位”表示名次后退 N 位（变差），“{EVEN}”表示名次不变，"
    f"“{NA_TEXT}”表示上年没有可比的名次。"
    "本期只有部分集聚区参加排名时（非季末月份），上年名次按这些集聚区重新排名后再比较。"
)


def describe_rank_change(change: object) -> str:
    """A rank change against last year in plain Chinese (positive: moved up, i.e. better).

    ``rank_change`` is last year's rank minus this year's, so ``3`` means three places higher.

    Examples
    --------
    >>> [describe_rank_change(c) for c in (3, -2, 0, None)]
    ['↑ 上升 3 位', '↓ 下降 2 位', '持平', '—']
    """
    if change is None or pd.isna(change):
        return NA_TEXT
    n = int(round(float(change)))
    arrow = "↑ " if n > 0 else "↓ " if n < 0 else ""
    return arrow + describe_places(n)


def build_rankings_view(
    rankings: pd.DataFrame, stars: pd.DataFrame, list_code: str, *, head: int | None = None
) -> pd.DataFrame:
    """One list as a plain table: ``第 95 名（92–105）``, ``进入前十概率 3 %``, change, star.

    Parameters
    ----------
    head
        Show ranks 1..``head`` and every Zhengzhou zone, with a ``⋯ 略去…`` row for each left-out
        run (:func:`select_rank_rows`); every zone when ``None``.

    Returns
    -------
    pandas.DataFrame
        Columns 名次（5%–95% 区间）, 集聚区, 进入前N概率 (headed with the list's N in words,
        e.g. 进入前十概率; rounded down, see :func:`zoneanalysis.reporting.answer.format_probability`),
        较上年 (:func:`describe_rank_change`), 得分, 当前星级 (Zhengzhou zones), 郑州; in rank
        order.
    """
    from zoneanalysis.reporting.answer import format_probability

    rows = rankings[rankings["list"] == list_code]
    top_n = int(rows["top_n"].iloc[0]) if len(rows) else 10
    if head is None:
        rows = rows.sort_values(["rank", "zone_name"]).assign(is_gap=False)
    else:
        rows = select_rank_rows(rows, head=head)
    star = stars.set_index("zone_id")["star_current"] if not stars.empty else pd.Series(dtype=float)
    change = rows["rank_change"] if "rank_change" in rows else pd.Series([None] * len(rows))
    gap = rows["is_gap"].to_numpy()

    def unless_gap(values) -> list:
        return [None if g else v for v, g in zip(values, gap, strict=True)]

    return pd.DataFrame(
        {
            RANK_COLUMN: [
                "⋯" if g else describe_rank(r, a, b)
                for r, a, b, g in zip(
                    rows["rank"], rows["rank_p05"], rows["rank_p95"], gap, strict=True
                )
            ],
            "集聚区": rows["zone_name"].to_numpy(),
            f"进入{top_n_words(top_n)}概率": [
                "" if g else format_probability(p)
                for p, g in zip(rows["p_top_n"], gap, strict=True)
            ],
            "较上年": [
                "" if g else describe_rank_change(c) for c, g in zip(change, gap, strict=True)
            ],
            "得分": unless_gap(rows["score"]),
            "当前星级": [
                "" if g else (format_stars(star.get(z)) if z in star.index else NA_TEXT)
                for z, g in zip(rows["zone_id"], gap, strict=True)
            ],
            "郑州": rows["is_zhengzhou"].astype(bool).to_numpy(),
        }
    )


#: Header of the rank column of rank tables.
RANK_COLUMN = "名次（5%–95% 区间）"


def describe_rank(rank: object, p05: object, p95: object) -> str:
    """``第 95 名（92–105）``; ``未排名`` without a rank.

    Examples
    --------
    >>> describe_rank(95, 92, 105), describe_rank(3, 3, 3), describe_rank(None, None, None)
    ('第 95 名（92–105）', '第 3 名（3–3）', '未排名')
    """
    if rank is None or pd.isna(rank):
        return "未排名"
    text = f"第 {int(rank)} 名"
    if p05 is not None and p95 is not None and pd.notna(p05) and pd.notna(p95):
        text += f"（{int(p05)}–{int(p95)}）"
    return text


def top_n_words(n: int) -> str:
    """``前十``, ``前二``, ``前二十`` (the way the lists are named).

    Examples
    --------
    >>> top_n_words(10), top_n_words(2), top_n_words(20), top_n_words(15), top_n_words(100)
    ('前十', '前二', '前二十', '前十五', '前100')
    """
    digits = "零一二三四五六七八九"
    n = int(n)
    if not 0 < n < 100:
        return f"前{n}"
    tens, ones = divmod(n, 10)
    word = ("" if tens == 1 else digits[tens]) + "十" if tens else ""
    return "前" + word + (digits[ones] if ones else "")


def list_rankings(rankings: pd.DataFrame) -> list[tuple[str, str]]:
    """The lists present, as ``(code, Chinese name)`` in a fixed order (十强, 十快, 十先, 郑州…)."""
    if rankings.empty:
        return []
    preferred = LIST_ORDER
    pairs = rankings[["list", "list_name_zh"]].drop_duplicates("list")
    rank = {c: i for i, c in enumerate(preferred)}
    pairs = pairs.assign(_o=pairs["list"].map(rank).fillna(len(preferred))).sort_values(
        ["_o", "list"]
    )
    return list(zip(pairs["list"], pairs["list_name_zh"]))
