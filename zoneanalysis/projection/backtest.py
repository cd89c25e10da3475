"""Rolling-origin backtest: how good each method was in past years at every month.

For every past year with a year-end actual and every month, each method projects the year-end from
the data available then (earlier years complete, that year up to the month). The errors give each
method's MAPE and, per indicator and month, the combination weights (inverse MAPE), the spread of
the combined projection's log error (for its intervals) and how often those intervals covered the
outcome. Weights and spreads used to score a year are estimated without that year.

Run ``python -m zoneanalysis.projection.backtest --write-docs`` to regenerate docs/backtest.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from zoneanalysis.projection.bias import (
    BiasModel,
    correct_rows_out_of_sample,
    fit_bias_model,
)
from zoneanalysis.projection.combine import inverse_mape_weights
from zoneanalysis.projection.ets import ETS, EtsCache, project_ets
from zoneanalysis.projection.history import MONTHLY, Panel
from zoneanalysis.projection.methods import (
    CARRY_GROWTH,
    REMAINDER_GROWTH,
    RUN_RATE,
    SEASONAL_SHARE,
    project_carry_growth,
    project_remainder_growth,
    project_run_rate,
    project_seasonal_share,
)
from zoneanalysis.projection.settings import DEFAULT_SETTINGS, ProjectionSettings
from zoneanalysis.projection.spread import (
    MIN_ERRORS,
    Z80,
    SpreadModel,
    combine_matrix,
    label_families,
    quantile_spread,
    weight_matrix,
)

Z95 = 1.959963984540054
DEFAULT_SIGMA = DEFAULT_SETTINGS.default_sigma
DEFAULT_RHO = DEFAULT_SETTINGS.default_common_share
COMBINED = "combined"
CANDIDATES = tuple(DEFAULT_SETTINGS.candidates)
BACKTEST_SIMS = DEFAULT_SETTINGS.backtest_sims
PointMethod = Callable[[Panel, int, int], np.ndarray]
POINT_METHODS: dict[str, PointMethod] = {
    SEASONAL_SHARE: project_seasonal_share,
    CARRY_GROWTH: project_carry_growth,
    RUN_RATE: project_run_rate,
    REMAINDER_GROWTH: project_remainder_growth,
}


def log_errors(
    actual: np.ndarray, point: np.ndarray, ytd: np.ndarray, is_flow: np.ndarray
) -> np.ndarray:
    """Log error of a projection: of the remainder (year-end − YTD) for flows, of the level for stocks.

    NaN where a remainder or level is not positive (the log is undefined).
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        flow = np.log((actual - ytd) / (point - ytd))
        stock = np.log(actual / point)
        ok_flow = (actual - ytd > 0) & (point - ytd > 0)
        ok_stock = (actual > 0) & (point > 0)
    return np.where(is_flow, np.where(ok_flow, flow, np.nan), np.where(ok_stock, stock, np.nan))


def collect_backtest(
    panel: Panel,
    t_end: int,
    months: Sequence[int],
    methods: dict[str, PointMethod] | None = None,
) -> pd.DataFrame:
    """Project every past year at every month with every method.

    Parameters
    ----------
    panel
        The series.
    t_end
        Index of the first year not to test (the projected year).
    months
        Origins to test (2-11).
    methods
        Name → point method; :data:`POINT_METHODS` by default.

    Returns
    -------
    pandas.DataFrame
        One row per series × year × month × method with a YTD value and a year-end actual:
        ``series``, ``zone_id``, ``indicator``, ``kind``, ``year``, ``month``, ``method``,
        ``ytd``, ``actual``, ``point`` (NaN where the method could not run), ``ape``, ``log_err``.
    """
    methods = methods or POINT_METHODS
    parts = []
    for j in range(1, t_end):
        actual = panel.cum[:, j, 12]
        for m in months:
            ytd = panel.cum[:, j, m]
            rows = np.flatnonzero(np.isfinite(ytd) & np.isfinite(actual) & (np.abs(actual) > 1e-9))
            if rows.size == 0:
                continue
            for name, method in methods.items():
                point = method(panel, j, m)[rows]
                parts.append(
                    pd.DataFrame(
                        {
                            "series": rows,
                            "year": int(panel.years[j]),
                            "month": m,
                            "method": name,
                            "ytd": ytd[rows],
                            "actual": actual[rows],
                            "prev_end": panel.cum[rows, j - 1, 12],
                            "point": point,
                        }
                    )
                )
    columns = ["series", "year", "month", "method", "ytd", "actual", "prev_end", "point"]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return _score(frame, panel)


