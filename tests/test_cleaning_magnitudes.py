"""A value in the wrong unit (万元 under a 亿元 unit line, a missing unit line) is refused by
comparing it with the same zone and indicator in the other periods of the run."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zoneanalysis.cleaning import clean_tables
from zoneanalysis.cleaning.magnitudes import magnitude_ratios
from zoneanalysis.errors import InputDataError
from zoneanalysis.indicators import load_indicator_catalogue

CATALOGUE = load_indicator_catalogue()
HEADER = ["集聚区名称", "规模以上工业主营业务收入", "固定资产投资", "从业人员"]


def write_month(raw: Path, month: int, rows, unit_line="单位：亿元、万人") -> Path:
    path = raw / f"2016-{month:02d}_郑州市产业集聚区主要经济指标.csv"
    lines = [[f"2016年1-{month}月郑州市产业集聚区主要经济指标（示例数据）"]]
    lines += [[unit_line]] if unit_line else []
    lines += [HEADER, *rows]
    width = max(len(r) for r in lines)
    raw.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([[*r, *[""] * (width - len(r))] for r in lines])
    return path


def good(month: int):
    return [
        ["经开区", f"{20 * month:.1f}", f"{5 * month:.1f}", "12.5"],
        ["白沙", f"{2 * month}", "1", "0.8"],
    ]


def test_a_month_in_wan_yuan_under_a_yi_yuan_unit_line_is_refused_naming_the_cell(tmp_path):
    for month in (3, 4, 5):
        write_month(tmp_path, month, good(month))
    wrong = good(6)
    wrong[1][1] = str(2 * 6 * 10000)  # 白沙's revenue of 1-6月 written in 万元
    write_month(tmp_path, 6, wrong)
    with pytest.raises(InputDataError) as err:
        clean_tables(tmp_path)
    text = str(err.value)
    assert "2016-06_郑州市产业集聚区主要经济指标.csv（第 5 行第 B 列）" in text
    assert "白沙" in text and "10,000 倍" in text and "magnitude_jump_factor" in text
    assert text.count("第 5 行") == 1  # only the wrong cell, not the other months


def test_people_in_persons_without_a_unit_line_is_refused(tmp_path):
    for month in (3, 6):
        write_month(tmp_path, month, good(month))
    rows = good(9)
    rows[0][3] = "125000"  # 人, and the file has no unit line
    write_month(tmp_path, 9, rows, unit_line=None)
    with pytest.raises(InputDataError, match="第 D 列"):
        clean_tables(tmp_path)


def test_ordinary_growth_and_seasonality_pass(tmp_path):
    for month in (2, 6, 12):
        rows = good(month)
        rows[0][2] = f"{0.3 if month == 2 else 5 * month:.1f}"  # a slow start of investment
        write_month(tmp_path, month, rows)
    stats = clean_tables(tmp_path).stats
    assert len(stats) == 3 * 2 * 3


def test_the_factor_is_a_rule(tmp_path, monkeypatch):
    from zoneanalysis.cleaning import rules

    text = (rules.paths.CLEANING_RULES_FILE).read_text(encoding="utf-8")
    bad = tmp_path / "cleaning_rules.yaml"
    bad.write_text(
        text.replace("magnitude_jump_factor: 1000", "magnitude_jump_factor: 0.5"), encoding="utf-8"
    )
    with pytest.raises(Exception, match="magnitude_jump_factor"):
        rules.load_cleaning_rules(bad)
    assert rules.load_cleaning_rules().magnitude_jump_factor == 1000


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(20.0, 100.0), min_size=3, max_size=12),  # a 5x spread
    slip=st.sampled_from([1e-4, 1e4]),
    at=st.integers(0, 11),
)
def test_one_slipped_value_among_plausible_ones_is_the_only_one_flagged(values, slip, at):
    at = at % len(values)
    months = [2 + i % 11 for i in range(len(values))]
    frame = pd.DataFrame(
        {
            "zone_id": "zz_jingkai",
            "indicator": "revenue",
            "year": [2010 + i // 11 for i in range(len(values))],
            "month": months,
            "value": [v * m for v, m in zip(values, months, strict=True)],
        }
    )
    frame.loc[at, "value"] *= slip
    ratio = magnitude_ratios(frame, CATALOGUE)
    flagged = set(frame.index[(ratio >= 1000) | (ratio <= 1e-3)])
    assert flagged == {at}
    assert not math.isnan(ratio[at])


def _year_file(raw: Path, year: int, rows) -> None:
    path = raw / f"{year}-06_郑州市产业集聚区主要经济指标.csv"
    lines = [[f"{year}年1-6月郑州市产业集聚区主要经济指标（示例数据）"], ["单位：亿元、%"]]
    lines += [["集聚区名称", "规模以上工业主营业务收入", "同比增长(%)"], *rows]
    raw.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([[*r, *[""] * (3 - len(r))] for r in lines])


def test_a_growth_written_as_a_fraction_is_kept_and_noted(tmp_path):
    _year_file(tmp_path, 2015, [["经开区", "100", "5.0"], ["高新区", "50", "2.0"]])
    _year_file(tmp_path, 2016, [["经开区", "112.3", "0.123"], ["高新区", "50.3", "0.6"]])
    result = clean_tables(tmp_path)
    got = result.stats.set_index(["zone_id", "year"])["yoy_pct"]
    assert got[("zz_jingkai", 2016)] == 0.123  # reported growth is data: kept as printed
    notes = result.report[result.report["reason"].str.contains("疑似写成了小数")]
    assert list(notes["source_file"]) == ["2016-06_郑州市产业集聚区主要经济指标.csv"]
    assert list(notes["source_row"]) == [4]  # 经开区 only: 高新区's 0.6 % matches its values
    assert (notes["severity"] == "warning").all()
