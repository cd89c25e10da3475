import datetime as dt

import pandas as pd
import pytest

from zoneanalysis.cli import main
from zoneanalysis.errors import ConfigError, PeriodError
from zoneanalysis.indicators import load_indicator_catalogue, match_indicator
from zoneanalysis.periods import parse_period, period_label_zh, require_period_in_data


def test_parse_period_accepts_year_month():
    assert parse_period("2016-06", today=dt.date(2026, 1, 1)) == (2016, 6)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2016/06", "格式不对"),
        ("2016-13", "不在 1-12"),
        ("2016-01", "1-2月"),
        ("2031-05", "未来"),
    ],
)
def test_parse_period_refuses_bad_periods(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text, today=dt.date(2026, 11, 27))


def test_period_label_is_year_to_date():
    assert period_label_zh(2016, 6) == "2016年1-6月"
    assert period_label_zh(2015, 12) == "2015年全年"


def test_require_period_names_the_latest_available_month():
    stats = pd.DataFrame({"year": [2016, 2016], "month": [2, 3]})
    with pytest.raises(PeriodError, match="2016-03"):
        require_period_in_data(stats, 2016, 9, "zone_stats.parquet")


def test_cli_reports_a_bad_period_without_traceback(capsys):
    assert main(["project", "--period", "16-6"]) == 1
    err = capsys.readouterr().err
    assert "格式不对" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("规模以上工业主营业务收入（万元）", "revenue"),
        ("  固定资产投资 ", "fai"),
        ("实际利用省外资金", "outside_funds"),
        ("从业人员（人）", "employment"),
        ("单位工业增加值能耗（吨标准煤/万元）", "energy_per_va"),
        ("序号", None),
    ],
)
def test_headers_map_to_indicator_codes(header, code):
    assert match_indicator(header) == code


def test_units_convert_to_canonical():
    catalogue = load_indicator_catalogue()
    assert catalogue["revenue"].to_canonical(12345.0, "万元") == pytest.approx(1.2345)
    assert catalogue["employment"].to_canonical(25000, "人") == pytest.approx(2.5)
    with pytest.raises(ConfigError, match="不认识单位"):
        catalogue["revenue"].to_canonical(1.0, "美元")


def test_every_indicator_of_the_design_is_in_the_catalogue():
    codes = set(load_indicator_catalogue())
    design = {"revenue", "fai", "outside_funds", "employment", "value_added", "tax", "profit"}
    assert design <= codes


def test_shared_alias_is_a_config_error(tmp_path):
    bad = tmp_path / "indicators.yaml"
    spec = "unit: 亿元\n  units: {亿元: 1}\n  kind: ytd_flow\n  direction: 1\n  min: 0\n  max: 1\n"
    bad.write_text(
        f"a:\n  name_zh: 甲\n  aliases: [收入]\n  {spec}b:\n  name_zh: 乙\n  aliases: [收入]\n  {spec}",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="同时属于"):
        load_indicator_catalogue(str(bad))
