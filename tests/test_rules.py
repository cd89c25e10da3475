"""Rules as data: each rules file read by one validated loader; code and pages follow the file."""

import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.ledger import counts, tracking
from zoneanalysis.ledger.rules import load_ledger_rules
from zoneanalysis.projection import backtest, combine, methods
from zoneanalysis.reporting import views
from zoneanalysis.rules import load_projection_settings, load_report_rules, sentences
from zoneanalysis.stars import RISK_THRESHOLD
from zoneanalysis.targets import AGGREGATE_LEVELS, AGGREGATE_NAMES_ZH


def _copy_rules(tmp_path, mutate, name="report_rules.yaml"):
    """A copy of the reference folder with one rules file changed by ``mutate``."""
    folder = tmp_path / "reference"
    shutil.copytree(paths.REFERENCE_DIR, folder)
    raw = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    mutate(raw)
    (folder / name).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return folder


def test_code_defaults_are_the_shipped_rules():
    rules = load_report_rules()
    t = views.VerdictThresholds()
    assert (t.p_on_track, t.p_at_risk, t.ratio_at_risk) == (0.7, 0.3, 0.95)
    assert t.p_on_track == rules.verdict.p_on_track
    assert RISK_THRESHOLD == rules.stars.at_risk_probability == 0.8
    assert counts.COUNT_TOLERANCE_PP == rules.ledger.count_lag_pp == 5
    assert tracking.BEHIND_TOLERANCE_PP == rules.ledger.investment_lag_pp == 10
    assert tracking.BIG_PROJECT_THRESHOLDS == {"provincial": 10, "city_park": 5}
    assert views.AGGREGATE_IDS == list(AGGREGATE_NAMES_ZH) == list(AGGREGATE_LEVELS)
    assert AGGREGATE_LEVELS["agg_zz_all"] == ("provincial", "city_park")
    assert views.count_rank_head(10) == 20 and views.count_rank_head(30) == 40
    settings = load_projection_settings()
    assert settings.candidates == backtest.CANDIDATES
    assert backtest.DEFAULT_SIGMA == settings.default_sigma == 0.3
    assert backtest.DEFAULT_RHO == settings.default_common_share == 0.3
    assert combine.WEIGHT_POWER == settings.weight_power == 2.0
    assert methods.MIN_SEASONAL_YEARS == settings.min_seasonal_years == 1


def test_ledger_rules_live_in_the_reference_folder():
    assert paths.LEDGER_RULES_FILE.parent == paths.REFERENCE_DIR
    assert not (paths.PROJECT_ROOT / "zoneanalysis" / "ledger" / "ledger_rules.yaml").exists()
    rules = load_ledger_rules()
    assert rules.progress_headers["项目名称"] == "project_name"
    assert "True" in rules.yes_words  # YAML's yes stays a word, as before


@pytest.mark.parametrize(
    ("mutate", "key", "word"),
    [
        (lambda r: r["verdict"].update(p_on_track=1.5), "verdict.p_on_track", "不大于"),
        (lambda r: r["verdict"].update(p_at_risk="三成"), "verdict.p_at_risk", "数字"),
        (lambda r: r["verdict"].update(p_at_risk=0.9), "verdict", "p_at_risk"),
        (lambda r: r["stars"].pop("at_risk_probability"), "stars.at_risk_probability", "缺少"),
        (lambda r: r["ledger"].update(count_lag=5), "ledger.count_lag", "未知的键"),
        (lambda r: r["aggregates"]["agg_zz_parks"].update(levels=["county"]), "levels.0", "可选"),
        (lambda r: r["display"].update(rank_head_minimum=0), "display.rank_head_minimum", "不小于"),
    ],
)
def test_bad_report_rules_name_file_and_key(tmp_path, mutate, key, word):
    folder = _copy_rules(tmp_path, mutate)
    with pytest.raises(ConfigError) as err:
        load_report_rules(folder)
    text = str(err.value)
    assert str(folder / "report_rules.yaml") in text and key in text and word in text


