import csv

import pandas as pd
import pytest

from zoneanalysis.cleaning.layout import column_letter
from zoneanalysis.errors import InputDataError
from zoneanalysis.ledger.projects import PROJECT_COLUMNS, ProjectMatcher, load_projects
from zoneanalysis.ledger.read import read_count_table, read_industry_table, read_progress_table
from zoneanalysis.registry import ZoneMatcher

HEADER = [
    "序号",
    "项目名称",
    "所在集聚区",
    "项目类别",
    "新引进",
    "总投资",
    "本年计划投资",
    "1-6月完成投资",
    "开工状态",
    "开工日期",
    "计划开工月份",
    "投产状态",
    "投产日期",
    "计划投产月份",
]
GOOD = [
    [
        1,
        "甲 项目",
        "高新区",
        "新开工",
        "是",
        "120,000",
        "40000",
        "20000",
        "已开工",
        "2016年3月5日",
        "3",
        "未投产",
        "—",
        "",
    ],
    [
        2,
        "乙项目",
        " 航空港区 ",
        "",
        "否",
        "80000",
        "20000",
        "…",
        "已开工",
        "2015-06-01",
        "",
        "已投产",
        "2016-05-20",
        "5",
    ],
]


def _projects(tmp_path):
    rows = [
        [
            "p1",
            "甲项目",
            "电子信息",
            "zz_gaoxin",
            "",
            "新开工",
            "True",
            "recruit",
            "False",
            "",
            "三（一）",
        ],
        ["p2", "乙项目", "装备制造", "", "", "竣工", "True", "major", "False", "", "三（二）"],
    ]
    path = tmp_path / "projects.csv"
    pd.DataFrame(rows, columns=PROJECT_COLUMNS).to_csv(path, index=False)
    return ProjectMatcher(load_projects(path))


def _write(tmp_path, body, header=HEADER, title="2016年1-6月重大项目建设进度台账（示例数据）"):
    path = tmp_path / "ledger.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerows([[title], ["单位：万元"], header, *body, ["注：示例数据"]])
    return path


def _read(tmp_path, body, **kw):
    return read_progress_table(
        _write(tmp_path, body, **kw),
        rel="ledger/x.csv",
        projects=_projects(tmp_path),
        zones=ZoneMatcher.from_files(),
    )


def test_progress_table_is_read_into_tidy_rows(tmp_path):
    out = _read(tmp_path, GOOD).set_index("project_id")
    assert list(out.index) == ["p1", "p2"]
    a, b = out.loc["p1"], out.loc["p2"]
    assert a["zone_id"] == "zz_gaoxin" and a["year"] == 2016 and a["month"] == 6
    assert a["total_investment"] == pytest.approx(12.0)  # 120,000 万元 = 12 亿元
    assert a["ytd_investment"] == pytest.approx(2.0)
    assert a["start_date"] == pd.Timestamp("2016-03-05") and a["planned_start_month"] == 3
    assert bool(a["is_new_introduction"]) and a["category"] == "新开工"
    assert b["zone_id"] == "zz_hangkonggang" and pd.isna(b["ytd_investment"])  # "…" is missing
    assert b["category"] == "竣工"  # blank category falls back to the reference
    assert bool(b["completed"]) and b["completion_date"] == pd.Timestamp("2016-05-20")
    assert a["source_row"] == 4 and a["source_file"] == "ledger/x.csv"


@pytest.mark.parametrize(
    ("row", "col", "message"),
    [
        (1, 1, "不在项目名录中"),  # unknown project
        (1, 2, "不认识的集聚区名称"),  # unknown zone (the cleaner's message)
        (1, 5, "不是数字"),  # unparsable number
        (1, 9, "不是有效日期"),  # unparsable date
        (1, 8, "无法识别"),  # unknown status word
    ],
)
def test_bad_cells_name_file_row_and_column(tmp_path, row, col, message):
    body = [list(r) for r in GOOD]
    body[row - 1][col] = {
        1: "丙项目",
        2: "火星产业集聚区",
        5: "12.3.4",
        9: "2016-13-40",
        8: "大概",
    }[col]
    with pytest.raises(InputDataError) as err:
        _read(tmp_path, body)
    text = str(err.value)
    # Excel letters, as the bureau cleaner names cells
    assert (
        message in text
        and "ledger/x.csv" in text
        and f"第 {row + 3} 行第 {column_letter(col)} 列" in text
    )


