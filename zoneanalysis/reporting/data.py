"""Read the processed tables a report shows (one call per notebook, parquet only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.periods import parse_period
from zoneanalysis.registry import load_zones
from zoneanalysis.rules.plan_years import plan_year_file
from zoneanalysis.textfiles import read_text_file

#: Words in a source path that mark sample data (the shipped example tables).
SAMPLE_MARKERS = ("sample", "示例", "example")


@dataclass
class ReportTables:
    """Everything a report reads, for one period.

    Attributes
    ----------
    period
        ``YYYY-MM``.
    zones
        The registry.
    stats
        ``zone_stats`` (all periods; notebooks need the history).
    cleaning
        ``cleaning_report`` (may be empty).
    projections, rankings, stars
        The period's tables (``rankings``/``stars`` may be empty before ``rank`` has run).
    targets
        The parsed targets YAML of the period's plan year (``{}`` if that year has no file).
    """

    period: str
    zones: pd.DataFrame
    stats: pd.DataFrame
    cleaning: pd.DataFrame
    projections: pd.DataFrame
    rankings: pd.DataFrame
    stars: pd.DataFrame
    targets: dict

    @property
    def is_sample(self) -> bool:
        """True when the data shown is the shipped sample (banner 示例数据 on every page)."""
        return detect_sample_data(self.stats, self.zones, self.projections)


def _read_parquet(path: Path, *, required: bool) -> pd.DataFrame:
    if not path.exists():
        if required:
            raise InputDataError(
                "找不到报告所需的数据表",
                file=path,
                hint="请先运行 zoneanalysis clean / project / rank（或 make report）。",
            )
        return pd.DataFrame()
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise InputDataError(f"无法读取数据表：{exc}", file=path) from None


def read_table(path: str | Path, *, required: bool) -> pd.DataFrame:
    """One processed parquet table; an empty frame if it is absent and not ``required``.

    Raises
    ------
    InputDataError
        If a required table is missing or any table cannot be read.
    """
    return _read_parquet(Path(path), required=required)


def read_targets(path: str | Path | None, *, year: int | None = None) -> dict:
    """A plan year's targets YAML as a dict (``{}`` if there is none for ``year``).

    ``path`` is the folder of per-year files (``targets/<year>.yaml``) or one file; a file of
    another plan year gives ``{}`` (never another year's targets). ``year=None``: the latest year.

    Raises
    ------
    ConfigError
        If the file is not valid YAML or not a mapping.
    """
    file = plan_year_file(path, year, ".yaml") if path is not None else None
    if file is None or not file.exists():
        return {}
    try:
        data = yaml.safe_load(read_text_file(file))
    except yaml.YAMLError as exc:
        raise ConfigError(f"目标任务文件不是有效的 YAML：{exc}", file=path) from None
    if not isinstance(data, dict):
        raise ConfigError("目标任务文件应是一个映射（键: 值）", file=path)
    if year is not None and data.get("year") != year:
        return {}
    return data


def load_report_tables(
    period: str,
    processed_dir: str | Path | None = None,
    zones_path: str | Path | None = None,
    targets_path: str | Path | None = None,
) -> ReportTables:
    """Read the processed tables for ``period``.

    Parameters
    ----------
    period
        ``YYYY-MM``.
    processed_dir
        Folder with ``zone_stats.parquet`` and the period's tables; ``data/processed`` by default.
    zones_path, targets_path
        Registry and targets; the shipped files by default.

    Returns
    -------
    ReportTables
    """
    year, _ = parse_period(period)
    processed = Path(processed_dir) if processed_dir else paths.PROCESSED_DIR
    cleaning_path = processed / paths.CLEANING_REPORT_NAME
    cleaning = (
        pd.read_csv(cleaning_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if cleaning_path.exists()
        else pd.DataFrame(columns=["source_file", "source_row", "raw_text", "reason", "severity"])
    )
    return ReportTables(
        period=period,
        zones=load_zones(zones_path),
        stats=_read_parquet(processed / paths.ZONE_STATS_NAME, required=True),
        cleaning=cleaning,
        projections=_read_parquet(paths.projections_path(processed, period), required=True),
        rankings=_read_parquet(paths.rankings_path(processed, period), required=False),
        stars=_read_parquet(paths.stars_path(processed, period), required=False),
        targets=read_targets(targets_path if targets_path else paths.TARGETS_FILE, year=year),
    )


def detect_sample_data(
    stats: pd.DataFrame, zones: pd.DataFrame, projections: pd.DataFrame | None = None
) -> bool:
    """Whether the tables hold sample (made-up) data.

    Sample data is recognised by a source path containing one of ``SAMPLE_MARKERS`` or by any
    data row for a zone the registry marks ``is_example``.
    """
    if "source_file" in stats.columns:
        sources = stats["source_file"].dropna().astype(str).str.lower().unique()
        if any(m in s for s in sources for m in SAMPLE_MARKERS):
            return True
    example_ids = set(zones.loc[zones["is_example"], "zone_id"])
    ids = set(stats.get("zone_id", pd.Series(dtype=str)))
    if projections is not None and "zone_id" in projections.columns:
        ids |= set(projections["zone_id"])
    return bool(ids & example_ids)
