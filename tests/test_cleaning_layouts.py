"""Bureau layouts the cleaner reads without anyone editing the bureau's file.

Column roles (上年同期, 本月/当月, 累计, growth headers), stacked tables, a zone listed twice in
one file, revisions marked in the title, the file name or the sidecar, footnote markers on headers.
"""

import csv
import math
from pathlib import Path

import openpyxl
import pytest
import yaml

from zoneanalysis import paths
from zoneanalysis.cleaning import clean_tables
from zoneanalysis.cleaning.layout import ROLE_VALUE, ROLE_YOY, LayoutHints, detect_layout
from zoneanalysis.cleaning.rules import load_cleaning_rules
from zoneanalysis.cli import main
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.indicators import load_indicator_catalogue

RULES = load_cleaning_rules()
CATALOGUE = load_indicator_catalogue()
TITLE = "2016年1-6月郑州市产业集聚区主要经济指标（示例数据）"
UNIT = "单位：亿元、%"


def pad(rows):
    width = max(len(r) for r in rows)
    return [[*r, *[""] * (width - len(r))] for r in rows]


def write_csv(path: Path, rows, encoding="utf-8-sig") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(pad(rows))
    return path


def layout_of(rows, rules=RULES, rel="t.csv"):
    return detect_layout(pad(rows), rel=rel, hints=LayoutHints(), rules=rules, catalogue=CATALOGUE)


def roles(rows, rules=RULES):
    return [(c.column, c.indicator, c.role) for c in layout_of(rows, rules).columns]


