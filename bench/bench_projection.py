"""Benchmark: project all zones × indicators for one period, against baselines in the same run.

Usage: .venv/bin/python bench/bench_projection.py [--period 2016-06]
Reads data/processed/zone_stats.parquet if present, else the sample truth (示例数据).
"""

import argparse
import time

import numpy as np
import pandas as pd

from zoneanalysis import paths
from zoneanalysis.periods import parse_period
from zoneanalysis.projection import project_year_end
from zoneanalysis.projection.ets import monthly_increments
from zoneanalysis.projection.history import build_panel
from zoneanalysis.projection.methods import project_run_rate
from zoneanalysis.registry import load_zones
from zoneanalysis.targets import load_targets


def _load_stats() -> tuple[pd.DataFrame, str]:
    source = paths.PROCESSED_DIR / paths.ZONE_STATS_NAME
    if source.exists():
        return pd.read_parquet(source), str(source.relative_to(paths.PROJECT_ROOT))
    from zoneanalysis.sample.truth import make_truth

    return make_truth(), "make_truth()"


def _best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _cpu_of(fn) -> float:
    """Process CPU seconds of one call (on a shared machine, wall time counts others' work)."""
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def _calibration_parts(stats, year: int, month: int) -> dict[str, float]:
    """CPU seconds of the calibration steps on their own, for the same period."""
    from zoneanalysis.projection.backtest import COMBINED, run_backtest
    from zoneanalysis.projection.bias import fit_bias_model
    from zoneanalysis.projection.correlation import estimate_zone_share

    panel = build_panel(stats, until=(year, month))
    t = panel.year_index(year)
    cands = ("seasonal_share", "carry_growth", "run_rate")
    res = run_backtest(panel, t, [month], candidates=cands)
    comb = res.rows[res.rows["method"] == COMBINED]
    methods = res.rows[res.rows["method"] != COMBINED]
    return {
        "bias model (cross-validated shrinkage)": _cpu_of(lambda: fit_bias_model(methods)),
        "zone share κ": _cpu_of(lambda: estimate_zone_share(comb, n_boot=0)),
    }


def _naive_ets_loop(panel, t: int, month: int, rows) -> int:
    """The slow way: default Holt-Winters fit (brute-force start, L-BFGS-B) on each series."""
    import warnings

    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    n = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in rows:
            y = monthly_increments(panel, i, t, month)
            if y is None or len(y) < 22:
                continue
            model = ExponentialSmoothing(
                y, trend="add", damped_trend=True, seasonal="add", seasonal_periods=11
            )
            model.fit().simulate(12 - month, repetitions=2000, error="add")
            n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", default="2016-06")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ets-sample", type=int, default=20)
    args = parser.parse_args()
    year, month = parse_period(args.period)
    stats, source = _load_stats()
    zones = load_zones()
    targets = load_targets(zones=zones)

    log: list[dict] = []
    out = project_year_end(stats, year, month, targets=targets, zones=zones, log=log)
    t_full = _best_of(
        lambda: project_year_end(stats, year, month, targets=targets, zones=zones), args.repeat
    )
    t_no_ets = _best_of(
        lambda: project_year_end(stats, year, month, targets=targets, zones=zones, with_ets=False),
        args.repeat,
    )
    n_ets = int(out["method"].str.contains("ETS").sum())

    def naive():
        panel = build_panel(stats, until=(year, month))
        return project_run_rate(panel, panel.year_index(year), month)

    t_naive = _best_of(naive, args.repeat)
    cpu_full = _cpu_of(lambda: project_year_end(stats, year, month, targets=targets, zones=zones))
    cpu_no_ets = _cpu_of(
        lambda: project_year_end(stats, year, month, targets=targets, zones=zones, with_ets=False)
    )
    cpu_naive = _cpu_of(naive)
    parts = _calibration_parts(stats, year, month)

    panel = build_panel(stats, until=(year, month))
    t = panel.year_index(year)
    monthly = np.flatnonzero(
        (panel.keys["frequency"] == "monthly").to_numpy() & np.isfinite(panel.cum[:, t, month])
    )
    sample = monthly[: args.ets_sample]
    t0 = time.perf_counter()
    n_fit = _naive_ets_loop(panel, t, month, sample)
    t_ets_each = (time.perf_counter() - t0) / max(n_fit, 1)
    # the naive loop: fit every series afresh at every origin (current year + 2 backtest years)
    n_fits_needed = 3 * len(monthly)
    t_ets_all = t_ets_each * n_fits_needed

    print(
        f"data: {source}; period {args.period}; rows projected: {len(out)} "
        f"({out.loc[~out.is_aggregate, 'zone_id'].nunique()} zones + aggregates)"
    )
    print(
        f"project_year_end with ETS (all zones x indicators, backtest, 2000 paths): {t_full:.2f} s; "
        f"{n_ets} rows use ETS; ETS log events: {len(log)}"
    )
    print(
        f"baseline project_year_end without ETS: {t_no_ets:.2f} s "
        f"-> with / without ETS = {t_full / t_no_ets:.1f}x"
    )
    print(
        f"baseline naive run rate (panel + YTD x 12 / m): {t_naive:.3f} s "
        f"-> full / naive = {t_full / t_naive:.1f}x"
    )
    print(
        f"baseline naive statsmodels loop (default fit on every series and origin): "
        f"{t_ets_each * 1000:.0f} ms per fit (measured on {n_fit}), ~{t_ets_all:.0f} s for "
        f"{n_fits_needed} fits -> ETS loop / full = {t_ets_all / t_full:.0f}x"
    )
    print(
        f"CPU seconds (this process): full {cpu_full:.2f} s, without ETS {cpu_no_ets:.2f} s, "
        f"naive run rate {cpu_naive:.3f} s -> full / without ETS = {cpu_full / cpu_no_ets:.1f}x, "
        f"full / naive = {cpu_full / max(cpu_naive, 1e-9):.0f}x"
    )
    for name, sec in parts.items():
        print(f"  of which {name}: {sec:.3f} s CPU ({sec / cpu_full:.1%} of the full run)")
    print(f"within 10 s budget: wall {t_full < 10}, CPU {cpu_full < 10}")


if __name__ == "__main__":
    main()
