"""Build the ledger tables for one period and write them to the processed folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from zoneanalysis import paths
from zoneanalysis.atomic import write_csv_atomic, write_parquet_atomic
from zoneanalysis.errors import PeriodError
from zoneanalysis.ledger.clusters import project_clusters
from zoneanalysis.ledger.counts import count_targets_frame, summarise_count_progress
from zoneanalysis.ledger.projects import PROJECTS_FILE, ProjectMatcher, load_projects
from zoneanalysis.ledger.read import PROJECT_LISTS_DIR, list_tables, read_ledger_folder
from zoneanalysis.ledger.tracking import (
    BIG_NOT_STARTED,
    check_big_new_projects,
    compare_investment_to_plan,
    list_behind_schedule,
    summarise_starts_completions,
)
from zoneanalysis.periods import format_period, parse_period
from zoneanalysis.registry import ZoneMatcher, load_zone_aliases, load_zones, zone_level
from zoneanalysis.schema import validate_table
from zoneanalysis.targets import find_targets

LEDGER_FOLDER = "ledger"
#: Count codes whose progress comes from the project ledger, not from the count tables.
STARTS_CODE, COMPLETIONS_CODE = "major_projects_started", "major_projects_completed"
PER_ZONE_SCOPES = {"per_provincial_zone": "provincial", "per_city_park": "city_park"}
ZONE_WORD = {"provincial": "集聚区", "city_park": "园区"}
TABLES = ("projects", "starts", "big_projects", "investment", "behind", "clusters", "counts")


class NoLedgerInput(PeriodError):
    """The ledger folder holds no progress table for the requested period.

    ``zoneanalysis run`` skips the ledger step with a note on this error; the ``ledger``
    subcommand reports it as an error.
    """


def ledger_path(processed: str | Path, table: str, period: str) -> Path:
    """Path of one ledger table: ``processed/ledger_<table>_YYYY-MM.parquet``."""
    return Path(processed) / f"ledger_{table}_{period}.parquet"


def ledger_report_path(processed: str | Path, period: str) -> Path:
    """Path of the ledger's report (rows not read as data): ``processed/ledger_report_YYYY-MM.csv``.

    Its columns and reasons are the cleaning report's (``cleaning_report.csv``).
    """
    return Path(processed) / f"ledger_report_{period}.csv"


def build_ledger_tables(
    period: str,
    *,
    raw_dir: str | Path = paths.RAW_DIR,
    targets_path: str | Path | None = None,
    zones_path: str | Path | None = None,
    aliases_path: str | Path | None = None,
    projects_path: str | Path | None = None,
    with_report: bool = False,
) -> dict[str, pd.DataFrame]:
    """Read the ledger folder and compute every ledger table for ``period``.

    Parameters
    ----------
    period
        ``YYYY-MM``.
    raw_dir
        The raw folder; ledger tables are read from ``raw_dir/ledger``.
    targets_path, zones_path, aliases_path, projects_path
        Reference files; the shipped ones by default.
    with_report
        Also return, under ``"report"``, every row of the ledger files that is not data, with
        the cleaning report's columns and reasons.

    Returns
    -------
    dict
        Table name (``TABLES``) → frame (and ``"report"`` if asked).

    Raises
    ------
    NoLedgerInput
        If the ledger has no progress table for the period.
    InputDataError, ConfigError
        From the readers and loaders, naming the file and row.
    """
    year, month = parse_period(period)
    raw_dir = Path(raw_dir)
    ledger_dir = raw_dir / LEDGER_FOLDER
    zones = load_zones(zones_path)
    targets = find_targets(targets_path, year, zones=zones)
    matcher = ZoneMatcher(zones, load_zone_aliases(aliases_path))
    projects_of = _projects_by_year(projects_path, ledger_dir / PROJECT_LISTS_DIR, zones)
    projects = projects_of(year).projects
    count_names = {c["code"]: c["name_zh"] for c in targets.counts}

    def count_names_of(plan_year: int) -> dict[str, str]:
        """Count-target names of a table's own plan year."""
        if plan_year == year:
            return count_names
        other = find_targets(targets_path, plan_year, zones=zones)
        return {c["code"]: c["name_zh"] for c in other.counts}

    data = read_ledger_folder(
        ledger_dir,
        raw_dir=raw_dir,
        projects=projects_of,
        zones=matcher,
        count_names=count_names_of,
    )
    progress = data.progress
    _require_month(progress, period, ledger_dir)
    by_code = {c["code"]: c for c in targets.counts}
    starts = summarise_starts_completions(
        progress,
        year,
        month,
        target_starts=by_code.get(STARTS_CODE, {}).get("target", 100),
        target_completions=by_code.get(COMPLETIONS_CODE, {}).get("target", 100),
    )
    zz = zones.loc[zones["is_zhengzhou"], "zone_id"]
    levels = zone_level(zones, year).reindex(zz).dropna()
    big = check_big_new_projects(progress, levels, year, month)
    count_values, count_targets = _count_inputs(data.counts, progress, big, targets.counts, year)
    counts = summarise_count_progress(count_values, count_targets, year, month)
    counts["unit"] = counts["code"].map(count_targets.set_index("code")["unit"])
    clusters = project_clusters(
        data.industry, targets.clusters, year, month, targets=targets, zones=zones
    )
    reference = projects.drop(columns=["name_key"])
    extra = {"report": data.report} if with_report else {}
    return extra | {
        "projects": reference,
        "starts": starts,
        "big_projects": big,
        "investment": compare_investment_to_plan(progress, year, month),
        "behind": list_behind_schedule(progress, year, month),
        "clusters": clusters,
        "counts": counts,
    }


