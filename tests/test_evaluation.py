"""Year-end evaluation and the quarter-on-quarter comparison: hand-computed cases."""

from __future__ import annotations

import pandas as pd
import pytest
from reporting_fixtures import build_fixture_data

from zoneanalysis.errors import ConfigError
from zoneanalysis.evaluation import (
    EVALUATION_RULES_FILE,
    NOT_ELIGIBLE,
    eligibility_table,
    laggard_table,
    load_evaluation_rules,
    star_change_table,
)
from zoneanalysis.quarterly import compare_quarters, previous_quarter
from zoneanalysis.registry import load_zones

ZONES = load_zones()


def test_shipped_rules_load_and_a_bad_key_is_named(tmp_path):
    rules = load_evaluation_rules()
    assert rules.precondition.requires_big_project_started
    bad = tmp_path / "evaluation_rules.yaml"
    bad.write_text(
        EVALUATION_RULES_FILE.read_text(encoding="utf-8").replace("bottom_n: 2", "bottom_n: -1"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_evaluation_rules(bad)
    assert err.value.location == "laggards.bottom_n"
    typo = tmp_path / "typo.yaml"
    typo.write_text("laggards:\n  botom_n: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="年度考评规则有误"):
        load_evaluation_rules(typo)


def test_a_zone_below_last_years_star_owes_an_explanation():
    stars = pd.DataFrame(
        {
            "zone_name": ["甲", "乙", "丙"],
            "star_previous": pd.array([3, 2, pd.NA], dtype="Int64"),
            "star_projected": [2, 2, 1],
            "star_target": pd.array([3, 2, pd.NA], dtype="Int64"),
        }
    )
    table = star_change_table(stars, load_evaluation_rules())
    assert list(table["需递交书面说明"]) == ["是（低于上年星级）", "", ""]
    assert list(table["达到目标星级"]) == ["否", "是", "—"]


def test_precondition_needs_a_started_big_project_and_is_never_assumed():
    rules = load_evaluation_rules()
    zz = ZONES[ZONES["is_zhengzhou"]]
    ids = list(zz["zone_id"])
    big = pd.DataFrame(
        {
            "zone_id": ids[:2],
            "threshold": [10.0, 10.0],
            "n_qualifying_started": [1, 0],
            "met": [True, False],
        }
    )
    table = eligibility_table(big, ZONES, rules).set_index("集聚区")
    names = list(zz["zone_name"])
    assert table.loc[names[0], "评先资格"] == "具备"
    assert table.loc[names[1], "评先资格"] == NOT_ELIGIBLE
    assert table.loc[names[2], "评先资格"].startswith("未核对")
    assert eligibility_table(None, ZONES, rules)["评先资格"].str.startswith("未核对").all()


def test_laggards_are_the_bottom_of_the_list_with_their_weakest_pillars():
    rankings = pd.DataFrame(
        {
            "list": "zz_liangqiang",
            "list_name_zh": "郑州两强",
            "zone_name": ["甲", "乙", "丙", "丁"],
            "rank": [1, 2, 3, 4],
            "pillar_scale": [60.0, 40.0, 30.0, 2.0],
            "pillar_benefit": [30.0, 20.0, 1.0, 18.0],
        }
    )
    rules = load_evaluation_rules().model_copy(deep=True)
    rules.laggards.lists, rules.laggards.bottom_n, rules.laggards.weakest_pillars = (
        ["zz_liangqiang"],
        2,
        1,
    )
    table = laggard_table(rankings, rules, {"scale": "经济规模", "benefit": "经济效益"})
    assert list(table["集聚区"]) == ["丙", "丁"]
    # 丙: scale 30 vs mean 33 (-3), benefit 1 vs mean 17.25 (-16.25) → benefit
    assert table.iloc[0]["拖后腿的分项"].startswith("经济效益（1.0 分")
    assert table.iloc[1]["拖后腿的分项"].startswith("经济规模（2.0 分")


def test_previous_quarter():
    assert previous_quarter("2016-09") == "2016-06"
    assert previous_quarter("2016-12") == "2016-09"
    assert previous_quarter("2016-03") is None
    assert previous_quarter("2016-08") is None


def test_quarter_comparison_lists_what_moved(tmp_path):
    processed = tmp_path / "processed"
    build_fixture_data(processed, "2016-06")
    missing = compare_quarters("2016-09", tmp_path / "empty", ZONES)
    assert missing is None or "不在数据目录" in missing.note
    build_fixture_data(processed, "2016-09")
    before = pd.read_parquet(processed / "projections_2016-06.parquet")
    # move one line from on track to off track last quarter
    row = before.index[(before["zone_id"] == "zz_jingkai") & before["target_value"].notna()][0]
    now = pd.read_parquet(processed / "projections_2016-09.parquet")
    match = now[
        (now["zone_id"] == "zz_jingkai") & (now["indicator"] == before.loc[row, "indicator"])
    ].iloc[0]
    before.loc[row, "p_meet_target"] = 0.0 if match["p_meet_target"] >= 0.3 else 0.95
    before.to_parquet(processed / "projections_2016-06.parquet", index=False)
    q = compare_quarters("2016-09", processed, ZONES)
    assert q.previous == "2016-06"
    moved = q.verdicts[q.verdicts["集聚区"] == "郑州经济技术产业集聚区"]
    assert len(moved) >= 1
    assert set(q.verdicts["变化"]) <= {"好转", "变差"}
