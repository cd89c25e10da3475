"""Project tracking: starts, completions, big new projects, investment, late projects.

Starts and completions are measured against the plan's 100/100 targets, investment against each
project's plan for the year. Every function takes the tidy progress table (``columns.PROGRESS_COLUMNS``) and returns a tidy
frame; nothing here reads files.
"""

from __future__ import annotations

import pandas as pd

from zoneanalysis.ledger.columns import CITY_ID, CITY_NAME
from zoneanalysis.rules.report import load_report_rules

#: Default tolerance: investment progress this many points below time progress is "behind"
#: (report_rules.yaml ``ledger.investment_lag_pp``).
BEHIND_TOLERANCE_PP = load_report_rules().ledger.investment_lag_pp
#: Newly introduced project size the plan asks of each zone (亿元): provincial zones, city parks
#: (report_rules.yaml ``ledger.big_project_min_investment``).
BIG_PROJECT_THRESHOLDS = dict(load_report_rules().ledger.big_project_min_investment)
#: A zone's big-project status. The plan (郑政办〔2016〕49号 四（三）) makes the *start* of the
#: newly introduced big project the precondition for evaluation, so only introduced AND started
#: counts as done; introduced but not started is shown as such.
BIG_DONE, BIG_NOT_STARTED, BIG_NONE = "已完成", "已引进、未开工", "尚无"


def classify_big_project(n_qualifying: int, n_started: int) -> str:
    """A zone's big-project status: 已完成 (one introduced and started), 已引进、未开工, 尚无.

    Examples
    --------
    >>> classify_big_project(2, 0), classify_big_project(2, 1), classify_big_project(0, 0)
    ('已引进、未开工', '已完成', '尚无')
    """
    if int(n_started) > 0:
        return BIG_DONE
    return BIG_NOT_STARTED if int(n_qualifying) > 0 else BIG_NONE


def time_progress_pct(month: int) -> float:
    """Share of the year gone by the end of ``month``, in percent (6 → 50.0)."""
    return month / 12 * 100