def _score(frame: pd.DataFrame, panel: Panel) -> pd.DataFrame:
    keys = panel.keys.iloc[frame["series"].to_numpy(int)]
    frame["zone_id"] = keys["zone_id"].to_numpy()
    frame["indicator"] = keys["indicator"].to_numpy()
    frame["kind"] = keys["kind"].to_numpy()
    frame["frequency"] = keys["frequency"].to_numpy()
    return rescore(frame)


def rescore(frame: pd.DataFrame) -> pd.DataFrame:
    """(Re)compute ``ape``, ``pe`` (signed % error, point − actual) and ``log_err`` in place."""
    actual = frame["actual"].to_numpy(float)
    point = frame["point"].to_numpy(float)
    frame["pe"] = (point - actual) / np.abs(actual) * 100.0
    frame["ape"] = np.abs(frame["pe"])
    frame["log_err"] = log_errors(
        actual, point, frame["ytd"].to_numpy(float), (frame["kind"] == "ytd_flow").to_numpy()
    )
    return frame


def _sigma(errors: np.ndarray) -> float:
    """Spread whose normal 80 % interval covers 80 % of the errors (robust to heavy tails)."""
    return quantile_spread(np.abs(errors))


Group = tuple[str, str]  # (indicator, frequency): monthly and quarterly series are weighed apart


@dataclass
class Calibration:
    """What the backtest says about one month of the year, per indicator × frequency.

    Attributes
    ----------
    weights
        Group → method → weight of the combination (∝ 1 / loss², loss = MAPE + |mean error|).
    sigma
        (Group, family of methods) → spread of the combined projection's log error (lognormal
        intervals), for the families seen in the backtest; others via
        :meth:`BacktestResult.sigma_for`.
    rho
        Group → share of that error common to all series (cross-zone correlation).
    ets_scale
        Group → factor on the ETS paths' spread so that, centred on the combined point, they
        cover 80 % of the backtest outcomes (only monthly groups where ETS ran).
    ets_rho
        Group → common share of the errors measured in ETS spreads.
    mape
        Group → method (and ``combined``) → MAPE %.
    bias
        Group → method → log bias to add to the method's point (shrunk; all tested years).
    """

    weights: dict[Group, dict[str, float]]
    sigma: dict[tuple[Group, str], float]
    rho: dict[Group, float]
    ets_scale: dict[Group, float]
    ets_rho: dict[Group, float]
    mape: dict[Group, dict[str, float]]
    bias: dict[Group, dict[str, float]] = field(default_factory=dict)