@pytest.mark.parametrize(
    ("name", "mutate", "key"),
    [
        ("projection_settings.yaml", lambda r: r.update(candidates=["naive"]), "candidates.0"),
        (
            "projection_settings.yaml",
            lambda r: r.update(default_common_share=2),
            "default_common_share",
        ),
        ("projection_settings.yaml", lambda r: r.update(bias_weight=-1), "bias_weight"),
        ("ledger_rules.yaml", lambda r: r.update(ytd_header_pattern="(1-"), "ytd_header_pattern"),
        ("ledger_rules.yaml", lambda r: r.pop("yes_words"), "yes_words"),
    ],
)
def test_bad_settings_name_file_and_key(tmp_path, name, mutate, key):
    folder = _copy_rules(tmp_path, mutate, name)
    loader = load_projection_settings if name.startswith("projection") else load_ledger_rules
    with pytest.raises(ConfigError) as err:
        loader(folder / name)
    assert str(folder / name) in str(err.value) and f"键 {key}" in str(err.value)


def _projection_row(p_meet):
    return pd.DataFrame(
        {"zone_id": ["zz_jingkai"], "indicator": ["revenue"], "p_meet_target": [p_meet],
         "projected_value": [100.0], "target_value": [100.0], "ytd_value": [50.0],
         "lower_80": [90.0], "upper_80": [110.0], "projected_growth_pct": [10.0],
         "target_growth_pct": [12.0], "required_growth_pct": [12.0], "task_progress_pct": [50.0],
         "time_progress_pct": [50.0], "method": ["组合预测"], "backtest_mape_pct": [2.0],
         "notes": [""], "is_aggregate": [False], "zone_name": ["郑州经济技术产业集聚区"]}
    )  # fmt: skip


def test_changing_a_threshold_in_a_copy_changes_verdict_and_sentences(tmp_path):
    def stricter(raw):
        raw["verdict"]["p_on_track"] = 0.9
        raw["ledger"]["count_lag_pp"] = 8
        raw["ledger"]["big_project_min_investment"]["provincial"] = 20
        raw["display"]["rank_head_margin"] = 5

    rules = load_report_rules(_copy_rules(tmp_path, stricter))
    shipped = load_report_rules()
    row = _projection_row(0.8)
    before = views.build_verdict_table(row, "zz_jingkai")
    after = views.build_verdict_table(
        row, "zz_jingkai", views.VerdictThresholds(**rules.verdict.model_dump())
    )
    assert before["结论"].tolist() == [views.ON_TRACK]
    assert after["结论"].tolist() == [views.AT_RISK]
    text = views.describe_verdict_thresholds(views.VerdictThresholds(**rules.verdict.model_dump()))
    assert "≥ 90%" in text and "≥ 70%" not in text
    assert "8 个百分点" in sentences.describe_project_counts(rules)
    assert "5 个百分点" in sentences.describe_project_counts(shipped)
    assert "20 亿元" in sentences.describe_big_project_rule(rules)
    assert "再往后 5 名" in sentences.describe_rank_head_rule(rules)
    assert "再往后 10 名" in sentences.describe_rank_head_rule(shipped)


def test_a_folder_without_the_file_uses_the_shipped_rules(tmp_path):
    assert load_report_rules(tmp_path) == load_report_rules()


def test_notebook_markdown_restates_no_rule_value():
    """Rule values reach pages only through generated sentences (code cells)."""
    stale = re.compile(
        r"\d+\s*个百分点|\d+\s*亿元(以上)?项目|再往后\s*\d+\s*名|至少前\s*\d+\s*名|≥\s*\d+\s*%"
        r"|\d+\s*%\s*为[绿黄红]灯|郑政办〔\d{4}〕"
    )
    for nb_path in paths.NOTEBOOKS_DIR.glob("*.ipynb"):
        cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                assert not stale.search(text), (nb_path.name, stale.search(text).group())
    # the check itself catches the sentences as they used to be written
    assert stale.search("“滞后”表示任务进度落后时间进度 5 个百分点以上")
    assert stale.search("前 N 名再往后 10 名，至少前 20 名") and stale.search("≥ 70 % 为绿灯")


