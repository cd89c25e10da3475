"""Which rows of a long list a page shows, and how they are cut into blocks for the chart."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from zoneanalysis.reporting.views.common import _RULES


def count_rank_head(
    top_n: int,
    *,
    margin: int = _RULES.display.rank_head_margin,
    minimum: int = _RULES.display.rank_head_minimum,
) -> int:
    """How many leading ranks a list shows: its top N plus a margin, at least ``minimum``.

    Examples
    --------
    >>> count_rank_head(10), count_rank_head(20), count_rank_head(2)
    (20, 30, 20)
    """
    return max(int(minimum), int(top_n) + int(margin))


def select_rank_rows(rows: pd.DataFrame, *, head: int) -> pd.DataFrame:
    """One list's rows to show: ranks 1..``head`` and every Zhengzhou zone, with gap rows.

    Between two shown rows whose ranks are not adjacent in the list, and after the last shown
    row if others follow, a gap row says which ranks are left out and how many zones. Zones
    with no rank (too little data that month) are left out and counted in one last gap row.

    Parameters
    ----------
    rows
        Rows of ``rankings`` for one list (zone_name, rank, rank_p05, rank_p95, p_top_n,
        is_zhengzhou; other columns are kept).
    head
        Show every zone ranked ``head`` or better (ties at the edge included).

    Returns
    -------
    pandas.DataFrame
        The shown rows in rank order plus gap rows, with two more columns: ``is_gap`` and
        ``row_label`` (the zone name, or for a gap ``⋯ 略去第 21–44 名（24 个）``). Gap rows have
        missing ranks and ``is_zhengzhou`` false.
    """
    ranked = rows[rows["rank"].notna()]
    ordered = ranked.sort_values(["rank", "zone_name"], kind="stable").reset_index(drop=True)
    keep = (ordered["rank"] <= head) | ordered["is_zhengzhou"].astype(bool)
    parts: list[pd.DataFrame] = []
    skipped: list[int] = []

    def flush() -> None:
        if not skipped:
            return
        left = ordered.loc[skipped, "rank"]
        label = f"⋯ 略去第 {int(left.min())}–{int(left.max())} 名（{len(skipped)} 个）"
        if left.min() == left.max():
            label = f"⋯ 略去第 {int(left.min())} 名（{len(skipped)} 个）"
        gap = {c: [pd.NA] for c in ordered.columns}
        gap.update(
            {"zone_name": [label], "is_zhengzhou": [False], "is_gap": [True], "row_label": [label]}
        )
        parts.append(pd.DataFrame(gap))
        skipped.clear()

    for i, shown in enumerate(keep):
        if shown:
            flush()
            row = ordered.loc[[i]].assign(is_gap=False, row_label=ordered.at[i, "zone_name"])
            parts.append(row)
        else:
            skipped.append(i)
    flush()
    unranked = rows[rows["rank"].isna()]
    if not unranked.empty:  # e.g. a month whose province-wide figures are not yet published
        parts.append(_unranked_gap_row(unranked, ordered.columns))
    if not parts:
        return ordered.assign(is_gap=False, row_label=ordered["zone_name"])
    out = pd.concat([p.astype(object) for p in parts], ignore_index=True)
    for col in ("rank", "rank_p05", "rank_p95", "p_top_n", "score", "rank_change"):
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce")
    out["is_gap"] = out["is_gap"].astype(bool)
    out["is_zhengzhou"] = out["is_zhengzhou"].astype(bool)
    return out


def _unranked_gap_row(unranked: pd.DataFrame, columns: pd.Index) -> pd.DataFrame:
    """A gap row saying how many zones of a list have no rank (Zhengzhou ones named)."""
    label = f"⋯ 另有 {len(unranked)} 个未参加排名（数据不足）"
    zz = unranked.loc[unranked["is_zhengzhou"].astype(bool), "zone_name"].astype(str)
    if not zz.empty:
        label += f"，其中郑州：{'、'.join(zz)}"
    gap = {c: [pd.NA] for c in columns}
    gap.update(
        {"zone_name": [label], "is_zhengzhou": [False], "is_gap": [True], "row_label": [label]}
    )
    return pd.DataFrame(gap)


@dataclass(frozen=True)
class RankBlock:
    """One run of adjacent shown rows of a rankings list, drawn with its own rank scale.

    Attributes
    ----------
    rows
        The zone rows of the run, in rank order (no gap rows).
    lo, hi
        The ranks the block's axis spans: the lowest ``rank_p05`` and the highest ``rank_p95``
        (or rank) of its rows. The first block starts at rank 1 and ends at most at twice its
        last rank, so one wide interval cannot squeeze the head of the list.
    gap_after
        The ``⋯ 略去…`` label of the ranks left out after this block, or ``None``.
    """

    rows: pd.DataFrame
    lo: int
    hi: int
    gap_after: str | None


def split_rank_blocks(shown: pd.DataFrame) -> list[RankBlock]:
    """Cut the selection of :func:`select_rank_rows` at its gap rows into blocks.

    Each block keeps its own rank range, so the top ranks are not squeezed by a Zhengzhou zone
    ranked far down the list.

    Parameters
    ----------
    shown
        Rows with ``is_gap`` and ``row_label`` (:func:`select_rank_rows`), in display order.

    Returns
    -------
    list of RankBlock
        In display order. A selection that starts with a gap gets a first block with no rows.
    """
    blocks: list[RankBlock] = []
    current: list[int] = []

    def close(gap: str | None) -> None:
        rows = shown.loc[current]
        if rows.empty:
            lo = hi = 1
        else:
            ranks = pd.concat([rows["rank_p05"], rows["rank_p95"], rows["rank"]])
            lo = 1 if not blocks else int(ranks.min())
            hi = int(ranks.max())
            if not blocks:
                # The head keeps its ranks readable: an interval reaching past twice the last
                # shown rank is cut at the edge (the chart marks it) rather than widening the axis.
                hi = min(hi, 2 * int(rows["rank"].max()))
        blocks.append(RankBlock(rows.reset_index(drop=True), lo, hi, gap))
        current.clear()

    for i, is_gap in zip(shown.index, shown["is_gap"].astype(bool), strict=True):
        if is_gap:
            close(str(shown.at[i, "row_label"]))
        else:
            current.append(i)
    if current or not blocks:
        close(None)
    return blocks
