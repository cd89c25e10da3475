"""clean_tables / run_clean on small bureau tables written in tmp_path."""

import csv
import math

import openpyxl
import pandas as pd
import pytest
import xlwt

from zoneanalysis.cleaning import CleanResult, clean_tables, run_clean
from zoneanalysis.cleaning.discover import discover_files

TITLE = "2016年1-6月郑州市产业集聚区主要经济指标（示例数据）"


def city_rows(title=TITLE, unit="单位：亿元、万人、%", body=None):
    """A layout-A table: title, unit line, two merged header rows, totals, zones, parks, notes."""
    head = [
        [title, "", "", "", ""],
        [unit, "", "", "", ""],
        ["集聚区名称", "规模以上工业主营业务收入", "", "从业人员", ""],
        ["", "1-6月", "同比增长±%", "1-6月", "同比增长±%"],
    ]
    body = body or [
        ["全市合计", "1,305.5", "9.0", "11.25", "3.0"],
        [" 经开区 ", "100.5", "12.3", "10.25", "3.0"],
        ["郑州航空港（产业集聚区）", "1,200.00", "8.5%", "—", ""],
        ["市级工业专业园区", "", "", "", ""],
        ["示例园区01", "5", "…", "1", "/"],
        ["小计", "5", "", "1", ""],
        ["注：本表为示例数据。", "", "", "", ""],
    ]
    return head + body