def stat(result, zone_id, indicator, month=6):
    s = result.stats
    hit = s[(s.zone_id == zone_id) & (s.indicator == indicator) & (s.month == month)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


# --- column roles ---------------------------------------------------------------------------


def test_prior_year_column_is_recognised_and_not_taken_as_the_value(tmp_path):
    rows = [
        [TITLE],
        [UNIT],
        ["集聚区名称", "规模以上工业主营业务收入", "", ""],
        ["", "1-6月", "上年同期", "同比增长±%"],
        ["经开区", "120.5", "100.0", "12.3"],
    ]
    write_csv(tmp_path / "a.csv", rows)
    result = clean_tables(tmp_path)
    row = stat(result, "zz_jingkai", "revenue")
    # the reported (comparable-basis) growth is kept, not 20.5 computed from 上年同期
    assert (row["value"], row["yoy_pct"]) == (120.5, 12.3)
    assert len(result.stats) == 1
    warn = result.report[result.report.severity == "warning"]
    assert len(warn) == 1
    assert "第 C 列" in warn.iloc[0]["reason"] and "上年同期" in warn.iloc[0]["reason"]


@pytest.mark.parametrize(
    "growth",
    ["增幅(%)", "增减(%)", "增长率(%)", "增速", "比上年同期增长(%)", "同比增长", "累计增长"],
)
def test_growth_headers_are_recognised_by_role(growth):
    rows = [
        [TITLE],
        ["集聚区名称", "固定资产投资(亿元)", growth, "上年同期", "税收收入(亿元)", growth],
        ["经开区", 1, 2, 3, 4, 5],
    ]
    assert roles(rows) == [
        (1, "fai", ROLE_VALUE),
        (2, "fai", ROLE_YOY),
        (4, "tax", ROLE_VALUE),
        (5, "tax", ROLE_YOY),
    ]


def test_a_single_row_change_header_with_a_money_unit_is_not_growth():
    rows = [
        [TITLE],
        ["集聚区名称", "固定资产投资(亿元)", "增减(亿元)", "增减(%)"],
        ["经开区", 1, 2, 3],
    ]
    assert roles(rows) == [(1, "fai", ROLE_VALUE), (3, "fai", ROLE_YOY)]


def test_an_absolute_change_is_not_a_growth_rate(tmp_path):
    rows = [
        [TITLE],
        [UNIT],
        ["集聚区名称", "固定资产投资", "", ""],
        ["", "1-6月", "比上年同期增减额", "增减(%)"],
        ["经开区", "80", "8", "11.1"],
    ]
    write_csv(tmp_path / "a.csv", rows)
    result = clean_tables(tmp_path)
    row = stat(result, "zz_jingkai", "fai")
    assert (row["value"], row["yoy_pct"]) == (80.0, 11.1)
    assert "派生数" in " ".join(result.report["reason"])


def test_shares_targets_and_completion_rates_are_not_values():
    rows = [
        [TITLE],
        [
            "集聚区名称",
            "规模以上工业主营业务收入",
            "",
            "",
            "",
            "主营业务收入占全市比重(%)",
            "主导产业占比",
        ],
        ["", "全年目标", "1-6月", "完成率(%)", "增长(%)", "", ""],
        ["经开区", 300, 120, 40, 9.5, 30, 70],
    ]
    layout = layout_of(rows)
    got = [(c.column, c.indicator, c.role) for c in layout.columns]
    assert got == [
        (2, "revenue", ROLE_VALUE),
        (4, "revenue", ROLE_YOY),
        (6, "leading_industry_share", ROLE_VALUE),
    ]
    assert [c for c, _h, _why in layout.skipped] == [1, 3, 5]


@pytest.mark.parametrize(
    ("sub", "role"),
    [
        ("本月止累计", ROLE_VALUE),
        ("截至本月累计", ROLE_VALUE),
        ("1-6月累计增长(%)", ROLE_YOY),
        ("比上年同期增长(%)", ROLE_YOY),
        ("本月增长", None),
        ("比上年同月增长", None),
        ("上年同期增长", None),  # last year's growth: never this year's
        ("2015年1-6月累计", None),
        ("比上年同期增减(%)", ROLE_YOY),
        ("比上年同期增减(亿元)", None),
        ("增减(万元)", None),
    ],
)
def test_the_longest_role_word_wins(sub, role):
    rows = [
        [TITLE],
        ["集聚区名称", "固定资产投资", "", "税收收入"],
        ["", sub, "1-6月" if role != ROLE_VALUE else "增长(%)", ""],
        ["经开区", 1, 2, 3],
    ]
    got = {c.column: c.role for c in layout_of(rows).columns if c.indicator == "fai"}
    assert got.get(1) == role


@pytest.mark.parametrize("prior", ["上年同期", "去年同期", "同期", "上年1-6月"])
def test_prior_year_words(prior):
    rows = [
        [TITLE],
        ["集聚区名称", "固定资产投资", "", ""],
        ["", "1-6月", prior, "增长(%)"],
        ["经开区", 1, 2, 3],
    ]
    assert roles(rows) == [(1, "fai", ROLE_VALUE), (3, "fai", ROLE_YOY)]


@pytest.mark.parametrize("month_word", ["本月", "当月"])
def test_this_month_is_not_mistaken_for_the_year_to_date(tmp_path, month_word):
    rows = [
        [TITLE],
        [UNIT],
        ["单位名称", "规模以上工业主营业务收入", "", "", ""],
        ["", month_word, "1-6月累计", f"{month_word}增长", "累计增长"],
        ["经开区", "20", "120", "3.0", "9.5"],
    ]
    assert roles(rows) == [(2, "revenue", ROLE_VALUE), (4, "revenue", ROLE_YOY)]
    write_csv(tmp_path / "a.csv", rows)
    row = stat(clean_tables(tmp_path), "zz_jingkai", "revenue")
    assert (row["value"], row["yoy_pct"]) == (120.0, 9.5)


def test_a_table_of_this_month_only_is_refused_naming_the_column():
    rows = [
        [TITLE],
        ["集聚区名称", "规模以上工业主营业务收入", "", "固定资产投资", ""],
        ["", "1-6月", "同比增长", "本月", "同比增长"],
        ["经开区", 1, 2, 3, 4],
    ]
    with pytest.raises(InputDataError) as err:
        layout_of(rows)
    text = str(err.value)
    assert "固定资产投资" in text and "只有本月数" in text and "第 D 列" in text


def test_an_earlier_year_in_a_header_is_last_years_same_period():
    rows = [
        [TITLE],
        ["集聚区名称", "规模以上工业主营业务收入", "", ""],
        ["", "2015年1-6月", "2016年1-6月", "增长(%)"],
        ["经开区", 100, 120, 12.3],
    ]
    layout = layout_of(rows)
    assert [(c.column, c.role) for c in layout.columns] == [(2, ROLE_VALUE), (3, ROLE_YOY)]
    assert [c for c, _h, _why in layout.skipped] == [1]


def test_roles_above_the_indicator_names(tmp_path):
    rows = [
        [TITLE],
        [UNIT],
        ["集聚区名称", "本年累计", "", "上年同期", "", "同比增长(%)", ""],
        [
            "",
            "主营业务收入",
            "固定资产投资",
            "主营业务收入",
            "固定资产投资",
            "主营业务收入",
            "固定资产投资",
        ],
        ["高新区", "50", "30", "45", "25", "11.1", "20.0"],
    ]
    write_csv(tmp_path / "a.csv", rows)
    result = clean_tables(tmp_path)
    assert (stat(result, "zz_gaoxin", "revenue")[["value", "yoy_pct"]] == [50.0, 11.1]).all()
    assert (stat(result, "zz_gaoxin", "fai")[["value", "yoy_pct"]] == [30.0, 20.0]).all()


def test_role_words_come_from_the_cleaning_rules(tmp_path):
    rows = [
        [TITLE],
        ["集聚区名称", "固定资产投资", "", ""],
        ["", "1-6月", "基期数", "增长(%)"],
        ["经开区", 1, 2, 3],
    ]
    with pytest.raises(InputDataError, match="prior_year_words"):  # two value columns
        layout_of(rows)
    raw = yaml.safe_load(paths.CLEANING_RULES_FILE.read_text(encoding="utf-8"))
    raw["prior_year_words"].append("基期数")
    custom = tmp_path / "rules.yaml"
    custom.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert roles(rows, load_cleaning_rules(custom)) == [
        (1, "fai", ROLE_VALUE),
        (3, "fai", ROLE_YOY),
    ]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("column_role_order", ["growth", "cumulative"], "column_role_order"),
        ("prior_year_use", "compute", "prior_year_use"),
    ],
)
def test_role_settings_are_validated(tmp_path, key, value, message):
    raw = yaml.safe_load(paths.CLEANING_RULES_FILE.read_text(encoding="utf-8"))
    raw[key] = value
    custom = tmp_path / "rules.yaml"
    custom.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_cleaning_rules(custom)


