"""Progress of the plan's count targets (research centres, fibre, trains …) month by month."""

from __future__ import annotations

import pandas as pd

from zoneanalysis.errors import ConfigError
from zoneanalysis.ledger.tracking import time_progress_pct
from zoneanalysis.rules.report import load_report_rules

#: Task progress this many points below time progress still counts as on schedule; more is "滞后"
#: (report_rules.yaml ``ledger.count_lag_pp``).
COUNT_TOLERANCE_PP = load_report_rules().ledger.count_lag_pp

STATUS_DONE = "已完成"
STATUS_ON_TRACK = "进度正常"
STATUS_BEHIND = "滞后"
STATUS_NO_DATA = "无数据"


def count_targets_frame(counts: list[dict] | pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """The ``counts:`` list of the targets file as a frame (code, name_zh, unit, target).

    Parameters
    ----------
    counts
        The list of ``{code, name_zh, unit, target, …}`` mappings, or a frame with those columns.
    source
        The targets file (for error messages).

    Returns
    -------
    pandas.DataFrame
        One row per count target, in the file's order; extra keys are kept as columns.

    Raises
    ------
    ConfigError
        If a code is missing or repeated or a target is not a non-negative number.
    """
    frame = pd.DataFrame(counts).copy()
    if frame.empty and not len(frame.columns):  # a plan year without count targets
        return pd.DataFrame({"code": [], "name_zh": [], "unit": [], "target": []})
    for col in ("code", "name_zh", "unit", "target"):
        if col not in frame.columns:
            raise ConfigError(f"计数目标缺少键 {col}", file=source or None, location="counts")
    dup = frame.loc[frame["code"].duplicated(), "code"].tolist()
    if dup:
        raise ConfigError(f"计数目标 code 重复：{dup}", file=source or None, location="counts")
    target = pd.to_numeric(frame["target"], errors="coerce")
    bad = frame.loc[target.isna() | (target < 0), "code"].tolist()
    if bad:
        raise ConfigError(
            f"计数目标 {bad} 的 target 不是非负数",
            file=source or None,
            location="counts",
            hint="target 写成数字，例如 100。",
        )
    frame["target"] = target.astype(float)
    return frame.reset_index(drop=True)


def summarise_count_progress(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    year: int,
    month: int,
    *,
    tolerance_pp: float = COUNT_TOLERANCE_PP,
) -> pd.DataFrame:
    """Each count target's progress at every reporting month up to ``month``.

    Parameters
    ----------
    values
        Year-to-date values: ``code``, ``year``, ``month``, ``value`` (in the target's unit).
        Codes without a target are ignored. An optional ``note`` column (Chinese, nullable) is
        carried through, e.g. the zones whose big project is introduced but not started.
    targets
        From :func:`count_targets_frame`.
    year, month
        The last reporting month to include.
    tolerance_pp
        Allowed lag of task progress behind time progress before a target is "滞后".

    Returns
    -------
    pandas.DataFrame
        One row per target × reporting month that has data (and one row with null ``value`` and
        status 无数据 at ``month`` for a target without any): ``code``, ``name_zh``, ``unit``,
        ``year``, ``month``, ``value``, ``target``, ``task_progress_pct``,
        ``time_progress_pct``, ``gap_pp``, ``status``, ``is_latest`` (the target's last month with
        data), ``is_stale`` (that month is earlier than ``month``: not reported this month) and
        ``note`` (nullable).
    """
    have = values[(values["year"] == year) & (values["month"] <= month)]
    have = have[["code", "year", "month", "value", *(["note"] if "note" in have else [])]]
    keep = ["code", "name_zh", "unit", "target"]
    out = targets[keep].merge(have, on="code", how="left")
    missing = out["month"].isna()
    out.loc[missing, "year"] = year
    out.loc[missing, "month"] = month
    out["year"] = out["year"].astype("int64")
    out["month"] = out["month"].astype("int64")
    out["value"] = out["value"].astype("Float64")
    out["note"] = out["note"].astype(object) if "note" in out else None
    out["note"] = out["note"].where(out["note"].notna(), None)
    base = out["target"].where(out["target"] > 0)
    out["task_progress_pct"] = (out["value"] / base * 100).astype("Float64")
    out["time_progress_pct"] = out["month"].map(time_progress_pct).astype(float)
    out["gap_pp"] = (out["task_progress_pct"] - out["time_progress_pct"]).astype("Float64")
    out["status"] = [
        _status(v, t, g, tolerance_pp)
        for v, t, g in zip(out["value"], out["target"], out["gap_pp"], strict=True)
    ]
    order = {c: i for i, c in enumerate(targets["code"])}
    out = out.sort_values(["code", "month"], key=lambda s: s.map(order) if s.name == "code" else s)
    out["is_latest"] = out["month"] == out.groupby("code")["month"].transform("max")
    out["is_stale"] = out["is_latest"] & (out["month"] < month)
    return out.reset_index(drop=True)


def _status(value: object, target: float, gap: object, tolerance_pp: float) -> str:
    if pd.isna(value):
        return STATUS_NO_DATA
    if float(value) >= target:
        return STATUS_DONE
    if pd.notna(gap) and float(gap) >= -tolerance_pp:
        return STATUS_ON_TRACK
    return STATUS_BEHIND
