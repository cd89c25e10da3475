"""Synthetic monthly panels with known seasonality, growth, noise and a common year factor."""

from __future__ import annotations

import numpy as np
import pandas as pd

COLS = ["zone_id", "year", "month", "indicator", "value", "yoy_pct", "quality_flag"]


def synthetic_zones(n_zones: int) -> pd.DataFrame:
    """A registry of ``n_zones`` provincial Zhengzhou zones valid in every year (示例)."""
    ids = [f"syn_{i:02d}" for i in range(n_zones)]
    return pd.DataFrame(
        {
            "zone_id": ids,
            "zone_name": [f"示例集聚区{i}" for i in range(n_zones)],
            "valid_from": np.nan,
            "valid_to": np.nan,
            "provincial_from": 1900.0,
            "provincial_to": np.nan,
            "is_zhengzhou": True,
        }
    )


def synthetic_stats(
    *,
    n_zones: int = 12,
    years: range = range(2000, 2014),
    growth: float = 0.10,
    back_loading: float = 1.0,
    drift: float = 0.0,
    common_sd: float = 0.06,
    own_sd: float = 0.06,
    year_sd: float = 0.03,
    seed: int = 0,
) -> pd.DataFrame:
    """Year-to-date revenue (a flow) of ``n_zones`` zones, every month of every year.

    Each month's increment is the expected year-end × its seasonal weight × exp(c + e): c is a
    shock of that year and month common to all zones (sd ``common_sd``), e each zone's own
    (sd ``own_sd``, independent month to month), so the share of a remainder's log error common to all zones is about
    common_sd² / (common_sd² + own_sd²). A zone's growth also varies from year to year (sd
    ``year_sd``), a shock that persists through the year, so the year-to-date shows it. The seasonal weights rise through the year as
    month ** back_loading; with ``drift`` > 0 the later months gain weight every year (so last
    year's completion share overstates this year's: a biased seasonal share).
    """
    rng = np.random.default_rng(seed)
    months = np.arange(1, 13)
    rows = []
    levels = 100.0 * np.exp(rng.normal(0, 0.5, n_zones))
    for k, year in enumerate(years):
        levels = levels * np.exp(growth + rng.normal(0, year_sd, n_zones))
        weights = months ** (back_loading + drift * k)
        weights = weights / weights.sum()
        common = rng.normal(0, common_sd, 12)
        own = rng.normal(0, own_sd, (n_zones, 12))
        inc = levels[:, None] * weights[None, :] * np.exp(common[None, :] + own)
        cum = np.cumsum(inc, axis=1)
        for z in range(n_zones):
            for m in range(2, 13):
                rows.append((f"syn_{z:02d}", year, m, "revenue", cum[z, m - 1], np.nan, None))
    return pd.DataFrame(rows, columns=COLS)
