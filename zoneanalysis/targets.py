"""The plan's targets as data: load, validate, and tabulate them.

One file per plan year: ``data/raw/reference/targets/<year>.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.registry import load_zones, zone_level
from zoneanalysis.rules.plan_years import plan_year_file
from zoneanalysis.rules.report import load_report_rules
from zoneanalysis.rules.sentences import describe_missing_targets
from zoneanalysis.textfiles import read_text_file

#: Aggregate id → Chinese name, from report_rules.yaml ``aggregates`` (in display order).
AGGREGATE_NAMES_ZH = {k: a.name_zh for k, a in load_report_rules().aggregates.items()}
#: Which registry levels feed which aggregate, from report_rules.yaml ``aggregates.<id>.levels``.
AGGREGATE_LEVELS = {k: tuple(a.levels) for k, a in load_report_rules().aggregates.items()}
TARGETS_SUFFIX = ".yaml"
SUM_TOLERANCE = 0.005  # 亿元 / 万人: per-zone targets are written to 0.01

TARGET_COLUMNS = [
    "zone_id",
    "indicator",
    "target_value",
    "target_growth_pct",
    "min_growth_pct",
    "target_is_example",
]


@dataclass
class Targets:
    """The plan's targets for one year.

    Attributes
    ----------
    year
        The plan year.
    source, issued
        The document and its issue date.
    aggregates
        Aggregate id → indicator → spec (``value``, ``growth_pct``, ``above_city_average_pp`` …).
    zone_targets
        Zone id → indicator → level target (亿元 / 万人).
    zone_is_example
        Zone id → whether its targets are made up (示例).
    city_average_revenue_growth_pct
        The city-wide average revenue growth used for the "≥3 pp above" rule.
    city_average_is_example
        Whether that average is an example value.
    counts, clusters
        The count and cluster targets, as in the file (for the project ledger).
    stars
        Zone id → star target (1-6) of this plan year.
    path
        The file the targets came from.
    is_missing
        True when the year has no targets file (:meth:`missing`).
    """

    year: int
    source: str
    issued: str
    aggregates: dict[str, dict[str, dict[str, Any]]]
    zone_targets: dict[str, dict[str, float]]
    zone_is_example: dict[str, bool]
    city_average_revenue_growth_pct: float | None
    city_average_is_example: bool
    counts: list[dict[str, Any]] = field(default_factory=list)
    clusters: list[dict[str, Any]] = field(default_factory=list)
    stars: dict[str, int] = field(default_factory=dict)
    path: str = ""
    is_missing: bool = False

    @classmethod
    def missing(cls, year: int) -> Targets:
        """No targets for ``year`` (no file for that plan year): every target column stays empty."""
        return cls(
            year=int(year),
            source="",
            issued="",
            aggregates={},
            zone_targets={},
            zone_is_example={},
            city_average_revenue_growth_pct=None,
            city_average_is_example=True,
            is_missing=True,
        )

    @property
    def note(self) -> str | None:
        """The note a page shows when the year has no targets file (``None`` when it has one)."""
        return describe_missing_targets(self.year) if self.is_missing else None

    def to_frame(self) -> pd.DataFrame:
        """One row per unit (zone or aggregate) × indicator with a target.

        Returns
        -------
        pandas.DataFrame
            Columns ``TARGET_COLUMNS``. ``min_growth_pct`` is the growth the unit must reach to meet
            every growth condition (the stated growth and, for revenue, the city average plus the
            stated margin); ``target_growth_pct`` is the stated growth alone.
        """
        rows = []
        for zone_id, by_ind in self.zone_targets.items():
            for ind, value in by_ind.items():
                rows.append(
                    (
                        zone_id,
                        ind,
                        float(value),
                        None,
                        None,
                        self.zone_is_example.get(zone_id, True),
                    )
                )
        for agg_id, by_ind in self.aggregates.items():
            for ind, spec in by_ind.items():
                growth = spec.get("growth_pct")
                needed = [g for g in [growth] if g is not None]
                margin = spec.get("above_city_average_pp")
                if margin is not None and self.city_average_revenue_growth_pct is not None:
                    needed.append(self.city_average_revenue_growth_pct + float(margin))
                rows.append(
                    (
                        agg_id,
                        ind,
                        None if spec.get("value") is None else float(spec["value"]),
                        None if growth is None else float(growth),
                        max(needed) if needed else None,
                        False,
                    )
                )
        frame = pd.DataFrame(rows, columns=TARGET_COLUMNS)
        for col in ["target_value", "target_growth_pct", "min_growth_pct"]:
            frame[col] = frame[col].astype("float64")
        return frame


def _fail(message: str, path: Path, key: str, hint: str | None = None) -> ConfigError:
    return ConfigError(message, file=path, location=f"键 {key}", hint=hint)


def _number(value: object, path: Path, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(f"值“{value}”不是数字", path, key, "请写成数字，例如 6300 或 12.5。")
    if value < 0:
        raise _fail(f"目标值“{value}”为负数", path, key, "目标水平与数量不能为负。")
    return float(value)


def _check_sums(targets: Targets, zones: pd.DataFrame, path: Path) -> None:
    """Per-zone targets must add up to the aggregate totals they break down."""
    level = zone_level(zones, targets.year)
    for agg_id, levels in AGGREGATE_LEVELS.items():
        for ind, spec in targets.aggregates.get(agg_id, {}).items():
            if spec.get("value") is None:
                continue
            members = [
                z
                for z, by_ind in targets.zone_targets.items()
                if ind in by_ind and level.get(z) in levels
            ]
            if not members:
                continue
            total = sum(targets.zone_targets[z][ind] for z in members)
            if abs(total - float(spec["value"])) > SUM_TOLERANCE:
                raise _fail(
                    f"分区目标合计 {total:.2f} 与合计目标 {spec['value']} 不符（{ind}）",
                    path,
                    f"aggregates.{agg_id}.targets.{ind}",
                    "调整 zones 中各区目标，使其合计等于合计目标。",
                )


def find_targets(
    path: str | Path | None,
    year: int,
    *,
    zones: pd.DataFrame | None = None,
) -> Targets:
    """The targets of plan ``year``, or :meth:`Targets.missing` if there are none.

    Parameters
    ----------
    path
        The folder of per-year files (``targets/<year>.yaml``; the shipped folder by default) or
        one targets file, used only if its ``year`` is ``year``.
    year
        The projected year. Another year's targets are never returned.
    zones
        The zone registry; the shipped one by default.

    Raises
    ------
    ConfigError
        If the year's file exists but is invalid (see :func:`load_targets`).
    """
    file = plan_year_file(path if path is not None else paths.TARGETS_DIR, year, TARGETS_SUFFIX)
    if file is None or not file.exists():
        return Targets.missing(year)
    targets = load_targets(file, zones=zones)
    return targets if targets.year == int(year) else Targets.missing(year)


def _plan_year(value: object, path: Path) -> int:
    """The file's ``year``; a file named ``<year>.yaml`` must hold that year."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
        raise _fail(f"计划年份“{value}”不是四位年份", path, "year")
    if path.stem.isdigit() and int(path.stem) != value:
        raise _fail(
            f"文件名的年份 {path.stem} 与 year: {value} 不一致",
            path,
            "year",
            "文件名写计划年份，例如 2017 年的目标放在 targets/2017.yaml。",
        )
    return value


