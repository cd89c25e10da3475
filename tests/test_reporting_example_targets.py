"""Per-zone targets are examples and are labelled 示例 wherever shown; the plan's are not."""

import pandas as pd

from zoneanalysis.reporting import charts, views

TARGETS = {
    "aggregates": {"agg_zz_provincial": {"targets": {"revenue": {"value": 100}}}},
    "zones": {"z1": {"is_example": True, "revenue": 60.0}, "z2": {"revenue": 40.0}},
}


def _proj(zone_id):
    return pd.DataFrame(
        {
            "zone_id": [zone_id],
            "zone_name": ["示例区"],
            "indicator": ["revenue"],
            "ytd_value": [30.0],
            "prev_year_value": [50.0],
            "projected_value": [55.0],
            "lower_80": [50.0],
            "upper_80": [60.0],
            "lower_95": [48.0],
            "upper_95": [62.0],
            "projected_growth_pct": [10.0],
            "target_value": [60.0],
            "target_growth_pct": [20.0],
            "p_meet_target": [0.2],
            "required_growth_pct": [30.0],
            "time_progress_pct": [50.0],
            "task_progress_pct": [50.0],
            "method": ["示例"],
            "backtest_mape_pct": [3.0],
            "notes": [""],
        }
    )


def test_label_follows_is_example():
    assert views.list_example_target_ids(TARGETS) == {"z1"}
    assert views.label_target("z1", TARGETS) == "目标（示例）"
    assert views.label_target("z2", TARGETS) == "目标"
    assert views.label_target("agg_zz_provincial", TARGETS) == "目标"


def test_verdict_and_indicator_tables_carry_the_label():
    label = views.label_target("z1", TARGETS)
    verdicts = views.build_verdict_table(_proj("z1"), "z1", target_label=label)
    assert "目标（示例）" in verdicts.columns and "目标" not in verdicts.columns
    table = views.build_indicator_table(_proj("z1"), "z1", target_label=label)
    assert table.loc[0, "目标（示例）"] == 60.0


def test_chart_legend_names_the_example_target():
    stats = pd.DataFrame(columns=["zone_id", "year", "month", "indicator", "value"])
    frame = views.build_projection_frame(
        stats, _proj("z1"), "z1", "revenue", 2016, 6, target_label="目标（示例）"
    )
    spec = charts.chart_projection_fan(frame, title="示例", unit="亿元").to_dict()
    domains = [
        layer["encoding"]["color"]["scale"]["domain"]
        for layer in spec["layer"]
        if "color" in layer.get("encoding", {})
    ]
    assert domains and all("目标（示例）" in d and "目标" not in d for d in domains)


def test_drag_table_marks_example_targets():
    zones = pd.DataFrame({"zone_id": ["z1"], "is_zhengzhou": [True]})
    out = views.find_drag_zones(_proj("z1"), zones, example_ids={"z1"})
    assert out.loc[0, "目标"] == "60.0（示例）"
    plain = views.find_drag_zones(_proj("z1"), zones)
    assert plain.loc[0, "目标"] == 60.0


def test_threshold_sentence_uses_configured_values():
    text = views.describe_verdict_thresholds(views.VerdictThresholds(0.8, 0.4, 0.9))
    assert "≥ 80%" in text and "低于 40%" in text and "90%" in text
    assert "Verdict" not in text
