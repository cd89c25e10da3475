import pandas as pd
import pytest

from zoneanalysis.errors import ConfigError
from zoneanalysis.names import normalise_name
from zoneanalysis.registry import ZoneMatcher, load_zone_aliases, load_zones, zone_level


@pytest.fixture(scope="module")
def matcher():
    return ZoneMatcher.from_files()


def test_registry_has_the_eleven_zhengzhou_provincial_zones_in_2016():
    zones = load_zones()
    level = zone_level(zones, 2016)
    zz = zones.set_index("zone_id")["is_zhengzhou"]
    provincial_zz = level[(level == "provincial") & zz]
    assert len(provincial_zz) == 11
    assert 170 <= (level == "provincial").sum() <= 190


def test_jindai_is_a_city_park_after_2014():
    level_2013 = zone_level(load_zones(), 2013)
    level_2016 = zone_level(load_zones(), 2016)
    assert level_2013["zz_jindai"] == "provincial"
    assert level_2016["zz_jindai"] == "city_park"


def test_every_made_up_zone_says_so_in_its_name():
    zones = load_zones()
    examples = zones[zones["is_example"]]
    assert len(examples) > 100
    assert examples["zone_name"].str.contains("示例").all()
    assert not zones.loc[~zones["is_example"], "zone_name"].str.contains("示例").any()


@pytest.mark.parametrize(
    ("raw", "year", "expected"),
    [
        ("港区", 2016, "zz_hangkonggang"),
        ("郑州经开区", 2016, "zz_jingkai"),
        ("中车汽车产业集聚区", 2016, "zz_zhongmou_auto"),  # the plan's misprint
        ("鄭州經濟技術產業集聚區", 2016, "zz_jingkai"),  # traditional characters
        ("　荥阳市 产业集聚区", 2016, "zz_xingyang"),  # full-width and ASCII spaces
        ("新乡高新技术", 2016, "xinxiang_gaoxin"),  # without the suffix
        ("示例旧名产业集聚区007", 2012, "ex_007"),  # old name, valid until 2013
        ("示例旧名产业集聚区007", 2016, None),
        ("不存在的集聚区", 2016, None),
    ],
)
def test_matcher_maps_names_to_zone_ids(matcher, raw, year, expected):
    assert matcher.match(raw, year) == expected


def test_suggestions_name_the_closest_registry_names(matcher):
    assert "郑州航空港产业集聚区" in matcher.suggest("郑州航空产业集聚区")


def test_normalise_name_handles_full_width_brackets():
    assert normalise_name("马寨（二七区）") == "马寨(二七区)"


def test_duplicate_zone_id_is_a_config_error(tmp_path):
    zones = load_zones()
    bad = pd.concat([zones, zones.head(1)]).astype(str).replace({"<NA>": ""})
    path = tmp_path / "zones.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(ConfigError, match="zone_id 重复"):
        load_zones(path)


def test_reference_csv_saved_by_excel_with_a_bom_reads(tmp_path):
    zones = load_zones().astype(str).replace({"<NA>": ""})
    path = tmp_path / "zones.csv"
    zones.to_csv(path, index=False, encoding="utf-8-sig")
    assert load_zones(path)["zone_id"].tolist() == zones["zone_id"].tolist()


def test_reference_csv_missing_column_names_it(tmp_path):
    path = tmp_path / "zone_aliases.csv"
    path.write_text("alias,zone_id\n港区,zz_hangkonggang\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="valid_from"):
        load_zone_aliases(path)
