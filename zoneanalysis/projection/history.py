"""Year-to-date series per unit × indicator, as a dense array for vectorised methods."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue

PROJECTED_KINDS = ("ytd_flow", "stock")
QUARTER_MONTHS = (3, 6, 9, 12)
NO_HISTORY_NOTE = "没有完整的往年数据：只能按简单年化推算，区间很宽，仅供参考"
ONE_YEAR_NOTE = "只有一个完整往年：按沿用累计增速与一年的同期完成比例推算，区间较宽"
MONTHLY = "monthly"
QUARTERLY = "quarterly"


@dataclass
class Panel:
    """Cumulative (year-to-date) values of many series on one calendar grid.

    Attributes
    ----------
    keys
        One row per series: ``zone_id``, ``indicator``, ``kind``, ``frequency``.
    years
        The calendar years of axis 1.
    cum
        Shape ``(series, years, 13)``: the value at the end of month 1-12 (index 0 unused; 1-2月 is
        stored at month 2, January alone is never published). Stocks hold the level.
    yoy
        Same shape: the reported growth (%), NaN where not reported.
    revised
        Shape ``(series, years)``: a value of that year was restated by a later release.
    """

    keys: pd.DataFrame
    years: np.ndarray
    cum: np.ndarray
    yoy: np.ndarray
    revised: np.ndarray

    def year_index(self, year: int) -> int:
        """Position of ``year`` on axis 1 (raises ``KeyError`` if absent)."""
        hits = np.flatnonzero(self.years == year)
        if hits.size == 0:
            raise KeyError(year)
        return int(hits[0])

    @property
    def is_flow(self) -> np.ndarray:
        """Boolean mask of year-to-date flow series."""
        return (self.keys["kind"] == "ytd_flow").to_numpy()


def build_panel(
    stats: pd.DataFrame,
    *,
    until: tuple[int, int] | None = None,
    kinds: tuple[str, ...] = PROJECTED_KINDS,
) -> Panel:
    """Arrange ``zone_stats`` rows as a :class:`Panel`.

    Parameters
    ----------
    stats
        The tidy zone statistics (``zone_id``, ``year``, ``month``, ``indicator``, ``value``,
        optional ``yoy_pct`` and ``quality_flag``).
    until
        ``(year, month)``: drop everything published after this period (no look-ahead).
    kinds
        Indicator kinds to keep (flows and stocks by default; rates and counts are not projected).

    Returns
    -------
    Panel
        Series sorted by zone and indicator.
    """
    catalogue = load_indicator_catalogue()
    kind_of = {code: ind.kind for code, ind in catalogue.items()}
    frame = stats[["zone_id", "year", "month", "indicator", "value"]].copy()
    frame["yoy_pct"] = stats.get("yoy_pct", np.nan)
    flag = stats["quality_flag"] if "quality_flag" in stats else pd.Series(pd.NA, index=stats.index)
    frame["revised"] = flag.astype("string").fillna("").str.contains("revised").to_numpy()
    frame["kind"] = frame["indicator"].map(kind_of)
    frame = frame[frame["kind"].isin(kinds)]
    if until is not None:
        y, m = until
        frame = frame[(frame["year"] < y) | ((frame["year"] == y) & (frame["month"] <= m))]
    frame = frame.dropna(subset=["value"])
    keys = (
        frame[["zone_id", "indicator", "kind"]]
        .drop_duplicates()
        .sort_values(["zone_id", "indicator"])
        .reset_index(drop=True)
    )
    if frame.empty:
        empty = np.empty((0, 0, 13))
        keys["frequency"] = pd.Series(dtype="string")
        return Panel(keys, np.array([], dtype=int), empty, empty.copy(), np.empty((0, 0), bool))
    years = np.arange(int(frame["year"].min()), int(frame["year"].max()) + 1)
    series_ix = pd.MultiIndex.from_frame(keys[["zone_id", "indicator"]]).get_indexer(
        pd.MultiIndex.from_frame(frame[["zone_id", "indicator"]])
    )
    year_ix = frame["year"].to_numpy(int) - years[0]
    month_ix = frame["month"].to_numpy(int)
    shape = (len(keys), len(years), 13)
    cum = np.full(shape, np.nan)
    yoy = np.full(shape, np.nan)
    cum[series_ix, year_ix, month_ix] = frame["value"].to_numpy(float)
    yoy[series_ix, year_ix, month_ix] = pd.to_numeric(frame["yoy_pct"]).to_numpy(float)
    revised = np.zeros(shape[:2], dtype=bool)
    rev = frame["revised"].to_numpy(bool)
    revised[series_ix[rev], year_ix[rev]] = True
    off_quarter = np.isfinite(cum[:, :, [2, 4, 5, 7, 8, 10, 11]]).any(axis=(1, 2))
    keys["frequency"] = np.where(off_quarter, MONTHLY, QUARTERLY)
    return Panel(keys, years, cum, yoy, revised)


def expected_months(frequency: str, up_to: int = 12) -> list[int]:
    """Months a series of this frequency publishes, up to ``up_to`` (1-2月 counts as month 2)."""
    months = range(2, up_to + 1) if frequency == MONTHLY else QUARTER_MONTHS
    return [m for m in months if m <= up_to]


def complete_past_years(panel: Panel, t: int) -> np.ndarray:
    """Per series, how many years before index ``t`` have a year-end value."""
    return np.isfinite(panel.cum[:, :t, 12]).sum(axis=1)


def describe_gaps(panel: Panel, t: int, month: int) -> list[str]:
    """Per series, a Chinese note on missing months, revisions and falling year-to-date values.

    Parameters
    ----------
    panel
        The series.
    t
        Index of the projected year.
    month
        The last month of the projected period.

    Returns
    -------
    list of str
        One (possibly empty) note per series.
    """
    notes: list[str] = []
    kinds = panel.keys["kind"].tolist()  # plain lists: no per-row lookups in the frame
    for i, freq in enumerate(panel.keys["frequency"].tolist()):
        parts: list[str] = []
        missing = []
        for j in range(t + 1):
            up_to = month if j == t else 12
            if not np.isfinite(panel.cum[i, j, 2:]).any():
                continue
            for m in expected_months(freq, up_to):
                if not np.isfinite(panel.cum[i, j, m]):
                    missing.append(f"{panel.years[j]}年{m}月")
        if missing:
            shown = "、".join(missing[:3]) + ("等" if len(missing) > 3 else "")
            parts.append(f"缺{len(missing)}期（{shown}）")
        if panel.revised[i, : t + 1].any():
            parts.append("含修订数")
        if kinds[i] == "ytd_flow":
            row = panel.cum[i, : t + 1, 2:]
            steps = np.diff(row, axis=1)
            if np.nanmin(steps, initial=0.0) < -1e-9:
                parts.append("累计值有回落（可能为修订或口径变化）")
        notes.append("；".join(parts))
    return notes
