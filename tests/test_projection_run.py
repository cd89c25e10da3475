import numpy as np
import pandas as pd
import pytest

from zoneanalysis.cli import main
from zoneanalysis.projection import project_year_end, run_projection
from zoneanalysis.projection.backtest import run_backtest
from zoneanalysis.projection.history import build_panel
from zoneanalysis.registry import load_zones
from zoneanalysis.targets import load_targets

ZONES = ["zz_jingkai", "zz_gaoxin", "zz_xinmi", "zz_mazhai", "zz_jindai", "zzp_ex01"]
SHARES = np.array([0, 0, 0.12, 0.2, 0.28, 0.36, 0.45, 0.53, 0.61, 0.7, 0.79, 0.88, 1.0])


def _stats(seed=0, years=(2012, 2013, 2014, 2015, 2016), last_month=6):
    """Monthly YTD revenue and employment for a few zones, seasonal with noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for zi, zone in enumerate(ZONES):
        level = 100.0 * (zi + 1)
        for y in years:
            level *= 1.1 + rng.normal(0, 0.03)
            months = range(2, 13) if y < years[-1] else range(2, last_month + 1)
            noise = np.cumsum(rng.normal(0, 0.01, 13))
            for m in months:
                ytd = level * min(SHARES[m] * (1 + noise[m] - noise[12]), 1.0 if m == 12 else 0.99)
                if m == 12:
                    ytd = level
                rows.append((zone, y, m, "revenue", round(ytd, 2), np.nan, None))
                rows.append((zone, y, m, "employment", round(level / 100, 2), np.nan, None))
    cols = ["zone_id", "year", "month", "indicator", "value", "yoy_pct", "quality_flag"]
    return pd.DataFrame(rows, columns=cols)


@pytest.fixture(scope="module")
def reference():
    zones = load_zones()
    return zones, load_targets(zones=zones)


@pytest.fixture(scope="module")
def projected(reference):
    zones, targets = reference
    log = []
    out = project_year_end(_stats(), 2016, 6, targets=targets, zones=zones, n_sims=2000, log=log)
    return out


def test_every_zone_and_aggregate_is_projected(projected):
    zones_out = set(projected.loc[~projected.is_aggregate, "zone_id"])
    assert zones_out == set(ZONES)
    aggs = set(projected.loc[projected.is_aggregate, "zone_id"])
    assert aggs == {"agg_zz_provincial", "agg_zz_parks", "agg_zz_all"}
    assert projected.groupby(["zone_id", "indicator"]).size().max() == 1


def test_projection_properties(projected):
    p = projected
    flows = p.indicator == "revenue"
    assert (p.loc[flows, "projected_value"] >= p.loc[flows, "ytd_value"]).all()
    assert (p.loc[flows, "lower_95"] >= p.loc[flows, "ytd_value"] - 1e-9).all()
    chain = p[["lower_95", "lower_80", "projected_value", "upper_80", "upper_95"]].to_numpy()
    assert (np.diff(chain, axis=1) >= -1e-9).all()
    prob = p["p_meet_target"].dropna()
    assert len(prob) > 0 and prob.between(0, 1).all()
    assert (p["time_progress_pct"] == 50.0).all()


def test_targets_attach_only_where_set(projected):
    p = projected.set_index(["zone_id", "indicator"])
    assert p.loc[("zz_jingkai", "revenue"), "target_value"] == pytest.approx(1680.0)
    assert p.loc[("agg_zz_provincial", "revenue"), "target_growth_pct"] == 12
    assert np.isnan(p.loc[("agg_zz_all", "revenue"), "target_value"])
    assert "示例" in p.loc[("zz_jingkai", "revenue"), "notes"]
    # task progress = YTD / target
    row = p.loc[("zz_jingkai", "revenue")]
    assert row.task_progress_pct == pytest.approx(row.ytd_value / 1680.0 * 100)


def test_aggregate_interval_is_narrower_than_summed_bounds(projected):
    p = projected.set_index(["zone_id", "indicator"])
    members = ["zz_jingkai", "zz_gaoxin", "zz_xinmi", "zz_mazhai"]
    agg = p.loc[("agg_zz_provincial", "revenue")]
    width_members = sum(
        p.loc[(z, "revenue"), "upper_80"] - p.loc[(z, "revenue"), "lower_80"] for z in members
    )
    assert agg.upper_80 - agg.lower_80 < width_members
    assert agg.ytd_value == pytest.approx(sum(p.loc[(z, "revenue"), "ytd_value"] for z in members))


def test_one_past_year_uses_carried_growth_and_a_one_year_share(reference):
    zones, targets = reference
    log = []
    out = project_year_end(
        _stats(years=(2015, 2016)), 2016, 6, targets=targets, zones=zones, n_sims=200, log=log
    )
    row = out[(out.zone_id == "zz_gaoxin") & (out.indicator == "revenue")].iloc[0]
    assert "只有一个完整往年" in row.notes
    assert "历年同期完成比例" in row.method and "简单年化" not in row.method
    assert any(e["event"] == "short_history" for e in log)


def test_same_seed_same_output(reference):
    zones, targets = reference
    a = project_year_end(_stats(), 2016, 6, targets=targets, zones=zones, n_sims=300, seed=5)
    b = project_year_end(_stats(), 2016, 6, targets=targets, zones=zones, n_sims=300, seed=5)
    pd.testing.assert_frame_equal(a, b)


def test_combined_beats_run_rate_in_backtest():
    panel = build_panel(_stats(), until=(2016, 6))
    summary = run_backtest(panel, panel.year_index(2016)).summary()
    assert (summary["mape_combined"] < summary["mape_raw_run_rate"]).all()


def test_run_projection_writes_table_and_log(tmp_path):
    _stats().to_parquet(tmp_path / "zone_stats.parquet")
    out = run_projection("2016-06", processed=tmp_path, n_sims=200)
    assert out == tmp_path / "projections_2016-06.parquet"
    frame = pd.read_parquet(out)
    assert len(frame) > 0
    assert (tmp_path / "projection_log_2016-06.csv").exists()


@pytest.mark.parametrize("period", ["2016-6", "2016-01", "2999-06", "2016-08", "2010-06"])
def test_bad_periods_exit_1_without_traceback(tmp_path, capsys, period):
    _stats().to_parquet(tmp_path / "zone_stats.parquet")
    status = main(["project", "--period", period, "--processed", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err and "错误" in err
    assert not list(tmp_path.glob("projections_*"))
