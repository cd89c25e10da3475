"""Unit tests of the cleaner's small parts: numbers, periods, layouts, row classes."""

import pytest

from zoneanalysis.cleaning.layout import (
    ROLE_VALUE,
    ROLE_YOY,
    LayoutHints,
    column_letter,
    detect_layout,
    load_layout_hints,
)
from zoneanalysis.cleaning.period import detect_period, is_revision_title
from zoneanalysis.cleaning.rows import classify_rows
from zoneanalysis.cleaning.rules import load_cleaning_rules
from zoneanalysis.cleaning.values import NumberFormatError, parse_number
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.indicators import load_indicator_catalogue

RULES = load_cleaning_rules()
CATALOGUE = load_indicator_catalogue()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,234.56", 1234.56),
        ("12.5%", 12.5),
        ("-3.4", -3.4),
        (" 7 ", 7.0),
        ("　8.5　", 8.5),
        (42, 42.0),
        (3.25, 3.25),
        ("—", None),
        ("－", None),
        ("…", None),
        ("/", None),
        ("", None),
        (None, None),
        ("１２.５", 12.5),
    ],
)
def test_parse_number(cell, expected):
    assert parse_number(cell, RULES) == expected


@pytest.mark.parametrize("cell", ["12.3.4", "abc", "1,23", "12,34.5", "%", "1 2x"])
def test_parse_number_refuses_garbage(cell):
    with pytest.raises(NumberFormatError):
        parse_number(cell, RULES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016年1-6月郑州市产业集聚区主要经济指标（示例数据）", (2016, 6)),
        ("2016年1-2月郑州市产业集聚区主要经济指标", (2016, 2)),
        ("2015年1-12月郑州市产业集聚区主要经济指标", (2015, 12)),
        ("2015年全年郑州市产业集聚区主要经济指标", (2015, 12)),
        ("2016年一季度全省产业集聚区主要指标", (2016, 3)),
        ("2016年上半年全省产业集聚区主要指标（示例数据）", (2016, 6)),
        ("2014年前三季度全省产业集聚区主要指标", (2014, 9)),
        ("2013年1—9月郑州市产业集聚区主要经济指标", (2013, 9)),
        ("2013年１－１０月", (2013, 10)),
        ("2016-06_郑州市产业集聚区主要经济指标.csv", (2016, 6)),
        ("园区报表_补充.xlsx", (None, None)),
        ("郑州市产业集聚区主要经济指标", (None, None)),
    ],
)
def test_detect_period(text, expected):
    assert detect_period(text, RULES) == expected


def test_revision_title():
    assert is_revision_title("2016年1-5月郑州市产业集聚区主要经济指标（修订）", RULES)
    assert not is_revision_title("2016年1-5月郑州市产业集聚区主要经济指标", RULES)


def _layout(grid, hints=None):
    return detect_layout(
        grid, rel="t.csv", hints=hints or LayoutHints(), rules=RULES, catalogue=CATALOGUE
    )


def _pad(rows):
    width = max(len(r) for r in rows)
    return [list(r) + [""] * (width - len(r)) for r in rows]


def test_two_merged_header_rows_with_growth_columns():
    grid = _pad(
        [
            ["2016年1-6月郑州市产业集聚区主要经济指标"],
            ["单位：万元、人、%"],
            [
                "集聚区名称",
                "规模以上工业主营业务收入",
                "",
                "从业人员",
                "",
                "固定资产投资（亿元）",
                "",
            ],
            ["", "1-6月", "同比增长±%", "1-6月", "同比增长±%", "1-6月", "同比增长±%"],
            ["经开区", 1, 2, 3, 4, 5, 6],
        ]
    )
    layout = _layout(grid)
    assert layout.header_rows == (2, 3)
    assert layout.first_data_row == 4
    assert layout.name_column == 0
    assert (layout.year, layout.month, layout.is_revision) == (2016, 6, False)
    got = [(c.column, c.indicator, c.role, c.unit) for c in layout.columns]
    assert got == [
        (1, "revenue", ROLE_VALUE, "万元"),
        (2, "revenue", ROLE_YOY, None),
        (3, "employment", ROLE_VALUE, "人"),
        (4, "employment", ROLE_YOY, None),
        (5, "fai", ROLE_VALUE, "亿元"),
        (6, "fai", ROLE_YOY, None),
    ]


