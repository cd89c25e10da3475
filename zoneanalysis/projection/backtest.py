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
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from zoneanalysis.projection.combine import combine_points, inverse_mape_weights
from zoneanalysis.projection.history import Panel, build_panel
from zoneanalysis.projection.methods import (
    CARRY_GROWTH,
    RUN_RATE,
    SEASONAL_SHARE,
    project_carry_growth,
    project_run_rate,
    project_seasonal_share,
)

Z80 = 1.2815515655446004
Z95 = 1.959963984540054
MIN_ERRORS = 8  # fewer errors in a group: pool wider
DEFAULT_SIGMA = 0.3
DEFAULT_RHO = 0.5
COMBINED = "combined"
CANDIDATES = (SEASONAL_SHARE, CARRY_GROWTH, RUN_RATE)
PointMethod = Callable[[Panel, int, int], np.ndarray]
POINT_METHODS: dict[str, PointMethod] = {
    SEASONAL_SHARE: project_seasonal_share,
    CARRY_GROWTH: project_carry_growth,
    RUN_RATE: project_run_rate,
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
                            "point": point,
                        }
                    )
                )
    columns = ["series", "year", "month", "method", "ytd", "actual", "point"]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return _score(frame, panel)


def _score(frame: pd.DataFrame, panel: Panel) -> pd.DataFrame:
    keys = panel.keys.iloc[frame["series"].to_numpy(int)]
    frame["zone_id"] = keys["zone_id"].to_numpy()
    frame["indicator"] = keys["indicator"].to_numpy()
    frame["kind"] = keys["kind"].to_numpy()
    actual = frame["actual"].to_numpy(float)
    point = frame["point"].to_numpy(float)
    frame["ape"] = np.abs(point - actual) / np.abs(actual) * 100.0
    frame["log_err"] = log_errors(
        actual, point, frame["ytd"].to_numpy(float), (frame["kind"] == "ytd_flow").to_numpy()
    )
    return frame


def _sigma(errors: np.ndarray) -> float:
    """Spread whose normal 80 % interval covers 80 % of the errors (robust to heavy tails)."""
    errors = errors[np.isfinite(errors)]
    if errors.size < MIN_ERRORS:
        return np.nan
    return float(np.quantile(np.abs(errors), 0.8) / Z80)


@dataclass
class Calibration:
    """What the backtest says about one month of the year.

    Attributes
    ----------
    weights
        Indicator → method → weight of the combination (inverse MAPE, summing to 1).
    sigma
        Indicator → spread of the combined projection's log error.
    rho
        Indicator → share of that error common to all series (cross-zone correlation).
    mape
        Indicator → method (and ``combined``) → MAPE %.
    """

    weights: dict[str, dict[str, float]]
    sigma: dict[str, float]
    rho: dict[str, float]
    mape: dict[str, dict[str, float]]


def _group_weights(rows: pd.DataFrame, candidates: Sequence[str]) -> dict[str, float]:
    mape = rows[rows["method"].isin(candidates)].groupby("method")["ape"].mean()
    return inverse_mape_weights({k: float(v) for k, v in mape.items()})


def _combine_frame(bt: pd.DataFrame, weights_for: Callable[[str, int, int], dict]) -> pd.DataFrame:
    """Combined backtest points, one row per series × year × month."""
    base_cols = ["series", "zone_id", "indicator", "kind", "year", "month", "ytd", "actual"]
    base = bt.drop_duplicates(["series", "year", "month"])[base_cols]
    points = bt.pivot(index=["series", "year", "month"], columns="method", values="point")
    wide = base.merge(points.reset_index(), on=["series", "year", "month"], how="left")
    wide = wide.dropna(subset=["actual"])
    out = []
    for (ind, year, month), g in wide.groupby(["indicator", "year", "month"], sort=False):
        w = weights_for(ind, year, month)
        points = {k: g[k].to_numpy(float) for k in w if k in g}
        combined, _ = combine_points(points, w, g[RUN_RATE].to_numpy(float))
        part = g[["series", "zone_id", "indicator", "kind", "year", "month", "ytd", "actual"]]
        out.append(part.assign(method=COMBINED, point=combined))
    frame = pd.concat(out, ignore_index=True)
    actual = frame["actual"].to_numpy(float)
    frame["ape"] = np.abs(frame["point"] - actual) / np.abs(actual) * 100.0
    frame["log_err"] = log_errors(
        actual,
        frame["point"].to_numpy(float),
        frame["ytd"].to_numpy(float),
        (frame["kind"] == "ytd_flow").to_numpy(),
    )
    return frame