def test_zone_contradicting_the_reference_is_an_error(tmp_path):
    body = [list(r) for r in GOOD]
    body[0][2] = "经开区"
    with pytest.raises(InputDataError, match="与项目名录"):
        _read(tmp_path, body)


def test_start_after_period_and_header_month_mismatch(tmp_path):
    body = [list(r) for r in GOOD]
    body[0][9] = "2016-08-01"
    with pytest.raises(InputDataError, match="晚于报告期"):
        _read(tmp_path, body)
    header = HEADER.copy()
    header[7] = "1-5月完成投资"
    with pytest.raises(InputDataError, match="不一致"):
        _read(tmp_path, GOOD, header=header)


def test_missing_period_and_missing_column(tmp_path):
    with pytest.raises(InputDataError, match="期间"):
        _read(tmp_path, GOOD, title="重大项目建设进度台账")  # the cleaner's message: 报表期间
    header = [h for h in HEADER if h != "投产状态"]
    body = [r[:11] + r[12:] for r in GOOD]
    with pytest.raises(InputDataError, match="缺少列"):
        _read(tmp_path, body, header=header)


def test_industry_table_two_header_rows(tmp_path):
    path = tmp_path / "ind.csv"
    rows = [
        ["2016年1-6月郑州市产业集聚区主导产业主营业务收入（示例数据）"],
        ["单位：亿元、%"],
        ["集聚区名称", "电子信息", "", "食品加工", ""],
        ["", "1-6月", "同比增长±%", "1-6月", "同比增长±%"],
        ["全市合计", "999", "—", "50", "—"],
        ["航空港区", "1,100.5", "12.5%", "—", "—"],
        ["马寨", "—", "—", "40.2", "-3.1"],
        ["注：示例数据"],
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    out = read_industry_table(path, rel="i.csv", zones=ZoneMatcher.from_files())
    assert len(out) == 2
    hk = out.set_index("zone_id").loc["zz_hangkonggang"]
    assert hk["industry"] == "电子信息" and hk["value"] == pytest.approx(1100.5)
    assert hk["yoy_pct"] == pytest.approx(12.5) and hk["month"] == 6
    assert out.set_index("zone_id").loc["zz_mazhai", "yoy_pct"] == pytest.approx(-3.1)
    rows[2][3] = "纺织服装"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(InputDataError, match="纺织服装"):
        read_industry_table(path, rel="i.csv", zones=ZoneMatcher.from_files())


def test_count_table_gbk_and_unknown_indicator(tmp_path):
    path = tmp_path / "c.csv"
    rows = [
        ["2016年1-6月重点工作数量指标完成情况（示例数据）"],
        ["序号", "指标名称", "单位", "全年目标", "1-6月累计完成"],
        ["1", "郑欧班列", "列", "200", "98"],
        ["2", "接入光缆", "公里", "200", "—"],
    ]
    path.write_bytes("\n".join(",".join(r) for r in rows).encode("gb18030"))
    names = {"zhengou_trains": "郑欧班列开行", "access_fibre_km": "接入光缆"}
    out = read_count_table(path, rel="c.csv", count_names=names, zones=ZoneMatcher.from_files())
    assert list(out["code"]) == ["zhengou_trains", "access_fibre_km"]
    assert out["value"].iloc[0] == 98 and pd.isna(out["value"].iloc[1])
    rows.append(["3", "新建足球场", "个", "5", "1"])
    path.write_bytes("\n".join(",".join(r) for r in rows).encode("gb18030"))
    with pytest.raises(InputDataError, match="新建足球场"):
        read_count_table(path, rel="c.csv", count_names=names, zones=ZoneMatcher.from_files())