# --- footnote markers on headers ------------------------------------------------------------


def test_footnote_markers_on_headers_do_not_hide_columns(tmp_path):
    rows = [
        [TITLE],
        ["单位：万元、%"],
        ["集聚区名称※", "规模以上工业主营业务收入*", "", "从业人员（万人①）", "", "序号²"],
        ["", "1-6月", "同比增长±%¹", "1-6月", "增幅(%)△", ""],
        ["经开区", "1005000", "12.3", "10.25", "3.0", "1"],
    ]
    write_csv(tmp_path / "a.csv", rows)
    result = clean_tables(tmp_path)
    revenue = stat(result, "zz_jingkai", "revenue")
    employment = stat(result, "zz_jingkai", "employment")
    assert (revenue["value"], revenue["yoy_pct"]) == (100.5, 12.3)
    assert (employment["value"], employment["yoy_pct"]) == (10.25, 3.0)
    assert (result.report.severity == "warning").sum() == 0  # 序号² is still 序号


# --- stacked tables -------------------------------------------------------------------------


def stacked_rows(second_title="2016年1-6月郑州市市级工业专业园区主要经济指标（示例数据）"):
    return [
        [TITLE],
        [UNIT],
        ["集聚区名称", "规模以上工业主营业务收入", "同比增长(%)"],
        ["全市合计", "150.5", "9.0"],
        ["经开区", "100.5", "12.3"],
        ["高新区", "50", "3.0"],
        ["注：省级产业集聚区。"],
        [],
        [second_title],
        ["单位：万元、%"],
        ["园区名称", "规模以上工业主营业务收入", "增幅(%)"],
        ["小计", "60000", "5.0"],
        ["示例园区01", "50000", "4.0"],
        ["示例园区02", "10000", "—"],
    ]


def test_two_stacked_tables_are_cleaned_each_as_its_own_table(tmp_path):
    write_csv(tmp_path / "a.csv", stacked_rows())
    result = clean_tables(tmp_path)
    got = result.stats.set_index("zone_id")[["value", "yoy_pct", "source_row", "month"]]
    assert got.loc["zz_jingkai"].tolist() == [100.5, 12.3, 5, 6]
    assert got.loc["zzp_ex01"].tolist() == [5.0, 4.0, 13, 6]  # 万元 of the second unit line
    assert got.loc["zzp_ex02", "value"] == 1.0 and math.isnan(got.loc["zzp_ex02", "yoy_pct"])
    assert len(got) == 4
    seen = set(result.stats["source_row"]) | set(result.report["source_row"])
    assert seen == set(range(1, 15))
    reasons = result.report.set_index("source_row")["reason"]
    assert reasons[9] == "标题行" and reasons[11] == "表头行" and reasons[7] == "注释行"


