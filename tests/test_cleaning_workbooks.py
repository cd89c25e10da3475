"""Workbooks: every sheet, cached formulas, number formats, hidden rows, a bounded used range.

Every workbook is written here with openpyxl, XlsxWriter or xlwt (no binary fixtures).
"""

import datetime as dt
import io
import math
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zoneanalysis.cleaning import clean_tables, workbook, xlsx_scan
from zoneanalysis.cleaning.layout import column_letter
from zoneanalysis.cleaning.workbook import read_sheets
from zoneanalysis.cleaning.xlsx_scan import cell_ref, format_kind
from zoneanalysis.cli import main
from zoneanalysis.errors import InputDataError

TITLE = "2016年1-6月郑州市产业集聚区主要经济指标（示例数据）"
HEAD = [["集聚区名称", "规模以上工业主营业务收入", ""], ["", "1-6月", "同比增长±%"]]
ZONES = [["经开区", 100.5, 12.3], ["高新区", 80.25, 7.5]]
PARKS = [["示例园区01", 5.0, 3.5], ["示例园区02", 6.0, 4.5]]


def sheet_rows(title=TITLE, body=ZONES, head=HEAD, unit="单位：亿元、%"):
    return [[title], [unit], *head, *body]


def fill(ws, rows):
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value != "" and value is not None:
                ws.cell(row=r, column=c, value=value)