def _estimate_rho(errors: pd.DataFrame) -> float:
    """Intra-class correlation of log errors within (year, month): the common share."""
    e = errors.dropna(subset=["log_err"])
    if len(e) < MIN_ERRORS or e["log_err"].var() <= 0:
        return DEFAULT_RHO
    groups = e.groupby(["year", "month"])["log_err"]
    n = groups.size()
    between = groups.mean()
    within = groups.var().fillna(0.0)
    ok = n >= 3
    if ok.sum() < 2:
        return DEFAULT_RHO
    var_between = float(np.average((between[ok] - e["log_err"].mean()) ** 2, weights=n[ok]))
    var_within = float(np.average(within[ok], weights=n[ok]))
    var_common = max(var_between - var_within / float(n[ok].mean()), 0.0)
    return float(np.clip(var_common / (var_common + var_within), 0.0, 0.95))


def _sigma_for(errors: pd.DataFrame, ind: str, kind: str, month: int) -> float:
    """Spread for one indicator and month, pooling wider when errors are few."""
    for mask in (
        (errors["indicator"] == ind) & (errors["month"] == month),
        (errors["kind"] == kind) & (errors["month"] == month),
        errors["month"] == month,
    ):
        s = _sigma(errors.loc[mask, "log_err"].to_numpy(float))
        if np.isfinite(s):
            return s
    return DEFAULT_SIGMA


@dataclass
class BacktestResult:
    """Backtest rows (every method and the combination) and the calibration at each month."""

    rows: pd.DataFrame
    calibration: dict[int, Calibration]

    def summary(self) -> pd.DataFrame:
        """MAPE per method and month, and the combined intervals' coverage.

        Returns
        -------
        pandas.DataFrame
            One row per month: ``n`` (projections scored), ``mape_<method>`` for each method and
            ``coverage_80`` / ``coverage_95`` (% of outcomes inside the combined intervals).
        """
        r = self.rows
        mape = r.pivot_table(index="month", columns="method", values="ape", aggfunc="mean")
        mape.columns = [f"mape_{c}" for c in mape.columns]
        comb = r[r["method"] == COMBINED]
        cov = comb.groupby("month").agg(
            n=("ape", "size"),
            coverage_80=("covered_80", "mean"),
            coverage_95=("covered_95", "mean"),
        )
        cov[["coverage_80", "coverage_95"]] *= 100.0
        return cov.join(mape).reset_index()

    def summary_by_indicator(self) -> pd.DataFrame:
        """MAPE per indicator and method (all months), and the combined 80 % coverage."""
        r = self.rows
        mape = r.pivot_table(index="indicator", columns="method", values="ape", aggfunc="mean")
        mape.columns = [f"mape_{c}" for c in mape.columns]
        comb = r[r["method"] == COMBINED]
        cov = comb.groupby("indicator").agg(n=("ape", "size"), coverage_80=("covered_80", "mean"))
        cov["coverage_80"] *= 100.0
        return cov.join(mape).reset_index()


