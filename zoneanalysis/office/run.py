"""Produce the office's files for one period: 台账_<period>.xlsx and 简报_<period>.docx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from zoneanalysis.atomic import atomic_path
from zoneanalysis.office.brief import compose_brief, write_brief
from zoneanalysis.office.sheets import OfficeTables, build_sheets, load_office_tables
from zoneanalysis.office.workbook import write_workbook
from zoneanalysis.reporting import views

#: The formats :func:`write_office_files` can write, beside the HTML pages.
OFFICE_FORMATS = ("xlsx", "docx")


def readme_lines(tables: OfficeTables, generated: str) -> list[tuple[str, str]]:
    """The 说明 sheet's lines: what the workbook is, the data cut-off, sources and rules."""
    lines = [
        ("标题", f"郑州市产业集聚区月台账（{tables.period_label}）"),
        ("数据截至", tables.data_cutoff),
        ("生成时间", generated),
        (
            "数据来源",
            "市统计局产业集聚区月度统计报表（data/raw/bureau）与重大项目台账（data/raw/ledger）",
        ),
        ("目标来源", "郑政办〔2016〕49号；分区目标计划未公布的，为示例目标（“目标说明”列标出）"),
        ("判断规则", views.describe_verdict_thresholds()),
        ("百分数", "“(%)”列为百分点（11.2 即 11.2%）；“概率”列为百分比。"),
        ("预计超/差目标", "“超 x”为预测全年高于目标 x，“差 x”为低于目标 x，单位同“单位”列。"),
        ("排名与星级", "十强、十快、十先的评分细则与星级晋级标准未公开，表中为示例假设。"),
        ("说明", "本工作簿与同期 HTML 报告使用同一批数据表生成。"),
    ]
    if tables.is_sample:
        lines.insert(0, ("示例", "本工作簿全部数字为示例数据，不是真实统计，不可对外引用。"))
    return lines


def write_office_files(
    period: str,
    out_dir: str | Path,
    *,
    processed_dir: str | Path | None = None,
    formats: tuple[str, ...] = OFFICE_FORMATS,
    zones_path: str | Path | None = None,
    targets_path: str | Path | None = None,
    now: dt.datetime | None = None,
) -> list[Path]:
    """Write the ledger workbook and/or the drafted brief for ``period`` into ``out_dir``.

    Returns
    -------
    list of pathlib.Path
        The files written, in ``formats`` order.
    """
    wanted = [f for f in formats if f in OFFICE_FORMATS]
    if not wanted:
        return []
    tables = load_office_tables(
        period, processed_dir, zones_path=zones_path, targets_path=targets_path
    )
    generated = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    provenance = f"{tables.period_label} · 数据截至 {tables.data_cutoff} · 生成于 {generated}"
    written = []
    for fmt in wanted:
        if fmt == "xlsx":
            target = out / f"台账_{period}.xlsx"
            with atomic_path(target) as tmp:
                write_workbook(
                    tmp,
                    build_sheets(tables),
                    readme=readme_lines(tables, generated),
                    provenance=provenance,
                    is_sample=tables.is_sample,
                )
        else:
            target = out / f"简报_{period}.docx"
            with atomic_path(target) as tmp:
                write_brief(tmp, compose_brief(tables, generated))
        written.append(target)
    return written
