"""Year-end projections for every zone and aggregate: the load → project → check → save step."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from zoneanalysis import paths
from zoneanalysis.atomic import write_csv_atomic, write_parquet_atomic
from zoneanalysis.errors import InputDataError
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.periods import format_period, parse_period, require_period_in_data
from zoneanalysis.projection.aggregate import backtest_aggregate_mape, find_members, sum_aggregates
from zoneanalysis.projection.backtest import (
    CANDIDATES,
    COMBINED,
    DEFAULT_SIGMA,
    run_backtest,
)
from zoneanalysis.projection.bias import apply_log_bias
from zoneanalysis.projection.combine import combine_points
from zoneanalysis.projection.correlation import combine_factors, estimate_zone_share
from zoneanalysis.projection.ets import ETS, EtsCache, project_ets
from zoneanalysis.projection.history import (
    MONTHLY,
    NO_HISTORY_NOTE,
    ONE_YEAR_NOTE,
    Panel,
    build_panel,
    complete_past_years,
    describe_gaps,
)
from zoneanalysis.projection.methods import (
    CARRY_GROWTH,
    METHOD_NAMES_ZH,
    REMAINDER_GROWTH,
    RUN_RATE,
    SEASONAL_SHARE,
    project_carry_growth,
    project_remainder_growth,
    project_run_rate,
    project_seasonal_share,
    shape_ets_draws,
    simulate_year_end,
)
from zoneanalysis.projection.progress import (
    compute_required_growth,
    compute_task_progress,
    compute_time_progress,
)
from zoneanalysis.projection.settings import DEFAULT_SETTINGS, ProjectionSettings
from zoneanalysis.projection.spread import name_family
from zoneanalysis.registry import load_zones
from zoneanalysis.schema import table_fields, validate_table
from zoneanalysis.targets import AGGREGATE_NAMES_ZH, Targets, find_targets

#: The columns of the projections table, in order (the field dictionary, ``fields.yaml``).
PROJECTION_COLUMNS = [name for name, _ in table_fields("projections")]
LOG_COLUMNS = [name for name, _ in table_fields("projection_log")]
DEFAULT_SIMS = DEFAULT_SETTINGS.n_sims
DEFAULT_SEED = 2016
QUANTILES = (0.025, 0.10, 0.90, 0.975)
#: Numbers per simulated draw matrix (series × sims) held at once: 4 million ≈ 32 MB, whatever
#: the number of series or of sims (the series are simulated in chunks of this size).
SIM_CHUNK_CELLS = 4_000_000


def _describe_method(weights: dict[str, float], valid: dict[str, bool]) -> str:
    used = {k: w for k, w in weights.items() if valid.get(k) and w > 0}
    total = sum(used.values())
    if not used:
        return f"{METHOD_NAMES_ZH[RUN_RATE]}（回退）"
    parts = [
        f"{METHOD_NAMES_ZH[k]} {w / total:.0%}"
        for k, w in sorted(used.items(), key=lambda x: -x[1])
    ]
    return f"{METHOD_NAMES_ZH[COMBINED]}（{'，'.join(parts)}）"


def _bounds(quantiles: np.ndarray, point: np.ndarray, n_sims: int) -> tuple[np.ndarray, ...]:
    """The draws' QUANTILES nested around the point (lower_95 ≤ lower_80 ≤ point ≤ …)."""
    if n_sims == 0:
        return tuple(point.copy() for _ in QUANTILES)
    lo95, lo80, hi80, hi95 = quantiles
    lo80 = np.minimum(lo80, point)
    lo95 = np.minimum(lo95, lo80)
    hi80 = np.maximum(hi80, point)
    hi95 = np.maximum(hi95, hi80)
    return lo95, lo80, hi80, hi95


