import numpy as np
import pandas as pd
import pytest

from zoneanalysis.projection.combine import combine_points, inverse_mape_weights
from zoneanalysis.projection.history import build_panel, describe_gaps
from zoneanalysis.projection.methods import (
    draw_normals,
    project_carry_growth,
    project_run_rate,
    project_seasonal_share,
    simulate_year_end,
)
from zoneanalysis.projection.progress import compute_required_growth, compute_task_progress


def _rows(zone, indicator, values, yoy=None):
    """values: {(year, month): value}."""
    yoy = yoy or {}
    return [
        {
            "zone_id": zone,
            "indicator": indicator,
            "year": y,
            "month": m,
            "value": v,
            "yoy_pct": yoy.get((y, m), np.nan),
        }
        for (y, m), v in values.items()
    ]


@pytest.fixture
def tiny():
    # revenue: 2013 share at June 40/100, 2014 50/100; 2015 YTD 90 with reported growth 20 %
    rows = _rows(
        "a",
        "revenue",
        {(2013, 6): 40, (2013, 12): 100, (2014, 6): 50, (2014, 12): 100, (2015, 6): 90},
        {(2015, 6): 20.0},
    )
    # employment (stock): June level / year-end level 10/11 and 12/12; 2015 June 13
    rows += _rows(
        "a",
        "employment",
        {(2013, 6): 10, (2013, 12): 11, (2014, 6): 12, (2014, 12): 12, (2015, 6): 13},
    )
    # revenue of a zone without reported growth: computed 60 / 50 − 1 = 20 %
    rows += _rows("b", "revenue", {(2014, 6): 50, (2014, 12): 110, (2015, 6): 60})
    return build_panel(pd.DataFrame(rows))


def _row(panel, zone, ind):
    k = panel.keys
    return int(np.flatnonzero((k.zone_id == zone) & (k.indicator == ind))[0])


def test_panel_marks_quarterly_series_and_kinds(tiny):
    assert set(tiny.keys["frequency"]) == {"quarterly"}
    assert tiny.keys.set_index(["zone_id", "indicator"]).loc[("a", "employment"), "kind"] == "stock"
    assert list(tiny.years) == [2013, 2014, 2015]


def test_seasonal_share_by_hand(tiny):
    t = tiny.year_index(2015)
    point = project_seasonal_share(tiny, t, 6)
    # mean share (0.4 + 0.5) / 2 = 0.45 → 90 / 0.45 = 200
    assert point[_row(tiny, "a", "revenue")] == pytest.approx(200.0)
    # stock: mean ratio (10/11 + 12/12) / 2 → 13 / 0.954545… = 13.619…
    assert point[_row(tiny, "a", "employment")] == pytest.approx(13 / ((10 / 11 + 1) / 2))
    # zone b has one past year only: its one-year share 50 / 110 (issue 11: not the run rate)
    assert point[_row(tiny, "b", "revenue")] == pytest.approx(60 / (50 / 110))
    assert np.isnan(project_seasonal_share(tiny, t, 6, min_years=2)[_row(tiny, "b", "revenue")])


def test_remainder_growth_by_hand(tiny):
    from zoneanalysis.projection.methods import project_remainder_growth

    t = tiny.year_index(2015)
    point = project_remainder_growth(tiny, t, 6)
    # a: 90 + (100 − 50) × 100/100 = 140; b (no 2013): 60 + (110 − 50) × 1 = 120
    assert point[_row(tiny, "a", "revenue")] == pytest.approx(140.0)
    assert point[_row(tiny, "b", "revenue")] == pytest.approx(120.0)
    assert np.isnan(point[_row(tiny, "a", "employment")])  # stocks: not this method


def test_carry_growth_by_hand(tiny):
    t = tiny.year_index(2015)
    point = project_carry_growth(tiny, t, 6)
    assert point[_row(tiny, "a", "revenue")] == pytest.approx(100 * 1.20)
    assert point[_row(tiny, "b", "revenue")] == pytest.approx(110 * 60 / 50)


def test_run_rate_by_hand(tiny):
    t = tiny.year_index(2015)
    point = project_run_rate(tiny, t, 6)
    assert point[_row(tiny, "a", "revenue")] == pytest.approx(180.0)
    assert point[_row(tiny, "a", "employment")] == pytest.approx(13.0)


def test_flow_point_never_below_ytd():
    # growth −50 % would put the year-end (50) below the YTD (90)
    rows = _rows(
        "a", "revenue", {(2014, 6): 40, (2014, 12): 100, (2015, 6): 90}, {(2015, 6): -50.0}
    )
    panel = build_panel(pd.DataFrame(rows))
    assert project_carry_growth(panel, 1, 6)[0] == pytest.approx(90.0)


def test_gaps_and_revisions_are_notes():
    rows = _rows("a", "revenue", {(2014, m): 10.0 * m for m in range(2, 13) if m != 5})
    rows += _rows("a", "revenue", {(2015, 2): 30.0, (2015, 3): 40.0})
    frame = pd.DataFrame(rows)
    frame["quality_flag"] = np.where(frame["month"] == 3, "revised", None)
    panel = build_panel(frame)
    note = describe_gaps(panel, 1, 3)[0]
    assert "缺1期" in note and "2014年5月" in note and "含修订数" in note


def test_inverse_mape_weights_and_combination():
    w = inverse_mape_weights({"x": 1.0, "y": 2.0}, power=1.0)
    assert w == pytest.approx({"x": 2 / 3, "y": 1 / 3})
    w2 = inverse_mape_weights({"x": 1.0, "y": 2.0})  # power 2: 1 : 1/4
    assert w2 == pytest.approx({"x": 0.8, "y": 0.2})
    points = {"x": np.array([10.0, np.nan, np.nan]), "y": np.array([20.0, 30.0, np.nan])}
    combined, fell_back = combine_points(points, w, np.array([1.0, 2.0, 3.0]))
    assert combined == pytest.approx([10 * 2 / 3 + 20 / 3, 30.0, 3.0])
    assert list(fell_back) == [False, False, True]


def test_simulated_flows_stay_above_ytd_and_are_centred_on_the_point():
    rng = np.random.default_rng(1)
    z = draw_normals(2, 4000, 0.0, rng)
    draws = simulate_year_end(
        np.array([50.0, 10.0]),
        np.array([100.0, 12.0]),
        np.array([0.5, 0.1]),
        np.array([True, False]),
        z,
    )
    assert draws[0].min() >= 50.0
    assert np.median(draws[0]) == pytest.approx(100.0, rel=0.03)
    assert np.median(draws[1]) == pytest.approx(12.0, rel=0.01)


def test_common_factor_sets_the_correlation():
    z = draw_normals(2, 20000, 0.64, np.random.default_rng(2))
    assert np.corrcoef(z)[0, 1] == pytest.approx(0.64, abs=0.03)


def test_required_growth_by_hand():
    # target 200, YTD 90; last year 100 at year-end and 50 at June → rest brought 50
    # still needed 110 → 110 / 50 − 1 = 120 %
    req = compute_required_growth(
        np.array([90.0, 13.0]),
        np.array([200.0, 14.3]),
        np.array([100.0, 12.0]),
        np.array([50.0, 12.0]),
        np.array([True, False]),
    )
    assert req == pytest.approx([120.0, 10.0])
    assert compute_task_progress(np.array([90.0]), np.array([200.0])) == pytest.approx([45.0])