def load_targets(
    path: str | Path | None = None,
    *,
    zones: pd.DataFrame | None = None,
    year: int | None = None,
) -> Targets:
    """Read and validate one plan year's targets file.

    Parameters
    ----------
    path
        A targets file, or a folder of ``<year>.yaml`` files (the shipped ``targets/`` folder by
        default).
    zones
        The zone registry (:func:`zoneanalysis.registry.load_zones`); the shipped one by default.
    year
        With a folder: the plan year to read; the latest year in the folder by default. To look
        targets up for a projected year (and get none for a year without a file), use
        :func:`find_targets`.

    Returns
    -------
    Targets
        The validated targets.

    Raises
    ------
    ConfigError
        Naming the file and key, if the file cannot be read, names an unknown zone, aggregate or
        indicator, holds a negative or non-numeric level, a star target outside 1-6 or different
        or per-zone targets that do not add up to the aggregate totals; or if the folder holds
        no file for the year, or a file's name and ``year`` disagree.
    """
    path, raw = _read_targets_file(Path(path) if path is not None else paths.TARGETS_DIR, year)
    zones = zones if zones is not None else load_zones()
    known_zones = set(zones["zone_id"])
    catalogue = load_indicator_catalogue()
    for key in ["year", "source", "aggregates", "zones"]:
        if key not in raw:
            raise _fail(
                "缺少必需的键", path, key, "参照 data/raw/reference/targets/ 下已有的年度文件。"
            )
    plan_year = _plan_year(raw["year"], path)
    aggregates = _parse_aggregates(raw["aggregates"] or {}, path, catalogue)
    zone_targets, zone_is_example = _parse_zone_targets(
        raw["zones"] or {}, path, known_zones, catalogue
    )
    stars = _parse_stars(raw.get("stars") or {}, path, known_zones)
    city = raw.get("city_average_revenue_growth_pct") or {}
    city_value = _parse_city_average(city, path)
    counts = list(raw.get("counts") or [])
    clusters = list(raw.get("clusters") or [])
    _check_counts_and_clusters(counts, clusters, path, known_zones)
    targets = Targets(
        year=plan_year,
        source=str(raw["source"]),
        issued=str(raw.get("issued", "")),
        aggregates=aggregates,
        zone_targets=zone_targets,
        zone_is_example=zone_is_example,
        city_average_revenue_growth_pct=None if city_value is None else float(city_value),
        city_average_is_example=bool(city.get("is_example", True))
        if isinstance(city, dict)
        else True,
        counts=counts,
        clusters=clusters,
        stars=stars,
        path=str(path),
    )
    _check_sums(targets, zones, path)
    return targets


