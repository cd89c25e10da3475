"""Plan years as data: targets, star targets and project lists are looked up by the plan year."""

import re
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.ledger.projects import load_projects
from zoneanalysis.projection import project_year_end
from zoneanalysis.registry import load_zones
from zoneanalysis.reporting.data import read_targets
from zoneanalysis.rules.plan_years import list_plan_years
from zoneanalysis.stars import assess_stars
from zoneanalysis.targets import find_targets, load_targets

ZONES = ["zz_jingkai", "zz_gaoxin", "zzp_ex01"]


@pytest.fixture(scope="module")
def zones():
    return load_zones()


@pytest.fixture
def targets_with_2017(tmp_path):
    """A copy of the shipped targets folder plus a 2017 plan (示例: 2016's file, levels × 1.1)."""
    folder = tmp_path / "targets"
    shutil.copytree(paths.TARGETS_DIR, folder)
    raw = yaml.safe_load((folder / "2016.yaml").read_text(encoding="utf-8"))
    raw["year"] = 2017
    for spec in raw["aggregates"].values():
        for target in spec["targets"].values():
            if target.get("value") is not None:
                target["value"] = round(target["value"] * 1.1, 2)
    for zone in raw["zones"].values():
        for key, value in list(zone.items()):
            if key != "is_example":
                zone[key] = value * 1.1
    raw["zones"] = {}  # per-zone example targets would no longer add up; the plan's totals stay
    raw["stars"] = {"zz_jingkai": 5}
    (folder / "2017.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return folder


def _stats(years, last_month=6, seed=0):
    """Monthly YTD revenue for a few zones (示例)."""
    rng = np.random.default_rng(seed)
    shares = np.linspace(0, 1, 13)
    rows = []
    for zi, zone in enumerate(ZONES):
        level = 100.0 * (zi + 1)
        for y in years:
            level *= 1.1 + rng.normal(0, 0.02)
            for m in range(2, 13 if y < years[-1] else last_month + 1):
                rows.append((zone, y, m, "revenue", round(level * shares[m], 2), np.nan, None))
    cols = ["zone_id", "year", "month", "indicator", "value", "yoy_pct", "quality_flag"]
    return pd.DataFrame(rows, columns=cols)


def test_shipped_folder_has_one_file_per_plan_year():
    assert list_plan_years(paths.TARGETS_DIR, ".yaml") == [2016]
    assert list_plan_years(paths.PROJECTS_DIR, ".csv") == [2016]


def test_a_2017_file_is_picked_up_for_2017_and_2015_gets_none(targets_with_2017, zones):
    t2017 = find_targets(targets_with_2017, 2017, zones=zones)
    assert not t2017.is_missing and t2017.year == 2017
    assert t2017.aggregates["agg_zz_provincial"]["revenue"]["value"] == pytest.approx(6930)
    assert t2017.stars == {"zz_jingkai": 5}
    t2016 = find_targets(targets_with_2017, 2016, zones=zones)
    assert t2016.aggregates["agg_zz_provincial"]["revenue"]["value"] == 6300
    t2015 = find_targets(targets_with_2017, 2015, zones=zones)
    assert t2015.is_missing and t2015.to_frame().empty and not t2015.stars
    assert "该年没有目标文件" in t2015.note and "2015" in t2015.note
    # the latest year by default (load_targets without a year)
    assert load_targets(targets_with_2017, zones=zones).year == 2017


def test_a_single_file_of_another_year_gives_no_targets(zones):
    single = paths.TARGETS_DIR / "2016.yaml"
    assert find_targets(single, 2016, zones=zones).year == 2016
    assert find_targets(single, 2015, zones=zones).is_missing


def test_file_name_and_year_must_agree(tmp_path, zones):
    folder = tmp_path / "targets"
    folder.mkdir()
    shutil.copy(paths.TARGETS_DIR / "2016.yaml", folder / "2017.yaml")
    with pytest.raises(ConfigError) as err:
        find_targets(folder, 2017, zones=zones)
    assert "2017.yaml" in str(err.value) and "键 year" in str(err.value)


def test_projecting_a_year_without_targets_gives_no_target_values(zones):
    stats = _stats((2012, 2013, 2014, 2015))
    targets = find_targets(None, 2015, zones=zones)
    log: list[dict] = []
    out = project_year_end(
        stats, 2015, 6, targets=targets, zones=zones, n_sims=200, log=log, with_ets=False
    )
    assert len(out) > 0
    for col in ["target_value", "target_growth_pct", "p_meet_target", "required_growth_pct"]:
        assert out[col].isna().all(), col
    assert out["notes"].str.contains("该年没有目标文件").all()
    assert any(e["event"] == "no_targets" for e in log)


def test_projecting_a_planned_year_keeps_its_targets(targets_with_2017, zones):
    stats = _stats((2013, 2014, 2015, 2016, 2017))
    targets = find_targets(targets_with_2017, 2017, zones=zones)
    out = project_year_end(stats, 2017, 6, targets=targets, zones=zones, n_sims=200, with_ets=False)
    agg = out[(out.zone_id == "agg_zz_provincial") & (out.indicator == "revenue")].iloc[0]
    assert agg.target_value == pytest.approx(6930)
    assert not out["notes"].str.contains("该年没有目标文件").any()


def test_report_reads_the_year_file_or_nothing(targets_with_2017):
    assert read_targets(targets_with_2017, year=2017)["year"] == 2017
    assert read_targets(targets_with_2017, year=2016)["year"] == 2016
    assert read_targets(targets_with_2017, year=2015) == {}
    assert read_targets(paths.TARGETS_DIR / "2016.yaml", year=2015) == {}


def test_project_lists_by_plan_year(tmp_path, zones):
    ids = zones["zone_id"].tolist()
    shipped = load_projects(zone_ids=ids, year=2016)
    assert len(shipped) > 0
    assert load_projects(zone_ids=ids, year=2015).empty
    folder = tmp_path / "projects"
    folder.mkdir()
    first = pd.read_csv(paths.PROJECTS_DIR / "2016.csv", dtype=str, keep_default_na=False)
    first.head(3).to_csv(folder / "2017.csv", index=False)
    assert len(load_projects(folder, zone_ids=ids, year=2017)) == 3
    assert load_projects(folder, zone_ids=ids, year=2016).empty


def test_star_targets_come_from_the_year_file():
    zones = pd.DataFrame({"zone_id": ["a", "b"], "zone_name": ["示例甲", "示例乙"]})
    rules = pd.DataFrame(
        {"star": [1], "name_zh": ["一星"], "indicator": ["revenue"], "operator": [">="],
         "threshold": [50.0], "note": ["示例"]}
    )  # fmt: skip
    values = {"revenue": np.array([60.0, 40.0])}
    draws = {"revenue": np.array([[60.0, 40.0], [40.0, 60.0]])}
    out = assess_stars(
        rules, zones, current=values, projected=values, projected_draws=draws,
        star_targets={"a": 1}, plan_year=2017,
    )  # fmt: skip
    assert out["star_target"].tolist()[0] == 1 and pd.isna(out["star_target"].iloc[1])
    assert out["note"].iloc[1] == "2017 年计划未定星级目标"
    none = assess_stars(
        rules, zones, current=values, projected=values, projected_draws=draws, plan_year=2015
    )
    assert none["star_target"].isna().all() and (none["note"] == "2015 年没有目标文件").all()


def test_no_plan_year_in_code_names_or_labels():
    pattern = re.compile(r"targets_2016|star_target_2016|projects_2016|2016年目标星级")
    sources = [*paths.PROJECT_ROOT.joinpath("zoneanalysis").rglob("*.py")]
    sources += [*paths.NOTEBOOKS_DIR.glob("*.ipynb")]
    hits = [str(p) for p in sources if pattern.search(p.read_text(encoding="utf-8"))]
    assert hits == []
