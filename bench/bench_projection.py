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
from zoneanalysis.projection.history import build_panel
from zoneanalysis.projection.methods import project_ets, project_run_rate
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

    out = project_year_end(stats, year, month, targets=targets, zones=zones)
    t_full = _best_of(
        lambda: project_year_end(stats, year, month, targets=targets, zones=zones), args.repeat
    )

    def naive():
        panel = build_panel(stats, until=(year, month))
        return project_run_rate(panel, panel.year_index(year), month)

    t_naive = _best_of(naive, args.repeat)

    panel = build_panel(stats, until=(year, month))
    t = panel.year_index(year)
    monthly = np.flatnonzero(
        (panel.keys["frequency"] == "monthly").to_numpy() & np.isfinite(panel.cum[:, t, month])
    )
    sample = monthly[: args.ets_sample]
    t0 = time.perf_counter()
    project_ets(panel, t, month, sample, n_sims=2000, log=[])
    t_ets_each = (time.perf_counter() - t0) / max(len(sample), 1)
    n_series = int((~out["is_aggregate"]).sum())
    t_ets_all = t_ets_each * n_series

    print(
        f"data: {source}; period {args.period}; rows projected: {len(out)} "
        f"({out.loc[~out.is_aggregate, 'zone_id'].nunique()} zones + aggregates)"
    )
    print(f"project_year_end (all zones x indicators, backtest, 2000 paths): {t_full:.2f} s")
    print(
        f"baseline naive run rate (panel + YTD x 12 / m): {t_naive:.3f} s "
        f"-> full / naive = {t_full / t_naive:.1f}x"
    )
    print(
        f"baseline per-series statsmodels ETS loop: {t_ets_each * 1000:.0f} ms per series "
        f"(measured on {len(sample)}), {t_ets_all:.1f} s for {n_series} series "
        f"-> full / ETS loop = {t_full / t_ets_all:.2f}x"
    )
    print(f"within 10 s budget: {t_full < 10}")


if __name__ == "__main__":
    main()
