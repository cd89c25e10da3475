"""Quarter-on-quarter comparison for the 季度通报: verdicts and ranks that moved since last quarter.

Reads the processed tables of the period and of the quarter before (3 months earlier, same
year); if last quarter's tables are not in the processed folder it says so instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zoneanalysis import labels, paths, verdicts
from zoneanalysis.periods import format_period, parse_period
from zoneanalysis.reporting import views

QUARTER_ENDS = (3, 6, 9, 12)


def previous_quarter(period: str) -> str | None:
    """``2016-09`` → ``2016-06``; None for the first quarter or a month that ends no quarter.

    The year's first quarter has no earlier quarter of the same year to compare with (the plan's
    targets are yearly), so 3 → None.
    """
    year, month = parse_period(period)
    if month not in QUARTER_ENDS or month == 3:
        return None
    return format_period(year, month - 3)


@dataclass
class QuarterComparison:
    """What changed since the last quarter's report."""

    period: str
    previous: str | None
    verdicts: pd.DataFrame
    ranks: pd.DataFrame
    note: str


def _verdict_frame(projections: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    rows = projections[projections["zone_id"].isin(ids) & projections["target_value"].notna()]
    return pd.DataFrame(
        {
            "zone_id": rows["zone_id"].to_numpy(),
            "zone_name": rows["zone_name"].to_numpy(),
            "indicator": rows["indicator"].to_numpy(),
            "verdict": verdicts.classify_rows(rows),
            "p": rows["p_meet_target"].to_numpy(),
        }
    )


def _moved_verdicts(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    names = labels.indicator_names()
    both = now.merge(before, on=["zone_id", "indicator"], suffixes=("", "_before"))
    moved = both[both["verdict"] != both["verdict_before"]]
    order = {v: i for i, v in enumerate(labels.VERDICT_ORDER)}
    return pd.DataFrame(
        {
            "集聚区": moved["zone_name"].to_numpy(),
            "指标": [names.get(c, c) for c in moved["indicator"]],
            "上季度": moved["verdict_before"].to_numpy(),
            "本季度": moved["verdict"].to_numpy(),
            "变化": [
                "好转" if order[a] > order[b] else "变差"
                for a, b in zip(moved["verdict"], moved["verdict_before"])
            ],
        }
    )


def _moved_ranks(now: pd.DataFrame, before: pd.DataFrame, lists: tuple[str, ...]) -> pd.DataFrame:
    cols = ["list", "list_name_zh", "zone_id", "zone_name", "rank"]
    a = now[now["list"].isin(lists) & now["is_zhengzhou"].astype(bool)][cols]
    b = before[before["list"].isin(lists)][["list", "zone_id", "rank"]]
    both = a.merge(b, on=["list", "zone_id"], suffixes=("", "_before")).dropna(
        subset=["rank", "rank_before"]
    )
    both = both[both["rank"] != both["rank_before"]]
    up = both["rank_before"].astype(int) - both["rank"].astype(int)
    return pd.DataFrame(
        {
            "榜单": both["list_name_zh"].to_numpy(),
            "集聚区": both["zone_name"].to_numpy(),
            "上季度名次": both["rank_before"].astype(int).to_numpy(),
            "本季度名次": both["rank"].astype(int).to_numpy(),
            "变化": [labels.describe_places(int(u)) for u in up],
        }
    )


def compare_quarters(
    period: str,
    processed_dir: str | Path | None,
    zones: pd.DataFrame,
    *,
    lists: tuple[str, ...] = ("shiqiang", "shikuai", "shixian"),
) -> QuarterComparison | None:
    """Compare the period with the quarter before; None when the period ends no quarter (or Q1)."""
    prev = previous_quarter(period)
    if prev is None:
        return None
    processed = Path(processed_dir) if processed_dir else paths.PROCESSED_DIR
    empty = pd.DataFrame()
    before_path = paths.projections_path(processed, prev)
    if not before_path.exists():
        note = f"上季度（{prev}）的预测表不在数据目录中：运行 zoneanalysis project --period {prev} 后可比较。"
        return QuarterComparison(period, prev, empty, empty, note)
    ids = [*views.AGGREGATE_IDS, *zones.loc[zones["is_zhengzhou"], "zone_id"]]
    now_p = pd.read_parquet(paths.projections_path(processed, period))
    verdicts = _moved_verdicts(
        _verdict_frame(now_p, ids), _verdict_frame(pd.read_parquet(before_path), ids)
    )
    ranks = empty
    r_now, r_before = paths.rankings_path(processed, period), paths.rankings_path(processed, prev)
    if r_now.exists() and r_before.exists():
        ranks = _moved_ranks(pd.read_parquet(r_now), pd.read_parquet(r_before), lists)
    note = f"与上季度（{prev}）报告相比：{len(verdicts)} 项目标判断变化，{len(ranks)} 个名次变化（郑州集聚区）。"
    return QuarterComparison(period, prev, verdicts, ranks, note)
