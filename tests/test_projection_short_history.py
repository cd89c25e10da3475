"""Short histories: one past year → carried growth + one-year share, none → said so (issue 11.3)."""

import numpy as np
import pandas as pd
import pytest

from zoneanalysis.projection import project_year_end
from zoneanalysis.projection.history import NO_HISTORY_NOTE, ONE_YEAR_NOTE
from zoneanalysis.projection.settings import DEFAULT_SETTINGS
from zoneanalysis.registry import load_zones
from zoneanalysis.targets import load_targets

Z80 = 1.2815515655446004
COLS = ["zone_id", "year", "month", "indicator", "value", "yoy_pct", "quality_flag"]
# 2015: year-end 200, June 80 (a 40 % share); 2016: June 90, reported growth 8 %.
PAST = {2: 20.0, 3: 35.0, 4: 50.0, 5: 65.0, 6: 80.0, 7: 95.0, 8: 110.0, 9: 130.0, 10: 150.0}
PAST |= {11: 172.0, 12: 200.0}
NOW = {2: 22.0, 3: 39.0, 4: 56.0, 5: 73.0, 6: 90.0}


def _frame(years: dict[int, dict[int, float]], yoy_june: float | None) -> pd.DataFrame:
    rows = []
    for year, values in years.items():
        for m, v in values.items():
            yoy = yoy_june if (year == 2016 and m == 6) else np.nan
            rows.append(("zz_gaoxin", year, m, "revenue", v, yoy, None))
    return pd.DataFrame(rows, columns=COLS)


@pytest.fixture(scope="module")
def reference():
    zones = load_zones()
    return zones, load_targets(zones=zones)


def _row(out: pd.DataFrame) -> pd.Series:
    return out[(out.zone_id == "zz_gaoxin") & (out.indicator == "revenue")].iloc[0]


def test_one_past_year_combines_carried_growth_and_one_year_share(reference):
    zones, targets = reference
    log: list[dict] = []
    stats = _frame({2015: PAST, 2016: NOW}, yoy_june=8.0)
    out = project_year_end(
        stats, 2016, 6, targets=targets, zones=zones, n_sims=8000, log=log, with_ets=False
    )
    row = _row(out)
    carry = 200.0 * 1.08  # last year-end × (1 + reported YTD growth) = 216
    share = 90.0 / (80.0 / 200.0)  # YTD / last year's June share = 225
    assert row.projected_value == pytest.approx(0.5 * carry + 0.5 * share)  # 220.5
    assert ONE_YEAR_NOTE in row.notes and not row.no_past_year and row.past_years == 1
    assert "历年同期完成比例" in row.method and "沿用累计增速" in row.method
    assert "简单年化" not in row.method  # not the 100 % run rate any more
    # Wide on purpose: the spread is 1.5 × the methods' disagreement, at least the default.
    d = abs(np.log((carry - 90.0) / (share - 90.0)))
    sigma = max(DEFAULT_SETTINGS.default_sigma, DEFAULT_SETTINGS.no_backtest_sigma_factor * d)
    remainder = row.projected_value - 90.0
    assert row.upper_80 == pytest.approx(90.0 + remainder * np.exp(Z80 * sigma), rel=0.02)
    assert row.lower_80 == pytest.approx(90.0 + remainder * np.exp(-Z80 * sigma), rel=0.02)
    assert any(e["event"] == "no_backtest" for e in log)


def test_no_past_year_says_so_and_runs_the_rate(reference):
    zones, targets = reference
    out = project_year_end(
        _frame({2016: NOW}, yoy_june=None), 2016, 6, targets=targets, zones=zones, n_sims=500
    )
    row = _row(out)
    assert bool(row.no_past_year) and row.past_years == 0
    assert NO_HISTORY_NOTE in row.notes
    assert row.projected_value == pytest.approx(90.0 * 12 / 6)
    assert row.upper_80 - row.lower_80 > 0.2 * row.projected_value  # honest: wide
