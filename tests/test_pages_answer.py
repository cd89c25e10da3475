"""The one-sentence answer (issue 12.2): units, named gaps, percentages that agree with the rule."""

import doctest

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zoneanalysis.reporting import answer, progress, rankings_page, views
from zoneanalysis.reporting.answer import (
    describe_gap,
    describe_target_line,
    format_amount,
    format_probability,
    label_gap,
)
from zoneanalysis.reporting.display import render_table


@pytest.mark.parametrize("module", [answer, progress, rankings_page])
def test_module_examples_hold(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def _row(**kw):
    row = {
        "indicator": "fai",
        "month": 9,
        "ytd_value": 1500.0,
        "projected_value": 2144.0,
        "target_value": 2360.0,
        "p_meet_target": 0.25,
        "required_growth_pct": 36.2,
    }
    row.update(kw)
    return pd.Series(row)


def test_sentence_by_hand():
    assert describe_target_line(_row()) == (
        "固定资产投资：预计全年 2,144 亿元，比目标少 216 亿元（完成概率 25 %）；余下 3 个月需同比增长 36 %。"
    )


def test_sentence_above_target_and_already_met():
    text = describe_target_line(_row(projected_value=2400.0, ytd_value=2400.0, p_meet_target=1.0))
    assert "比目标多 40.0 亿元" in text and "本年累计已完成全年目标" in text


def test_stock_sentence_has_people_and_no_month_requirement():
    text = describe_target_line(
        _row(
            indicator="employment", projected_value=72.4, target_value=75.0, required_growth_pct=3.4
        )
    )
    assert text.startswith("从业人员：预计年末 72.4 万人，比目标少 2.60 万人")
    assert "年末需比当前水平提高 3 %" in text and "个月" not in text


def test_gap_is_named_so_its_sign_cannot_be_misread():
    assert label_gap(90.0, 100.0, "亿元") == "差 10.0 亿元"
    assert label_gap(110.0, 100.0, "亿元") == "超 10.0 亿元"
    assert label_gap(100.001, 100.0, "亿元") == "持平"
    assert describe_gap(None, 100.0, "亿元") == "—"


@given(p=st.floats(0, 1, allow_nan=False))
def test_shown_probability_never_contradicts_the_thresholds(p):
    shown = format_probability(p)
    thresholds = views.VerdictThresholds()
    verdict = views.classify_verdict(p, 1.0, 1.0, thresholds)
    value = 0 if shown.startswith("<") else int(shown.split(" ")[0])
    # What a reader infers from the shown figure is the verdict on the page.
    by_shown = (
        views.ON_TRACK
        if value >= thresholds.p_on_track * 100
        else views.AT_RISK
        if value >= thresholds.p_at_risk * 100
        else views.OFF_TRACK
    )
    assert by_shown == verdict


@pytest.mark.parametrize(
    ("p", "shown"), [(0.57, "57 %"), (0.29, "29 %"), (0.2999999999999, "29 %"), (0.3, "30 %")]
)
def test_probability_edges(p, shown):
    assert format_probability(p) == shown


def test_baisha_case_shows_69_not_70():
    html = render_table(pd.DataFrame({"p": [0.6985]}), probability_columns=["p"])
    assert "69 %" in html and "70 %" not in html


def test_counts_are_integers_on_tables():
    frame = pd.DataFrame({"指标": ["省级以上研发平台"], "单位": ["个"], "本年累计": [49.2]})
    html = render_table(frame)
    assert ">49<" in html and "49.2" not in html
    assert format_amount(49.2, "个") == "49 个"


def test_verdict_and_aggregate_tables_carry_units_and_named_gaps():
    proj = pd.DataFrame(
        [
            {
                "zone_id": "agg_zz_provincial",
                "zone_name": "郑州市省级产业集聚区合计",
                "indicator": "employment",
                "ytd_value": 70.0,
                "projected_value": 72.0,
                "target_value": 75.0,
                "p_meet_target": 0.1,
                "lower_80": 71.0,
                "upper_80": 73.0,
                "projected_growth_pct": 2.0,
                "target_growth_pct": None,
                "required_growth_pct": 7.1,
            }
        ]
    )
    agg = views.build_aggregate_table(proj)
    assert agg.loc[0, "单位"] == "万人" and agg.loc[0, "与目标相比"] == "差 3.00 万人"
    verdicts = views.build_verdict_table(proj, "agg_zz_provincial")
    assert verdicts.loc[0, "单位"] == "万人" and verdicts.loc[0, "与目标相比"] == "差 3.00 万人"


def test_answer_lines_worst_first():
    proj = pd.DataFrame(
        [
            {**_row(indicator="revenue", p_meet_target=0.9).to_dict(), "zone_id": "z"},
            {**_row(p_meet_target=0.1).to_dict(), "zone_id": "z"},
        ]
    )
    lines = answer.build_answer_lines(proj, "z")
    assert [line.split("：")[0] for line in lines] == ["固定资产投资", "规模以上工业主营业务收入"]