def _read_targets_file(folder: Path, year: int | None) -> tuple[Path, dict]:
    """The year's targets file (or the file given) and its YAML mapping."""
    found = plan_year_file(folder, year, TARGETS_SUFFIX)
    if found is None:
        raise ConfigError(
            f"没有 {year if year is not None else '任何'} 年的目标文件",
            file=folder,
            hint="每个计划年一个文件，例如 targets/2016.yaml。",
        )
    try:
        raw = yaml.safe_load(read_text_file(found)) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"无法读取目标任务文件：{exc}", file=found) from None
    if not isinstance(raw, dict):
        raise ConfigError("目标任务文件应是一个 YAML 映射", file=found)
    return found, raw


def _parse_aggregates(
    raw: dict, path: Path, catalogue: dict
) -> dict[str, dict[str, dict[str, Any]]]:
    """``aggregates``: aggregate id → indicator → spec, each number checked."""
    aggregates: dict[str, dict[str, dict[str, Any]]] = {}
    for agg_id, spec in raw.items():
        if agg_id not in AGGREGATE_LEVELS:
            raise _fail(
                f"未知的合计口径“{agg_id}”",
                path,
                f"aggregates.{agg_id}",
                f"可选：{', '.join(AGGREGATE_LEVELS)}。",
            )
        aggregates[agg_id] = {}
        for ind, tspec in ((spec or {}).get("targets") or {}).items():
            key = f"aggregates.{agg_id}.targets.{ind}"
            if ind not in catalogue:
                raise _fail(f"未知的指标“{ind}”", path, key, "指标代码见 indicators.yaml。")
            aggregates[agg_id][ind] = _parse_aggregate_target(dict(tspec or {}), path, key)
    return aggregates


