"""Clean every bureau table under a raw folder into ``zone_stats`` and a cleaning report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from zoneanalysis import paths
from zoneanalysis.atomic import atomic_path
from zoneanalysis.cleaning.discover import SIDECAR_SUFFIX, SourceFile, discover_files
from zoneanalysis.cleaning.layout import (
    ROLE_VALUE,
    ColumnSpec,
    Layout,
    LayoutHints,
    column_letter,
    load_layout_hints,
    split_tables,
)
from zoneanalysis.cleaning.magnitudes import check_magnitudes, flag_fraction_growth
from zoneanalysis.cleaning.records import RecordColumns, categorical_as_str
from zoneanalysis.cleaning.rows import (
    REASONS_ZH,
    ROW_DATA,
    ROW_EMPTY_DATA,
    classify_rows,
    row_text,
)
from zoneanalysis.cleaning.rules import CleaningRules, load_cleaning_rules
from zoneanalysis.cleaning.sheets import SheetTable, detect_sheet_layout, read_tables
from zoneanalysis.cleaning.validate import (
    REPORT_COLUMNS,
    STATS_COLUMNS,
    flag_ytd_decreases,
    resolve_overlaps,
    validate_stats,
)
from zoneanalysis.cleaning.values import NumberFormatError, cell_text, is_blank, parse_number_note
from zoneanalysis.cleaning.zones import ZoneLookup
from zoneanalysis.errors import InputDataError
from zoneanalysis.indicators import Indicator, load_indicator_catalogue
from zoneanalysis.registry import ZoneMatcher
from zoneanalysis.schema import validate_table

SEVERITY_NAMES_ZH = {
    "dropped": "未作为数据",
    "duplicate": "重复",
    "superseded": "被修订版取代",
    "warning": "提示",
}


@dataclass
class CleanResult:
    """The outcome of cleaning.

    Attributes
    ----------
    stats
        ``zone_stats``: one row per zone × year × month × indicator (docs/contracts.md).
    report
        The cleaning report: ``source_file``, ``source_row``, ``raw_text``, ``reason``,
        ``severity`` (dropped, duplicate, superseded, warning).
    files
        The tables read, as paths relative to the raw folder.
    """

    stats: pd.DataFrame
    report: pd.DataFrame
    files: list[str] = field(default_factory=list)

    def summary_zh(self) -> str:
        """One short Chinese paragraph: files read, rows kept, report rows by reason."""
        n_zones = self.stats["zone_id"].nunique()
        periods = ""
        if not self.stats.empty:
            ym = self.stats[["year", "month"]].drop_duplicates().sort_values(["year", "month"])
            first, last = ym.iloc[0], ym.iloc[-1]
            periods = (
                f"，期间 {int(first['year'])}-{int(first['month']):02d} 至 "
                f"{int(last['year'])}-{int(last['month']):02d}"
            )
        parts = []
        dropped = self.report[self.report["severity"] == "dropped"]
        for reason, n in dropped["reason"].value_counts().items():
            parts.append(f"{reason} {n} 行")
        for severity in ("duplicate", "superseded", "warning"):
            n = int((self.report["severity"] == severity).sum())
            if n:
                parts.append(f"{SEVERITY_NAMES_ZH[severity]} {n} 行")
        listed = "；".join(parts) if parts else "无"
        return (
            f"读取报表 {len(self.files)} 个，保留数据 {len(self.stats)} 行"
            f"（{n_zones} 个集聚区/园区{periods}）；清洗报告列出 {len(self.report)} 行：{listed}。"
        )


@dataclass
class _Context:
    rules: CleaningRules
    catalogue: dict[str, Indicator]
    zones: ZoneLookup

    @property
    def zone_names(self) -> dict[str, str]:
        return self.zones.zone_names


def clean_tables(
    raw_dir: str | Path,
    *,
    zones_path: str | Path | None = None,
    aliases_path: str | Path | None = None,
    catalogue_path: str | Path | None = None,
) -> CleanResult:
    """Clean every bureau table under ``raw_dir``.

    Parameters
    ----------
    raw_dir
        Folder searched recursively for .xlsx/.xls/.csv (folders named in the rules'
        ``skip_folders`` — ``reference``, ``ledger`` —, hidden files and ``~$`` lock files are
        skipped; ``<file>.layout.yaml`` is a layout sidecar).
    zones_path, aliases_path, catalogue_path
        Registry, alias table and indicator catalogue; the shipped ones by default.

    Returns
    -------
    CleanResult
        The validated ``zone_stats`` table, the cleaning report and the files read.

    Raises
    ------
    InputDataError
        On bad input: an unknown zone name, an unparsable number, two files that disagree, an
        empty or corrupt file, a file without a period or without any known indicator.
    """
    raw_dir = Path(raw_dir)
    catalogue = load_indicator_catalogue(str(catalogue_path) if catalogue_path else None)
    ctx = _Context(
        rules=load_cleaning_rules(),
        catalogue=catalogue,
        zones=ZoneLookup(ZoneMatcher.from_files(zones_path, aliases_path)),
    )
    sources = discover_files(raw_dir, ctx.rules.skip_folders)
    records = RecordColumns()
    report: list[dict] = []
    for order, source in enumerate(sources):
        file_records, file_report = _clean_file(source, ctx)
        records.extend(file_records, order)
        report += file_report
    ctx.zones.raise_unknown()  # once for the whole run, every unknown name
    frame = records.frame()
    del records
    frame, overlap_report = resolve_overlaps(frame, catalogue)
    frame, ytd_report = flag_ytd_decreases(frame, catalogue)
    check_magnitudes(frame, catalogue, ctx.rules.magnitude_jump_factor)
    growth_report = flag_fraction_growth(frame, catalogue)
    stats = (
        frame[STATS_COLUMNS]
        .sort_values(["zone_id", "year", "month", "indicator"], kind="stable")
        .reset_index(drop=True)
    )
    del frame
    for column in ("zone_id", "zone_name", "indicator", "unit", "source_file", "quality_flag"):
        stats[column] = categorical_as_str(stats[column])
    stats = validate_stats(stats, catalogue)
    report_frame = pd.DataFrame(
        report + overlap_report + ytd_report + growth_report, columns=REPORT_COLUMNS
    )
    report_frame["source_row"] = report_frame["source_row"].astype("int64")
    report_frame = report_frame.sort_values(["source_file", "source_row"], kind="stable")
    validate_table(report_frame, "cleaning_report")
    return CleanResult(
        stats=stats,
        report=report_frame.reset_index(drop=True),
        files=[s.rel for s in sources],
    )


def run_clean(
    raw_dir: str | Path,
    out_dir: str | Path,
    *,
    zones_path: str | Path | None = None,
    aliases_path: str | Path | None = None,
) -> CleanResult:
    """Clean ``raw_dir`` and write ``zone_stats.parquet`` and ``cleaning_report.csv`` to ``out_dir``.

    Both files are written atomically, and only after cleaning succeeded: on bad input nothing is
    written (not even the output folder).

    Parameters
    ----------
    raw_dir
        The raw data folder.
    out_dir
        The output folder (created if needed).
    zones_path, aliases_path
        Registry and alias table; the shipped ones by default.

    Returns
    -------
    CleanResult
        What was written.
    """
    result = clean_tables(raw_dir, zones_path=zones_path, aliases_path=aliases_path)
    out_dir = Path(out_dir)
    with (
        atomic_path(out_dir / paths.ZONE_STATS_NAME) as stats_tmp,
        atomic_path(out_dir / paths.CLEANING_REPORT_NAME) as report_tmp,
    ):
        result.stats.to_parquet(stats_tmp, index=False)
        result.report.to_csv(report_tmp, index=False, encoding="utf-8-sig")
    return result


def _clean_file(source: SourceFile, ctx: _Context) -> tuple[RecordColumns, list[dict]]:
    hints = load_layout_hints(source.sidecar, source.rel + SIDECAR_SUFFIX)
    records = RecordColumns()
    report: list[dict] = []
    for table in read_tables(source.path, rel=source.rel, hints=hints, catalogue=ctx.catalogue):
        report += table.notes
        if table.grid is not None:
            report += _clean_sheet(table, hints, ctx, records)
    return records, report


def _clean_sheet(
    table: SheetTable, hints: LayoutHints, ctx: _Context, records: RecordColumns
) -> list[dict]:
    """Clean one sheet into ``records``: each of the tables stacked in it, top to bottom."""
    grid = table.grid
    if hints.header_rows or hints.first_data_row:
        spans = [(0, len(grid))]  # the sidecar describes one table
    else:
        spans = split_tables(grid, rules=ctx.rules, catalogue=ctx.catalogue)
    report: list[dict] = []
    above: Layout | None = None
    for start, end in spans:
        part = replace(table, grid=grid[start:end])
        layout = detect_sheet_layout(
            part,
            hints=hints,
            rules=ctx.rules,
            catalogue=ctx.catalogue,
            inherit=above,
            row_offset=start,
        )
        report += _clean_table(part.grid, start, layout, table.rel, ctx, records)
        above = layout
    return report


def _clean_table(
    grid: list[list], offset: int, layout: Layout, rel: str, ctx: _Context, records: RecordColumns
) -> list[dict]:
    """Clean one table into ``records``; ``offset`` is its first row's index in the sheet."""
    classes = classify_rows(grid, layout, ctx.rules)
    report: list[dict] = []

    def note(r: int, reason: str, severity: str = "dropped", text: str | None = None) -> None:
        report.append(
            {
                "source_file": rel,
                "source_row": r + offset + 1,
                "raw_text": row_text(grid[r]) if text is None else text,
                "reason": reason,
                "severity": severity,
            }
        )

    for c, header in layout.unmapped:
        note(
            layout.header_rows[0],
            f"第 {column_letter(c)} 列表头“{header}”未对应任何指标，该列已忽略",
            "warning",
            header,
        )
    for c, header, why in layout.skipped:
        note(layout.header_rows[0], f"第 {column_letter(c)} 列“{header}”{why}", "warning", header)
    for r, kind in enumerate(classes):
        if kind not in (ROW_DATA, ROW_EMPTY_DATA):
            note(r, REASONS_ZH[kind])
            continue
        if kind == ROW_EMPTY_DATA and is_blank(grid[r][layout.name_column]):
            note(r, "该行既没有集聚区名称，也没有数值")
            continue
        zone_id = _match_zone(grid[r], r + offset, layout, rel, ctx)
        if zone_id is None:  # collected; the run fails once with every unknown name
            continue
        if kind == ROW_EMPTY_DATA:
            note(r, REASONS_ZH[ROW_EMPTY_DATA], "warning")
            continue
        row_records = _read_values(
            grid[r], r + offset, layout, rel, ctx, lambda text, r=r: note(r, text, "warning")
        )
        if not row_records:
            note(r, "该行只有增速，没有指标数值", "warning")
            continue
        row = {
            "zone_id": zone_id,
            "zone_name": ctx.zone_names[zone_id],
            "year": layout.year,
            "month": layout.month,
            "source_file": rel,
            "source_row": r + offset + 1,
            "is_revision": layout.is_revision,
            "raw_text": row_text(grid[r]),
        }
        records.add_row(row, row_records)
    return report