def write_book(path, sheets, hide=None):
    """Sheets as {name: rows}; ``hide`` names sheets to hide."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        fill(ws, rows)
        if hide and name in hide:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def rewrite(path, part, edit):
    """Rewrite one part of a zip (an .xlsx) with ``edit(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            dst.writestr(info.filename, edit(data) if info.filename == part else data)


def stat(result, zone_id, indicator="revenue"):
    s = result.stats
    hit = s[(s.zone_id == zone_id) & (s.indicator == indicator)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def reasons(result):
    return list(result.report["reason"])


def cli_error(raw, out, capsys):
    code = main(["clean", "--raw", str(raw), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and "panicked" not in err
    assert err.startswith("错误：") and "处理办法" in err
    assert not out.exists() or not any(out.iterdir())
    return err


# --- every sheet ---------------------------------------------------------------------------


def test_one_sheet_per_indicator_reads_every_sheet(tmp_path):
    fai_head = [["集聚区名称", "固定资产投资", ""], ["", "1-6月", "同比增长±%"]]
    fai = [["经开区", 60.0, 20.5], ["高新区", 40.0, 18.0]]
    write_book(
        tmp_path / "2016" / "指标.xlsx",
        {"收入": sheet_rows(), "投资": sheet_rows(head=fai_head, body=fai)},
    )
    result = clean_tables(tmp_path)
    assert stat(result, "zz_jingkai", "revenue")["value"] == 100.5
    row = stat(result, "zz_gaoxin", "fai")
    assert (row["value"], row["yoy_pct"], row["month"]) == (40.0, 18.0, 6)
    assert row["source_file"] == "2016/指标.xlsx!投资"
    assert row["source_row"] == 6
    assert stat(result, "zz_jingkai", "revenue")["source_file"] == "2016/指标.xlsx!收入"


def test_parks_on_the_second_sheet_and_a_cover_sheet_first(tmp_path):
    cover = [["说明"], ["本工作簿第二、三个工作表为报表（示例数据）。"]]
    write_book(
        tmp_path / "a.xlsx",
        {"封面": cover, "集聚区": sheet_rows(), "园区": sheet_rows(body=PARKS), "Sheet3": []},
    )
    result = clean_tables(tmp_path)
    assert set(result.stats["zone_id"]) == {"zz_jingkai", "zz_gaoxin", "zzp_ex01", "zzp_ex02"}
    assert stat(result, "zzp_ex02")["value"] == 6.0
    report = result.report.set_index("source_file")
    assert "没有报表" in report.loc["a.xlsx!封面", "reason"]
    assert report.loc["a.xlsx!封面", "raw_text"] == "说明"
    assert report.loc["a.xlsx!封面", "severity"] == "dropped"
    assert "为空" in report.loc["a.xlsx!Sheet3", "reason"]


def test_a_single_sheet_workbook_keeps_todays_names(tmp_path):
    write_book(tmp_path / "a.xlsx", {"Sheet1": sheet_rows()})
    result = clean_tables(tmp_path)
    assert set(result.stats["source_file"]) == {"a.xlsx"}


def test_errors_in_a_second_sheet_name_the_sheet(tmp_path, capsys):
    bad = [["经开去", 1.0, 1.0]]
    write_book(tmp_path / "raw" / "a.xlsx", {"集聚区": sheet_rows(), "园区": sheet_rows(body=bad)})
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "a.xlsx!园区（第 5 行第 A 列）" in err
    assert "经开去" in err


def test_a_workbook_without_any_table_is_an_error(tmp_path, capsys):
    write_book(tmp_path / "raw" / "a.xlsx", {"说明": [["只有说明"]], "备注": [["没有报表"]]})
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "“说明”、“备注”" in err and "找不到表头" in err


def test_the_period_may_come_from_the_sheet_name(tmp_path):
    no_period = "郑州市产业集聚区主要经济指标（示例数据）"
    write_book(
        tmp_path / "2016年集聚区.xlsx",
        {"1-6月": sheet_rows(title=no_period), "1-7月": sheet_rows(title=no_period, body=PARKS)},
    )
    result = clean_tables(tmp_path)
    assert (stat(result, "zz_jingkai")["year"], stat(result, "zz_jingkai")["month"]) == (2016, 6)
    assert (stat(result, "zzp_ex01")["year"], stat(result, "zzp_ex01")["month"]) == (2016, 7)


def test_a_sheet_period_that_contradicts_the_title_names_both(tmp_path, capsys):
    write_book(tmp_path / "raw" / "a.xlsx", {"1-7月": sheet_rows(), "说明": [["示例"]]})
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "工作表名“1-7月”" in err and "标题“2016年1-6月" in err
    assert "（7）" in err and "（6）" in err


def test_a_sheet_period_that_contradicts_the_file_name_names_both(tmp_path, capsys):
    no_period = "郑州市产业集聚区主要经济指标"
    rows = sheet_rows(title=no_period)
    write_book(tmp_path / "raw" / "2015-06_集聚区.xlsx", {"2016年1-6月": rows, "备注": [["示例"]]})
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "工作表名“2016年1-6月”" in err and "文件名“2015-06_集聚区.xlsx”" in err


def test_a_sidecar_period_overrides_the_sheet_name(tmp_path):
    path = write_book(tmp_path / "a.xlsx", {"1-7月": sheet_rows(), "说明": [["示例"]]})
    path.with_name("a.xlsx.layout.yaml").write_text("period: 2016-06\n", encoding="utf-8")
    assert stat(clean_tables(tmp_path), "zz_jingkai")["month"] == 6


def test_multi_sheet_legacy_xls(tmp_path):
    book = xlwt.Workbook(encoding="utf-8")
    for name, body in (("集聚区", ZONES), ("园区", PARKS)):
        ws = book.add_sheet(name)
        for r, row in enumerate(sheet_rows(body=body)):
            for c, cell in enumerate(row):
                if cell != "":
                    ws.write(r, c, cell)
    book.save(str(tmp_path / "a.xls"))
    result = clean_tables(tmp_path)
    assert stat(result, "zzp_ex01")["source_file"] == "a.xls!园区"
    assert stat(result, "zz_gaoxin")["value"] == 80.25


# --- formulas --------------------------------------------------------------------------------


def formula_rows():
    rows = sheet_rows()
    rows[5] = ["高新区", "=B5*2", 7.5]  # row 6, column B
    return rows


def test_a_formula_without_cached_value_is_an_error_naming_the_cell(tmp_path, capsys):
    write_book(tmp_path / "raw" / "a.xlsx", {"Sheet1": formula_rows()})
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "a.xlsx（第 6 行第 B 列）" in err
    assert "=B5*2" in err and "没有保存公式的计算结果" in err


def test_many_uncached_formulas_in_a_multi_sheet_book_are_counted(tmp_path, capsys):
    rows = sheet_rows(body=[[f"示例园区0{i}", f"=D{i}", 1.0] for i in range(1, 4)])
    write_book(tmp_path / "raw" / "a.xlsx", {"集聚区": sheet_rows(), "园区": rows})
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "a.xlsx!园区!B5" in err
    assert "共 3 个公式单元格" in err and "B6、B7" in err


def xlsxwriter_book(path, with_values):
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Sheet1")
    for r, row in enumerate(sheet_rows()):
        for c, cell in enumerate(row):
            if cell != "":
                ws.write(r, c, cell)
    ws.write_formula("B6", "=B5*0.8", None, 80.4 if with_values else 0)
    book.close()
    return path


def test_a_workbook_that_recalculates_on_open_is_an_error(tmp_path, capsys):
    xlsxwriter_book(tmp_path / "raw" / "a.xlsx", with_values=True)
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "第 6 行第 B 列" in err and "fullCalcOnLoad" in err


def test_a_formula_with_its_cached_value_is_read(tmp_path):
    path = xlsxwriter_book(tmp_path / "a.xlsx", with_values=True)
    rewrite(path, "xl/workbook.xml", lambda b: b.replace(b' fullCalcOnLoad="1"', b""))
    result = clean_tables(tmp_path)
    assert stat(result, "zz_gaoxin")["value"] == 80.4


# --- hidden rows, columns and sheets ---------------------------------------------------------


def test_hidden_rows_columns_and_sheets_are_read_and_listed(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "集聚区"
    fill(ws, sheet_rows())
    ws.row_dimensions[6].hidden = True
    ws.column_dimensions["C"].hidden = True
    hidden = wb.create_sheet("园区")
    fill(hidden, sheet_rows(body=PARKS))
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "a.xlsx")
    result = clean_tables(tmp_path)
    assert stat(result, "zz_gaoxin")["yoy_pct"] == 7.5  # hidden row, hidden column: kept
    assert stat(result, "zzp_ex01")["value"] == 5.0  # hidden sheet: kept
    report = result.report
    rows = report[report.reason.str.startswith("隐藏行")]
    assert list(zip(rows.source_file, rows.source_row)) == [("a.xlsx!集聚区", 6)]
    assert rows.iloc[0]["raw_text"].startswith("高新区")
    cols = report[report.reason.str.contains("第 C 列是隐藏列")]
    assert list(cols.source_row) == [4] and cols.iloc[0]["severity"] == "warning"
    assert any("隐藏的工作表" in r for r in report[report.source_file == "a.xlsx!园区"].reason)


def test_hidden_rows_and_columns_in_legacy_xls(tmp_path):
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sheet1")
    for r, row in enumerate(sheet_rows()):
        for c, cell in enumerate(row):
            if cell != "":
                ws.write(r, c, cell)
    ws.row(4).hidden = True
    ws.col(2).hidden = True
    book.save(str(tmp_path / "a.xls"))
    result = clean_tables(tmp_path)
    assert stat(result, "zz_jingkai")["value"] == 100.5
    listed = result.report[result.report.severity == "warning"]
    assert {(r.source_row, r.reason[:3]) for r in listed.itertuples()} == {
        (5, "隐藏行"),
        (4, "第 C"),
    }


# --- number formats --------------------------------------------------------------------------


def test_growth_stored_as_an_excel_percentage_is_read_in_percent_points(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    fill(ws, sheet_rows(body=[["经开区", 100.5, 0.112], ["高新区", 80.25, -0.035]]))
    for ref, fmt in (("C5", "0.0%"), ("C6", "0.00%")):
        ws[ref].number_format = fmt
    ws["B5"].number_format = "#,##0.00"
    wb.save(tmp_path / "a.xlsx")
    result = clean_tables(tmp_path)
    assert stat(result, "zz_jingkai")["yoy_pct"] == 11.2
    assert stat(result, "zz_gaoxin")["yoy_pct"] == -3.5
    assert stat(result, "zz_jingkai")["value"] == 100.5


def test_percent_format_in_legacy_xls(tmp_path):
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sheet1")
    pct = xlwt.easyxf(num_format_str="0.0%")
    for r, row in enumerate(sheet_rows(body=[["经开区", 100.5, 0.112], ["高新区", 80.25, 7.5]])):
        for c, cell in enumerate(row):
            if cell != "":
                ws.write(r, c, cell, pct if (r, c) == (4, 2) else xlwt.Style.default_style)
    book.save(str(tmp_path / "a.xls"))
    result = clean_tables(tmp_path)
    assert stat(result, "zz_jingkai")["yoy_pct"] == 11.2
    assert stat(result, "zz_gaoxin")["yoy_pct"] == 7.5


def test_a_date_in_a_value_column_is_refused_naming_the_cell(tmp_path, capsys):
    rows = sheet_rows(body=[["经开区", dt.date(2016, 6, 30), 12.3], ZONES[1]])
    write_book(tmp_path / "raw" / "a.xlsx", {"Sheet1": rows})
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "a.xlsx（第 5 行第 B 列）" in err and "日期（2016/6/30）" in err


def test_a_date_in_a_value_column_of_legacy_xls_is_refused(tmp_path, capsys):
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    rows = sheet_rows(body=[ZONES[0], ["高新区", 80.25, dt.datetime(2016, 7, 1)]])
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell != "":
                ws.write(
                    r,
                    c,
                    cell,
                    date_style if isinstance(cell, dt.date) else xlwt.Style.default_style,
                )
    (tmp_path / "raw").mkdir()
    book.save(str(tmp_path / "raw" / "a.xls"))
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "a.xls（第 6 行第 C 列）" in err and "日期（2016/7/1）" in err


def month_title_book(path, number_format):
    wb = openpyxl.Workbook()
    ws = wb.active
    fill(ws, sheet_rows(title="郑州市产业集聚区主要经济指标"))
    ws["B1"] = dt.date(2016, 6, 1)
    ws["B1"].number_format = number_format
    wb.save(path)


def test_a_month_date_in_the_title_is_the_period(tmp_path):
    month_title_book(tmp_path / "集聚区.xlsx", 'yyyy"年"m"月"')
    row = stat(clean_tables(tmp_path), "zz_jingkai")
    assert (row["year"], row["month"]) == (2016, 6)


def test_a_full_date_in_the_title_is_not_a_period(tmp_path):
    month_title_book(tmp_path / "集聚区.xlsx", "yyyy-mm-dd")
    with pytest.raises(InputDataError, match="找不到报表期间"):
        clean_tables(tmp_path)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("0%", "percent"),
        ("0.0%;[Red]-0.0%", "percent"),
        ('0.0"%"', None),
        ("0.00", None),
        ("General", None),
        ("0.00E+00", None),
        ('yyyy"年"m"月"', "month"),
        ("mmm-yy", "month"),
        ("yyyy-mm-dd", "date"),
        ("[$-804]yyyy/m/d h:mm", "date"),
        ('#,##0"万元"', None),
    ],
)
def test_format_kind(code, kind):
    assert format_kind(code) == kind


@given(st.integers(0, 1_048_575), st.integers(0, 16_383))
def test_cell_ref_agrees_with_column_letters(row, col):
    assert cell_ref(row, col) == f"{column_letter(col)}{row + 1}"


# --- a bounded used range --------------------------------------------------------------------


def test_a_stray_far_cell_is_refused_not_a_crash(tmp_path, capsys):
    wb = openpyxl.Workbook()
    fill(wb.active, sheet_rows())
    wb.active["XFD200000"] = 1
    (tmp_path / "raw").mkdir()
    wb.save(tmp_path / "raw" / "a.xlsx")
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "工作簿过大" in err and "XFD200000" in err and "Ctrl+End" in err


def test_the_used_range_is_measured_from_the_cells_not_the_dimension(tmp_path):
    wb = openpyxl.Workbook()
    fill(wb.active, sheet_rows())
    wb.active["A150000"] = "x"
    wb.save(tmp_path / "a.xlsx")
    part = "xl/worksheets/sheet1.xml"
    rewrite(
        tmp_path / "a.xlsx",
        part,
        lambda b: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C6"', b),
    )
    with pytest.raises(InputDataError, match=r"第 150000 行.*100000 行"):
        clean_tables(tmp_path)


def test_a_cell_without_reference_counts_its_position(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_scan, "MAX_COLUMNS", 1)
    wb = openpyxl.Workbook()
    fill(wb.active, sheet_rows())
    wb.save(tmp_path / "a.xlsx")
    part = "xl/worksheets/sheet1.xml"
    rewrite(tmp_path / "a.xlsx", part, lambda b: b.replace(b"</row>", b"<c><v>1</v></c></row>", 1))
    with pytest.raises(InputDataError, match="单元格 B1 在第 2 列"):
        clean_tables(tmp_path)


def shared_string_book(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Sheet1")
    for r, row in enumerate(sheet_rows()):
        for c, cell in enumerate(row):
            if cell != "":
                ws.write(r, c, cell)
    ws.write("D5", "PLACEHOLDER")
    book.close()
    rewrite(path, "xl/sharedStrings.xml", lambda b: b.replace(b"PLACEHOLDER", text.encode()))
    return path


def test_a_cell_text_longer_than_excel_allows_is_refused(tmp_path, capsys):
    shared_string_book(tmp_path / "raw" / "a.xlsx", "长" * 40_000)
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "共享字符串" in err and "32767" in err


def test_a_giant_shared_strings_part_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = shared_string_book(tmp_path / "a.xlsx", "示例" * 1000)
    monkeypatch.setattr(xlsx_scan, "MAX_SHARED_STRINGS_BYTES", 4096)
    monkeypatch.setattr(xlsx_scan, "_stream", None)  # refused from the zip directory alone
    with pytest.raises(InputDataError, match=r"共享字符串表解压后 0\.0 MB，超过上限"):
        read_sheets(path, rel="a.xlsx")


def test_a_huge_sheet_xml_is_refused_by_size(tmp_path, monkeypatch):
    write_book(tmp_path / "a.xlsx", {"报表": sheet_rows()})
    monkeypatch.setattr(xlsx_scan, "MAX_SHEET_XML_BYTES", 100)
    with pytest.raises(InputDataError, match="工作表“报表”.*工作表 XML 解压后"):
        clean_tables(tmp_path)


def test_a_long_inline_string_is_refused(tmp_path):
    path = write_book(tmp_path / "a.xlsx", {"Sheet1": [*sheet_rows(), ["注：PLACEHOLDER"]]})
    long_text = ("长" * 33_000).encode()  # openpyxl itself cuts text at 32767 characters
    rewrite(path, "xl/worksheets/sheet1.xml", lambda b: b.replace(b"PLACEHOLDER", long_text))
    with pytest.raises(InputDataError, match="单元格 A7 的文字过长.*32767 个字符"):
        clean_tables(tmp_path)


def test_a_damaged_sheet_is_one_clear_error(tmp_path, capsys):
    path = write_book(tmp_path / "raw" / "a.xlsx", {"Sheet1": sheet_rows()})
    rewrite(path, "xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2])
    err = cli_error(tmp_path / "raw", tmp_path / "out", capsys)
    assert "损坏" in err  # by the scan (full walk) or by calamine (after the quick check)


def test_an_xls_that_is_really_an_xlsx_is_read(tmp_path):
    buffer = io.BytesIO()
    wb = openpyxl.Workbook()
    fill(wb.active, sheet_rows())
    wb.save(buffer)
    (tmp_path / "a.xls").write_bytes(buffer.getvalue())
    assert stat(clean_tables(tmp_path), "zz_jingkai")["yoy_pct"] == 12.3


def test_growth_is_never_nan_from_a_percent_cell(tmp_path):
    wb = openpyxl.Workbook()
    fill(wb.active, sheet_rows(body=[["经开区", 100.5, 0.0]]))
    wb.active["C5"].number_format = "0%"
    wb.save(tmp_path / "a.xlsx")
    growth = stat(clean_tables(tmp_path), "zz_jingkai")["yoy_pct"]
    assert growth == 0.0 and not math.isnan(growth)


def test_a_long_string_shared_by_many_cells_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_scan, "MAX_TEXT_CHARS", 100_000)
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("报表")
    for r in range(200):
        ws.write(r, 0, "长" * 1000)  # one shared string, 200 000 characters once read
    book.close()
    with pytest.raises(InputDataError, match=r"工作表“报表”.*单元格文字合计过多.*100000 个字符"):
        clean_tables(tmp_path)


def test_a_used_range_too_large_in_area_is_refused(tmp_path):
    wb = openpyxl.Workbook()
    fill(wb.active, sheet_rows())
    wb.active["ALL100000"] = 1  # within the row and column bounds, but 10⁸ cells from A1
    wb.save(tmp_path / "a.xlsx")
    with pytest.raises(InputDataError, match=r"已用区域.*过大.*4000000 个单元格"):
        clean_tables(tmp_path)


def test_a_used_range_too_large_in_legacy_xls_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_CELLS", 1000)
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sheet1")
    ws.write(0, 0, TITLE)
    ws.write(60000, 200, 1)
    book.save(str(tmp_path / "a.xls"))
    with pytest.raises(InputDataError, match=r"已用区域 60001 行 × 201 列"):
        clean_tables(tmp_path)


def test_the_only_sheet_may_give_the_period(tmp_path):
    write_book(
        tmp_path / "2016年集聚区.xlsx", {"1-8月": sheet_rows(title="郑州市产业集聚区主要经济指标")}
    )
    row = stat(clean_tables(tmp_path), "zz_jingkai")
    assert (row["year"], row["month"], row["source_file"]) == (2016, 8, "2016年集聚区.xlsx")


def test_a_chart_sheet_is_listed_not_read(tmp_path):
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("报表")
    for r, row in enumerate(sheet_rows()):
        for c, cell in enumerate(row):
            if cell != "":
                ws.write(r, c, cell)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=报表!$B$5:$B$6"})
    book.add_chartsheet("图表").set_chart(chart)
    book.close()
    result = clean_tables(tmp_path)
    assert stat(result, "zz_jingkai")["source_file"] == "a.xlsx!报表"
    assert "a.xlsx!图表" in set(result.report.source_file)


cells = st.dictionaries(
    st.tuples(st.integers(1, 300), st.integers(1, 60)),
    st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.text("示例区0123", min_size=1, max_size=5)),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells, st.booleans())
def test_the_quick_check_agrees_with_the_full_walk(tmp_path, monkeypatch, sheet_cells, percent):
    wb = openpyxl.Workbook()
    for (r, c), v in sheet_cells.items():
        wb.active.cell(row=r, column=c, value=v)
        if percent:
            wb.active.cell(row=r, column=c).number_format = "0.0%"
    wb.save(tmp_path / "q.xlsx")
    quick = xlsx_scan.scan_xlsx(tmp_path / "q.xlsx", "q.xlsx")
    monkeypatch.setattr(xlsx_scan, "MAX_QUICK_BYTES", 0)
    walked = xlsx_scan.scan_xlsx(tmp_path / "q.xlsx", "q.xlsx")
    monkeypatch.undo()
    assert quick == walked
    assert (walked.sheets[0].n_rows, walked.sheets[0].n_columns) == (
        max(r for r, _ in sheet_cells),
        max(c for _, c in sheet_cells),
    )


def test_a_sheet_explaining_the_indicators_is_not_a_table(tmp_path):
    notes = [
        ["指标", "解释"],
        ["规模以上工业主营业务收入", "年主营业务收入 2000 万元及以上的工业企业的收入（示例）"],
    ]
    write_book(tmp_path / "a.xlsx", {"报表": sheet_rows(), "指标解释": notes})
    result = clean_tables(tmp_path)
    assert stat(result, "zz_jingkai")["source_file"] == "a.xlsx!报表"
    note = result.report[result.report.source_file == "a.xlsx!指标解释"]
    assert list(note.severity) == ["dropped"] and "没有报表" in note.iloc[0]["reason"]


def test_a_second_table_with_a_doubtful_header_is_an_error_not_skipped(tmp_path):
    odd = [["郑州市（示例）"], ["集聚区名称", "规模以上工业主营业务收入（美元）"], ["经开区", 1.0]]
    write_book(tmp_path / "a.xlsx", {"报表": sheet_rows(), "附表": odd})
    with pytest.raises(InputDataError, match="a.xlsx!附表"):
        clean_tables(tmp_path)


@pytest.mark.parametrize("how", ["strict namespace", "no sheet points to it"])
def test_a_far_cell_is_found_however_the_sheet_is_referenced(tmp_path, how):
    wb = openpyxl.Workbook()
    fill(wb.active, sheet_rows())
    wb.create_sheet("空")
    wb.worksheets[1]["XFD200000"] = 1
    path = tmp_path / "a.xlsx"
    wb.save(path)
    if how == "strict namespace":
        strict = b"http://purl.oclc.org/ooxml/officeDocument/relationships"
        old = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        rewrite(path, "xl/workbook.xml", lambda b: b.replace(old, strict))
    else:
        rewrite(
            path, "xl/_rels/workbook.xml.rels", lambda b: b.replace(b"sheet2.xml", b"sheet9.xml")
        )
    with pytest.raises(InputDataError, match="XFD200000"):
        read_sheets(path, rel="a.xlsx")


def test_reading_a_legacy_xls_prints_nothing(tmp_path, capsys):
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sheet1")
    for r, row in enumerate(sheet_rows()):
        for c, cell in enumerate(row):
            if cell != "":
                ws.write(r, c, cell)
    buffer = io.BytesIO()
    book.save(buffer)
    (tmp_path / "a.xls").write_bytes(buffer.getvalue() + b"\0" * 100)  # size not 512·n: xlrd warns
    assert stat(clean_tables(tmp_path), "zz_jingkai")["value"] == 100.5
    assert capsys.readouterr().out == ""
