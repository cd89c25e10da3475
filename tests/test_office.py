"""The office's files: the 台账 workbook and the drafted 简报, from 示例 fixture tables."""

from __future__ import annotations

import re
import shutil
import subprocess

import openpyxl
import pytest
from docx import Document
from reporting_fixtures import build_fixture_data

from zoneanalysis.office import write_office_files
from zoneanalysis.office.brief import amount, probability
from zoneanalysis.office.sheets import signed_gap
from zoneanalysis.reporting import views
from zoneanalysis.reporting.data import load_report_tables

PERIOD = "2016-06"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    root = tmp_path_factory.mktemp("office")
    data = build_fixture_data(root / "processed", PERIOD)
    files = write_office_files(
        PERIOD, root / "out", processed_dir=data["processed"], zones_path=data["zones"]
    )
    return {"data": data, "xlsx": files[0], "docx": files[1]}


def test_probability_rounds_down_so_the_shown_figure_keeps_the_rule():
    assert probability(0.6985) == "69%"
    assert probability(0.7) == "70%"
    assert probability(float("nan")) == "—"


def test_gap_is_named_so_its_sign_cannot_be_misread():
    assert signed_gap(110.0, 100.0) == "超 10.0"
    assert signed_gap(90.0, 100.0) == "差 10.0"
    assert signed_gap(100.01, 100.0) == "持平"