def test_a_stacked_table_keeps_its_own_period(tmp_path):
    write_csv(tmp_path / "a.csv", stacked_rows("2016年1-5月郑州市市级工业专业园区主要经济指标"))
    stats = clean_tables(tmp_path).stats.set_index("zone_id")
    assert stats.loc["zz_jingkai", "month"] == 6 and stats.loc["zzp_ex01", "month"] == 5


def test_a_table_of_dashes_above_a_stacked_table_is_still_a_table(tmp_path):
    """Found by the round-trip property: with no number above it, the second header was read
    as a zone named "园区名称"."""
    rows = stacked_rows()
    rows[3:6] = [["经开区", "—", "—"], ["高新区", "…", "/"]]
    write_csv(tmp_path / "a.csv", rows)
    result = clean_tables(tmp_path)
    got = result.stats.set_index("zone_id")
    assert set(got.index) == {"zzp_ex01", "zzp_ex02"}
    assert got.loc["zzp_ex01", "value"] == 5.0
    reasons = result.report.set_index("source_row")["reason"]
    assert reasons[10] == "表头行"
    assert not (result.stats["zone_name"] == "园区名称").any()


def test_a_repeated_header_without_title_continues_the_table_above(tmp_path):
    rows = stacked_rows()
    rows[6:10] = []  # no note, title or unit line between the tables: a header repeated
    write_csv(tmp_path / "a.csv", rows)
    stats = clean_tables(tmp_path).stats.set_index("zone_id")
    assert stats.loc["zzp_ex01", "value"] == 50000.0  # in 亿元, the unit line above
    assert stats.loc["zzp_ex01", "month"] == 6


# --- a zone listed twice in one file --------------------------------------------------------


def twice(value):
    return [
        [TITLE],
        [UNIT],
        ["集聚区名称", "规模以上工业主营业务收入", "同比增长(%)"],
        ["经开区", "100.5", "12.3"],
        ["高新区", "50", "3.0"],
        ["郑州经开区", value, "12.3"],
    ]


def test_a_zone_twice_in_one_file_with_equal_values_is_reported(tmp_path):
    write_csv(tmp_path / "a.csv", twice("100.5"))
    result = clean_tables(tmp_path)
    assert stat(result, "zz_jingkai", "revenue")["source_row"] == 4
    dup = result.report[result.report.severity == "duplicate"]
    assert dup["source_row"].tolist() == [6]
    assert "本文件中出现两次" in dup.iloc[0]["reason"] and "a.csv 第 4 行" in dup.iloc[0]["reason"]


