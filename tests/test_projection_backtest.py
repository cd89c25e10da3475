"""The issue's done-when on the shipped sample: the combination beats the run rate, 80 % cover 70-90 %."""

import pytest

from zoneanalysis.projection.backtest import run_backtest
from zoneanalysis.projection.history import build_panel

truth = pytest.importorskip("zoneanalysis.sample.truth")


@pytest.fixture(scope="module")
def summary():
    panel = build_panel(truth.make_truth(), until=(2016, 9))
    return run_backtest(panel, panel.year_index(2016)).summary()


def test_combined_beats_naive_run_rate_at_every_month(summary):
    assert list(summary["month"]) == list(range(2, 12))
    assert (summary["mape_combined"] < summary["mape_run_rate"]).all()


def test_80_percent_intervals_cover_70_to_90_percent(summary):
    assert summary["coverage_80"].between(70, 90).all()
    assert (summary["coverage_95"] >= summary["coverage_80"]).all()
