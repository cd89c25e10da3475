"""The synthetic truth behind the sample bureau files (示例数据, not real statistics).

The truth is a tidy frame, one row per zone × year × month × indicator, in canonical units and at
the precision the bureau files print. It is built deterministically from a seed: year-end levels
anchored on the 2016 plan's base figures for 2015, grown backwards and forwards by plausible rates,
spread over the months by seasonal cumulative shares, with reported growth on a comparable basis
(可比口径) that deliberately differs from growth computed from last year's level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.registry import LEVEL_PROVINCIAL, load_zones, zone_level

TRUTH_COLUMNS = ["zone_id", "year", "month", "indicator", "value", "unit", "yoy_pct"]
YEARS = (2012, 2013, 2014, 2015, 2016)
LAST_MONTH = {2016: 9}
MONTHLY_INDICATORS = (
    "revenue",
    "fai",
    "outside_funds",
    "employment",
    "value_added",
    "tax",
    "profit",
)
QUARTERLY_INDICATORS = (
    "revenue",
    "fai",
    "value_added",
    "tax",
    "profit",
    "employment",
    "built_area",
    "leading_industry_share",
    "innovation_platforms",
    "energy_per_va",
    "enterprises",
)
# Indicators whose growth is printed in the files (layout A prints growth for all of its
# indicators, layout B only for these five); for the others the truth's yoy_pct is null.
QUARTERLY_GROWTH = ("revenue", "fai", "value_added", "tax", "profit")
FLOWS = ("revenue", "fai", "outside_funds", "value_added", "tax", "profit")
STOCKS = ("employment", "built_area", "innovation_platforms", "enterprises")
RATES = ("leading_industry_share", "energy_per_va")
COUNTS = ("innovation_platforms", "enterprises")

# 2015 year-end actuals (亿元 / 万人): revenue, fai, outside_funds, employment. Their sums are the
# plan's 2016 targets divided by 1 + target growth (郑政办〔2016〕49号).
ANCHORS_2015: dict[str, tuple[float, float, float, float]] = {
    "zz_jingkai": (1500, 330, 70, 14),
    "zz_hangkonggang": (2300, 520, 110, 24),
    "zz_gaoxin": (900, 210, 50, 9),
    "zz_xingang": (250, 150, 30, 4),
    "zz_zhongmou_auto": (280, 140, 25, 4),
    "zz_xingyang": (120, 120, 20, 3),
    "zz_xinmi": (90, 90, 15, 3),
    "zz_dengfeng": (60, 70, 12, 2.5),
    "zz_mazhai": (45, 60, 10, 2),
    "zz_baisha": (30, 60, 13, 1.5),
    "zz_gongyi": (50, 30, 10, 3),
}
# City parks: revenue and fai only (the plan's park totals 1430 and 345).
PARK_ANCHORS_2015: dict[str, tuple[float, float]] = {"zz_jindai": (230, 45)}
EXAMPLE_PARK_ANCHOR_2015 = (150.0, 37.5)

# Printed precision (decimals) of canonical values.
DECIMALS = {
    "revenue": 2,
    "fai": 2,
    "outside_funds": 2,
    "value_added": 2,
    "tax": 2,
    "profit": 2,
    "employment": 2,
    "built_area": 2,
    "leading_industry_share": 2,
    "energy_per_va": 2,
    "innovation_platforms": 0,
    "enterprises": 0,
}

# Monthly weights (January … December) before zone-level noise; cumulative shares come from them.
_PROFILES = {
    # nearly even, a weak January–February (Spring Festival) and a strong December
    "revenue": np.array([6.0, 6.5, 8.2, 8.3, 8.4, 8.6, 8.2, 8.3, 8.6, 8.6, 8.8, 11.5]),
    # back-loaded
    "fai": np.array([2.5, 3.0, 6.5, 7.0, 7.5, 9.5, 8.0, 8.5, 10.0, 9.5, 11.0, 17.0]),
}
_NOISE_SD = {"revenue": 0.04, "fai": 0.10, "outside_funds": 0.0}


def make_truth(seed: int = 2016, zones: pd.DataFrame | None = None) -> pd.DataFrame:
    """Build the synthetic truth behind the sample bureau files.

    Parameters
    ----------
    seed
        Seed of the ``numpy`` random generator; the same seed gives the same frame.
    zones
        The registry to cover (as :func:`zoneanalysis.registry.load_zones` returns it); the
        shipped registry by default. A larger one (:mod:`zoneanalysis.sample.world`) gives a
        larger world.

    Returns
    -------
    pandas.DataFrame
        Columns ``zone_id``, ``year``, ``month``, ``indicator``, ``value`` (canonical unit, at
        the printed precision), ``unit`` and ``yoy_pct`` (reported comparable-basis growth in %,
        nullable). Zhengzhou zones and parks monthly (1-2月 … 12月; 2016 up to 1-9月) on the
        seven ledger indicators; every provincial zone quarterly on eleven indicators. Cells the
        sample files leave blank ("—", "…" …) have no row.
    """
    zones = load_zones() if zones is None else zones
    catalogue = load_indicator_catalogue()
    monthly_sets, quarterly_sets = _select_zones(zones)
    all_ids = sorted(set().union(*monthly_sets.values(), *quarterly_sets.values()))
    rng = np.random.default_rng(seed)
    levels = _make_year_end_levels(all_ids, zones, rng)
    paths = _make_monthly_paths(levels, rng)
    rows = []
    for year in YEARS:
        last = LAST_MONTH.get(year, 12)
        wanted: dict[tuple[str, int, str], bool] = {}
        for zone_id in monthly_sets[year]:
            for month in range(2, last + 1):
                for ind in MONTHLY_INDICATORS:
                    wanted[(zone_id, month, ind)] = True
        for zone_id in quarterly_sets[year]:
            for month in range(3, last + 1, 3):
                for ind in QUARTERLY_INDICATORS:
                    key = (zone_id, month, ind)
                    in_a = wanted.get(key, False)
                    wanted[key] = in_a or ind in QUARTERLY_GROWTH
        for (zone_id, month, ind), has_growth in wanted.items():
            value = paths[(zone_id, ind)][year][month - 1]
            yoy = np.nan
            if has_growth and ind not in RATES:
                prev = paths[(zone_id, ind)][year - 1][month - 1]
                computed = 100.0 * (value / prev - 1.0)
                scope = rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 3.0)
                yoy = round(computed + scope, 1)
            rows.append((zone_id, year, month, ind, value, catalogue[ind].unit, yoy))
    truth = pd.DataFrame(rows, columns=TRUTH_COLUMNS)
    truth = _apply_missing_cells(truth, np.random.default_rng([seed, 1]))
    truth = truth.sort_values(["year", "month", "zone_id", "indicator"], ignore_index=True)
    return truth.astype(
        {
            "zone_id": "string",
            "year": "int64",
            "month": "int64",
            "indicator": "string",
            "value": "float64",
            "unit": "string",
            "yoy_pct": "float64",
        }
    )


def _select_zones(zones: pd.DataFrame) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Zone ids covered monthly (Zhengzhou zones and parks) and quarterly (provincial), by year."""
    zz = zones.set_index("zone_id")["is_zhengzhou"]
    monthly, quarterly = {}, {}
    for year in YEARS:
        level = zone_level(zones, year)
        monthly[year] = sorted(level.index[level.notna() & zz.reindex(level.index)])
        quarterly[year] = sorted(level.index[level == LEVEL_PROVINCIAL])
    return monthly, quarterly


