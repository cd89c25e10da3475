"""The whole monthly job on the default data: clean → project → rank → ledger → reports."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd

from zoneanalysis import paths
from zoneanalysis.periods import format_period, parse_period

T = TypeVar("T")


def latest_period(stats: pd.DataFrame, zones: pd.DataFrame) -> str:
    """The latest period with data for the Zhengzhou zones, as ``YYYY-MM``.

    Parameters
    ----------
    stats
        The cleaned ``zone_stats`` table.
    zones
        The registry (only Zhengzhou zones decide the period: they report monthly).

    Returns
    -------
    str
        For example ``"2016-09"``.
    """
    zz = set(zones.loc[zones["is_zhengzhou"], "zone_id"])
    subset = stats[stats["zone_id"].isin(zz)]
    if subset.empty:
        subset = stats
    last = subset[["year", "month"]].drop_duplicates().sort_values(["year", "month"]).iloc[-1]
    return format_period(int(last["year"]), int(last["month"]))


def _step(label: str, func: Callable[[], T]) -> T:
    print(f"▶ {label}…", file=sys.stderr, flush=True)
    start = time.perf_counter()
    result = func()
    print(f"  完成（{time.perf_counter() - start:.1f} 秒）", file=sys.stderr, flush=True)
    return result


def run_all(period: str | None = None, *, jobs: int = 1, out_dir: Path | None = None) -> int:
    """Run every step on the default folders and print where the report index is.

    Parameters
    ----------
    period
        ``YYYY-MM``; the latest month in the data by default.
    jobs
        Parallel report processes.
    out_dir
        Report folder; ``reports/<period>`` by default.

    Returns
    -------
    int
        Exit status: 0, or 1 if any report failed.
    """
    from zoneanalysis.cleaning import run_clean
    from zoneanalysis.projection import run_projection
    from zoneanalysis.ranking import run_ranking
    from zoneanalysis.registry import load_zones
    from zoneanalysis.reporting.batch import run_reports

    processed = paths.PROCESSED_DIR
    result = _step("清洗原始报表", lambda: run_clean(paths.RAW_DIR, processed))
    print("  " + result.summary_zh(), file=sys.stderr)
    if period is None:
        period = latest_period(result.stats, load_zones())
    parse_period(period)
    print(f"  报告期：{period}", file=sys.stderr)
    _step(
        "预测年末值",
        lambda: run_projection(
            period,
            processed=processed,
            targets_path=paths.TARGETS_FILE,
            zones_path=paths.ZONES_FILE,
        ),
    )
    _step(
        "计算排名与星级",
        lambda: run_ranking(
            period,
            processed=processed,
            criteria_path=paths.CRITERIA_FILE,
            zones_path=paths.ZONES_FILE,
            star_rules_path=paths.STAR_RULES_FILE,
            targets_path=paths.TARGETS_FILE,
            n_draws=1000,
            seed=2016,
        ),
    )
    _run_ledger_if_available(period, processed)
    out = out_dir or paths.REPORTS_DIR / period
    status = _step(
        "生成报告",
        lambda: run_reports(
            period,
            zone_ids=None,
            jobs=jobs,
            out_dir=out,
            processed=processed,
            zones_path=paths.ZONES_FILE,
            targets_path=paths.TARGETS_FILE,
            criteria_path=paths.CRITERIA_FILE,
            star_rules_path=paths.STAR_RULES_FILE,
        ),
    )
    print(f"\n报告首页：{(out / 'index.html').resolve()}")
    return status


def _run_ledger_if_available(period: str, processed: Path) -> None:
    try:
        from zoneanalysis.ledger import build_ledger
    except ImportError:
        return
    _step(
        "项目台账、产业集群与计数目标",
        lambda: build_ledger(
            period,
            raw_dir=paths.RAW_DIR,
            processed=processed,
            targets_path=paths.TARGETS_FILE,
            zones_path=paths.ZONES_FILE,
        ),
    )
