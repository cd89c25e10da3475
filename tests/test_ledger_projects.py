import pandas as pd
import pytest

from zoneanalysis.errors import ConfigError
from zoneanalysis.ledger.projects import PROJECT_COLUMNS, ProjectMatcher, load_projects
from zoneanalysis.registry import load_zones


def test_shipped_reference_is_valid():
    zone_ids = load_zones()["zone_id"].tolist()
    projects = load_projects(zone_ids=zone_ids)
    assert len(projects) > 50
    assert projects["category_is_example"].all()  # attachments 5-7 are not public
    assert not projects["is_example"].any()
    assert projects["source"].str.startswith("三（").all()
    # tied to a zone only where the plan's text does so
    tied = projects.dropna(subset=["zone_id"]).set_index("project_name")["zone_id"]
    assert tied["物联网产业园（高新区）项目"] == "zz_gaoxin"
    assert projects.loc[projects["zone_id"].isna(), "note"].str.len().gt(0).all()


def _write(tmp_path, rows, name="p.csv"):
    frame = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


ROW = ["p1", "甲项目", "电子信息", "", "", "新开工", "True", "major", "False", "", "三（二）"]


def test_unknown_category_names_file_and_row(tmp_path):
    bad = ROW.copy()
    bad[5] = "开工"
    path = _write(tmp_path, [ROW, ["p2", *bad[1:]]])
    with pytest.raises(ConfigError) as err:
        load_projects(path)
    assert "第 3 行" in str(err.value) and "开工" in str(err.value)


def test_unknown_zone_and_duplicate_names(tmp_path):
    bad = ROW.copy()
    bad[3] = "zz_nowhere"
    with pytest.raises(ConfigError, match="zz_nowhere"):
        load_projects(_write(tmp_path, [bad]), zone_ids=["zz_gaoxin"])
    extra = _write(tmp_path, [["x9", " 甲 项目", *ROW[2:]]], "extra.csv")
    with pytest.raises(ConfigError, match="重复登记"):
        load_projects(_write(tmp_path, [ROW]), extra_paths=[extra])


def test_matcher_normalises_names(tmp_path):
    projects = load_projects(_write(tmp_path, [ROW]))
    matcher = ProjectMatcher(projects)
    assert matcher.match("　甲 项目 ") == "p1"
    assert matcher.match("乙项目") is None
    assert matcher.suggest("甲项") == ["甲项目"]
