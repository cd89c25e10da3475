"""Read the processed tables a report shows (one call per notebook, parquet only).

A batch worker's kernel renders many pages from the same files, so every file read here is kept
in a small per-process cache keyed by its resolved path and checked against the file's
modification time, size and inode on every call: a rewritten file is read again, an unchanged one
is not. Callers get shallow copies (pandas copy-on-write), so a page that changes a table cannot
change what the next page sees.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    sample
        Whether the data is sample data, decided on the whole tables when they were read
        (``None``: decide from the tables held here).
    """

    period: str
    zones: pd.DataFrame
    stats: pd.DataFrame
    cleaning: pd.DataFrame
    projections: pd.DataFrame
    rankings: pd.DataFrame
    stars: pd.DataFrame
    targets: dict
    sample: bool | None = None

    @property
    def is_sample(self) -> bool:
        """True when the data shown is the shipped sample (banner 示例数据 on every page)."""
        if self.sample is not None:
            return self.sample
        return detect_sample_data(self.stats, self.zones, self.projections)


#: How many files the cache holds (a batch reads about seven per period).
CACHE_SIZE = 32
_CACHE: OrderedDict[tuple, tuple[tuple, Any]] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def _file_state(path: Path) -> tuple:
    """What tells a changed file: modification time (ns), size and inode."""
    st = path.stat()
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def cached_read(
    path: Path,
    reader: Callable[[Path], Any],
    *,
    tag: str = "",
    depends: tuple[Path, ...] = (),
) -> Any:
    """``reader(path)``, read once per process while the file stays the same.

    Parameters
    ----------
    path
        An existing file.
    reader
        Reads it; called again when the file's modification time, size or inode changed.
    tag
        Distinguishes different readings of the same file (e.g. a filtered one).
    depends
        Other files the result is made from; a change to any of them also reads again.

    Returns
    -------
    object
        What ``reader`` returned (the cached object itself; copy before changing it).
    """
    files = (Path(path), *(Path(d) for d in depends))
    key = (tuple(str(f.resolve()) for f in files), tag)
    state = tuple(_file_state(f) for f in files)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == state:
            _CACHE.move_to_end(key)
            return hit[1]
    value = reader(Path(path))
    with _CACHE_LOCK:
        _CACHE[key] = (state, value)
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def clear_cache() -> None:
    """Forget every cached table (the next read goes to the files)."""
    with _CACHE_LOCK:
        _CACHE.clear()


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
        return cached_read(path, pd.read_parquet).copy(deep=False)
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
        data = copy.deepcopy(cached_read(file, _parse_yaml))
    except yaml.YAMLError as exc:
        raise ConfigError(f"目标任务文件不是有效的 YAML：{exc}", file=path) from None
    if not isinstance(data, dict):
        raise ConfigError("目标任务文件应是一个映射（键: 值）", file=path)
    if year is not None and data.get("year") != year:
        return {}
    return data


def _parse_yaml(file: Path) -> Any:
    return yaml.safe_load(read_text_file(file))


def load_report_tables(
    period: str,
    processed_dir: str | Path | None = None,
    zones_path: str | Path | None = None,
    targets_path: str | Path | None = None,
    *,
    zone_id: str | None = None,
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
    zone_id
        A zone page's zone: ``stats`` and ``projections`` then hold only the rows of the zones of
        its city (and of the aggregates, which are not registry zones); the registry, rankings,
        stars, cleaning log and targets stay whole (list sizes, peers, sources). ``is_sample``
        is still decided on the whole tables.

    Returns
    -------
    ReportTables
    """
    year, _ = parse_period(period)
    processed = Path(processed_dir) if processed_dir else paths.PROCESSED_DIR
    zones_file = Path(zones_path) if zones_path else paths.ZONES_FILE
    stats_file = processed / paths.ZONE_STATS_NAME
    projections_file = paths.projections_path(processed, period)
    zones = _read_zones(zones_file)
    stats = _read_parquet(stats_file, required=True)
    projections = _read_parquet(projections_file, required=True)
    sample = cached_read(
        stats_file,
        lambda _: detect_sample_data(stats, zones, projections),
        tag="is_sample",
        depends=(zones_file, projections_file),
    )
    city = _zone_city(zones, zone_id)
    if city is not None:
        stats = _city_rows(stats_file, zones_file, zones, city)
        projections = _city_rows(projections_file, zones_file, zones, city)
    return ReportTables(
        period=period,
        zones=zones,
        stats=stats,
        cleaning=_read_cleaning(processed / paths.CLEANING_REPORT_NAME),
        projections=projections,
        rankings=_read_parquet(paths.rankings_path(processed, period), required=False),
        stars=_read_parquet(paths.stars_path(processed, period), required=False),
        targets=read_targets(targets_path if targets_path else paths.TARGETS_FILE, year=year),
        sample=sample,
    )


def _read_zones(path: Path) -> pd.DataFrame:
    if not path.exists():
        return load_zones(path)  # its error
    return cached_read(path, load_zones).copy(deep=False)


def _read_cleaning(path: Path) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame(columns=["source_file", "source_row", "raw_text", "reason", "severity"])
    reader = lambda p: pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")  # noqa: E731
    return cached_read(path, reader).copy(deep=False)


def _zone_city(zones: pd.DataFrame, zone_id: str | None) -> str | None:
    """The registry city of ``zone_id`` (``None`` without one or for an unknown id)."""
    if zone_id is None:
        return None
    city = zones.loc[zones["zone_id"] == zone_id, "city"]
    return None if city.empty else str(city.iloc[0])


def _city_rows(table_file: Path, zones_file: Path, zones: pd.DataFrame, city: str) -> pd.DataFrame:
    """The rows of a cached table whose zone is in ``city`` or is not a registry zone."""

    def select(path: Path) -> pd.DataFrame:
        table = cached_read(path, pd.read_parquet)
        other = zones.loc[zones["city"] != city, "zone_id"]
        return table[~table["zone_id"].isin(other)]

    return cached_read(table_file, select, tag=f"city:{city}", depends=(zones_file,)).copy(
        deep=False
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