def write_csv(path, rows, encoding="utf-8-sig"):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path, rows, sheet="Sheet1", start_row=1):
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            if value != "":
                ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def write_xls(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "":
                ws.write(r, c, value)
    wb.save(str(path))
    return path


def value(result: CleanResult, zone_id, indicator, month=6):
    s = result.stats
    hit = s[(s.zone_id == zone_id) & (s.indicator == indicator) & (s.month == month)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


EXPECTED = [
    ("zz_jingkai", "revenue", 100.5, 12.3),
    ("zz_jingkai", "employment", 10.25, 3.0),
    ("zz_hangkonggang", "revenue", 1200.0, 8.5),
    ("zzp_ex01", "revenue", 5.0, math.nan),
    ("zzp_ex01", "employment", 1.0, math.nan),
]


def check_expected(result):
    got = result.stats[["zone_id", "indicator", "value", "yoy_pct"]]
    want = pd.DataFrame(EXPECTED, columns=["zone_id", "indicator", "value", "yoy_pct"])
    want = want.sort_values(["zone_id", "indicator"], ignore_index=True)
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), want, check_dtype=False, check_exact=False, rtol=1e-12
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_in_bom_utf8_and_gbk(tmp_path, encoding):
    write_csv(tmp_path / "bureau" / "2016-06.csv", city_rows(), encoding=encoding)
    result = clean_tables(tmp_path)
    check_expected(result)
    row = value(result, "zz_jingkai", "revenue")
    assert row["zone_name"] == "郑州经济技术产业集聚区"
    assert (row["year"], row["month"], row["unit"]) == (2016, 6, "亿元")
    assert row["source_file"] == "bureau/2016-06.csv"
    assert row["source_row"] == 6
    assert result.files == ["bureau/2016-06.csv"]


def test_wan_yuan_and_people_are_converted(tmp_path):
    body = [
        ["经开区", "1,005,000", "12.3", "102,500", "3.0"],
        ["郑州航空港（产业集聚区）", "12000000", "8.5", "—", ""],
        ["示例园区01", "50000", "—", "10000", "—"],
    ]
    rows = city_rows(unit="单位：万元、人、%", body=body)
    write_csv(tmp_path / "a.csv", rows, encoding="gbk")
    result = clean_tables(tmp_path)
    check_expected(result)
    assert set(result.stats["unit"]) == {"亿元", "万人"}


def test_xlsx_and_legacy_xls(tmp_path):
    write_xlsx(tmp_path / "x" / "a.xlsx", city_rows())
    write_xls(tmp_path / "y" / "b.xls", city_rows(title=TITLE.replace("1-6月", "1-7月")))
    result = clean_tables(tmp_path)
    assert sorted(result.stats["month"].unique()) == [6, 7]
    six = result.stats[result.stats.month == 6].copy()
    check_expected(CleanResult(six, result.report))
    assert value(result, "zz_jingkai", "revenue", month=7)["source_file"] == "y/b.xls"


def test_every_raw_row_is_data_or_reported(tmp_path):
    rows = city_rows()
    write_csv(tmp_path / "a.csv", rows)
    result = clean_tables(tmp_path)
    data_rows = set(result.stats["source_row"])
    reported = set(result.report["source_row"])
    assert data_rows == {6, 7, 9}
    assert data_rows | reported == set(range(1, len(rows) + 1))
    reasons = dict(zip(result.report["source_row"], result.report["reason"], strict=False))
    assert reasons[1] == "标题行"
    assert reasons[2] == "单位行"
    assert reasons[3] == reasons[4] == "表头行"
    assert reasons[5] == reasons[10] == "合计/小计行（不是单个集聚区）"
    assert reasons[8] == "分组标题行（无数值）"
    assert reasons[11] == "注释行"
    assert set(result.report["severity"]) == {"dropped"}
    assert "读取报表 1 个" in result.summary_zh()


def test_sidecar_reads_an_odd_layout(tmp_path):
    rows = [
        ["园区补充报表（示例数据）", "", ""],
        ["", "", ""],
        ["", "", ""],
        ["说明：示例", "", ""],
        ["序号", "园区", "固定资产投资", "税收收入"],
        ["", "", "当期累计", "累计增长"],
        ["（以下为园区）", "", "", ""],
        [1, "示例园区02", 25000, 4.5],
    ]
    path = write_xlsx(tmp_path / "odd.xlsx", [r + [""] * (4 - len(r)) for r in rows], "报表")
    (tmp_path / "odd.xlsx.layout.yaml").write_text(
        "period: 2015-08\nsheet: 报表\nheader_rows: [5, 6]\nname_column: B\n"
        "first_data_row: 8\nunit: 万元\n",
        encoding="utf-8",
    )
    assert discover_files(tmp_path)[0].sidecar is not None
    assert path.exists()
    result = clean_tables(tmp_path)
    row = value(result, "zzp_ex02", "fai", month=8)
    assert (row["year"], row["value"], row["source_row"]) == (2015, 2.5, 8)
    assert math.isnan(row["yoy_pct"])  # 累计增长 sits under 税收收入, not under 固定资产投资
    assert set(result.report["source_row"]) | {8} == set(range(1, 9))


def test_duplicate_same_value_keeps_the_first_file(tmp_path):
    write_csv(tmp_path / "a.csv", city_rows())
    write_csv(tmp_path / "b.csv", city_rows())
    result = clean_tables(tmp_path)
    check_expected(result)
    assert set(result.stats["source_file"]) == {"a.csv"}
    dup = result.report[result.report.severity == "duplicate"]
    assert set(dup["source_file"]) == {"b.csv"}
    assert set(dup["source_row"]) == {6, 7, 9}


def test_duplicate_keeps_the_growth_that_only_the_later_file_reports(tmp_path):
    without_growth = city_rows()
    without_growth[5][2] = "—"  # 经开区 revenue growth left blank in the first file
    write_csv(tmp_path / "a.csv", without_growth)
    write_csv(tmp_path / "b.csv", city_rows())
    row = value(clean_tables(tmp_path), "zz_jingkai", "revenue")
    assert (row["source_file"], row["yoy_pct"]) == ("a.csv", 12.3)


def test_revision_wins_and_is_flagged(tmp_path):
    original = city_rows(title="2016年1-5月郑州市产业集聚区主要经济指标")
    revised = [list(r) for r in original]
    revised[0][0] = "2016年1-5月郑州市产业集聚区主要经济指标（修订）"
    revised[5][1] = "111.1"  # 经开区 revenue restated
    write_csv(tmp_path / "2016-05.csv", original)
    write_csv(tmp_path / "2016-05_rev.csv", revised)
    result = clean_tables(tmp_path)
    row = value(result, "zz_jingkai", "revenue", month=5)
    assert row["value"] == 111.1
    assert row["quality_flag"] == "revised"
    assert row["source_file"] == "2016-05_rev.csv"
    assert pd.isna(value(result, "zz_jingkai", "employment", month=5)["quality_flag"])
    superseded = result.report[result.report.severity == "superseded"]
    assert set(superseded["source_file"]) == {"2016-05.csv"}
    assert "100.5 → 111.1" in " ".join(superseded["reason"])


def test_ytd_decrease_is_flagged_not_dropped(tmp_path):
    write_csv(tmp_path / "a.csv", city_rows(title="2016年1-5月郑州市产业集聚区主要经济指标"))
    june = city_rows()
    june[5][1] = "90"  # 经开区 revenue falls from 100.5 (1-5月) to 90 (1-6月)
    write_csv(tmp_path / "b.csv", june)
    result = clean_tables(tmp_path)
    row = value(result, "zz_jingkai", "revenue", month=6)
    assert (row["value"], row["quality_flag"]) == (90.0, "ytd_decrease")
    # employment is a stock, never flagged
    assert result.stats["quality_flag"].dropna().tolist() == ["ytd_decrease"]
    assert (result.report.severity == "warning").sum() == 1


def test_unmapped_header_is_a_warning(tmp_path):
    rows = city_rows()
    for r in rows:
        r.append("")
    rows[2][-1] = "某新指标"
    rows[5][-1] = "7"
    write_csv(tmp_path / "a.csv", rows)
    result = clean_tables(tmp_path)
    check_expected(result)
    warn = result.report[result.report.severity == "warning"]
    assert len(warn) == 1 and "某新指标" in warn.iloc[0]["reason"]


def test_discovery_skips_reference_hidden_and_lock_files(tmp_path):
    for name in ["reference/zones.csv", ".hidden/a.csv", "~$a.xlsx", "notes.txt", "b/.c.csv"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    write_csv(tmp_path / "b" / "2016-06.CSV", city_rows())
    assert [f.rel for f in discover_files(tmp_path)] == ["b/2016-06.CSV"]


def test_run_clean_writes_both_files(tmp_path):
    write_csv(tmp_path / "raw" / "a.csv", city_rows())
    out = tmp_path / "out"
    result = run_clean(tmp_path / "raw", out)
    assert sorted(p.name for p in out.iterdir()) == ["cleaning_report.csv", "zone_stats.parquet"]
    stats = pd.read_parquet(out / "zone_stats.parquet")
    assert list(stats.columns) == list(result.stats.columns)
    assert len(stats) == 5
    report = pd.read_csv(out / "cleaning_report.csv", encoding="utf-8-sig")
    assert list(report.columns) == ["source_file", "source_row", "raw_text", "reason", "severity"]
    assert len(report) == len(result.report)


def test_a_table_with_only_totals_gives_an_empty_but_valid_table(tmp_path):
    write_csv(tmp_path / "a.csv", city_rows(body=[["全市合计", "1", "2", "3", "4"]]))
    result = clean_tables(tmp_path)
    assert result.stats.empty
    assert list(result.stats.columns)[:3] == ["zone_id", "zone_name", "year"]
    assert "保留数据 0 行" in result.summary_zh()


def test_every_row_of_the_shipped_sample_is_accounted_for():
    from zoneanalysis import paths
    from zoneanalysis.cleaning.layout import load_layout_hints
    from zoneanalysis.cleaning.readers import read_grid
    from zoneanalysis.cleaning.rules import load_cleaning_rules

    if not (paths.RAW_DIR / "bureau").is_dir():
        pytest.skip("no sample bureau tables (run make sample)")
    result = clean_tables(paths.RAW_DIR)
    stats_rows = result.stats.groupby("source_file")["source_row"].agg(set)
    report_rows = result.report.groupby("source_file")["source_row"].agg(set)
    for source in discover_files(paths.RAW_DIR, load_cleaning_rules().skip_folders):
        hints = load_layout_hints(source.sidecar, source.rel)
        n_rows = len(read_grid(source.path, sheet=hints.sheet))
        seen = stats_rows.get(source.rel, set()) | report_rows.get(source.rel, set())
        assert seen == set(range(1, n_rows + 1)), source.rel
