import numpy as np
import pandas as pd
import pytest
from ranking_fixtures import make_projections, make_stats

from zoneanalysis.errors import ConfigError
from zoneanalysis.ranking import load_criteria, rank_zones
from zoneanalysis.registry import load_zones
from zoneanalysis.stars import assess_stars, evaluate_stars, load_star_rules

RULES = pd.DataFrame(
    {
        "star": [1, 2, 3, 3],
        "name_zh": ["一星", "二星", "三星", "三星"],
        "indicator": ["revenue", "revenue", "revenue", "rank:shiqiang"],
        "operator": [">=", ">=", ">=", "<="],
        "threshold": [50.0, 100.0, 250.0, 3.0],
        "note": ["示例"] * 4,
    }
)


def test_evaluate_stars_by_hand():
    values = {
        "revenue": np.array([40.0, 60.0, 120.0, 300.0, 300.0, np.nan]),
        "rank:shiqiang": np.array([9, 9, 9, 2, 5, 1.0]),
    }
    # 40 → 0; 60 → 1; 120 → 2; 300 & rank 2 → 3; 300 but rank 5 → 2; unknown → 0
    assert evaluate_stars(RULES, values).tolist() == [0, 1, 2, 3, 2, 0]


def test_assess_stars_probability_and_risk_by_hand():
    zones = pd.DataFrame(
        {
            "zone_id": ["a", "b", "c"],
            "zone_name": ["示例甲", "示例乙", "示例丙"],
        }  # fmt: skip
    )
    star_targets = {"a": 2, "b": 1}
    draws = {
        "revenue": np.array(
            [[110.0, 55.0, 10.0], [90.0, 60.0, 10.0], [95.0, 70.0, 10.0], [120.0, 49.0, 10.0]]
        ),
        "rank:shiqiang": np.full((4, 3), 9.0),
    }
    point = {"revenue": np.array([100.0, 60.0, 10.0]), "rank:shiqiang": np.full(3, 9.0)}
    now = {"revenue": np.array([90.0, 45.0, np.nan]), "rank:shiqiang": np.full(3, np.nan)}
    out = assess_stars(
        RULES, zones, current=now, projected=point, projected_draws=draws, star_targets=star_targets
    )
    # zone a reaches 二星 in draws 1 and 4 → 0.5; zone b reaches 一星 in 3 of 4 → 0.75
    assert out["p_reach_target"].tolist()[:2] == [0.5, 0.75]
    assert np.isnan(out["p_reach_target"].iloc[2])
    assert out["at_risk"].tolist() == [True, True, False]
    assert out["star_current"].tolist()[:2] == [1, 0]
    assert pd.isna(out["star_current"].iloc[2])
    assert out["star_projected"].tolist() == [2, 1, 0]


def test_shipped_rules_are_valid_and_labelled_as_examples():
    rules = load_star_rules()
    assert set(rules["star"]) == {1, 2, 3, 4, 5, 6}
    assert rules["note"].str.contains("示例").all()


def test_bad_rule_names_file_and_row(tmp_path):
    p = tmp_path / "star_rules.csv"
    p.write_text(
        "star,name_zh,indicator,operator,threshold,note\n1,一星,revenue,>,50,示例\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_star_rules(p)
    assert err.value.location == "第 2 行"
    p.write_text(
        "star,name_zh,indicator,operator,threshold,note\n1,一星,revenu,>=,50,示例\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError):
        load_star_rules(p, known={"revenue"})


def test_rank_zones_gives_one_star_row_per_zhengzhou_zone():
    stats = make_stats()
    res = rank_zones(
        stats, 2016, 6, criteria=load_criteria(), zones=load_zones(),
        projections=make_projections(stats), n_draws=100, seed=2,
    )  # fmt: skip
    s = res.stars
    assert len(s) == 11 and s["zone_id"].str.startswith("zz_").all()
    targeted = s["star_target"].notna()
    assert s.loc[targeted, "p_reach_target"].between(0, 1).all()
    assert s.loc[~targeted, "p_reach_target"].isna().all()
    big = s.set_index("zone_id").loc["zz_hangkonggang"]
    assert big["star_projected"] == 6 and not big["at_risk"]