def _projects_by_year(
    projects_path: str | Path | None, lists_dir: Path, zones: pd.DataFrame
) -> Callable[[int], ProjectMatcher]:
    """The project list of a table's own plan year, read once per year."""
    matchers: dict[int, ProjectMatcher] = {}

    def projects_of(plan_year: int) -> ProjectMatcher:
        if plan_year not in matchers:
            matchers[plan_year] = ProjectMatcher(
                load_projects(
                    projects_path or PROJECTS_FILE,
                    extra_paths=extra_project_lists(lists_dir, plan_year),
                    zone_ids=zones["zone_id"].tolist(),
                    year=plan_year,
                )
            )
        return matchers[plan_year]

    return projects_of


def _require_month(progress: pd.DataFrame, period: str, ledger_dir: Path) -> None:
    """Refuse a period without a progress table, naming the months the ledger has."""
    year, month = parse_period(period)
    if ((progress["year"] == year) & (progress["month"] == month)).any():
        return
    months = sorted({format_period(y, m) for y, m in zip(progress["year"], progress["month"])})
    raise NoLedgerInput(
        f"项目台账中没有 {period} 的进度表",
        file=ledger_dir,
        hint=f"现有月份：{'、'.join(months) or '无'}；把该月台账放入 {ledger_dir}/progress/。",
    )


def extra_project_lists(folder: Path, plan_year: int) -> list[Path]:
    """The extra project lists of ``plan_year`` under the ledger's ``projects/`` folder.

    Lists in a sub-folder named by a year (``projects/2015/…``) belong to that plan year only. The
    other lists (directly in ``projects/`` or in a sub-folder not named by a year) belong to every
    plan year that has no year folder of its own.
    """
    lists = list_tables(folder)
    by_year = [p for p in lists if p.parent != folder and p.parent.name.isdigit()]
    own = [p for p in by_year if p.parent.name == str(plan_year)]
    return own or [p for p in lists if p not in by_year]