def _match_zone(row: list, r: int, layout: Layout, rel: str, ctx: _Context) -> str | None:
    raw = row[layout.name_column]
    if is_blank(raw):
        raise InputDataError(
            "该行有数值，但集聚区名称为空",
            file=rel,
            location=f"第 {r + 1} 行第 {column_letter(layout.name_column)} 列",
            hint="补上集聚区名称，或删除该行。",
        )
    place = f"{rel}（第 {r + 1} 行第 {column_letter(layout.name_column)} 列）"
    return ctx.zones.match_at(raw, layout.year, place)


def _read_values(
    row: list, r: int, layout: Layout, rel: str, ctx: _Context, warn: Callable[[str], None]
) -> list[dict]:
    values: dict[str, float] = {}
    growth: dict[str, float] = {}
    columns: dict[str, int] = {}
    for col in layout.columns:
        number = _read_cell(row[col.column], r, col, rel, ctx, warn)
        if number is None:
            continue
        if col.role == ROLE_VALUE:
            ind = ctx.catalogue[col.indicator]
            converted = ind.to_canonical(number, col.unit)
            values[col.indicator] = converted if converted == number else round(converted, 10)
            columns[col.indicator] = col.column
        else:
            _check_growth(number, r, col, rel, ctx, warn)
            growth[col.indicator] = number
    return [
        {
            "indicator": code,
            "value": value,
            "unit": ctx.catalogue[code].unit,
            "yoy_pct": growth.get(code, float("nan")),
            "column": columns[code],
        }
        for code, value in values.items()
    ]