def select_period(progress: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    """The rows of one reporting month (each project's status as reported at ``year``-``month``)."""
    return progress[(progress["year"] == year) & (progress["month"] == month)].copy()


def _in_year_by(dates: pd.Series, year: int, month: int) -> pd.Series:
    d = pd.to_datetime(dates)
    return (d.dt.year == year) & (d.dt.month <= month)


def summarise_starts_completions(
    progress: pd.DataFrame,
    year: int,
    month: int,
    *,
    target_starts: float = 100,
    target_completions: float = 100,
) -> pd.DataFrame:
    """Projects started and completed this year, per zone and for the city, against the targets.

    A project counts as started (completed) this year when its reported start (completion) date
    falls in ``year`` no later than ``month``; projects started in earlier years (续建) do not count
    towards the starts.

    Parameters
    ----------
    progress
        Tidy progress table.
    year, month
        The reporting period.
    target_starts, target_completions
        The city-wide targets (the plan: 100 and 100).

    Returns
    -------
    pandas.DataFrame
        One row per zone with projects plus a city row (``zone_id`` = ``agg_zz_all``, last):
        ``zone_id``, ``zone_name``, ``is_aggregate``, ``n_projects``, ``planned_starts``
        (category 新开工), ``started``, ``planned_completions`` (category 竣工), ``completed``,
        ``target_starts``, ``target_completions`` (city row only), ``time_progress_pct``,
        ``start_progress_pct``, ``completion_progress_pct`` (city: against the targets; zones:
        against their own planned counts, null when none is planned).
    """
    now = select_period(progress, year, month)
    now["_started"] = now["started"].astype(bool) & _in_year_by(now["start_date"], year, month)
    now["_completed"] = now["completed"].astype(bool) & _in_year_by(
        now["completion_date"], year, month
    )
    now["_plan_s"] = now["category"] == "新开工"
    now["_plan_c"] = now["category"] == "竣工"
    agg = {
        "n_projects": ("project_id", "size"),
        "planned_starts": ("_plan_s", "sum"),
        "started": ("_started", "sum"),
        "planned_completions": ("_plan_c", "sum"),
        "completed": ("_completed", "sum"),
    }
    zones = now.groupby(["zone_id", "zone_name"], sort=True).agg(**agg).reset_index()
    zones["is_aggregate"] = False
    city = pd.DataFrame(
        {
            "zone_id": [CITY_ID],
            "zone_name": [CITY_NAME],
            "n_projects": [len(now)],
            "planned_starts": [int(now["_plan_s"].sum())],
            "started": [int(now["_started"].sum())],
            "planned_completions": [int(now["_plan_c"].sum())],
            "completed": [int(now["_completed"].sum())],
            "is_aggregate": [True],
        }
    )
    out = pd.concat([zones, city], ignore_index=True)
    for col in ("n_projects", "planned_starts", "started", "planned_completions", "completed"):
        out[col] = out[col].astype("int64")
    out["target_starts"] = pd.Series([pd.NA] * len(out), dtype="Float64")
    out["target_completions"] = pd.Series([pd.NA] * len(out), dtype="Float64")
    out.loc[out["is_aggregate"], "target_starts"] = float(target_starts)
    out.loc[out["is_aggregate"], "target_completions"] = float(target_completions)
    out["time_progress_pct"] = time_progress_pct(month)
    start_base = out["target_starts"].fillna(out["planned_starts"].astype("Float64"))
    done_base = out["target_completions"].fillna(out["planned_completions"].astype("Float64"))
    out["start_progress_pct"] = _pct(out["started"], start_base)
    out["completion_progress_pct"] = _pct(out["completed"], done_base)
    cols = [
        "zone_id",
        "zone_name",
        "is_aggregate",
        "n_projects",
        "planned_starts",
        "started",
        "planned_completions",
        "completed",
        "target_starts",
        "target_completions",
        "time_progress_pct",
        "start_progress_pct",
        "completion_progress_pct",
    ]
    return out[cols]


def _pct(done: pd.Series, base: pd.Series) -> pd.Series:
    base = base.astype("Float64")
    result = done.astype("Float64") / base.where(base > 0) * 100
    return result.astype("Float64")


def check_big_new_projects(
    progress: pd.DataFrame,
    levels: pd.Series,
    year: int,
    month: int,
    *,
    thresholds: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Whether each zone has the newly introduced big project the plan asks for.

    Each provincial zone needs at least one newly introduced project of ≥10亿元, each city park
    one of ≥5亿元; the plan makes the *start* of such a project the precondition for evaluation,
    so a zone meets the target only when a qualifying project is introduced AND started
    (:func:`classify_big_project`).

    Parameters
    ----------
    progress
        Tidy progress table.
    levels
        Zone level by ``zone_id`` (``registry.zone_level`` for ``year``) for the zones to check:
        ``provincial`` or ``city_park``; zones with another level are skipped.
    year, month
        The reporting period.
    thresholds
        Level → minimum total investment in 亿元; ``BIG_PROJECT_THRESHOLDS`` by default.

    Returns
    -------
    pandas.DataFrame
        One row per zone: ``zone_id``, ``level``, ``threshold``, ``n_qualifying``,
        ``n_qualifying_started``, ``largest_project`` (name, nullable), ``largest_investment``
        (亿元, nullable), ``introduced`` (at least one qualifying project), ``met`` (at least one
        qualifying project introduced and started: the target counts as done) and ``status``
        (:data:`BIG_DONE` / :data:`BIG_NOT_STARTED` / :data:`BIG_NONE`).
    """
    thresholds = thresholds or BIG_PROJECT_THRESHOLDS
    now = select_period(progress, year, month)
    now = now[now["is_new_introduction"].astype(bool)]
    rows = []
    for zone_id, level in levels.dropna().items():
        if level not in thresholds:
            continue
        limit = thresholds[level]
        mine = now[(now["zone_id"] == zone_id) & (now["total_investment"] >= limit - 1e-9)]
        mine = mine.sort_values("total_investment", ascending=False)
        largest = mine.iloc[0] if not mine.empty else None
        n_started = int(mine["started"].astype(bool).sum())
        rows.append(
            {
                "zone_id": zone_id,
                "level": level,
                "threshold": float(limit),
                "n_qualifying": len(mine),
                "n_qualifying_started": n_started,
                "largest_project": None if largest is None else largest["project_name"],
                "largest_investment": None
                if largest is None
                else float(largest["total_investment"]),
                "introduced": len(mine) > 0,
                "met": n_started > 0,
                "status": classify_big_project(len(mine), n_started),
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["largest_investment"] = out["largest_investment"].astype("Float64")
    return out


def compare_investment_to_plan(progress: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    """Each project's investment completed so far against its plan for the year.

    Parameters
    ----------
    progress
        Tidy progress table.
    year, month
        The reporting period.

    Returns
    -------
    pandas.DataFrame
        ``project_id``, ``project_name``, ``zone_id``, ``zone_name``, ``category``,
        ``plan_investment``, ``ytd_investment`` (亿元), ``started``, ``completed`` (status as
        reported that month), ``completion_pct`` (null when the plan is zero or missing), ``time_progress_pct`` and ``gap_pp`` (completion − time progress).
    """
    now = select_period(progress, year, month)
    out = now[
        [
            "project_id",
            "project_name",
            "zone_id",
            "zone_name",
            "category",
            "plan_investment",
            "ytd_investment",
            "started",
            "completed",
        ]
    ].reset_index(drop=True)
    out["started"] = out["started"].astype(bool)
    out["completed"] = out["completed"].astype(bool)
    plan = out["plan_investment"].astype("Float64")
    out["completion_pct"] = (
        out["ytd_investment"].astype("Float64") / plan.where(plan > 0) * 100
    ).astype("Float64")
    out["time_progress_pct"] = time_progress_pct(month)
    out["gap_pp"] = (out["completion_pct"] - out["time_progress_pct"]).astype("Float64")
    return out


def list_behind_schedule(
    progress: pd.DataFrame,
    year: int,
    month: int,
    *,
    tolerance_pp: float = BEHIND_TOLERANCE_PP,
) -> pd.DataFrame:
    """Projects behind schedule, each with the reasons in Chinese.

    A project is behind when its planned start month (this year) has passed and it has not
    started, when its planned completion month has passed and it is not completed, or when its
    investment completion lags time progress by more than ``tolerance_pp`` points (not checked
    for a project that is not due to start yet).

    Parameters
    ----------
    progress
        Tidy progress table.
    year, month
        The reporting period.
    tolerance_pp
        Allowed lag of investment completion behind time progress, in percentage points.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`compare_investment_to_plan` for the late projects, plus ``reasons``
        (Chinese, joined with "；"), sorted by zone and by ``gap_pp``.
    """
    now = select_period(progress, year, month).reset_index(drop=True)
    invest = compare_investment_to_plan(progress, year, month)
    reasons: list[str] = []
    for row, inv in zip(now.itertuples(index=False), invest.itertuples(index=False), strict=True):
        why = []
        ps, pc = row.planned_start_month, row.planned_completion_month
        if pd.notna(ps) and int(ps) <= month and not bool(row.started):
            why.append(f"计划{int(ps)}月开工，尚未开工")
        if pd.notna(pc) and int(pc) <= month and not bool(row.completed):
            why.append(f"计划{int(pc)}月投产，尚未投产")
        not_due = not bool(row.started) and pd.notna(ps) and int(ps) > month
        if pd.notna(inv.gap_pp) and inv.gap_pp < -tolerance_pp and not not_due:
            why.append(f"投资完成{inv.completion_pct:.1f}%，落后时间进度{-inv.gap_pp:.1f}个百分点")
        reasons.append("；".join(why))
    invest["reasons"] = reasons
    late = invest[invest["reasons"] != ""]
    return late.sort_values(["zone_id", "gap_pp"], na_position="last").reset_index(drop=True)