def test_workbook_has_the_forwarded_sheets_with_formats_filters_and_lights(office):
    book = openpyxl.load_workbook(office["xlsx"])
    assert book.sheetnames[0] == "说明"
    assert {"全市目标", "分区指标", "排名", "星级", "季度变化-判断"} <= set(book.sheetnames)
    readme = {r[0]: r[1] for r in book["说明"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert readme["数据截至"] == "2016年1-6月"
    assert "示例" in readme
    for name in book.sheetnames[1:]:
        ws = book[name]
        assert "示例" in str(ws["A2"].value), name
        assert ws.freeze_panes == "A5", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A4"), name
        assert "示例" in ws.oddHeader.center.text, name
    ws = book["分区指标"]
    header = [c.value for c in ws[4]]
    assert {"结论", "单位", "本年累计", "预测全年", "目标", "完成目标概率"} <= set(header)
    assert "报告同比(%，可比口径)" in header
    row = 5
    assert ws.cell(row, header.index("预测全年") + 1).number_format == "#,##0.0"
    assert ws.cell(row, header.index("完成目标概率") + 1).number_format == "0%"
    assert ws.cell(row, header.index("其余月份需增长(%)") + 1).number_format == "0.0"
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert {r.formula[0] for r in rules} == {'"有望完成"', '"有风险"', '"难以完成"'}
    ranges = [str(rng.sqref) for rng in ws.conditional_formatting]
    assert all(r.startswith("A5:A") for r in ranges), ranges
    units = set(
        ws.iter_cols(
            min_row=5,
            min_col=header.index("单位") + 1,
            max_col=header.index("单位") + 1,
            values_only=True,
        ).__next__()
    )
    assert units <= {"亿元", "万人"}


def test_workbook_figures_are_the_projection_tables(office):
    tables = load_report_tables(PERIOD, office["data"]["processed"], office["data"]["zones"])
    agg = views.build_aggregate_table(tables.projections)
    ws = openpyxl.load_workbook(office["xlsx"])["全市目标"]
    header = [c.value for c in ws[4]]
    got = [
        (r[header.index("范围")], r[header.index("预测全年")], r[header.index("结论")])
        for r in ws.iter_rows(min_row=5, values_only=True)
    ]
    want = list(zip(agg["范围"], agg["预测年末"], agg["结论"]))
    assert len(got) == len(want) > 0
    for (gz, gv, gc), (wz, wv, wc) in zip(got, want):
        assert gz == wz and gc == wc and gv == pytest.approx(wv)


def _brief_text(path) -> str:
    return "\n".join(p.text for p in Document(path).paragraphs)


def test_brief_numbers_equal_the_overview(office):
    tables = load_report_tables(PERIOD, office["data"]["processed"], office["data"]["zones"])
    agg = views.build_aggregate_table(tables.projections)
    text = _brief_text(office["docx"])
    lines = agg[agg["范围"].isin(["郑州市省级产业集聚区合计", "郑州市市级工业专业园区合计"])]
    assert len(lines) > 0
    for proj, p in zip(lines["预测年末"], lines["完成目标概率"]):
        assert f"预计全年 {amount(proj)}" in text
        assert f"概率约 {probability(p)}" in text
    # every figure in the overall section is one of the aggregate lines' figures
    overall = text.split("一、总体情况", 1)[1].split("二、", 1)[0]
    assert re.findall(r"^[一二三四五六七八九十]、", text, re.M) == [
        f"{n}、"
        for n in "一二三四五六七八九十"[: len(re.findall(r"^[一二三四五六七八九十]、", text, re.M))]
    ]
    shown = set(re.findall(r"\d[\d,]*\.\d", overall))
    rows = tables.projections[tables.projections["zone_id"].isin(views.AGGREGATE_IDS)]
    allowed = {
        amount(v) for c in ["ytd_value", "projected_value", "lower_80", "upper_80"] for v in rows[c]
    }
    allowed |= {
        f"{v:.1f}"
        for c in ["task_progress_pct", "time_progress_pct", "required_growth_pct"]
        for v in rows[c]
    }
    allowed |= {f"{abs(a - b):,.1f}" for a, b in zip(rows["projected_value"], rows["target_value"])}
    assert shown and shown <= allowed, shown - allowed


def test_brief_is_a_marked_draft_with_examples_labelled(office):
    doc = Document(office["docx"])
    text = _brief_text(office["docx"])
    assert "草稿" in text and "数据截至 2016年1-6月" in text
    assert "示例" in doc.paragraphs[0].text or "示例" in text.splitlines()[0]
    assert "示例数据" in doc.sections[0].header.paragraphs[0].text
    assert doc.sections[0].page_width.mm == pytest.approx(210, abs=0.5)


def test_stock_lines_have_no_time_yardstick(office):
    from zoneanalysis.office.brief import aggregate_sentence
    from zoneanalysis.office.sheets import load_office_tables

    tables = load_office_tables(
        PERIOD, office["data"]["processed"], zones_path=office["data"]["zones"]
    )
    proj = tables.report.projections
    flow = proj[(proj["zone_id"] == "agg_zz_provincial") & (proj["indicator"] == "revenue")]
    stock = flow.assign(indicator="employment", target_value=80.0, task_progress_pct=95.0)
    stock_row = next(stock.itertuples(index=False))
    flow_row = next(flow.assign(target_value=8000.0).itertuples(index=False))
    said = aggregate_sentence(tables, stock_row)
    assert "为年度目标的 95.0%" in said
    assert "时间进度" not in said and "需同比增长" not in said
    assert "时间进度" in aggregate_sentence(tables, flow_row)


@pytest.mark.slow
@pytest.mark.skipif(
    not shutil.which("libreoffice"), reason="needs LibreOffice (libreoffice-calc/-writer)"
)
def test_libreoffice_converts_both_and_every_page_says_example(office, tmp_path):
    for src in (office["xlsx"], office["docx"]):
        subprocess.run(
            [
                "libreoffice",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = tmp_path / (src.stem + ".pdf")
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = [p for p in text.split("\f") if p.strip()]
        assert pages, src.name
        assert all("示例" in p for p in pages), src.name


def test_year_end_switches_to_the_evaluation(tmp_path):
    data = build_fixture_data(tmp_path / "processed", "2015-12")
    xlsx, docx = write_office_files(
        "2015-12", tmp_path / "out", processed_dir=data["processed"], zones_path=data["zones"]
    )
    names = openpyxl.load_workbook(xlsx).sheetnames
    assert {"考评-目标结果", "考评-评先资格", "考评-星级", "考评-发展靠后"} <= set(names)
    text = _brief_text(docx)
    assert re.search(r"[一二三四五六七八九十]、年度考评", text) and "评先前置条件" in text


def test_index_lists_the_office_files_apart_from_the_pages():
    from zoneanalysis.reporting.index import ManifestEntry, render_index

    entries = [
        ManifestEntry("overview", "overview", "全市总览", "overview.html", None, "ok", 1.0),
        ManifestEntry("office/xlsx", "office", "台账", "台账_2016-09.xlsx", None, "ok", 1.0),
        ManifestEntry("office/docx", "office", "简报", None, None, "failed", 0.0, "坏了"),
    ]
    page = render_index(entries, period_label="2016年1-9月", is_sample=True)
    assert "共 1 份报告，成功 1 份；另有台账工作簿与简报草稿 2 个文件（1 个未能生成）。" in page
    assert 'href="台账_2016-09.xlsx"' in page and "台账与简报（下载）" in page


def test_a_year_without_targets_says_so_and_claims_nothing(tmp_path):
    data = build_fixture_data(tmp_path / "processed", "2016-06")
    for path in (tmp_path / "processed").glob("projections_*.parquet"):
        import pandas as pd

        frame = pd.read_parquet(path)
        cols = ["target_value", "target_growth_pct", "p_meet_target", "required_growth_pct"]
        frame[cols] = float("nan")
        frame.to_parquet(path, index=False)
    empty = tmp_path / "targets"
    empty.mkdir()
    _, docx = write_office_files(
        "2016-06",
        tmp_path / "out",
        processed_dir=data["processed"],
        zones_path=data["zones"],
        targets_path=empty,
    )
    text = _brief_text(docx)
    assert "该年没有目标文件" in text
    assert "预计没有集聚区低于自身目标" not in text and "均可达到目标星级" not in text
