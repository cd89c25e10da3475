"""The whole monthly job on the default data: clean → project → rank → ledger → reports.

Also the checks the CLI runs before a step: the period has data (with a hint naming the months
that do), and report zones given by id, official name or alias resolve to registry ids.
"""

from __future__ import annotations

import difflib
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pandas as pd

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.periods import latest_period, parse_period, require_period_in_data

T = TypeVar("T")


def check_period_has_data(processed: str | Path, period: str) -> None:
    """Refuse a period the cleaned statistics do not cover, saying which months they do.

    Raises
    ------
    InputDataError
        If ``zone_stats.parquet`` is missing from ``processed``.
    PeriodError
        If it has no rows for ``period`` (the hint names the latest month with data).
    """
    year, month = parse_period(period)
    source = Path(processed) / paths.ZONE_STATS_NAME
    if not source.exists():
        raise InputDataError(
            "找不到已处理的统计表",
            file=source,
            hint="请先运行 zoneanalysis clean（或 make report，它会从清洗开始做）。",
        )
    stats = pd.read_parquet(source, columns=["year", "month"])
    require_period_in_data(stats, year, month, str(source))


def resolve_zone_ids(
    names: Sequence[str],
    year: int,
    *,
    zones_path: str | Path | None = None,
    aliases_path: str | Path | None = None,
) -> list[str]:
    """Registry ids for zones given by id, official name, short name or alias.

    Unknown names are collected and refused together, each with its closest registry names.

    Parameters
    ----------
    names
        What the user typed, e.g. ``["zz_jingkai", "郑州航空港产业集聚区", "高新区"]``.
    year
        The report year (aliases are valid for some years only).
    zones_path, aliases_path
        Registry and alias table; the shipped ones by default.

    Returns
    -------
    list of str
        The zone ids, in the order given, without repeats.

    Raises
    ------
    ConfigError
        Listing every name that matched nothing.
    """
    from zoneanalysis.registry import ZoneMatcher

    matcher = ZoneMatcher.from_files(zones_path, aliases_path)
    known = list(matcher.zones["zone_id"])
    ids: list[str] = []
    unknown: list[str] = []
    for name in names:
        zone_id = name if name in known else matcher.match(name, year)
        if zone_id is None:
            close = difflib.get_close_matches(name, known, n=2) + matcher.suggest(name)
            unknown.append(f"“{name}”（最接近：{'、'.join(close) or '无'}）")
        elif zone_id not in ids:
            ids.append(zone_id)
    if unknown:
        raise ConfigError(
            f"名录中找不到 {len(unknown)} 个集聚区：{'；'.join(unknown)}",
            file=zones_path or paths.ZONES_FILE,
            location="--zones",
            hint="可写 zone_id、正式名称、简称或 zone_aliases.csv 中的别名；见 data/raw/reference/。",
        )
    return ids


def _step(label: str, func: Callable[[], T]) -> T:
    print(f"▶ {label}…", file=sys.stderr, flush=True)
    start = time.perf_counter()
    result = func()
    print(f"  完成（{time.perf_counter() - start:.1f} 秒）", file=sys.stderr, flush=True)
    return result


def _note(text: str) -> None:
    print(f"  说明：{text}", file=sys.stderr, flush=True)


def run_all(
    period: str | None = None,
    *,
    jobs: int = 1,
    out_dir: Path | None = None,
    formats: tuple[str, ...] = ("html", "xlsx", "docx"),
    scope: str = "city",
    executor: str = "pool",
    scheduler: str | None = None,
) -> int:
    """Run every step on the default folders and print where the report index is.

    A step with no input for the period (the ledger, when that month has no ledger tables) is
    skipped with a note; the reports then leave its sections out.

    Parameters
    ----------
    period
        ``YYYY-MM``; the latest month in the data by default.
    jobs
        Parallel report processes.
    out_dir
        Report folder; ``reports/<period>`` by default.
    formats
        What the report step writes (``html``, ``xlsx``, ``docx``; see ``run_reports``).
    scope
        ``city`` or ``province``: which zones the report step covers (see ``run_reports``).
    executor, scheduler
        Where the report notebooks run: ``pool`` or ``dask`` (see ``run_reports``).

    Returns
    -------
    int
        Exit status: 0, or 1 if any report failed.
    """
    from zoneanalysis.cleaning import run_clean
    from zoneanalysis.registry import load_zones

    processed = paths.PROCESSED_DIR
    result = _step("清洗原始报表", lambda: run_clean(paths.RAW_DIR, processed))
    print("  " + result.summary_zh(), file=sys.stderr)
    if period is None:
        period = latest_period(result.stats, load_zones())
    year, month = parse_period(period)
    require_period_in_data(result.stats, year, month, str(processed / paths.ZONE_STATS_NAME))
    print(f"  报告期：{period}", file=sys.stderr)
    _run_model_steps(period, processed)
    _run_previous_quarter(period, processed)
    _run_ledger_step(period, processed)
    out = out_dir or paths.REPORTS_DIR / period
    where = {"executor": executor, "scheduler": scheduler}
    return _run_report_step(period, processed, jobs, out, formats, scope, where)


def _run_previous_quarter(period: str, processed: Path) -> None:
    """At a quarter end, project and rank last quarter too if its tables are missing.

    The quarterly comparison (季度通报) reads last quarter's tables; they are built from the same
    cleaned data, so a first run at a quarter end can compare.
    """
    from zoneanalysis.quarterly import previous_quarter

    before = previous_quarter(period)
    if before is None or paths.projections_path(processed, before).exists():
        return
    _note(f"季度比较需要上季度（{before}）的预测与排名，先补算。")
    _run_model_steps(before, processed)


def _run_model_steps(period: str, processed: Path) -> None:
    from zoneanalysis.projection import run_projection
    from zoneanalysis.ranking import run_ranking

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
            n_draws=1000,
            seed=2016,
        ),
    )


def _run_ledger_step(period: str, processed: Path) -> None:
    """The ledger step, skipped with a note when the month has no ledger tables."""
    from zoneanalysis.ledger import build_ledger
    from zoneanalysis.ledger.run import NoLedgerInput

    try:
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
    except NoLedgerInput as exc:
        _note(f"跳过项目台账这一步：{exc.message}，报告中不含项目与计数目标部分。")


def _run_report_step(
    period: str,
    processed: Path,
    jobs: int,
    out: Path,
    formats: tuple[str, ...],
    scope: str = "city",
    where: dict | None = None,
) -> int:
    from zoneanalysis.reporting.batch import run_reports

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
            formats=formats,
            scope=scope,
            **(where or {}),
        ),
    )
    print(f"\n报告首页：{(out / 'index.html').resolve()}")
    return status