def _count_inputs(
    counts: pd.DataFrame,
    progress: pd.DataFrame,
    big: pd.DataFrame,
    spec: list[dict],
    year: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Count values from the tables plus those derived from the project ledger, and the targets.

    Starts and completions come from the progress tables (every reporting month); the per-zone
    big-project targets become "zones meeting the target" against the number of zones, where a
    zone meets it only when a qualifying project is introduced AND started (the plan makes the
    start the precondition for evaluation); ``note`` counts the zones introduced but not started.
    """
    targets = count_targets_frame(spec)
    derived = []
    months = sorted(progress.loc[progress["year"] == year, "month"].unique())
    for m in months:
        s = summarise_starts_completions(progress, year, int(m)).iloc[-1]
        derived.append({"code": STARTS_CODE, "year": year, "month": int(m), "value": s["started"]})
        derived.append(
            {"code": COMPLETIONS_CODE, "year": year, "month": int(m), "value": s["completed"]}
        )
        big_m = (
            check_big_new_projects(progress, big.set_index("zone_id")["level"], year, int(m))
            if not big.empty
            else pd.DataFrame()
        )
        for row in targets.itertuples():
            level = PER_ZONE_SCOPES.get(getattr(row, "scope", ""))
            if level is None or big_m.empty:
                continue
            mine = big_m[big_m["level"] == level]
            waiting = int((mine["status"] == BIG_NOT_STARTED).sum())
            derived.append(
                {
                    "code": row.code,
                    "year": year,
                    "month": int(m),
                    # The plan's rule (tracking.classify_big_project): introduced AND started.
                    "value": int(mine["met"].sum()),
                    "note": f"另有 {waiting} 个{ZONE_WORD[level]}{BIG_NOT_STARTED}"
                    if waiting
                    else None,
                }
            )
    if "scope" in targets.columns:
        for scope, level in PER_ZONE_SCOPES.items():
            rows = targets["scope"] == scope
            n = int((big["level"] == level).sum()) if not big.empty else 0
            targets.loc[rows, "target"] = float(n)
            targets.loc[rows, "unit"] = f"个{ZONE_WORD[level]}"
            # Say in the row's name what counts: the project introduced and started.
            targets.loc[rows, "name_zh"] = targets.loc[rows, "name_zh"].map(_say_started)
    table = counts[["code", "year", "month", "value"]].assign(note=None)
    values = pd.concat([table, pd.DataFrame(derived, columns=[*table.columns])])
    return values, targets


def _say_started(name: str) -> str:
    """``新引进10亿元以上项目（每个省级集聚区）`` → ``新引进10亿元以上项目并开工（每个省级集聚区）``."""
    name = str(name)
    head, sep, tail = name.partition("（")
    return name if "开工" in head else f"{head}并开工{sep}{tail}"


def build_ledger(
    period: str,
    *,
    raw_dir: str | Path = paths.RAW_DIR,
    processed: str | Path = paths.PROCESSED_DIR,
    targets_path: str | Path | None = None,
    zones_path: str | Path | None = None,
    aliases_path: str | Path | None = None,
    projects_path: str | Path | None = None,
) -> list[Path]:
    """Build the ledger tables for ``period`` and write them atomically.

    Writes ``processed/ledger_<table>_YYYY-MM.parquet`` for every table of ``TABLES`` and
    ``processed/ledger_report_YYYY-MM.csv`` (the rows of the ledger files that are not data, as in
    ``cleaning_report.csv``); nothing is written if reading or computing fails.

    Parameters
    ----------
    period
        ``YYYY-MM``.
    raw_dir
        The raw folder (ledger tables under ``raw_dir/ledger``).
    processed
        The processed folder.
    targets_path, zones_path, aliases_path, projects_path
        Reference files; the shipped ones by default.

    Returns
    -------
    list of Path
        The files written (the tables, then the report).

    Raises
    ------
    NoLedgerInput
        If the ledger has no progress table for the period (nothing is written).
    """
    tables = build_ledger_tables(
        period,
        raw_dir=raw_dir,
        targets_path=targets_path,
        zones_path=zones_path,
        aliases_path=aliases_path,
        projects_path=projects_path,
        with_report=True,
    )
    report = tables.pop("report")
    report_file = ledger_report_path(processed, period)
    validate_table(report, "ledger_report", file=report_file)
    for name, frame in tables.items():
        validate_table(frame, name, file=ledger_path(processed, name, period))
    written = [
        write_parquet_atomic(frame, ledger_path(processed, name, period))
        for name, frame in tables.items()
    ]
    return [*written, write_csv_atomic(report, report_file)]


def read_ledger_tables(processed: str | Path, period: str) -> dict[str, pd.DataFrame]:
    """Read the ledger tables of ``period`` written by :func:`build_ledger` (missing ones omitted)."""
    out = {}
    for name in TABLES:
        path = ledger_path(processed, name, period)
        if path.exists():
            out[name] = pd.read_parquet(path)
    return out