def _group_weights(
    rows: pd.DataFrame, candidates: Sequence[str], settings: ProjectionSettings = DEFAULT_SETTINGS
) -> dict[str, float]:
    """Weights ∝ 1 / loss², loss = MAPE + λ·|mean signed % error|, on common projections.

    The loss punishes a method that leans one way as well as one that scatters (λ is
    ``settings.bias_weight``).

    Methods that need more history (seasonal share, ETS) are not compared with the others on
    the harder early years they skip: MAPEs come from the rows where all methods with any point
    in the group ran, unless those are fewer than ``MIN_ERRORS``.
    """
    rows = rows[rows["method"].isin(candidates) & rows["ape"].notna()]
    key = rows["series"].to_numpy(np.int64) * 10_000 + rows["year"].to_numpy(np.int64)
    n_methods = rows["method"].nunique()
    uniq, counts = np.unique(key, return_counts=True)
    common = np.isin(key, uniq[counts == n_methods])
    use = rows[common] if (counts == n_methods).sum() >= MIN_ERRORS else rows
    stats = use.groupby("method").agg(mape=("ape", "mean"), bias=("pe", "mean"))
    loss = stats["mape"] + settings.bias_weight * stats["bias"].abs()
    return inverse_mape_weights({k: float(v) for k, v in loss.items()}, settings.weight_power)


BASE_COLUMNS = [
    "series",
    "zone_id",
    "indicator",
    "kind",
    "frequency",
    "year",
    "month",
    "ytd",
    "actual",
    "prev_end",
]


def _wide_points(bt: pd.DataFrame, methods: Sequence[str]) -> pd.DataFrame:
    """One row per series × year × month: the base columns, each method's point and ``ets_sd``."""
    keys = ["series", "year", "month"]
    base = bt.drop_duplicates(keys)[BASE_COLUMNS]
    points = bt.pivot(index=keys, columns="method", values="point")
    wide = base.merge(points.reset_index(), on=keys, how="left")
    if "ets_sd" in bt:
        sd = bt.loc[bt["method"] == ETS, [*keys, "ets_sd"]]
        wide = wide.merge(sd, on=keys, how="left")
    else:
        wide["ets_sd"] = np.nan
    for m in methods:
        if m not in wide:
            wide[m] = np.nan
    return wide.dropna(subset=["actual"]).reset_index(drop=True)


def _combine_frame(
    wide: pd.DataFrame, methods: Sequence[str], weights_for: Callable[[str, str, int, int], dict]
) -> pd.DataFrame:
    """Combined backtest points, one row per series × year × month.

    Besides the point: ``family`` (the methods that took part, see
    :mod:`zoneanalysis.projection.spread`), ``ets_sd`` and ``ets_err`` (error in ETS spreads).
    """
    methods = list(methods)
    weights = weight_matrix(wide, methods, lambda k: weights_for(*k))
    point, used = combine_matrix(
        wide[methods].to_numpy(float), weights, wide[RUN_RATE].to_numpy(float)
    )
    frame = wide[[*BASE_COLUMNS, "ets_sd"]].assign(
        method=COMBINED, point=point, family=label_families(used, methods, RUN_RATE)
    )
    actual = frame["actual"].to_numpy(float)
    rescore(frame)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = frame["ets_sd"].to_numpy(float)
        frame["ets_err"] = np.where(sd > 0, (actual - frame["point"]) / sd, np.nan)
    return frame


def _estimate_rho(
    errors: pd.DataFrame, column: str = "log_err", settings: ProjectionSettings = DEFAULT_SETTINGS
) -> float:
    """Common share of the errors: variance of the (year, month) mean error over the total.

    The errors are out of sample (each year corrected with the other years' bias only), so a
    lean that all zones share in a year is common error, not a known bias: the year-month means
    are taken around zero, not around their overall mean (which would absorb a common lean and
    give ρ ≈ 0 when only one or two years are tested). Method of moments:
    E[mean²] = τ² + σ²_within / n, ρ = τ² / (τ² + σ²_within).
    """
    e = errors.dropna(subset=[column])
    if len(e) < settings.min_errors or e[column].var() <= 0:
        return settings.default_common_share
    groups = e.groupby(["year", "month"])[column]
    n = groups.size()
    ok = n >= 3
    if not ok.any():
        return settings.default_common_share
    mean = groups.mean()[ok]
    within = groups.var()[ok]
    var_within = float(np.average(within, weights=n[ok] - 1))
    var_common = max(float(np.mean(mean**2 - var_within / n[ok])), 0.0)
    total = var_common + var_within
    if total <= 0:
        return settings.default_common_share
    return float(np.clip(var_common / total, 0.0, settings.max_common_share))


