"""The answer-first summary of index.html: verdict counts, stars and links (示例 frames)."""

import pandas as pd

from zoneanalysis import paths
from zoneanalysis.registry import load_zones
from zoneanalysis.reporting.index import ManifestEntry, render_index
from zoneanalysis.reporting.summary import build_index_summary, load_index_summary


def _row(zone_id, indicator, p_meet, target=100.0, projected=90.0):
    return {
        "zone_id": zone_id,
        "zone_name": zone_id,
        "indicator": indicator,
        "projected_value": projected,
        "target_value": target,
        "p_meet_target": p_meet,
    }


def _projections():
    return pd.DataFrame(
        [
            # the plan's aggregate: revenue on track, fai off track
            _row("agg_zz_provincial", "revenue", 0.8),
            _row("agg_zz_provincial", "fai", 0.1),
            _row("agg_zz_parks", "revenue", 0.5),
            # 经开区: one of each; outside_funds has no target (no verdict)
            _row("zz_jingkai", "revenue", 0.9),
            _row("zz_jingkai", "fai", 0.5),
            _row("zz_jingkai", "employment", 0.1),
            _row("zz_jingkai", "outside_funds", None, target=None),
            # 金岱 (a city park in 2016): no probability, projected 94 of 100 → off track
            _row("zz_jindai", "revenue", None, projected=94.0),
        ]
    )


def _stars():
    return pd.DataFrame(
        {
            "zone_id": ["zz_jingkai", "zz_xinmi"],
            "star_projected": pd.array([6, 1], dtype="Int64"),
            "star_target": pd.array([6, 2], dtype="Int64"),
        }
    )


def test_counts_follow_the_reports_verdict_rule():
    zones = load_zones(paths.ZONES_FILE)
    out = build_index_summary(_projections(), _stars(), zones, 2016, example_ids={"zz_jingkai"})
    out = out.set_index("unit_id")
    agg = out.loc["agg_zz_provincial"]
    assert (agg.n_on_track, agg.n_at_risk, agg.n_off_track) == (1, 0, 1)
    assert agg.report_key == "overview" and agg["name"] == "省级集聚区合计"
    assert out.loc["agg_zz_parks", "n_at_risk"] == 1
    jk = out.loc["zz_jingkai"]
    assert (jk.n_on_track, jk.n_at_risk, jk.n_off_track) == (1, 1, 1)
    assert jk.off_track_indicators == "从业人员" and jk.targets_are_example
    assert jk.star_projected == 6 and not jk.star_below_target
    assert out.loc["zz_xinmi", "star_below_target"]  # 一星 projected against a 二星 target
    assert (
        out.loc["zz_jindai", "n_off_track"] == 1
        and out.loc["zz_jindai", "group"] == "市级工业专业园区"
    )
    # a zone without targets shows zeros, not a missing row
    assert out.loc["zz_gaoxin", ["n_on_track", "n_at_risk", "n_off_track"]].sum() == 0
    # aggregates first, then provincial zones, then parks
    assert list(out["group"].drop_duplicates()) == [
        "全市合计",
        "省级产业集聚区",
        "市级工业专业园区",
    ]


def test_restricted_to_the_reported_zones():
    zones = load_zones(paths.ZONES_FILE)
    out = build_index_summary(_projections(), _stars(), zones, 2016, zone_ids=["zz_jingkai"])
    assert list(out["unit_id"]) == ["agg_zz_provincial", "agg_zz_parks", "zz_jingkai"]


def test_index_page_shows_the_summary_escaped_and_linked():
    zones = load_zones(paths.ZONES_FILE)
    zones.loc[zones["zone_id"] == "zz_jingkai", "zone_name"] = "<b>示例</b>区"
    summary = build_index_summary(
        _projections(), _stars(), zones, 2016, zone_ids=["zz_jingkai", "zz_xinmi"]
    )
    entries = [
        ManifestEntry("overview", "overview", "全市总览", "overview.html", None, "ok", 3.2),
        ManifestEntry("zones/zz_jingkai", "zone", "经开", "zones/zz_jingkai.html", None, "ok", 2.5),
        ManifestEntry("zones/zz_xinmi", "zone", "新密", None, None, "failed", 1.0, "错误"),
    ]
    page = render_index(entries, period_label="2016年1-6月", is_sample=True, summary=summary)
    assert "&lt;b&gt;示例&lt;/b&gt;区" in page and "<b>示例</b>" not in page
    assert '<a href="zones/zz_jingkai.html">&lt;b&gt;示例&lt;/b&gt;区</a>' in page
    assert '<a href="overview.html">省级集聚区合计</a>' in page
    assert "新密市产业集聚区 <small" in page and "（无报告）" in page  # failed: no link
    assert "一星 / 二星（低于目标）" in page
    assert "分区目标为示例" not in page  # no example ids passed
    assert "秒" not in page
    assert page.index("结论速览") < page.index("<h2>全市总览")


def test_loaded_from_the_processed_folder(tmp_path):
    from reporting_fixtures import build_fixture_data

    data = build_fixture_data(tmp_path / "processed")
    out = load_index_summary("2016-06", processed=data["processed"], zones_path=data["zones"])
    assert out["unit_id"].iloc[0] == "agg_zz_provincial"
    counts = out[["n_on_track", "n_at_risk", "n_off_track"]].sum(axis=1)
    assert (counts.iloc[2:] > 0).any()


def test_each_line_carries_the_answer_for_its_hardest_target():
    zones = load_zones()
    out = build_index_summary(_projections(), _stars(), zones, 2016).set_index("unit_id")
    # The provincial total's hardest target is investment (p = 0.1): 90 of 100 亿元.
    assert out.at["agg_zz_provincial", "headline"].startswith(
        "固定资产投资：预计全年 90.0 亿元，比目标少 10.0 亿元（完成概率 10 %）"
    )
    assert out.at["zz_jingkai", "headline"].startswith("从业人员：预计年末 90.0 万人")
    html = render_index([], period_label="2016年1-6月", is_sample=True, summary=out.reset_index())
    assert "比目标少 10.0 亿元" in html
