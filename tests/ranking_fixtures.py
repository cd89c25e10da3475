"""Small 示例 tables for the ranking tests (clearly fake numbers, not statistics)."""

import numpy as np
import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.registry import load_zones

ZZ = [
    "zz_jingkai", "zz_hangkonggang", "zz_gaoxin", "zz_xingang", "zz_zhongmou_auto",
    "zz_xingyang", "zz_xinmi", "zz_dengfeng", "zz_mazhai", "zz_baisha", "zz_gongyi",
]  # fmt: skip
OTHERS = ["xinxiang_gaoxin", "luohe_jingji", "luoyang_gaoxin", "changge", "xixia"]
REVENUE_2015 = [1500, 2300, 900, 250, 280, 120, 90, 60, 45, 30, 50, 400, 300, 350, 200, 150]
FLOWS = {"revenue": 1.0, "value_added": 0.22, "fai": 0.3, "tax": 0.04, "profit": 0.06}


def make_stats(seed: int = 7) -> pd.DataFrame:
    """示例 year-end actuals 2014–2015 and 1-6月 2016 for 16 provincial zones."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, zone in enumerate(ZZ + OTHERS):
        base = REVENUE_2015[i]
        for year, factor in ((2014, 1 / 1.1), (2015, 1.0)):
            for code, share in FLOWS.items():
                value = base * share * factor * rng.uniform(0.8, 1.2)
                rows.append((zone, year, 12, code, round(value, 2), round(rng.uniform(3, 20), 1)))
            rows.append((zone, year, 12, "employment", round(base / 100 + 1, 2), None))
            rows.append((zone, year, 12, "built_area", round(5 + base / 100, 2), None))
            rows.append((zone, year, 12, "leading_industry_share", rng.uniform(50, 90), None))
            rows.append((zone, year, 12, "innovation_platforms", float(rng.integers(1, 30)), None))
            rows.append((zone, year, 12, "energy_per_va", rng.uniform(0.2, 1.5), None))
            rows.append((zone, year, 12, "enterprises", float(rng.integers(20, 300)), None))
        for code, share in FLOWS.items():
            rows.append((zone, 2016, 6, code, round(base * share * 0.5, 2), 10.0))
    stats = pd.DataFrame(
        rows, columns=["zone_id", "year", "month", "indicator", "value", "yoy_pct"]
    )
    stats["yoy_pct"] = stats["yoy_pct"].astype(float)
    return _as_zone_stats(stats)


def _as_zone_stats(stats: pd.DataFrame) -> pd.DataFrame:
    """The full ``zone_stats`` columns of the field dictionary (names, units, 示例 sources)."""
    names = load_zones().set_index("zone_id")["zone_name"]
    units = {code: ind.unit for code, ind in load_indicator_catalogue().items()}
    stats = stats.assign(
        zone_name=stats["zone_id"].map(names),
        unit=stats["indicator"].map(units),
        source_file="示例/ranking_fixture.csv",
        source_row=np.arange(1, len(stats) + 1, dtype="int64"),
        quality_flag=pd.Series(None, index=stats.index, dtype="str"),
    )
    columns = ["zone_id", "zone_name", "year", "month", "indicator", "value", "unit", "yoy_pct"]
    return stats[[*columns, "source_file", "source_row", "quality_flag"]]


def make_projections(stats: pd.DataFrame, spread: float = 0.05) -> pd.DataFrame:
    """示例 projections for 2016-06: year-end = 2015 × 1.1 with ±spread (80 %) bounds."""
    prev = stats[(stats["year"] == 2015) & (stats["month"] == 12)]
    prev = prev[prev["indicator"].isin([*FLOWS, "employment", "built_area"])]
    ytd = stats[(stats["year"] == 2016) & (stats["month"] == 6)].set_index(
        ["zone_id", "indicator"]
    )["value"]
    point = prev["value"].to_numpy() * 1.1
    out = pd.DataFrame(
        {
            "zone_id": prev["zone_id"].to_numpy(),
            "zone_name": "示例",
            "is_aggregate": False,
            "indicator": prev["indicator"].to_numpy(),
            "unit": prev["unit"].to_numpy(),
            "year": 2016,
            "month": 6,
            "prev_year_value": prev["value"].to_numpy(),
            "projected_value": point,
            "lower_80": point * (1 - spread),
            "upper_80": point * (1 + spread),
            "lower_95": point * (1 - 1.53 * spread),
            "upper_95": point * (1 + 1.53 * spread),
            "projected_growth_pct": 10.0,
        }
    )
    keys = list(zip(out["zone_id"], out["indicator"], strict=True))
    out.insert(7, "ytd_value", np.array([ytd.get(k, np.nan) for k in keys], dtype=float))
    no_target = np.full(len(out), np.nan)
    out = out.assign(
        target_value=no_target,
        target_growth_pct=no_target,
        p_meet_target=no_target,
        required_growth_pct=no_target,
        time_progress_pct=50.0,
        task_progress_pct=no_target,
        method="示例方法",
        backtest_mape_pct=no_target,
        backtest_mape_zone_pct=no_target,
        notes="示例预测",
        past_years=pd.array([2] * len(out), dtype="Int64"),
        no_past_year=pd.array([False] * len(out), dtype="boolean"),
        error_common_share=no_target,
        error_zone_share=no_target,
    )
    return out