def _sigma_for(
    errors: pd.DataFrame, group: Group, kind: str, month: int, column: str = "log_err"
) -> float:
    """Spread for one group and month, pooling wider when errors are few (NaN if none)."""
    ind, freq = group
    same_month = errors["month"] == month
    for mask in (
        (errors["indicator"] == ind) & (errors["frequency"] == freq) & same_month,
        (errors["indicator"] == ind) & same_month,
        (errors["kind"] == kind) & same_month,
        same_month,
    ):
        s = _sigma(errors.loc[mask, column].to_numpy(float))
        if np.isfinite(s):
            return s
    return np.nan


@dataclass
class BacktestResult:
    """Backtest rows (every method and the combination) and the calibration at each month."""

    rows: pd.DataFrame
    calibration: dict[int, Calibration]
    spread: SpreadModel | None = None
    bias: BiasModel | None = None

    def sigma_for(self, group: Group, kind: str, month: int, family: str) -> float:
        """Spread of the log error for projecting the next year with ``family`` (NaN if unknown).

        Estimated on all tested years with the weights of :attr:`calibration`; see
        :mod:`zoneanalysis.projection.spread`.
        """
        if self.spread is None:
            return np.nan
        return self.spread.sigma(group, kind, month, family)

    def common_share(
        self,
        indicator: str,
        frequency: str,
        held_out: int | None = None,
        settings: ProjectionSettings = DEFAULT_SETTINGS,
    ) -> float:
        """ρ of an indicator × frequency from the combined errors, without ``held_out``."""
        key = (indicator, frequency, held_out)
        cache = self.__dict__.setdefault("_rho_cache", {})
        if key not in cache:
            r = self.rows
            sel = (
                (r["method"] == COMBINED)
                & (r["indicator"] == indicator)
                & (r["frequency"] == frequency)
            )
            if held_out is not None:
                sel &= r["year"] != held_out
            cache[key] = _estimate_rho(r[sel], settings=settings)
        return cache[key]

    def summary(self, rows: pd.DataFrame | None = None) -> pd.DataFrame:
        """MAPE per method and month, and the combined intervals' coverage.

        Parameters
        ----------
        rows
            A subset of :attr:`rows` (default: all).

        Returns
        -------
        pandas.DataFrame
            One row per month: ``n`` (projections scored), ``mape_<method>`` for each method and
            ``coverage_80`` / ``coverage_95`` (% of outcomes inside the combined intervals),
            ``bias_pct`` (mean signed % error of the combination), ``miss_above_80`` /
            ``miss_below_80`` (% of outcomes above / below the 80 % interval) and
            ``mape_raw_<method>`` (the methods before bias correction: the baselines).
        """
        r = self.rows if rows is None else rows
        mape = r.pivot_table(index="month", columns="method", values="ape", aggfunc="mean")
        mape.columns = [f"mape_{c}" for c in mape.columns]
        comb = r[r["method"] == COMBINED].assign(
            above=lambda f: f["pit"] > 0.9, below=lambda f: f["pit"] < 0.1
        )
        cov = comb.groupby("month").agg(
            n=("ape", "size"),
            coverage_80=("covered_80", "mean"),
            coverage_95=("covered_95", "mean"),
            bias_pct=("pe", "mean"),
            miss_above_80=("above", "mean"),
            miss_below_80=("below", "mean"),
        )
        cols = ["coverage_80", "coverage_95", "miss_above_80", "miss_below_80"]
        cov[cols] *= 100.0
        if "ape_raw" in r:
            raw = r.pivot_table(index="month", columns="method", values="ape_raw", aggfunc="mean")
            raw.columns = [f"mape_raw_{c}" for c in raw.columns]
            cov = cov.join(raw)
        return cov.join(mape).reset_index()

    def summary_ets_rows(self) -> pd.DataFrame:
        """:meth:`summary` on the projections where ETS ran (same rows for every method)."""
        keys = ["series", "year", "month"]
        r = self.rows
        ran = r.loc[(r["method"] == ETS) & r["point"].notna(), keys]
        return self.summary(r.merge(ran, on=keys))

    def summary_by_indicator(self) -> pd.DataFrame:
        """MAPE per indicator and method (all months), and the combined 80 % coverage."""
        r = self.rows
        mape = r.pivot_table(index="indicator", columns="method", values="ape", aggfunc="mean")
        mape.columns = [f"mape_{c}" for c in mape.columns]
        comb = r[r["method"] == COMBINED].assign(
            above=lambda f: f["pit"] > 0.9, below=lambda f: f["pit"] < 0.1
        )
        cov = comb.groupby("indicator").agg(
            n=("ape", "size"),
            coverage_80=("covered_80", "mean"),
            bias_pct=("pe", "mean"),
            miss_above_80=("above", "mean"),
            miss_below_80=("below", "mean"),
        )
        cov[["coverage_80", "miss_above_80", "miss_below_80"]] *= 100.0
        return cov.join(mape).reset_index()

    def summary_by_family(self) -> pd.DataFrame:
        """Per frequency and family of combined methods (i.e. history length): n, MAPE, coverage."""
        comb = self.rows[self.rows["method"] == COMBINED]
        out = comb.groupby(["frequency", "family"]).agg(
            n=("ape", "size"),
            mape_combined=("ape", "mean"),
            coverage_80=("covered_80", "mean"),
            coverage_95=("covered_95", "mean"),
        )
        out[["coverage_80", "coverage_95"]] *= 100.0
        return out.reset_index()


