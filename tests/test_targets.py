from pathlib import Path

import pytest
import yaml

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.targets import load_targets, scale_example_targets

ACTUALS_2015_REVENUE = {
    "zz_jingkai": 1500,
    "zz_hangkonggang": 2300,
    "zz_gaoxin": 900,
    "zz_xingang": 250,
    "zz_zhongmou_auto": 280,
    "zz_xingyang": 120,
    "zz_xinmi": 90,
    "zz_dengfeng": 60,
    "zz_mazhai": 45,
    "zz_baisha": 30,
    "zz_gongyi": 50,
}


def _write(tmp_path: Path, mutate) -> Path:
    raw = yaml.safe_load((paths.TARGETS_DIR / "2016.yaml").read_text(encoding="utf-8"))
    mutate(raw)
    out = tmp_path / "targets.yaml"
    out.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return out


def test_shipped_targets_load_with_the_plan_totals():
    t = load_targets()
    assert t.source == "郑政办〔2016〕49号"
    assert t.aggregates["agg_zz_provincial"]["revenue"]["value"] == 6300
    assert t.aggregates["agg_zz_provincial"]["fai"]["growth_pct"] == 18
    assert t.aggregates["agg_zz_parks"]["fai"]["value"] == 400
    assert t.aggregates["agg_zz_provincial"]["employment"]["end_of_period_aim"] == 90
    assert {c["industry"]: c["target_revenue"] for c in t.clusters}["电子信息"] == 3000
    assert {c["code"]: c["target"] for c in t.counts}["zhengou_trains"] == 200
    assert t.stars["zz_jingkai"] == 6 and "zz_baisha" not in t.stars
    assert all(t.zone_is_example.values())


def test_example_zone_targets_are_2015_actuals_scaled_to_the_total():
    t = load_targets()
    expected = scale_example_targets(ACTUALS_2015_REVENUE, 6300)
    # 1500 * 6300 / 5625 = 1680
    assert expected["zz_jingkai"] == 1680.0
    for zone_id, value in expected.items():
        assert t.zone_targets[zone_id]["revenue"] == pytest.approx(value)


def test_to_frame_has_revenue_growth_floor_from_city_average():
    frame = load_targets().to_frame()
    row = frame[(frame.zone_id == "agg_zz_provincial") & (frame.indicator == "revenue")].iloc[0]
    # stated 12 %, city average 8.5 % + 3 pp = 11.5 %: the stricter is 12 %
    assert row.target_growth_pct == 12
    assert row.min_growth_pct == 12
    zone = frame[(frame.zone_id == "zz_gaoxin") & (frame.indicator == "fai")].iloc[0]
    assert zone.target_value == pytest.approx(247.75)
    assert zone.target_is_example


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (lambda r: r["zones"].update({"zz_nowhere": {"revenue": 1}}), "zones.zz_nowhere"),
        (lambda r: r["zones"]["zz_gaoxin"].update({"gdp": 1}), "zones.zz_gaoxin.gdp"),
        (lambda r: r["zones"]["zz_gaoxin"].update({"fai": -1}), "zones.zz_gaoxin.fai"),
        (
            lambda r: r["zones"]["zz_gaoxin"].update({"revenue": 1010.0}),
            "aggregates.agg_zz_provincial.targets.revenue",
        ),
        (lambda r: r["stars"].update({"zz_gaoxin": 7}), "stars.zz_gaoxin"),
        (lambda r: r["aggregates"].update({"agg_xx": {}}), "aggregates.agg_xx"),
    ],
)
def test_bad_targets_name_file_and_key(tmp_path, mutate, key):
    bad = _write(tmp_path, mutate)
    with pytest.raises(ConfigError) as info:
        load_targets(bad)
    assert str(bad) in str(info.value)
    assert key in str(info.value)