def test_month_cumulative_growth_groups_skip_the_month_column():
    grid = _pad(
        [
            ["2015年1-8月郑州市产业集聚区主要经济指标"],
            ["单位名称", "固定资产投资", "", "", "税收收入", "", ""],
            ["", "本月", "累计", "累计增长", "本月", "累计", "累计增长"],
            ["经开区", 1, 2, 3, 4, 5, 6],
        ]
    )
    got = [(c.column, c.indicator, c.role) for c in _layout(grid).columns]
    assert got == [(2, "fai", "value"), (3, "fai", "yoy"), (5, "tax", "value"), (6, "tax", "yoy")]


def test_province_layout_growth_belongs_to_the_indicator_on_its_left():
    grid = _pad(
        [
            ["2016年上半年全省产业集聚区主要指标（示例数据）"],
            [
                "序号",
                "集聚区名称",
                "所属省辖市",
                "规模以上工业主营业务收入（亿元）",
                "增长（%）",
                "从业人员（万人）",
                "主导产业占比（%）",
                "单位工业增加值能耗（吨标准煤/万元）",
                "规模以上工业企业数（个）",
                "某个新指标（亿元）",
                "增长（%）",
            ],
            [1, "郑州经济技术产业集聚区", "郑州市", 1, 2, 3, 4, 5, 6, 7, 8],
        ]
    )
    layout = _layout(grid)
    assert layout.name_column == 1
    assert (layout.year, layout.month) == (2016, 6)
    got = [(c.column, c.indicator, c.role, c.unit) for c in layout.columns]
    assert got == [
        (3, "revenue", "value", "亿元"),
        (4, "revenue", "yoy", None),
        (5, "employment", "value", "万人"),
        (6, "leading_industry_share", "value", "%"),
        (7, "energy_per_va", "value", "吨标准煤/万元"),
        (8, "enterprises", "value", "个"),
    ]
    # the unknown indicator and its growth column are reported, not attached elsewhere
    assert [c for c, _ in layout.unmapped] == [9, 10]


def test_unknown_unit_in_a_header_is_an_error():
    grid = _pad(
        [["2016年1-6月"], ["集聚区名称", "固定资产投资（万美元）", "税收收入"], ["经开区", 1, 2]]
    )
    with pytest.raises(InputDataError, match="万美元"):
        _layout(grid)


def test_no_period_is_an_error_unless_the_sidecar_gives_it():
    grid = _pad([["郑州市产业集聚区主要经济指标"], ["集聚区名称", "固定资产投资", "税收收入"]])
    with pytest.raises(InputDataError, match="期间"):
        _layout(grid)
    assert _layout(grid, LayoutHints(period=(2015, 8))).month == 8


def test_sidecar_hints(tmp_path):
    path = tmp_path / "x.xlsx.layout.yaml"
    path.write_text(
        "period: 2015-08\nsheet: 报表\nheader_rows: [5, 6]\nname_column: B\n"
        "first_data_row: 8\nunit: 万元\n",
        encoding="utf-8",
    )
    hints = load_layout_hints(path, "x.xlsx.layout.yaml")
    assert hints == LayoutHints(
        period=(2015, 8),
        sheet="报表",
        header_rows=(5, 6),
        name_column=1,
        first_data_row=8,
        unit="万元",
    )
    path.write_text("name_column: 3\n", encoding="utf-8")
    assert load_layout_hints(path, "x").name_column == 2
    path.write_text("header_row: 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="header_row"):
        load_layout_hints(path, "x")
    path.write_text("period: 2015-8\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="period"):
        load_layout_hints(path, "x")


def test_row_classes():
    grid = _pad(
        [
            ["2016年1-6月郑州市产业集聚区主要经济指标"],
            ["单位：亿元、%"],
            ["集聚区名称", "固定资产投资", "增长"],
            ["全市合计", 10, 1],
            ["经开区", 5, 1],
            ["市级工业专业园区", "", ""],
            ["示例园区01", "—", "—"],
            ["", "", ""],
            ["小计", 5, ""],
            ["注：示例数据", "", ""],
            ["2. 第二条说明", "", ""],
        ]
    )
    classes = classify_rows(grid, _layout(grid), RULES)
    assert classes == [
        "title",
        "unit",
        "header",
        "total",
        "data",
        "section",
        "empty_data",
        "blank",
        "total",
        "note",
        "note",
    ]


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]