def _coverage(combined: pd.DataFrame, spread: SpreadModel) -> pd.DataFrame:
    """Out-of-sample coverage: spreads for a year are estimated on the other years.

    Rows with ETS paths are scored in ETS spreads (scaled as in the projection), the others
    with the lognormal spread of their family of methods.
    """
    kind_of = dict(zip(combined["indicator"], combined["kind"]))
    sigma = np.full(len(combined), np.nan)
    scale = np.full(len(combined), np.nan)
    others_of = {}
    for (ind, freq, year, month, family), g in combined.groupby(
        ["indicator", "frequency", "year", "month", "family"]
    ):
        pos = combined.index.get_indexer(g.index)
        s = spread.sigma((ind, freq), kind_of[ind], month, family, held_out=year)
        sigma[pos] = s if np.isfinite(s) else DEFAULT_SIGMA
        if g["ets_err"].notna().any():
            if year not in others_of:
                others = combined[combined["year"] != year]
                others_of[year] = others if len(others) else combined
            scale[pos] = _sigma_for(others_of[year], (ind, freq), kind_of[ind], month, "ets_err")
    out = combined.copy()
    err = np.abs(out["log_err"].to_numpy(float))
    u = np.abs(out["ets_err"].to_numpy(float))
    exact = np.isclose(out["point"], out["actual"], rtol=1e-9)
    use_ets = np.isfinite(u) & np.isfinite(scale)
    for level, z in (("80", Z80), ("95", Z95)):
        lognormal = np.where(np.isfinite(err), err <= z * sigma, exact)
        out[f"covered_{level}"] = np.where(use_ets, u <= z * scale, lognormal)
    # The predictive distribution of each row (for misses by side and P(meet target)).
    out["sigma_log"] = np.where(use_ets, np.nan, sigma)
    out["sd_abs"] = np.where(use_ets, scale * out["ets_sd"].to_numpy(float), np.nan)
    out["pit"] = predictive_cdf(out, out["actual"].to_numpy(float))
    return out


