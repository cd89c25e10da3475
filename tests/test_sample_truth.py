import numpy as np
import pandas as pd
import pytest

from zoneanalysis.registry import load_zones, zone_level
from zoneanalysis.sample import make_truth, write_bureau_files
from zoneanalysis.sample.truth import FLOWS, RATES


@pytest.fixture(scope="module")
def truth():
    return make_truth()


@pytest.fixture(scope="module")
def written(truth, tmp_path_factory):
    return write_bureau_files(truth, tmp_path_factory.mktemp("bureau"))


def _year_end(truth, zone_ids, indicator):
    rows = truth[
        (truth["year"] == 2015)
        & (truth["month"] == 12)
        & truth["zone_id"].isin(zone_ids)
        & (truth["indicator"] == indicator)
    ]
    assert len(rows) == len(zone_ids)
    return rows["value"].sum()


def test_2015_year_end_sums_are_the_plan_targets_over_one_plus_growth(truth):
    zones = load_zones()
    level = zone_level(zones, 2015)
    zz = zones.set_index("zone_id")["is_zhengzhou"]
    provincial = list(level.index[(level == "provincial") & zz])
    parks = list(level.index[(level == "city_park") & zz])
    assert len(provincial) == 11 and len(parks) == 9
    # 6300 / 1.12 = 5625, 2100 / 1.18 ≈ 1780; parks 1600 / 1.12 ≈ 1430, 400 / 1.16 ≈ 345;
    # 365 and 70 (outside funds, employment) assume growth the plan does not set (示例)
    assert _year_end(truth, provincial, "revenue") == pytest.approx(5625, abs=1e-6)
    assert _year_end(truth, provincial, "fai") == pytest.approx(1780, abs=1e-6)
    assert _year_end(truth, provincial, "outside_funds") == pytest.approx(365, abs=1e-6)
    assert _year_end(truth, provincial, "employment") == pytest.approx(70, abs=1e-6)
    assert _year_end(truth, parks, "revenue") == pytest.approx(1430, abs=1e-6)
    assert _year_end(truth, parks, "fai") == pytest.approx(345, abs=1e-6)


def test_rows_are_unique_and_in_canonical_units(truth):
    key = ["zone_id", "year", "month", "indicator"]
    assert not truth.duplicated(key).any()
    units = truth.groupby("indicator")["unit"].unique().map(list).to_dict()
    assert units["revenue"] == ["亿元"] and units["employment"] == ["万人"]
    assert set(truth["month"]) == set(range(2, 13))
    assert truth.loc[truth["year"] == 2016, "month"].max() == 9


def test_year_to_date_flows_never_fall_within_a_year(truth):
    flows = truth[truth["indicator"].isin(FLOWS)].sort_values(
        ["zone_id", "indicator", "year", "month"]
    )
    steps = flows.groupby(["zone_id", "indicator", "year"])["value"].diff().dropna()
    assert len(steps) > 10_000
    assert (steps >= 0).all()


def test_values_are_exact_at_the_printed_precision(truth):
    money = truth[truth["unit"] == "亿元"]["value"]
    assert np.allclose(money * 100, np.round(money * 100), atol=1e-6)
    counts = truth[truth["unit"] == "个"]["value"]
    assert (counts == np.round(counts)).all()
    growth = truth["yoy_pct"].dropna()
    assert np.allclose(growth * 10, np.round(growth * 10), atol=1e-6)


def test_reported_growth_is_not_the_computed_growth(truth):
    keyed = truth.set_index(["zone_id", "indicator", "year", "month"])["value"]
    rows = truth[truth["yoy_pct"].notna() & (truth["year"] > 2012)].iloc[::5]
    gaps = []
    for r in rows.itertuples():
        prev = keyed.get((r.zone_id, r.indicator, r.year - 1, r.month))
        if prev is not None and not pd.isna(prev):
            gaps.append(abs(r.yoy_pct - 100 * (r.value / prev - 1)))
    assert len(gaps) > 1000
    assert min(gaps) > 0.9  # scope difference of 1–3 points, after rounding to 0.1
    assert max(gaps) < 3.2


def test_rates_have_no_growth_and_a_few_cells_are_missing(truth):
    assert truth.loc[truth["indicator"].isin(RATES), "yoy_pct"].isna().all()
    flows = truth[truth["indicator"].isin(FLOWS)]
    assert 5 <= flows["yoy_pct"].isna().sum() <= 20


def test_the_two_largest_zones_stay_the_largest_in_2016(truth):
    sep = truth[(truth["year"] == 2016) & (truth["month"] == 9) & (truth["indicator"] == "revenue")]
    top = sep.nlargest(2, "value")["zone_id"].tolist()
    assert sorted(top) == ["zz_hangkonggang", "zz_jingkai"]


def test_jindai_moves_from_provincial_to_city_park(truth):
    jindai = truth[(truth["zone_id"] == "zz_jindai")]
    # quarterly-only indicators exist while it is provincial (to 2013), never after
    quarterly_only = jindai[jindai["indicator"] == "built_area"]
    assert set(quarterly_only["year"]) == {2012, 2013}
    assert set(jindai.loc[jindai["indicator"] == "revenue", "year"]) == set(range(2012, 2017))


def test_the_same_seed_gives_the_same_frame_and_another_seed_does_not(truth):
    pd.testing.assert_frame_equal(truth, make_truth())
    other = make_truth(seed=7)
    assert not truth["value"].equals(other["value"])


def test_every_listed_file_exists_and_says_it_is_sample_data(written):
    assert len(written) > 60
    assert all(p.is_file() and p.stat().st_size > 0 for p in written)
    suffixes = {p.suffix for p in written}
    assert {".xls", ".xlsx", ".csv", ".yaml"} <= suffixes
    for p in written:
        if p.suffix == ".csv":
            raw = p.read_bytes()
            text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gbk")
            assert "示例数据" in text.splitlines()[0]
    assert any(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in written if p.suffix == ".csv")
    assert any("（修订）" in p.name for p in written)
    assert any(p.name.endswith(".layout.yaml") for p in written)
