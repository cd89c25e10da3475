import shutil

import pytest

from zoneanalysis import paths
from zoneanalysis.errors import InputDataError, PeriodError
from zoneanalysis.ledger import build_ledger, read_ledger_tables


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    files = build_ledger("2016-06", raw_dir=paths.RAW_DIR, processed=out)
    assert all(f.exists() for f in files) and len(files) == 7 + 1  # seven tables, the report
    return read_ledger_tables(out, "2016-06")


def test_sample_ledger_at_mid_year(tables):
    city = tables["starts"].iloc[-1]
    assert city["zone_id"] == "agg_zz_all" and city["target_starts"] == 100
    assert 0 < city["started"] < 100 and 0 < city["completed"] < 100
    counts = tables["counts"][tables["counts"]["is_latest"]].set_index("code")
    assert counts.loc["major_projects_started", "value"] == city["started"]
    assert counts.loc["zhengou_trains", "target"] == 200
    assert set(tables["clusters"]["industry"]) == {
        "电子信息",
        "汽车及零部件",
        "装备制造",
        "食品加工",
    }
    assert tables["clusters"]["projected_value"].notna().all()
    assert tables["big_projects"]["zone_id"].nunique() == 20  # 11 provincial zones + 9 parks


def test_missing_period_and_bad_file_write_nothing(tmp_path):
    with pytest.raises(PeriodError, match="2016-11"):
        build_ledger("2016-11", raw_dir=paths.RAW_DIR, processed=tmp_path / "p")
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW_DIR / "ledger", raw / "ledger")
    bad = raw / "ledger" / "counts" / "2016" / "2016-06_bad.csv"
    bad.write_text(
        "2016年1-6月数量指标\n指标名称,1-6月累计完成\n郑欧班列开行,abc\n", encoding="utf-8"
    )
    with pytest.raises(InputDataError) as err:
        build_ledger("2016-06", raw_dir=raw, processed=tmp_path / "p")
    assert "2016-06_bad.csv" in str(err.value) and "第 3 行" in str(err.value)
    assert not (tmp_path / "p").exists()


def test_big_project_count_agrees_with_the_big_project_table(tables):
    """The count row and the table apply one rule: introduced AND started counts as done."""
    from zoneanalysis.ledger import views

    big = tables["big_projects"]
    table = views.build_big_project_table(tables)
    counts = tables["counts"][tables["counts"]["is_latest"]].set_index("code")
    for code, level in [
        ("new_project_10yi_per_zone", "provincial"),
        ("new_project_5yi_per_park", "city_park"),
    ]:
        mine = big[big["level"] == level]
        done = int((mine["n_qualifying_started"] > 0).sum())
        waiting = int(((mine["n_qualifying"] > 0) & (mine["n_qualifying_started"] == 0)).sum())
        assert counts.loc[code, "value"] == done
        assert counts.loc[code, "target"] == len(mine)
        assert "并开工" in counts.loc[code, "name_zh"]
        level_zh = views.LEVEL_ZH[level]
        assert int(((table["类别"] == level_zh) & (table["结论"] == "已完成")).sum()) == done
        if waiting:
            assert f"另有 {waiting} 个" in counts.loc[code, "note"]
        else:
            assert counts.loc[code, "note"] is None