def _make_year_end_levels(
    zone_ids: list[str], zones: pd.DataFrame, rng: np.random.Generator
) -> dict[tuple[str, str], dict[int, float]]:
    """Year-end (December) levels 2011–2016 per zone and indicator, unrounded except 2015 anchors."""
    names = zones.set_index("zone_id")
    levels: dict[tuple[str, str], dict[int, float]] = {}
    for zone_id in zone_ids:
        base = _make_base_2015(zone_id, bool(names.at[zone_id, "is_example"]), rng)
        ratios = {
            "value_added": rng.uniform(0.20, 0.25),
            "tax": rng.uniform(0.03, 0.05),
            "profit": rng.uniform(0.05, 0.07),
        }
        # 2016: growth varies by zone, so some are on track for the plan's targets, some not
        growth_2016 = {
            "revenue": rng.uniform(0.04, 0.19),
            "fai": rng.uniform(0.06, 0.30),
            "outside_funds": rng.uniform(0.04, 0.22),
            "employment": rng.uniform(0.01, 0.05),
            "built_area": rng.uniform(0.01, 0.04),
            "enterprises": rng.uniform(0.02, 0.08),
        }
        for ind in ("revenue", "fai", "outside_funds", "employment", "built_area", "enterprises"):
            series = {2015: base[ind], 2016: base[ind] * (1 + growth_2016[ind])}
            for year in range(2015, 2011, -1):
                low, high = (0.02, 0.06) if ind in STOCKS else (0.08, 0.20)
                series[year - 1] = series[year] / (1 + rng.uniform(low, high))
            levels[(zone_id, ind)] = series
        for ind, ratio in ratios.items():
            levels[(zone_id, ind)] = {
                y: v * ratio * (1 + rng.uniform(-0.02, 0.02))
                for y, v in levels[(zone_id, "revenue")].items()
            }
        platforms = {2015: base["innovation_platforms"]}
        for year in range(2015, 2011, -1):
            platforms[year - 1] = max(platforms[year] - int(rng.integers(0, 4)), 1)
        platforms[2016] = platforms[2015] + int(rng.integers(0, 4))
        levels[(zone_id, "innovation_platforms")] = platforms
        share = base["leading_industry_share"]
        levels[(zone_id, "leading_industry_share")] = {
            y: min(share + 0.8 * (y - 2015) + rng.normal(0, 0.5), 95.0) for y in range(2011, 2017)
        }
        energy = base["energy_per_va"]
        levels[(zone_id, "energy_per_va")] = {
            y: energy * 0.95 ** (y - 2015) * (1 + rng.normal(0, 0.01)) for y in range(2011, 2017)
        }
    return levels