def _read_cell(
    cell: object, r: int, col: ColumnSpec, rel: str, ctx: _Context, warn: Callable[[str], None]
) -> float | None:
    """One indicator cell → its number; footnote markers go to the cleaning report."""
    place = f"第 {r + 1} 行第 {column_letter(col.column)} 列（{col.header}）"
    try:
        parsed = parse_number_note(cell, ctx.rules)
    except NumberFormatError:
        raise InputDataError(
            f"单元格“{cell_text(cell)}”不是数字",
            file=rel,
            location=place,
            hint=(
                "改正该单元格：数字可带千分位逗号、% 号或脚注标记（①、*、# 等），缺失值写“—”或留空；"
                "若是报送单位特有的标记，把它加入 data/raw/reference/cleaning_rules.yaml 的 "
                "footnote_markers。"
            ),
        ) from None
    if parsed.note:
        shown = "缺失" if parsed.value is None else f"{parsed.value:g}"
        warn(
            f"{place}“{cell_text(cell)}”带脚注标记“{parsed.note}”，标记已去掉，按 {shown} 读取"
            "（标记不当作数字）"
        )
    return parsed.value


def _check_growth(
    number: float, r: int, col: ColumnSpec, rel: str, ctx: _Context, warn: Callable[[str], None]
) -> None:
    """Refuse an impossible growth rate, note an unusual one (limits per indicator kind)."""
    ind = ctx.catalogue[col.indicator]
    limit = ctx.rules.growth_limit(ind.kind)
    if limit is None:
        return
    place = f"第 {r + 1} 行第 {column_letter(col.column)} 列（{col.header}）"
    if abs(number) > limit.max_abs or (ind.min >= 0 and number < -100):
        bound = f"±{limit.max_abs:g}%" if abs(number) > limit.max_abs else "-100%（该指标不会为负）"
        raise InputDataError(
            f"“{ind.name_zh}”的增速 {number:g}% 超出可能范围（{bound}）",
            file=rel,
            location=place,
            hint=(
                "核对该单元格是否把数值写进了增速列、是否多写了位数；若增速确实如此，调大 "
                f"data/raw/reference/cleaning_rules.yaml 中 growth_limits.{ind.kind} 的 max_abs。"
            ),
        )
    if abs(number) > limit.warn_abs:
        warn(f"{place}“{ind.name_zh}”的增速 {number:g}% 超过 ±{limit.warn_abs:g}%，已保留，请核对")