def _parse_aggregate_target(tspec: dict[str, Any], path: Path, key: str) -> dict[str, Any]:
    """One aggregate target: levels must be non-negative numbers, a growth any number."""
    for num_key in ["value", "growth_pct", "above_city_average_pp", "end_of_period_aim"]:
        if tspec.get(num_key) is not None:
            value = tspec[num_key]
            if num_key == "growth_pct":
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise _fail(f"值“{value}”不是数字", path, f"{key}.{num_key}")
                tspec[num_key] = float(value)
            else:
                tspec[num_key] = _number(value, path, f"{key}.{num_key}")
    if tspec.get("value") is None and tspec.get("growth_pct") is None:
        raise _fail("目标既无 value 也无 growth_pct", path, key)
    return tspec


def _parse_zone_targets(
    raw: dict, path: Path, known_zones: set[str], catalogue: dict
) -> tuple[dict[str, dict[str, float]], dict[str, bool]]:
    """``zones``: zone id → indicator → level target, and whether the zone's targets are 示例."""
    zone_targets: dict[str, dict[str, float]] = {}
    zone_is_example: dict[str, bool] = {}
    for zone_id, spec in raw.items():
        key = f"zones.{zone_id}"
        if zone_id not in known_zones:
            raise _fail(f"未登记的 zone_id“{zone_id}”", path, key, "zone_id 须与 zones.csv 一致。")
        spec = dict(spec or {})
        zone_is_example[zone_id] = bool(spec.pop("is_example", False))
        zone_targets[zone_id] = {}
        for ind, value in spec.items():
            if ind not in catalogue:
                raise _fail(
                    f"未知的指标“{ind}”", path, f"{key}.{ind}", "指标代码见 indicators.yaml。"
                )
            zone_targets[zone_id][ind] = _number(value, path, f"{key}.{ind}")
    return zone_targets, zone_is_example


def _parse_stars(raw: dict, path: Path, known_zones: set[str]) -> dict[str, int]:
    """``stars``: zone id → star target 1–6."""
    stars: dict[str, int] = {}
    for zone_id, star in raw.items():
        key = f"stars.{zone_id}"
        if zone_id not in known_zones:
            raise _fail(f"未登记的 zone_id“{zone_id}”", path, key)
        if isinstance(star, bool) or not isinstance(star, int) or not 1 <= star <= 6:
            raise _fail(f"星级目标“{star}”应为 1-6 的整数", path, key)
        stars[zone_id] = star
    return stars


def _parse_city_average(city: object, path: Path) -> object:
    """``city_average_revenue_growth_pct`` (a number, or a mapping with ``value``), checked."""
    city_value = city.get("value") if isinstance(city, dict) else city
    if city_value is not None and (
        isinstance(city_value, bool) or not isinstance(city_value, int | float)
    ):
        raise _fail(f"值“{city_value}”不是数字", path, "city_average_revenue_growth_pct.value")
    return city_value


def _check_counts_and_clusters(
    counts: list, clusters: list, path: Path, known_zones: set[str]
) -> None:
    """Count targets need code, name, unit and a number; clusters a revenue target and known zones."""
    for i, item in enumerate(counts):
        for k in ["code", "name_zh", "unit", "target"]:
            if k not in (item or {}):
                raise _fail(f"数量目标缺少 {k}", path, f"counts[{i}]")
        _number(item["target"], path, f"counts[{i}].target")
    for i, item in enumerate(clusters):
        _number((item or {}).get("target_revenue"), path, f"clusters[{i}].target_revenue")
        unknown = [z for z in item.get("zones", []) if z not in known_zones]
        if unknown:
            raise _fail(f"未登记的 zone_id {unknown}", path, f"clusters[{i}].zones")


def scale_example_targets(actuals: dict[str, float], total: float) -> dict[str, float]:
    """Break a total down in proportion to last year's actuals, to 0.01, summing exactly.

    Parameters
    ----------
    actuals
        Zone id → last year's year-end actual.
    total
        The aggregate target.

    Returns
    -------
    dict
        Zone id → example target; the rounding difference goes to the largest zone.
    """
    base = sum(actuals.values())
    out = {z: round(v * total / base, 2) for z, v in actuals.items()}
    largest = max(actuals, key=lambda z: actuals[z])
    out[largest] = round(out[largest] + total - sum(out.values()), 2)
    return out