def run_backtest(
    panel: Panel,
    t_end: int,
    months: Sequence[int] = tuple(range(2, 12)),
    *,
    candidates: Sequence[str] = CANDIDATES,
    extra_rows: pd.DataFrame | None = None,
) -> BacktestResult:
    """Backtest all methods, combine them, and calibrate the combination's intervals.

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
    extra_rows
        Backtest rows of further methods (e.g. ETS) in the format of :func:`collect_backtest`.

    Returns
    -------
    BacktestResult
        Rows (with ``covered_80`` / ``covered_95`` for the combination, scored out of sample: the
        weights and spreads used for a year come from the other years) and, per month, the
        calibration estimated on all tested years (for projecting year ``t_end``).
    """
    bt = collect_backtest(panel, t_end, months)
    if extra_rows is not None and not extra_rows.empty:
        bt = pd.concat([bt, extra_rows], ignore_index=True)
    if bt.empty:
        return BacktestResult(bt.assign(covered_80=False, covered_95=False), {})
    kind_of = dict(zip(bt["indicator"], bt["kind"]))
    by_group = {k: g for k, g in bt.groupby(["indicator", "month"])}

    def loyo_weights(ind: str, year: int, month: int) -> dict[str, float]:
        g = by_group.get((ind, month))
        if g is None:
            return {}
        others = g[g["year"] != year]
        return _group_weights(others if len(others) else g, candidates)

    combined = _combine_frame(bt, loyo_weights)
    sig = {}
    for (ind, year, month), _ in combined.groupby(["indicator", "year", "month"]):
        others = combined[combined["year"] != year]
        sig[(ind, year, month)] = _sigma_for(
            others if len(others) else combined, ind, kind_of[ind], month
        )
    sigma = combined.apply(lambda r: sig[(r.indicator, r.year, r.month)], axis=1).to_numpy(float)
    err = np.abs(combined["log_err"].to_numpy(float))
    exact = np.isclose(combined["point"], combined["actual"], rtol=1e-9)
    combined["covered_80"] = np.where(np.isfinite(err), err <= Z80 * sigma, exact)
    combined["covered_95"] = np.where(np.isfinite(err), err <= Z95 * sigma, exact)

    calibration: dict[int, Calibration] = {}
    all_weights = {key: _group_weights(g, candidates) for key, g in by_group.items()}
    full = _combine_frame(bt, lambda ind, year, month: all_weights.get((ind, month), {}))
    for month in months:
        inds = sorted({ind for (ind, mo) in by_group if mo == month})
        calibration[month] = Calibration(
            weights={ind: all_weights[(ind, month)] for ind in inds},
            sigma={ind: _sigma_for(full, ind, kind_of[ind], month) for ind in inds},
            rho={ind: _estimate_rho(full[full["indicator"] == ind]) for ind in inds},
            mape={
                ind: {
                    **by_group[(ind, month)].groupby("method")["ape"].mean().to_dict(),
                    COMBINED: float(
                        combined.loc[
                            (combined["indicator"] == ind) & (combined["month"] == month), "ape"
                        ].mean()
                    ),
                }
                for ind in inds
            },
        )
    rows = pd.concat([bt.assign(covered_80=np.nan, covered_95=np.nan), combined], ignore_index=True)
    return BacktestResult(rows, calibration)


def collect_ets_backtest(
    panel: Panel,
    t_end: int,
    months: Sequence[int],
    indicators: Sequence[str] = ("revenue", "fai", "outside_funds"),
    *,
    log: list[dict] | None = None,
) -> pd.DataFrame:
    """Backtest rows of the statsmodels ETS method on the monthly series of ``indicators``.

    Slow (one fit per series, year and month), so it runs offline for docs/backtest.md, not in
    every projection. Only years with two complete earlier years are tested (seasonal fits).
    """
    from zoneanalysis.projection.methods import ETS, project_ets

    keys = panel.keys
    rows = np.flatnonzero(
        (keys["frequency"] == "monthly").to_numpy() & keys["indicator"].isin(indicators).to_numpy()
    )
    parts = []
    for j in range(2, t_end):
        actual = panel.cum[:, j, 12]
        for m in months:
            ok = rows[np.isfinite(panel.cum[rows, j, m]) & np.isfinite(actual[rows])]
            if ok.size == 0:
                continue
            point, _ = project_ets(panel, j, m, ok, n_sims=200, log=log)
            parts.append(
                pd.DataFrame(
                    {
                        "series": ok,
                        "year": int(panel.years[j]),
                        "month": m,
                        "method": ETS,
                        "ytd": panel.cum[ok, j, m],
                        "actual": actual[ok],
                        "point": point,
                    }
                )
            )
    if not parts:
        return pd.DataFrame()
    return _score(pd.concat(parts, ignore_index=True), panel)