def predictive_cdf(rows: pd.DataFrame, value: np.ndarray) -> np.ndarray:
    """P(year-end ≤ value) under each backtest row's predictive distribution.

    Rows with ``sd_abs`` are normal around the point with that spread (ETS-shaped intervals);
    the others lognormal on the remainder (flows) or the level (stocks) with ``sigma_log``.
    Flows cannot end below their year-to-date value (probability 0 below it).
    """
    from scipy.special import ndtr

    point = rows["point"].to_numpy(float)
    ytd = rows["ytd"].to_numpy(float)
    is_flow = (rows["kind"] == "ytd_flow").to_numpy()
    sd = rows["sd_abs"].to_numpy(float)
    sigma = rows["sigma_log"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        normal = ndtr((value - point) / sd)
        base = np.where(is_flow, ytd, 0.0)
        ratio = (value - base) / (point - base)
        lognormal = np.where(ratio > 0, ndtr(np.log(np.where(ratio > 0, ratio, 1.0)) / sigma), 0.0)
    cdf = np.where(np.isfinite(sd) & (sd > 0), normal, lognormal)
    floor = is_flow & (ytd >= 0) & (value < ytd)
    return np.where(floor, 0.0, cdf)


def run_backtest(
    panel: Panel,
    t_end: int,
    months: Sequence[int] = tuple(range(2, 12)),
    *,
    candidates: Sequence[str] = CANDIDATES,
    extra_rows: pd.DataFrame | None = None,
    ets_cache: EtsCache | None = None,
    log: list[dict] | None = None,
    settings: ProjectionSettings = DEFAULT_SETTINGS,
) -> BacktestResult:
    """Backtest all methods, correct their bias, combine them, and calibrate the intervals.

    Each method's points are first corrected by its bias measured on the *other* tested years
    (:mod:`zoneanalysis.projection.bias`); weights, spreads and coverage then work on the
    corrected points, so every figure is out of sample.

    Parameters
    ----------
    panel
        The series.
    t_end
        Index of the projected year; years before it with a year-end are tested.
    months
        Origins to test.
    candidates
        Methods that enter the combination (the run rate is the fallback and the baseline).
        With :data:`ETS` among them, the monthly series are also projected with ETS.
    extra_rows
        Backtest rows of further methods in the format of :func:`collect_backtest`.
    ets_cache, log
        Reused ETS fits, and the method log (ETS fallbacks and warnings).
    settings
        Loss weights, shrinkage, fall-backs (:class:`ProjectionSettings`).

    Returns
    -------
    BacktestResult
        Rows (with ``covered_80`` / ``covered_95`` for the combination, scored out of sample: the
        weights and spreads used for a year come from the other years) and, per month, the
        calibration estimated on all tested years (for projecting year ``t_end``).
    """
    bt = _collect_rows(panel, t_end, months, candidates, extra_rows, ets_cache, log)
    if bt.empty:
        return BacktestResult(bt.assign(covered_80=False, covered_95=False), {})
    bt = bt.assign(point_raw=bt["point"], ape_raw=bt["ape"])
    bias_model = fit_bias_model(bt, settings)
    bt = rescore(correct_rows_out_of_sample(bt, bias_model))
    weights = _GroupWeights(bt, candidates, settings)
    methods = [c for c in candidates if c in set(bt["method"])]
    if RUN_RATE not in methods:
        methods.append(RUN_RATE)
    wide = _wide_points(bt, methods)
    spread = SpreadModel(wide, tuple(methods), weights, log_errors)
    combined = _coverage(_combine_frame(wide, methods, weights), spread)
    full = _combine_frame(
        wide, methods, lambda ind, freq, year, month: weights(ind, freq, None, month)
    )
    fit = _MonthFit(
        full=full,
        combined=combined,
        spread=spread,
        weights=weights,
        methods=methods,
        bias=bias_model.table(),
        kind_of=dict(zip(bt["indicator"], bt["kind"])),
        settings=settings,
    )
    calibration = {month: fit.calibrate(month) for month in months}
    rows = pd.concat([bt.assign(covered_80=np.nan, covered_95=np.nan), combined], ignore_index=True)
    return BacktestResult(rows, calibration, spread, bias_model)


def _collect_rows(
    panel: Panel,
    t_end: int,
    months: Sequence[int],
    candidates: Sequence[str],
    extra_rows: pd.DataFrame | None,
    ets_cache: EtsCache | None,
    log: list[dict] | None,
) -> pd.DataFrame:
    """The backtest rows of the vectorised methods, of ETS (when a candidate) and any extra."""
    bt = collect_backtest(panel, t_end, months)
    if ETS in candidates:
        extra = collect_ets_backtest(panel, t_end, months, cache=ets_cache, log=log)
        extra_rows = pd.concat([extra_rows, extra]) if extra_rows is not None else extra
    if extra_rows is not None and not extra_rows.empty:
        bt = pd.concat([bt, extra_rows], ignore_index=True)
    return bt


class _GroupWeights:
    """Combination weights per (indicator, frequency, month), on all years or leaving one out.

    Called as ``weights(indicator, frequency, held_out, month)``: ``held_out=None`` gives the
    weights estimated on every tested year; a year gives them without that year (cached), and
    with no other year the weights a projection without a backtest would use.
    """

    def __init__(
        self, bt: pd.DataFrame, candidates: Sequence[str], settings: ProjectionSettings
    ) -> None:
        self.by_group = {k: g for k, g in bt.groupby(["indicator", "frequency", "month"])}
        self.candidates, self.settings = candidates, settings
        self.all = {k: _group_weights(g, candidates, settings) for k, g in self.by_group.items()}
        self.fallback = {k: w for k, w in settings.no_backtest_weights.items() if k in candidates}
        self._held_out: dict[tuple, dict[str, float]] = {}

    def __call__(self, ind: str, freq: str, held_out: int | None, month: int) -> dict[str, float]:
        if held_out is None:
            return self.all.get((ind, freq, month), {})
        key = (ind, freq, held_out, month)
        if key not in self._held_out:
            g = self.by_group.get((ind, freq, month))
            others = g[g["year"] != held_out] if g is not None else None
            if others is None:
                self._held_out[key] = {}
            elif len(others):
                self._held_out[key] = _group_weights(others, self.candidates, self.settings)
            else:  # no other year: score it as the projection would run without a backtest
                self._held_out[key] = dict(self.fallback)
        return self._held_out[key]


@dataclass
class _MonthFit:
    """What the calibration of each origin month is estimated from (all tested years)."""

    full: pd.DataFrame
    combined: pd.DataFrame
    spread: SpreadModel
    weights: _GroupWeights
    methods: list[str]
    bias: dict
    kind_of: dict[str, str]
    settings: ProjectionSettings

    def calibrate(self, month: int) -> Calibration:
        """Weights, spreads, correlations, biases and errors of every group at ``month``."""
        full, kind_of = self.full, self.kind_of
        groups = sorted({(ind, freq) for (ind, freq, mo) in self.weights.by_group if mo == month})
        in_group = {
            gr: (full["indicator"] == gr[0]) & (full["frequency"] == gr[1]) for gr in groups
        }
        at_month = full["month"] == month
        sigma = {
            (gr, fam): self.spread.sigma(gr, kind_of[gr[0]], month, fam)
            for gr in groups
            for fam in full.loc[in_group[gr] & at_month, "family"].unique()
        }
        ets_scale = {
            gr: _sigma_for(full, gr, kind_of[gr[0]], month, "ets_err")
            for gr in groups
            if full.loc[in_group[gr] & at_month, "ets_err"].notna().any()
        }
        return Calibration(
            weights={gr: self.weights.all[(*gr, month)] for gr in groups},
            sigma={k: s if np.isfinite(s) else DEFAULT_SIGMA for k, s in sigma.items()},
            rho={gr: _estimate_rho(full[in_group[gr]], settings=self.settings) for gr in groups},
            ets_scale={gr: s for gr, s in ets_scale.items() if np.isfinite(s)},
            ets_rho={
                gr: _estimate_rho(full[in_group[gr]], "ets_err", self.settings) for gr in ets_scale
            },
            bias={
                gr: {m: float(self.bias.get((m, *gr, month), 0.0)) for m in self.methods}
                for gr in groups
            },
            mape={gr: self._mape(gr, month) for gr in groups},
        )

    def _mape(self, gr: tuple[str, str], month: int) -> dict[str, float]:
        """Each method's and the combination's mean absolute percentage error in the group."""
        c = self.combined
        at = (c["indicator"] == gr[0]) & (c["frequency"] == gr[1]) & (c["month"] == month)
        by_method = self.weights.by_group[(*gr, month)].groupby("method")["ape"].mean()
        return {**by_method.to_dict(), COMBINED: float(c.loc[at, "ape"].mean())}


def collect_ets_backtest(
    panel: Panel,
    t_end: int,
    months: Sequence[int],
    *,
    cache: EtsCache | None = None,
    log: list[dict] | None = None,
    n_sims: int = BACKTEST_SIMS,
) -> pd.DataFrame:
    """Backtest rows of the statsmodels ETS method on every monthly series.

    One fit per series and tested year (cached), then a cheap filter per month. Years without two
    complete earlier years give no ETS point (the other methods cover them). Besides the point,
    ``ets_sd`` holds the spread of the simulated year-ends (for the combined intervals).
    """
    cache = cache if cache is not None else EtsCache()
    sink: list[dict] = []  # past-year fallbacks are not news for this period's log
    rows = np.flatnonzero((panel.keys["frequency"] == MONTHLY).to_numpy())
    parts = []
    for j in range(1, t_end):
        actual = panel.cum[:, j, 12]
        for m in months:
            ok = rows[np.isfinite(panel.cum[rows, j, m]) & np.isfinite(actual[rows])]
            ok = ok[np.abs(actual[ok]) > 1e-9]
            if ok.size == 0:
                continue
            point, sims = project_ets(panel, j, m, ok, n_sims=n_sims, log=sink, cache=cache)
            ran = np.isfinite(point)
            sd = np.full(ok.size, np.nan)
            if n_sims > 1 and ran.any():
                sd[ran] = sims[ran].std(axis=1)
            parts.append(
                pd.DataFrame(
                    {
                        "series": ok,
                        "year": int(panel.years[j]),
                        "month": m,
                        "method": ETS,
                        "ytd": panel.cum[ok, j, m],
                        "actual": actual[ok],
                        "prev_end": panel.cum[ok, j - 1, 12],
                        "point": point,
                        "ets_sd": sd,
                    }
                )
            )
    if log is not None:
        log.extend(e for e in sink if e["event"] in ("warning", "fit_failed"))
    if not parts:
        return pd.DataFrame()
    return _score(pd.concat(parts, ignore_index=True), panel)


def write_backtest_docs(out: Path, *, with_ets: bool = True) -> Path:
    """Regenerate docs/backtest.md (see :func:`zoneanalysis.projection.backtest_docs.write_docs`)."""
    from zoneanalysis.projection.backtest_docs import write_docs

    return write_docs(out, with_ets=with_ets)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="年末预测回测：生成 docs/backtest.md")
    parser.add_argument("--write-docs", action="store_true", help="重新生成 docs/backtest.md")
    parser.add_argument("--no-ets", action="store_true", help="不回测 statsmodels ETS（更快）")
    parser.add_argument("--out", type=Path, default=Path("docs/backtest.md"))
    args = parser.parse_args()
    if args.write_docs:
        print(f"已写入 {write_backtest_docs(args.out, with_ets=not args.no_ets)}")