def test_tolerances_drive_the_ledger_status():
    values = pd.DataFrame({"code": ["x"], "year": [2016], "month": [6], "value": [45.0]})
    targets = pd.DataFrame({"code": ["x"], "name_zh": ["示例"], "unit": ["个"], "target": [100.0]})
    # task 45 % vs time 50 %: 5 points behind
    strict = counts.summarise_count_progress(values, targets, 2016, 6, tolerance_pp=4)
    loose = counts.summarise_count_progress(values, targets, 2016, 6)
    assert strict["status"].iloc[-1] == counts.STATUS_BEHIND
    assert loose["status"].iloc[-1] == counts.STATUS_ON_TRACK
    assert np.isclose(loose["gap_pp"].iloc[-1], -5.0)


@pytest.mark.slow
def test_changed_rules_file_changes_the_rendered_pages(tmp_path):
    """The pages read the rules of the reference folder they are given (that of --zones-file)."""
    import papermill as pm
    from reporting_fixtures import build_fixture_data

    from zoneanalysis.reporting.exporter import export_report_html

    data = build_fixture_data(tmp_path / "processed")
    raw = yaml.safe_load(paths.REPORT_RULES_FILE.read_text(encoding="utf-8"))
    raw["verdict"]["p_on_track"] = 0.9
    raw["display"]["rank_head_margin"] = 5
    (data["zones"].parent / "report_rules.yaml").write_text(
        yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8"
    )
    common = {
        "period": "2016-06",
        "processed_dir": str(data["processed"]),
        "zones_path": str(data["zones"]),
    }
    pages = {}
    for name, extra in [("zone_report", {"zone_id": "zz_jingkai", "targets_path": ""}),
                        ("rankings", {})]:  # fmt: skip
        nb = pm.execute_notebook(
            str(paths.NOTEBOOKS_DIR / f"{name}.ipynb"),
            str(tmp_path / f"{name}.ipynb"),
            parameters={**common, **extra},
            kernel_name="zoneanalysis",
            cwd=str(paths.NOTEBOOKS_DIR),
            progress_bar=False,
        )
        pages[name] = export_report_html(nb, title=name, is_sample=True)
    assert "≥ 90%" in pages["zone_report"] and "≥ 70%" not in pages["zone_report"]
    assert "再往后 5 名" in pages["rankings"] and "再往后 10 名" not in pages["rankings"]
    assert "Markdown object" not in pages["rankings"]


def test_level_band_is_a_rule_and_the_page_sentence_follows_it(tmp_path):
    from zoneanalysis.reporting import progress

    shipped = load_report_rules()
    narrow = load_report_rules(
        _copy_rules(tmp_path, lambda r: r["progress"].update(level_band_pp=0.05))
    )
    assert progress.level_band_pp() == shipped.progress.level_band_pp == 1.0
    assert "相差不到 1 个百分点算持平" in progress.PROGRESS_RULE
    assert "相差不到 0.05 个百分点算持平" in progress.describe_progress_rule(narrow)
    # 45.9 against a usual 45.8: level under the shipped band, ahead under the narrow one.
    frame = pd.DataFrame(
        {
            "zone_id": ["z1"],
            "indicator": ["revenue"],
            "year": [2016],
            "month": [6],
            "task_progress_pct": [45.9],
            "time_progress_pct": [45.8],
            "target_value": [100.0],
        }
    )
    assert progress.build_progress_frame(frame, "z1")["verdict"].tolist() == [progress.ON_TIME]
    assert progress.build_progress_frame(frame, "z1", rules=narrow)["verdict"].tolist() == [
        progress.AHEAD_OF_TIME
    ]


def test_a_rules_file_without_the_level_band_names_the_key(tmp_path):
    folder = _copy_rules(tmp_path, lambda r: r["progress"].pop("level_band_pp"))
    with pytest.raises(ConfigError) as err:
        load_report_rules(folder)
    assert "progress.level_band_pp" in str(err.value)