def _markdown(frame: pd.DataFrame, floatfmt: str = "{:.1f}") -> str:
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        cells = [floatfmt.format(v) if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_backtest_docs(out: Path, *, with_ets: bool = True) -> Path:
    """Regenerate docs/backtest.md from the sample truth (示例数据) of 2012-2016.

    Parameters
    ----------
    out
        The Markdown file to write.
    with_ets
        Also backtest the statsmodels ETS method (about a minute).

    Returns
    -------
    Path
        ``out``.
    """
    from zoneanalysis.atomic import write_text_atomic
    from zoneanalysis.projection.methods import ETS, METHOD_NAMES_ZH
    from zoneanalysis.sample.truth import make_truth

    panel = build_panel(make_truth(), until=(2016, 9))
    t_end = panel.year_index(2016)
    result = run_backtest(panel, t_end)
    names = {f"mape_{k}": f"MAPE {v}" for k, v in METHOD_NAMES_ZH.items()}
    s = result.summary().rename(
        columns={
            "month": "月份",
            "n": "预测个数",
            "coverage_80": "80%区间覆盖率",
            "coverage_95": "95%区间覆盖率",
            **names,
        }
    )
    by_ind = result.summary_by_indicator().rename(
        columns={"indicator": "指标", "n": "预测个数", "coverage_80": "80%区间覆盖率", **names}
    )
    text = [
        "# 年末预测回测（示例数据）",
        "",
        "由 `python -m zoneanalysis.projection.backtest --write-docs` 生成，请勿手改。",
        "",
        "数据：`zoneanalysis.sample.truth.make_truth()` 的示例数据（2012-2016，非真实统计）。"
        "滚动起点：对 2013-2015 年的每个月（2-11月），只用当时可得的数据预测年末值，与实际年末值比较。"
        "MAPE 为平均绝对百分比误差（%）；组合预测的权重 ∝ 1/MAPE²，按指标和月份选定，"
        "给某一年打分时权重与误差幅度只用其他年份估计（留一年外推），覆盖率同样是样本外的。",
        "",
        "## 按月份（全部指标）",
        "",
        _markdown(s),
        "",
        "## 按指标（全部月份）",
        "",
        _markdown(by_ind),
    ]
    if with_ets:
        ets_rows = collect_ets_backtest(panel, t_end, range(2, 12))
        if not ets_rows.empty:
            keys = ["series", "year", "month"]
            comb = result.rows[result.rows["method"] == COMBINED]
            base = result.rows[result.rows["method"].isin([SEASONAL_SHARE, RUN_RATE])]
            both = pd.concat([ets_rows, comb, base])
            scored = both.merge(ets_rows[keys].drop_duplicates(), on=keys)
            tab = scored.pivot_table(index="month", columns="method", values="ape")
            tab.columns = [names.get(f"mape_{c}", c) for c in tab.columns]
            text += [
                "",
                f"## statsmodels {METHOD_NAMES_ZH[ETS]}（月度序列：收入、投资、市外资金；2014-2015）",
                "",
                "在同一批预测上比较。ETS 每个序列每个月都要拟合一次，耗时远高于其他方法；"
                "只有它在这里明显优于组合预测时才值得放进每月的预测。",
                "",
                _markdown(tab.reset_index().rename(columns={"month": "月份"})),
            ]
    return write_text_atomic("\n".join(text) + "\n", out)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="年末预测回测：生成 docs/backtest.md")
    parser.add_argument("--write-docs", action="store_true", help="重新生成 docs/backtest.md")
    parser.add_argument("--no-ets", action="store_true", help="不回测 statsmodels ETS（更快）")
    parser.add_argument("--out", type=Path, default=Path("docs/backtest.md"))
    args = parser.parse_args()
    if args.write_docs:
        print(f"已写入 {write_backtest_docs(args.out, with_ets=not args.no_ets)}")