def _target_levels(
    units: pd.DataFrame, prev: np.ndarray, targets: Targets
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stated level, stated growth, and the level that meets every condition, per row."""
    table = targets.to_frame().set_index(["zone_id", "indicator"])
    idx = pd.MultiIndex.from_frame(units[["zone_id", "indicator"]])
    t = table.reindex(idx)
    level = t["target_value"].to_numpy(float)
    growth = t["target_growth_pct"].to_numpy(float)
    min_growth = t["min_growth_pct"].to_numpy(float)
    with np.errstate(invalid="ignore"):
        from_growth = prev * (1.0 + min_growth / 100.0)
    needed = np.fmax(level, from_growth)  # NaN only if both are NaN
    return level, growth, needed


@dataclass
class _ZonePart:
    """The zone rows' points and spreads for one period (before simulation)."""

    point: np.ndarray
    sigma: np.ndarray
    rho: np.ndarray
    method: np.ndarray
    mape: np.ndarray
    zone_mape: np.ndarray
    ets_scale: np.ndarray
    ets_rho: np.ndarray
    #: ETS simulated year-ends ``(rows with ETS, sims)``; ``ets_row[i]`` is row i's position in it
    #: (-1 without ETS), so series without ETS (the quarterly province) cost no memory here.
    ets_paths: np.ndarray
    ets_row: np.ndarray
    zone_share: float = 0.0
    agg_mape: dict = field(default_factory=dict)

    def ets_shaped(self) -> np.ndarray:
        """Rows whose spread comes from their ETS paths (calibrated scale, finite paths)."""
        ok = np.zeros(self.ets_row.size, bool)
        has = self.ets_row >= 0
        if has.any():
            ok[has] = np.isfinite(self.ets_paths[self.ets_row[has]]).all(axis=1)
        return np.isfinite(self.ets_scale) & ok


def _actuals_part(ytd: np.ndarray, n_sims: int) -> _ZonePart:
    n = ytd.size
    return _ZonePart(
        point=ytd.copy(),
        sigma=np.zeros(n),
        rho=np.zeros(n),
        method=np.full(n, "全年实际", dtype=object),
        mape=np.zeros(n),
        zone_mape=np.zeros(n),
        ets_scale=np.full(n, np.nan),
        ets_rho=np.zeros(n),
        ets_paths=np.empty((0, n_sims)),
        ets_row=np.full(n, -1),
    )


def no_backtest_sigma(
    points: dict[str, np.ndarray],
    ytd: np.ndarray,
    is_flow: np.ndarray,
    settings: ProjectionSettings = DEFAULT_SETTINGS,
) -> float:
    """Spread for a group with no year to backtest (only one past year, or none).

    The disagreement of the methods that ran (root mean square of the log ratio of their
    remainders, flows, or levels, stocks) times ``no_backtest_sigma_factor``, and never below
    ``default_sigma``: with nothing to calibrate on, the interval is wide on purpose.
    """
    names = [m for m in settings.no_backtest_weights if m in points]
    if len(names) < 2:
        return settings.default_sigma * settings.no_backtest_sigma_factor
    a, b = (points[m] for m in names[:2])
    base = np.where(is_flow, ytd, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.log((a - base) / (b - base))
    d = d[np.isfinite(d)]
    rms = float(np.sqrt(np.mean(d**2))) if d.size else 0.0
    return max(settings.default_sigma, settings.no_backtest_sigma_factor * rms)


def _family_sigmas(
    bt, cal, group: tuple, kind: str, month: int, weights: dict, valid: np.ndarray, names: list
) -> np.ndarray:
    """Per row of the group, the spread of the family of methods that ran for it."""
    families = np.array(
        [
            name_family([k for k, ok in zip(names, row) if ok and weights.get(k, 0) > 0])
            or RUN_RATE
            for row in valid
        ],
        dtype=object,
    )
    out = np.full(len(families), DEFAULT_SIGMA)
    for fam in dict.fromkeys(families):
        s = cal.sigma.get((group, fam))
        if s is None:
            s = bt.sigma_for(group, kind, month, fam)
        out[families == fam] = s if np.isfinite(s) else DEFAULT_SIGMA
    return out


def zone_backtest_mape(combined_rows: pd.DataFrame, sel: np.ndarray, month: int) -> np.ndarray:
    """Each series' own backtest MAPE of the combination at ``month`` (NaN without history).

    Parameters
    ----------
    combined_rows
        The combination's backtest rows (``series``, ``month``, ``ape``), scored out of sample
        as the pooled ``backtest_mape_pct`` is.
    sel
        Panel rows of the projected series, in output order.
    month
        The projected month.

    Returns
    -------
    numpy.ndarray
        Mean absolute % error over the series' tested past years, per entry of ``sel``.
    """
    at = combined_rows[(combined_rows["month"] == month) & combined_rows["ape"].notna()]
    per_series = at.groupby(at["series"].astype(int))["ape"].mean()
    return per_series.reindex(np.asarray(sel, int)).to_numpy(float)


def _project_zones(
    panel: Panel,
    t: int,
    month: int,
    sel: np.ndarray,
    keys: pd.DataFrame,
    *,
    zones: pd.DataFrame,
    n_sims: int,
    seed: int,
    log: list[dict],
    with_ets: bool,
    settings: ProjectionSettings,
) -> _ZonePart:
    """Backtest, correct and combine the methods for every zone row of a mid-year period."""
    ytd = panel.cum[sel, t, month]
    is_flow = panel.is_flow[sel]
    cache = EtsCache()
    candidates = CANDIDATES if with_ets else tuple(c for c in CANDIDATES if c != ETS)
    bt = run_backtest(
        panel, t, [month], candidates=candidates, ets_cache=cache, log=log, settings=settings
    )
    cal = bt.calibration.get(month)
    monthly = (keys["frequency"] == MONTHLY).to_numpy() & with_ets
    part = _actuals_part(ytd, n_sims)
    ets_point = np.full(sel.size, np.nan)
    ets_point[monthly], part.ets_paths = project_ets(
        panel, t, month, sel[monthly], n_sims=n_sims, seed=seed, log=log, cache=cache
    )
    part.ets_row[monthly] = np.arange(int(monthly.sum()))
    points = {
        SEASONAL_SHARE: project_seasonal_share(
            panel, t, month, min_years=settings.min_seasonal_years
        )[sel],
        CARRY_GROWTH: project_carry_growth(panel, t, month)[sel],
        RUN_RATE: project_run_rate(panel, t, month)[sel],
        REMAINDER_GROWTH: project_remainder_growth(panel, t, month)[sel],
        ETS: ets_point,
    }
    part.rho[:] = settings.default_common_share
    part.mape[:] = np.nan
    group_of = list(zip(keys["indicator"], keys["frequency"]))
    kind_of = dict(zip(group_of, keys["kind"]))
    for group in dict.fromkeys(group_of):
        rows = np.flatnonzero(np.array([g == group for g in group_of]))
        _combine_group(
            part, bt, cal, group, kind_of[group], rows, points, ytd, is_flow, month, log, settings
        )
    combined_rows = bt.rows[bt.rows["method"] == COMBINED]
    part.zone_mape = zone_backtest_mape(combined_rows, sel, month)
    part.agg_mape = backtest_aggregate_mape(combined_rows, zones)
    part.zone_share = estimate_zone_share(combined_rows, n_boot=0).value
    # Flows must not end below what is already done.
    part.point = np.where(is_flow & (ytd >= 0), np.maximum(part.point, ytd), part.point)
    return part


def _combine_group(
    part: _ZonePart,
    bt,
    cal,
    group: tuple[str, str],
    kind: str,
    rows: np.ndarray,
    points: dict[str, np.ndarray],
    ytd: np.ndarray,
    is_flow: np.ndarray,
    month: int,
    log: list[dict],
    settings: ProjectionSettings,
) -> None:
    """Correct and combine the methods' points of one indicator × frequency group into ``part``.

    A group the backtest calibrated gets its weights, biases, ρ and σ from the backtest; one
    without past years gets the settings' fixed weights and a σ from the methods' disagreement.
    """
    sub = {k: v[rows] for k, v in points.items()}
    calibrated = bool(cal and group in cal.weights and cal.weights[group])
    if calibrated:
        weights = cal.weights[group]
        for k, b in cal.bias.get(group, {}).items():
            if k in sub:
                sub[k] = apply_log_bias(sub[k], ytd[rows], is_flow[rows], b)
    else:
        weights = dict(settings.no_backtest_weights)
        log.append(
            {
                "zone_id": "",
                "indicator": group[0],
                "method": COMBINED,
                "event": "no_backtest",
                "message": "无往年数据可回测：按沿用累计增速与同期完成比例组合，区间按方法分歧放宽",
            }
        )
    combined, _ = combine_points(sub, weights, sub[RUN_RATE])
    part.point[rows] = combined
    names = list(sub)
    valid = np.column_stack([np.isfinite(sub[k]) for k in names])
    if calibrated:
        part.rho[rows] = cal.rho[group]
        part.mape[rows] = cal.mape[group].get(COMBINED, np.nan)
        part.sigma[rows] = _family_sigmas(bt, cal, group, kind, month, weights, valid, names)
        if group in cal.ets_scale:
            part.ets_scale[rows] = cal.ets_scale[group]
            part.ets_rho[rows] = cal.ets_rho[group]
    else:
        part.sigma[rows] = no_backtest_sigma(sub, ytd[rows], is_flow[rows], settings)
    for r, ok in zip(rows, valid):
        part.method[r] = _describe_method(weights, dict(zip(names, ok)))


def _note_history(
    past_years: np.ndarray, keys: pd.DataFrame, notes: list[list[str]], log: list[dict]
) -> None:
    """Say so where a series has no complete past year, or only one."""
    for i in np.flatnonzero(past_years < 2):
        text = NO_HISTORY_NOTE if past_years[i] == 0 else ONE_YEAR_NOTE
        notes[i].append(text)
        log.append(
            {
                "zone_id": keys["zone_id"].iat[i],
                "indicator": keys["indicator"].iat[i],
                "method": COMBINED,
                "event": "short_history",
                "message": text,
            }
        )


@dataclass
class _DrawSummary:
    """What the rest of the run needs from the zone draws, without keeping the draws.

    Attributes
    ----------
    quantiles
        ``(4, series)``: the draws' QUANTILES per series.
    p_meet
        ``(series,)``: share of draws at or above the level that meets the target (NaN: none).
    kept
        ``(len(keep), sims)``: the draws of the series the aggregates add up (Zhengzhou members).
    common_share, zone_share
        Per series, the common and the zone share of its variance.
    """

    quantiles: np.ndarray
    p_meet: np.ndarray
    kept: np.ndarray
    common_share: np.ndarray
    zone_share: np.ndarray


def chunk_rows(n_sims: int, cells: int = SIM_CHUNK_CELLS) -> int:
    """Series simulated together so that one draw matrix holds about ``cells`` numbers."""
    return max(1, int(cells) // max(int(n_sims), 1))


def _simulate_zones(
    part: _ZonePart,
    keys: pd.DataFrame,
    ytd: np.ndarray,
    is_flow: np.ndarray,
    n_sims: int,
    seed: int,
    *,
    needed: np.ndarray,
    keep: np.ndarray,
    chunk: int | None = None,
) -> _DrawSummary:
    """Year-end draws with the common year factor and the zone factor, summarised chunk by chunk.

    The series are simulated ``chunk`` at a time (by default :func:`chunk_rows`, about
    ``SIM_CHUNK_CELLS`` numbers per matrix), so memory does not grow with series × sims. The
    random stream is the one of a single pass (the common factor, then one zone factor row per
    zone, then each series' own part in series order), so the result does not depend on
    ``chunk``.

    Parameters
    ----------
    part, keys, ytd, is_flow
        The zone rows' projections, keys, year-to-date values and flow flags.
    n_sims, seed
        Paths per series and the seed.
    needed
        Per series, the level that meets the target (NaN: no target), for ``p_meet``.
    keep
        Row indices whose draws are returned (the aggregates' members).
    chunk
        Series per chunk.
    """
    rng = np.random.default_rng(seed)
    common = rng.standard_normal(n_sims)
    shaped = part.ets_shaped()
    rho = np.where(shaped, part.ets_rho, part.rho)
    zone_share = (1.0 - np.clip(rho, 0.0, 1.0)) * part.zone_share
    codes = pd.factorize(keys["zone_id"])[0]
    uniq, inv = np.unique(codes, return_inverse=True)
    zone_factor = rng.standard_normal((uniq.size, n_sims))  # as draw_factors draws it
    n = ytd.size
    out = _DrawSummary(
        quantiles=np.empty((len(QUANTILES), n)),
        p_meet=np.full(n, np.nan),
        kept=np.empty((keep.size, n_sims)),
        common_share=rho,
        zone_share=zone_share,
    )
    step = chunk or chunk_rows(n_sims)
    for lo in range(0, n, step):
        rows = np.arange(lo, min(lo + step, n))
        draws = _draw_chunk(part, rows, ytd, is_flow, common, zone_factor[inv[rows]], out, rng)
        if n_sims:
            out.quantiles[:, rows] = np.quantile(draws, QUANTILES, axis=1)
            with np.errstate(invalid="ignore"):
                out.p_meet[rows] = (draws >= needed[rows, None]).mean(axis=1)
        at = np.searchsorted(rows, keep)
        inside = (at < rows.size) & (rows[np.minimum(at, rows.size - 1)] == keep)
        out.kept[inside] = draws[at[inside]]
    if shaped.any():
        part.method[shaped] = [f"{m}；区间按 ETS 模拟路径" for m in part.method[shaped]]
    return out


def _draw_chunk(part, rows, ytd, is_flow, common, zone, out, rng) -> np.ndarray:
    """Draws ``(len(rows), sims)`` of consecutive zone rows (the series' own part drawn here)."""
    z = combine_factors(common, zone, out.common_share[rows], out.zone_share[rows], rng)
    draws = simulate_year_end(ytd[rows], part.point[rows], part.sigma[rows], is_flow[rows], z)
    shaped = part.ets_shaped()[rows]
    if shaped.any():
        # Monthly series with ETS paths: their shape, calibrated in the backtest, sets the spread;
        # the correlated part comes from the same factors as the other series.
        r = rows[shaped]
        draws[shaped] = shape_ets_draws(
            ytd[r],
            part.point[r],
            part.ets_paths[part.ets_row[r]],
            part.ets_scale[r],
            out.common_share[r],
            is_flow[r],
            common,
            zone=zone[shaped],
            zone_share=out.zone_share[r],
        )
    return draws


@dataclass
class _Selection:
    """The series with a value at the period: their keys and the figures the rows carry."""

    sel: np.ndarray
    keys: pd.DataFrame
    is_flow: np.ndarray
    ytd: np.ndarray
    prev: np.ndarray
    prev_same: np.ndarray
    notes: list[list[str]]


def _select_series(panel: Panel, t: int, month: int) -> _Selection:
    """Every series with a year-to-date value at ``month`` of year index ``t``."""
    sel = np.flatnonzero(np.isfinite(panel.cum[:, t, month]))
    missing = np.full(sel.size, np.nan)
    return _Selection(
        sel=sel,
        keys=panel.keys.iloc[sel].reset_index(drop=True),
        is_flow=panel.is_flow[sel],
        ytd=panel.cum[sel, t, month],
        prev=panel.cum[sel, t - 1, 12] if t >= 1 else missing,
        prev_same=panel.cum[sel, t - 1, month] if t >= 1 else missing,
        notes=[[n] if n else [] for n in np.asarray(describe_gaps(panel, t, month), object)[sel]],
    )


def _zone_rows(
    s: _Selection,
    part: _ZonePart,
    past_years: np.ndarray,
    month: int,
    common_share: np.ndarray,
    zone_share: np.ndarray,
) -> pd.DataFrame:
    """The zone rows of the projections, before targets and intervals are added."""
    return pd.DataFrame(
        {
            "zone_id": s.keys["zone_id"],
            "indicator": s.keys["indicator"],
            "is_aggregate": False,
            "ytd_value": s.ytd,
            "prev_year_value": s.prev,
            "prev_same": s.prev_same,
            "projected_value": part.point,
            "method": part.method,
            "backtest_mape_pct": part.mape,
            "backtest_mape_zone_pct": part.zone_mape,
            "notes": ["；".join(n) for n in s.notes],
            "is_flow": s.is_flow,
            "past_years": past_years,
            "error_common_share": np.where(month == 12, np.nan, common_share),
            "error_zone_share": np.where(month == 12, np.nan, zone_share),
        }
    )


def project_year_end(
    stats: pd.DataFrame,
    year: int,
    month: int,
    *,
    targets: Targets,
    zones: pd.DataFrame,
    n_sims: int = DEFAULT_SIMS,
    seed: int = DEFAULT_SEED,
    log: list[dict] | None = None,
    with_ets: bool = True,
    settings: ProjectionSettings = DEFAULT_SETTINGS,
    sim_chunk: int | None = None,
) -> pd.DataFrame:
    """Project the year-end of every zone and aggregate with data in ``year``/``month``.

    Parameters
    ----------
    stats
        The tidy zone statistics (``zone_stats.parquet``).
    year, month
        The period: year-to-date values up to the end of ``month``.
    targets
        From :func:`zoneanalysis.targets.load_targets`.
    zones
        The registry (names, and who belongs to which aggregate).
    n_sims
        Simulated year-end paths per series.
    seed
        Seed of the random generator (the output is deterministic for a given seed).
    log
        If given, method events (fallbacks, short histories, warnings) are appended as dicts.
    with_ets
        Fit statsmodels ETS on the monthly series (the default); ``False`` keeps only the
        vectorised methods (faster, for comparisons).
    settings
        Method settings (:class:`~zoneanalysis.projection.settings.ProjectionSettings`).
    sim_chunk
        Series simulated at once (default: about ``SIM_CHUNK_CELLS`` numbers per matrix); the
        result is the same for every value, only the memory differs.

    Returns
    -------
    pandas.DataFrame
        The columns of the "projections" contract (docs/contracts.md): one row per zone ×
        year-to-date flow or stock indicator with a value at the period, plus the aggregates
        ``agg_zz_provincial``, ``agg_zz_parks`` and ``agg_zz_all``. Rows without a target have
        null target columns.
    """
    log = log if log is not None else []
    panel = build_panel(stats, until=(year, month))
    if panel.keys.empty or year not in panel.years:
        return pd.DataFrame(columns=PROJECTION_COLUMNS)
    t = panel.year_index(year)
    s = _select_series(panel, t, month)
    if month == 12:
        part = _actuals_part(s.ytd, n_sims)
    else:
        part = _project_zones(
            panel,
            t,
            month,
            s.sel,
            s.keys,
            zones=zones,
            n_sims=n_sims,
            seed=seed,
            log=log,
            with_ets=with_ets,
            settings=settings,
        )
    past_years = complete_past_years(panel, t)[s.sel]
    _note_history(past_years, s.keys, s.notes, log)
    members = find_members(zones, year)
    keep = np.flatnonzero(s.keys["zone_id"].isin(set().union(*members.values())).to_numpy())
    needed = _target_levels(s.keys, s.prev, targets)[2]
    summary = _simulate_zones(
        part, s.keys, s.ytd, s.is_flow, n_sims, seed, needed=needed, keep=keep, chunk=sim_chunk
    )
    zone_rows = _zone_rows(s, part, past_years, month, summary.common_share, summary.zone_share)
    agg_rows, agg_draws = _aggregate_rows(
        s.keys.iloc[keep].reset_index(drop=True),
        s.ytd[keep],
        s.prev[keep],
        s.prev_same[keep],
        part.point[keep],
        part.agg_mape,
        summary.kept,
        members,
    )
    out = pd.concat([zone_rows, agg_rows], ignore_index=True)
    agg_q, agg_meet = _summarise_aggregates(agg_rows, agg_draws, targets)
    quantiles = np.hstack([summary.quantiles, agg_q]) if len(agg_rows) else summary.quantiles
    meets = np.concatenate([summary.p_meet, agg_meet]) if len(agg_rows) else summary.p_meet
    out = _finish(out, quantiles, meets, n_sims, targets, zones, year, month, log)
    out["unit"] = out["indicator"].map(indicator_units(stats))
    check_projections(out)
    return out[PROJECTION_COLUMNS]


def indicator_units(stats: pd.DataFrame) -> dict[str, str]:
    """Indicator code → canonical unit (亿元, 万人 …) of the indicator catalogue.

    The units ``zone_stats`` carries win (the catalogue the statistics were cleaned with); the
    shipped catalogue fills indicators the table has no unit for.
    """
    units = {code: ind.unit for code, ind in load_indicator_catalogue().items()}
    if "unit" in stats.columns:
        units |= stats.drop_duplicates("indicator").set_index("indicator")["unit"].to_dict()
    return units


def _summarise_aggregates(
    agg_rows: pd.DataFrame, agg_draws: np.ndarray, targets: Targets
) -> tuple[np.ndarray, np.ndarray]:
    """QUANTILES ``(4, aggregates)`` and P(meet target) of the aggregates' summed draws."""
    if not len(agg_rows) or agg_draws.shape[1] == 0:
        return np.full((len(QUANTILES), len(agg_rows)), np.nan), np.full(len(agg_rows), np.nan)
    needed = _target_levels(agg_rows, agg_rows["prev_year_value"].to_numpy(float), targets)[2]
    with np.errstate(invalid="ignore"):
        meets = (agg_draws >= needed[:, None]).mean(axis=1)
    return np.quantile(agg_draws, QUANTILES, axis=1), meets


def _aggregate_rows(keys, ytd, prev, prev_same, point, agg_mape, draws, members):
    """Aggregate rows (member draws summed path by path) and their draws.

    ``keys``, ``ytd``, ``prev``, ``prev_same``, ``point`` and ``draws`` are the member rows only;
    ``agg_mape`` maps (aggregate, indicator) to the aggregate's backtest error.
    """
    aggs = sum_aggregates(keys, ytd, prev, prev_same, point, draws, members)
    agg_notes = []
    for row in aggs.keys.itertuples():
        text = f"由 {row.n_members} 个成员的模拟路径逐条加总（含共同年度误差）"
        if row.members_missing:
            text += f"；缺 {len(row.members_missing)} 个成员本期数据（{'、'.join(row.members_missing[:3])}）"
        agg_notes.append(text)
    agg_rows = pd.DataFrame(
        {
            "zone_id": aggs.keys["zone_id"],
            "indicator": aggs.keys["indicator"],
            "is_aggregate": True,
            "ytd_value": aggs.ytd,
            "prev_year_value": aggs.prev_year_end,
            "prev_same": aggs.prev_same_period,
            "projected_value": aggs.point,
            "method": "成员模拟路径加总",
            "backtest_mape_pct": [
                agg_mape.get((a, i), np.nan)
                for a, i in zip(aggs.keys["zone_id"], aggs.keys["indicator"])
            ],
            "backtest_mape_zone_pct": np.nan,
            "notes": agg_notes,
            "is_flow": (aggs.keys["kind"] == "ytd_flow").to_numpy(bool),
            "past_years": np.nan,
            "error_common_share": np.nan,
            "error_zone_share": np.nan,
        }
    )
    return agg_rows, aggs.draws


def _finish(
    out: pd.DataFrame,
    quantiles: np.ndarray,
    meets: np.ndarray,
    n_sims: int,
    targets: Targets,
    zones: pd.DataFrame,
    year: int,
    month: int,
    log: list[dict],
) -> pd.DataFrame:
    """Bounds, targets, P(meet), required growth, progress, names and the history flag.

    ``quantiles`` ``(4, rows)`` and ``meets`` ``(rows,)`` summarise each row's draws.
    """
    pt = out["projected_value"].to_numpy(float)
    lo95, lo80, hi80, hi95 = _bounds(quantiles, pt, n_sims)
    out["lower_80"], out["upper_80"], out["lower_95"], out["upper_95"] = lo80, hi80, lo95, hi95
    prev_all = out["prev_year_value"].to_numpy(float)
    level, growth, needed = _target_levels(out, prev_all, targets)
    out["target_value"] = level
    out["target_growth_pct"] = growth
    with np.errstate(invalid="ignore", divide="ignore"):
        out["projected_growth_pct"] = np.where(prev_all > 0, (pt / prev_all - 1.0) * 100.0, np.nan)
        meets = meets if n_sims else np.nan
    out["p_meet_target"] = np.where(np.isfinite(needed), meets, np.nan)
    ytd_all_rows = out["ytd_value"].to_numpy(float)
    out["required_growth_pct"] = compute_required_growth(
        ytd_all_rows, needed, prev_all, out["prev_same"].to_numpy(float), out["is_flow"].to_numpy()
    )
    out["time_progress_pct"] = compute_time_progress(month)
    out["task_progress_pct"] = compute_task_progress(ytd_all_rows, needed)
    names = zones.set_index("zone_id")["zone_name"].to_dict() | AGGREGATE_NAMES_ZH
    out["zone_name"] = out["zone_id"].map(names).fillna(out["zone_id"])
    example = out["zone_id"].map(targets.zone_is_example).eq(True)
    has_target = np.isfinite(level)
    out.loc[example & has_target, "notes"] = out.loc[example & has_target, "notes"].map(
        lambda n: "；".join([x for x in ["目标为示例", n] if x])
    )
    if targets.note:
        out["notes"] = out["notes"].map(lambda n: "；".join([x for x in [targets.note, n] if x]))
        log.append(
            {
                "zone_id": "",
                "indicator": "",
                "method": "",
                "event": "no_targets",
                "message": targets.note,
            }
        )
    out["past_years"] = out["past_years"].astype("Int64")
    out["no_past_year"] = (out["past_years"] == 0).astype("boolean")
    out["year"] = year
    out["month"] = month
    return out


def check_projections(frame: pd.DataFrame) -> None:
    """Sanity checks in the domain's words; raises if a projection is impossible.

    Raises
    ------
    InputDataError
        If a non-negative flow's projected year-end is below its year-to-date value, the interval
        bounds are out of order, a probability is outside [0, 1], or a zone's own backtest error
        is negative.
    """
    flow = frame.get("is_flow", pd.Series(True, index=frame.index)).astype(bool)
    below = flow & (frame["ytd_value"] >= 0) & (frame["lower_95"] < frame["ytd_value"] - 1e-9)
    if below.any():
        r = frame[below].iloc[0]
        raise InputDataError(
            f"预测年末值低于年初至今累计值：{r.zone_id} {r.indicator}",
            location=f"{r.zone_id}/{r.indicator}",
            hint="请检查该指标本年数据是否有误或被修订。",
        )
    cols = ["lower_95", "lower_80", "projected_value", "upper_80", "upper_95"]
    v = frame[cols].to_numpy(float)
    bad = ~(np.diff(v, axis=1) >= -1e-9).all(axis=1) & np.isfinite(v).all(axis=1)
    if bad.any():
        r = frame[bad].iloc[0]
        raise InputDataError(f"预测区间上下限次序错误：{r.zone_id} {r.indicator}")
    p = frame["p_meet_target"].dropna()
    if ((p < 0) | (p > 1)).any():
        raise InputDataError("完成目标概率不在 0-1 之间")
    own = frame.get("backtest_mape_zone_pct", pd.Series(dtype=float)).dropna()
    if (own < 0).any():
        r = frame.loc[own.index[own < 0][0]]
        raise InputDataError(f"本区回测误差为负：{r.zone_id} {r.indicator}")


def run_projection(
    period: str,
    *,
    processed: str | Path = paths.PROCESSED_DIR,
    targets_path: str | Path | None = None,
    zones_path: str | Path | None = None,
    n_sims: int = DEFAULT_SIMS,
    seed: int = DEFAULT_SEED,
) -> Path:
    """Read ``zone_stats.parquet``, project ``period`` and write the projections table.

    Parameters
    ----------
    period
        ``YYYY-MM``.
    processed
        Folder with ``zone_stats.parquet``; the outputs go there too.
    targets_path, zones_path
        Reference files (the shipped ones by default). ``targets_path`` is the folder of per-year
        targets files (or one file); the period's year is looked up, and a year without a file
        gives projections without targets (a note in ``notes`` and in the log).
    n_sims, seed
        Simulation settings.

    Returns
    -------
    Path
        ``processed/projections_YYYY-MM.parquet`` (written atomically). The method log goes to
        ``processed/projection_log_YYYY-MM.csv``.

    Raises
    ------
    PeriodError
        If the period is malformed, January, in the future, or has no data.
    InputDataError
        If the statistics table is missing or unreadable.
    """
    year, month = parse_period(period)
    processed = Path(processed)
    source = processed / paths.ZONE_STATS_NAME
    if not source.exists():
        raise InputDataError(
            "找不到已处理的统计表", file=source, hint="请先运行 zoneanalysis clean。"
        )
    try:
        stats = pd.read_parquet(source)
    except (OSError, ValueError) as exc:
        raise InputDataError(f"无法读取统计表：{exc}", file=source) from None
    require_period_in_data(stats, year, month, str(source))
    zones = load_zones(zones_path)
    targets = find_targets(targets_path, year, zones=zones)
    log: list[dict] = []
    frame = project_year_end(
        stats, year, month, targets=targets, zones=zones, n_sims=n_sims, seed=seed, log=log
    )
    label = format_period(year, month)
    target = paths.projections_path(processed, label)
    log_frame = pd.DataFrame(log, columns=LOG_COLUMNS)
    log_file = processed / f"projection_log_{label}.csv"
    validate_table(frame, "projections", file=target)
    validate_table(log_frame, "projection_log", file=log_file)
    write_csv_atomic(log_frame, log_file)
    return write_parquet_atomic(frame, target)