def _make_base_2015(zone_id: str, is_example: bool, rng: np.random.Generator) -> dict[str, float]:
    """2015 year-end levels of one zone: the plan's anchors where given, plausible otherwise."""
    if zone_id in ANCHORS_2015:
        revenue, fai, outside, employment = ANCHORS_2015[zone_id]
    elif zone_id in PARK_ANCHORS_2015 or zone_id.startswith("zzp_"):
        revenue, fai = PARK_ANCHORS_2015.get(zone_id, EXAMPLE_PARK_ANCHOR_2015)
        outside = fai * rng.uniform(0.20, 0.35)
        employment = revenue / rng.uniform(80, 120)
    else:
        # province-wide zones: a lognormal spread, all smaller than Zhengzhou's two largest
        median = 170.0 if is_example else 260.0
        revenue = float(np.clip(median * np.exp(rng.normal(0, 0.65)), 25, 1100))
        fai = revenue * rng.uniform(0.3, 0.8)
        outside = fai * rng.uniform(0.15, 0.35)
        employment = revenue / rng.uniform(60, 140)
    return {
        "revenue": float(revenue),
        "fai": float(fai),
        "outside_funds": float(outside),
        "employment": float(employment),
        "built_area": float(np.clip(revenue / rng.uniform(25, 60), 3, 80)),
        "enterprises": float(np.clip(revenue / rng.uniform(1.5, 4.0), 15, 900)),
        "innovation_platforms": float(np.clip(round(revenue / rng.uniform(20, 60)), 2, 80)),
        "leading_industry_share": float(rng.uniform(55, 80)),
        "energy_per_va": float(rng.uniform(0.3, 1.2)),
    }


def _make_cumulative_shares(ind: str, rng: np.random.Generator) -> np.ndarray:
    """Year-to-date shares of the annual total, January … December (last one exactly 1)."""
    if ind == "outside_funds":
        # lumpy: a few large inflows (signed projects) over a thin baseline
        weights = 0.3 + rng.gamma(0.6, 2.0, 12)
    else:
        profile = _PROFILES.get("fai" if ind == "fai" else "revenue")
        weights = profile * np.exp(rng.normal(0, _NOISE_SD.get(ind, 0.04), 12))
    shares = np.cumsum(weights) / weights.sum()
    shares[-1] = 1.0
    return shares


def _make_monthly_paths(
    levels: dict[tuple[str, str], dict[int, float]], rng: np.random.Generator
) -> dict[tuple[str, str], dict[int, np.ndarray]]:
    """Monthly values (January … December) per zone, indicator and year 2011–2016, rounded.

    Flows are year-to-date cumulative (non-decreasing within a year), stocks move geometrically
    from last year-end to this one, rates drift slowly; everything is rounded to the printed
    precision, so that the files are exact.
    """
    months = np.arange(1, 13)
    out: dict[tuple[str, str], dict[int, np.ndarray]] = {}
    for (zone_id, ind), series in levels.items():
        per_year: dict[int, np.ndarray] = {}
        for year in range(2011, 2017):
            level = series[year]
            if ind in FLOWS:
                path = level * _make_cumulative_shares(ind, rng)
            elif ind in STOCKS:
                prev = series.get(year - 1, level / 1.04)
                path = prev * (level / prev) ** (months / 12)
            else:
                prev = series.get(year - 1, level)
                path = prev + (level - prev) * months / 12 + rng.normal(0, 0.004 * level, 12)
                path[-1] = level
            per_year[year] = np.round(path, DECIMALS[ind])
        out[(zone_id, ind)] = per_year
    return out


def _apply_missing_cells(truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Blank a few cells as the bureau files do: drop a few rows, null a few growth rates.

    Never in 2015 year-end (the plan's base figures), in the revised month 2016-05, nor in
    layout-B-only indicators of Zhengzhou zones.
    """
    protected = ((truth["year"] == 2015) & (truth["month"] == 12)) | (
        (truth["year"] == 2016) & (truth["month"] == 5)
    )
    flows = truth["indicator"].isin(FLOWS)
    zz = truth["zone_id"].str.startswith("zz")
    groups = [
        flows & zz & truth["year"].isin([2012, 2013]),  # legacy .xls
        flows & zz & (truth["year"] == 2014),  # GBK CSV
        flows & zz & truth["year"].isin([2015, 2016]),  # .xlsx
        flows & ~zz,  # province quarterly
    ]
    drop: list[int] = []
    no_growth: list[int] = []
    for group in groups:
        candidates = truth.index[group & ~protected & truth["yoy_pct"].notna()].to_numpy()
        picked = rng.choice(candidates, size=5, replace=False)
        drop.extend(int(i) for i in picked[:3])
        no_growth.extend(int(i) for i in picked[3:])
    truth = truth.copy()
    truth.loc[no_growth, "yoy_pct"] = np.nan
    return truth.drop(index=drop)
