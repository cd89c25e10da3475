"""Star levels (一星 … 六星) from a configuration table of rules.

The province's star thresholds are not public; ``star_rules.csv`` holds an honest, documented
default (示例). Each row is one condition of one star level: ``indicator`` is an indicator code
(year-end value) or ``rank:<list>`` (the zone's rank in a ranking list), ``operator`` is ``>=`` or
``<=``. A zone gets the highest star whose conditions all hold (0 = 未定星).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.labels import format_stars
from zoneanalysis.reference import read_reference_csv
from zoneanalysis.rules.report import load_report_rules

STAR_COLUMNS = ["star", "name_zh", "indicator", "operator", "threshold", "note"]
OPERATORS = (">=", "<=")
#: A zone with a star target is at risk when P(reach target) is below this
#: (report_rules.yaml ``stars.at_risk_probability``).
RISK_THRESHOLD = load_report_rules().stars.at_risk_probability


def load_star_rules(
    path: str | Path | None = None, *, known: set[str] | None = None
) -> pd.DataFrame:
    """Read and check the star rules.

    Parameters
    ----------
    path
        ``star_rules.csv``; the shipped table by default.
    known
        Allowed indicator codes (and ``rank:<list>`` names); not checked if ``None``.

    Raises
    ------
    ConfigError
        Naming the file and row of a missing column, a bad star, operator or threshold, or an
        unknown indicator.
    """
    path = Path(path) if path is not None else paths.STAR_RULES_FILE
    rules = read_reference_csv(path, columns=STAR_COLUMNS, label="星级规则")
    for i, row in rules.iterrows():
        where = f"第 {int(i) + 2} 行"
        if row["star"] not in {str(s) for s in range(1, 7)}:
            raise ConfigError(f"星级“{row['star']}”不是 1-6", file=path, location=where)
        if row["operator"] not in OPERATORS:
            raise ConfigError(
                f"比较符“{row['operator']}”无效",
                file=path,
                location=where,
                hint="只能用 >= 或 <=。",
            )
        try:
            float(row["threshold"])
        except ValueError:
            raise ConfigError(
                f"门槛“{row['threshold']}”不是数字", file=path, location=where
            ) from None
        if known is not None and row["indicator"] not in known:
            raise ConfigError(
                f"不认识的指标“{row['indicator']}”",
                file=path,
                location=where,
                hint=f"可用：{'、'.join(sorted(known))}。",
            )
    rules["star"] = rules["star"].astype(int)
    rules["threshold"] = rules["threshold"].astype(float)
    return rules[STAR_COLUMNS]


def evaluate_stars(rules: pd.DataFrame, values: Mapping[str, np.ndarray]) -> np.ndarray:
    """Star level per zone (and per draw): the highest star whose conditions all hold.

    Parameters
    ----------
    rules
        From :func:`load_star_rules`.
    values
        Indicator code (or ``rank:<list>``) → array, all of one shape such as ``(zones,)`` or
        ``(draws, zones)``; NaN fails every condition.
    """
    shape = np.broadcast_shapes(*(np.shape(v) for v in values.values()))
    level = np.zeros(shape, dtype=int)
    for star, conds in rules.groupby("star"):
        ok = np.ones(shape, dtype=bool)
        for row in conds.itertuples():
            v = np.broadcast_to(np.asarray(values[row.indicator], dtype=float), shape)
            with np.errstate(invalid="ignore"):
                hit = v >= row.threshold if row.operator == ">=" else v <= row.threshold
            ok &= hit & ~np.isnan(v)
        level = np.where(ok, np.maximum(level, int(star)), level)
    return level


def assess_stars(
    rules: pd.DataFrame,
    zones: pd.DataFrame,
    *,
    current: Mapping[str, np.ndarray],
    projected: Mapping[str, np.ndarray],
    projected_draws: Mapping[str, np.ndarray],
    risk_threshold: float = RISK_THRESHOLD,
    star_targets: Mapping[str, int] | None = None,
    plan_year: int | None = None,
) -> pd.DataFrame:
    """Current and projected star level of each zone against its plan year's star target.

    Parameters
    ----------
    rules
        Star rules.
    zones
        Registry rows of the zones to assess (zone_id, zone_name), in the order of the value
        arrays.
    current
        Values of the latest complete year, ``(zones,)`` each (NaN if unknown).
    projected
        Nominal year-end values of the period, ``(zones,)`` each.
    projected_draws
        Monte Carlo draws of the same, ``(draws, zones)`` each.
    risk_threshold
        ``at_risk`` when a target is set and P(reach target) is below this.
    star_targets
        Zone id → star target of the plan year (the targets file's ``stars``); zones not in it
        have no target. ``None``: no targets (e.g. a year without a targets file).
    plan_year
        The year the targets belong to, for the notes.

    Returns
    -------
    pandas.DataFrame
        The columns of docs/contracts.md "stars".
    """
    plain = [np.asarray(v, dtype=float) for k, v in current.items() if not k.startswith("rank:")]
    known_now = (
        np.all([~np.isnan(v) for v in plain], axis=0) if plain else np.ones(len(zones), bool)
    )
    star_now = evaluate_stars(rules, current)
    star_proj = evaluate_stars(rules, projected)
    draws = evaluate_stars(rules, projected_draws)
    wanted = zones["zone_id"].map(dict(star_targets or {}))
    target = pd.array(wanted.where(wanted.notna(), None), dtype="Int64").to_numpy()
    has_target = ~pd.isna(target)
    target_f = np.where(has_target, pd.array(target).fillna(0).to_numpy(dtype=float), np.nan)
    p = np.where(has_target, (draws >= target_f).mean(axis=0), np.nan)
    at_risk = has_target & (p < risk_threshold)
    notes = []
    for i in range(len(zones)):
        if not has_target[i]:
            year = f"{plan_year} 年" if plan_year is not None else "本年"
            notes.append(
                f"{year}计划未定星级目标" if star_targets is not None else f"{year}没有目标文件"
            )
        elif at_risk[i]:
            notes.append(
                f"达到{format_stars(target_f[i])}目标的概率 {p[i]:.0%}，低于 {risk_threshold:.0%}"
            )
        else:
            notes.append(f"预计可达到{format_stars(target_f[i])}目标")
    return pd.DataFrame(
        {
            "zone_id": zones["zone_id"].to_numpy(),
            "zone_name": zones["zone_name"].to_numpy(),
            "star_current": pd.array(np.where(known_now, star_now, -1), dtype="Int64").astype(
                "Int64"
            ),
            "star_projected": pd.array(star_proj, dtype="Int64"),
            "star_target": pd.array(target, dtype="Int64"),
            "p_reach_target": p,
            "at_risk": at_risk.astype(bool),
            "note": notes,
        }
    ).assign(star_current=lambda f: f["star_current"].mask(f["star_current"] < 0))