def test_a_zone_twice_in_one_file_with_different_values_exits_1(tmp_path, capsys):
    write_csv(tmp_path / "raw" / "a.csv", twice("99"))
    code = main(["clean", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "一个文件中出现两次" in err and "两个文件" not in err
    assert "a.csv" in err and "第 4 行与第 6 行" in err
    assert not (tmp_path / "out").exists()


def test_a_zone_on_two_sheets_of_one_workbook_is_one_file_not_two(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "省级"
    for name, rows in (("省级", twice("100.5")[:5]), ("补充", [*twice("99")[:3], twice("99")[5]])):
        ws = book[name] if name in book.sheetnames else book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row, start=1):
                ws.cell(row=r, column=c, value=cell)
    book.save(tmp_path / "a.xlsx")
    with pytest.raises(InputDataError) as err:
        clean_tables(tmp_path)
    text = str(err.value)
    assert "一个文件中出现两次" in text and "两个文件" not in text
    assert "a.xlsx!省级 第 4 行与 a.xlsx!补充 第 4 行" in text


# --- revisions ------------------------------------------------------------------------------

MAY = "2016年1-5月郑州市产业集聚区主要经济指标"


def may(value):
    return [
        [MAY],
        [UNIT],
        ["集聚区名称", "规模以上工业主营业务收入", "同比增长(%)"],
        ["经开区", value, "12.3"],
        ["高新区", "50", "3.0"],
    ]


@pytest.mark.parametrize(
    "revised_name",
    [
        "2016-05_郑州市产业集聚区主要经济指标（修订）.csv",
        "2016-05_郑州市产业集聚区主要经济指标_修订.csv",
        "2016-05_zone_stats_REVISED.csv",
        "0_更正.csv",  # sorted before the original: the mark decides, not the order
    ],
)
def test_a_revision_marked_only_in_the_file_name_wins(tmp_path, revised_name):
    write_csv(tmp_path / "2016-05_郑州市产业集聚区主要经济指标.csv", may("100.5"))
    write_csv(tmp_path / revised_name, may("111.1"))
    result = clean_tables(tmp_path)
    row = stat(result, "zz_jingkai", "revenue", month=5)
    assert (row["value"], row["quality_flag"], row["source_file"]) == (
        111.1,
        "revised",
        revised_name,
    )
    superseded = result.report[result.report.severity == "superseded"]
    assert set(superseded["source_file"]) == {"2016-05_郑州市产业集聚区主要经济指标.csv"}


def test_a_revision_marked_in_the_sidecar_wins(tmp_path):
    write_csv(tmp_path / "a.csv", may("100.5"))
    write_csv(tmp_path / "b.csv", may("111.1"))
    (tmp_path / "b.csv.layout.yaml").write_text("revision: true\n", encoding="utf-8")
    row = stat(clean_tables(tmp_path), "zz_jingkai", "revenue", month=5)
    assert (row["value"], row["source_file"]) == (111.1, "b.csv")


def test_sidecar_revision_false_overrides_a_word_in_the_file_name(tmp_path):
    write_csv(tmp_path / "2016-05_修正系数.csv", may("111.1"))
    write_csv(tmp_path / "2016-05.csv", may("111.1"))
    (tmp_path / "2016-05_修正系数.csv.layout.yaml").write_text(
        "revision: false\n", encoding="utf-8"
    )
    result = clean_tables(tmp_path)
    assert set(result.report["severity"]) >= {"duplicate"}
    assert "superseded" not in set(result.report["severity"])


def test_two_revisions_that_disagree_are_an_error(tmp_path):
    write_csv(tmp_path / "a_修订.csv", may("100.5"))
    write_csv(tmp_path / "b_修订.csv", may("111.1"))
    with pytest.raises(InputDataError, match="都标为修订版"):
        clean_tables(tmp_path)


def test_the_conflict_hint_does_not_ask_to_edit_the_bureaus_file(tmp_path):
    write_csv(tmp_path / "a.csv", may("100.5"))
    write_csv(tmp_path / "b.csv", may("111.1"))
    with pytest.raises(InputDataError) as err:
        clean_tables(tmp_path)
    text = str(err.value)
    assert "两个文件" in text and "文件名" in text and "revision: true" in text
    assert "在其标题中注明" not in text


def test_sidecar_revision_must_be_true_or_false(tmp_path):
    write_csv(tmp_path / "a.csv", may("100.5"))
    (tmp_path / "a.csv.layout.yaml").write_text("revision: 是\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="revision"):
        clean_tables(tmp_path)


# --- unit lines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line", ["金额单位：万元；人数单位：人", "计量单位:万元/人/%", "单位：万元，人，%"]
)
def test_unit_line_variants(line):
    rows = [
        [TITLE, "", line],
        ["集聚区名称", "固定资产投资", "从业人员"],
        ["经开区", 1, 2],
    ]
    layout = layout_of(rows)
    assert [(c.indicator, c.unit) for c in layout.columns] == [
        ("fai", "万元"),
        ("employment", "人"),
    ]


def test_a_units_row_below_the_header_gives_each_columns_unit(tmp_path):
    rows = [
        [TITLE],
        ["集聚区名称", "规模以上工业主营业务收入", "", "从业人员", ""],
        ["", "1-6月", "同比增长", "1-6月", "同比增长"],
        ["计量单位", "万元", "%", "人", "%"],
        ["经开区", "1005000", "12.3", "102500", "3.0"],
    ]
    write_csv(tmp_path / "a.csv", rows)
    result = clean_tables(tmp_path)
    assert stat(result, "zz_jingkai", "revenue")["value"] == 100.5
    assert stat(result, "zz_jingkai", "employment")["value"] == 10.25
    assert result.report.set_index("source_row").loc[4, "reason"] == "表头行"
