"""Turn one bureau file into the tables the cleaner reads: one per sheet of a workbook.

A CSV or a single-sheet workbook is one table named by its path, as before. A workbook with
several sheets gives one table per sheet that holds a header of known indicators, named
``文件.xlsx!Sheet名`` (in ``source_file`` and in messages); a cover or notes sheet, an empty
sheet, a hidden sheet and hidden rows or columns are listed in the cleaning report. The period
may come from a sheet name ("1-6月") when the title and file name lack it; when both give one
and they differ, that is an error naming both places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from zoneanalysis.cleaning.layout import (
    HEADER_SCAN_ROWS,
    Layout,
    LayoutHints,
    column_letter,
    detect_layout,
)
from zoneanalysis.cleaning.period import detect_period
from zoneanalysis.cleaning.readers import read_grid
from zoneanalysis.cleaning.rows import row_text
from zoneanalysis.cleaning.rules import CleaningRules
from zoneanalysis.cleaning.values import cell_text, is_blank
from zoneanalysis.cleaning.workbook import DateCell, SheetGrid, cell_place, read_sheets
from zoneanalysis.errors import InputDataError
from zoneanalysis.indicators import Indicator, match_indicator
from zoneanalysis.names import normalise_name

_BRACKETS = re.compile(r"\([^()]*\)")
_PLACEHOLDER_PERIOD = (1900, 1)
_NUMBER_TEXT = re.compile(r"^\s*[+-]?[\d,，]*\d(?:\.\d+)?\s*%?\s*$")


@dataclass
class SheetTable:
    """One table to clean.

    Attributes
    ----------
    rel
        Its name in ``source_file`` and messages: the file's path, or ``path!Sheet名``.
    file_rel
        The file's path relative to the raw folder.
    sheet
        The sheet name when the table is one sheet of several, else ``None``.
    grid
        The cells (``None`` when the sheet holds no table: then only ``notes`` count).
    notes
        Cleaning-report rows about the sheet (hidden rows, columns or sheet; no table).
    sheet_name
        The sheet's name even when it is the only one (a place to find the period).
    """

    rel: str
    file_rel: str
    sheet: str | None
    grid: list[list] | None
    notes: list[dict] = field(default_factory=list)
    sheet_name: str | None = None


def read_tables(
    path: str | Path,
    *,
    rel: str,
    hints: LayoutHints,
    catalogue: dict[str, Indicator],
) -> list[SheetTable]:
    """Read a bureau file as one table per sheet.

    Parameters
    ----------
    path
        The .csv, .xlsx or .xls file.
    rel
        Its path relative to the raw folder.
    hints
        Sidecar hints; a ``sheet`` there reads that sheet only, named as a single-sheet file.
    catalogue
        The indicator catalogue (a sheet is a table when a header names known indicators).

    Returns
    -------
    list of SheetTable
        In tab order; sheets without a table have ``grid=None`` and a note.

    Raises
    ------
    InputDataError
        If the file cannot be read, is empty, or no sheet of a workbook holds a table.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return [SheetTable(rel, rel, None, read_grid(path, rel=rel))]
    if hints.sheet is not None:
        sheets = read_sheets(path, rel=rel, sheet=hints.sheet, named=False)
    else:
        sheets = read_sheets(path, rel=rel)
    if len(sheets) == 1 or hints.sheet is not None:
        if not _has_cells(sheets[0].grid):
            read_grid(path, sheet=hints.sheet, rel=rel)  # raises the "empty file" error
        return [sheet_table(sheets[0], rel, None)]
    tables = [_sheet_table(s, rel, catalogue) for s in sheets]
    if all(t.grid is None for t in tables):
        names = "、".join(f"“{s.name}”" for s in sheets)
        raise InputDataError(
            f"工作簿的 {len(sheets)} 个工作表（{names}）中都找不到表头：没有任何列名对应到指标目录中的指标",
            file=rel,
            hint=(
                "检查表头文字；若是指标的另一种写法，把它加入 data/raw/reference/indicators.yaml 的 "
                "aliases；若表头位置特殊，在同目录放一个 <文件名>.layout.yaml 写明 sheet 和 header_rows。"
            ),
        )
    return tables


def _has_cells(grid: list[list]) -> bool:
    return any(not is_blank(c) for row in grid for c in row)


def sheet_table(sheet: SheetGrid, file_rel: str, name: str | None) -> SheetTable:
    """One sheet as a table; ``name`` (the sheet's, when the workbook has several) joins its ``rel``.

    ``notes`` lists the sheet's hidden rows and columns and whether it is hidden.
    """
    rel = file_rel if name is None else f"{file_rel}!{name}"
    table = SheetTable(rel, file_rel, name, sheet.grid, sheet_name=sheet.name)
    table.notes = _hidden_notes(sheet, rel)
    return table


def _sheet_table(sheet: SheetGrid, file_rel: str, catalogue: dict[str, Indicator]) -> SheetTable:
    if _has_header(sheet.grid, catalogue):
        return sheet_table(sheet, file_rel, sheet.name)
    rel = f"{file_rel}!{sheet.name}"
    first = next((r for r, row in enumerate(sheet.grid) if any(not is_blank(c) for c in row)), None)
    if first is None:
        reason, text, row = f"工作表“{sheet.name}”为空", "", 0
    else:
        reason = f"工作表“{sheet.name}”中没有报表（没有对应指标的表头），内容未作为数据"
        text, row = row_text(sheet.grid[first]), first
    return SheetTable(rel, file_rel, sheet.name, None, [_note(rel, row, text, reason, "dropped")])


def _has_header(grid: list[list], catalogue: dict[str, Indicator]) -> bool:
    """A row of at least two text cells, one a known indicator, with a number below it.

    Looser than the layout's own header test, so that a table with a doubtful header still
    reaches :func:`detect_layout` and its clear error; the number keeps out a sheet that only
    explains the indicators (指标解释).
    """
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        texts = [normalise_name(c) for c in row if isinstance(c, str) and c.strip()]
        if len(texts) >= 2 and any(match_indicator(_BRACKETS.sub("", t), catalogue) for t in texts):
            return any(_is_number(c) for below in grid[r + 1 :] for c in below)
    return False


def _is_number(cell: object) -> bool:
    if isinstance(cell, bool):
        return False
    return isinstance(cell, int | float) or (
        isinstance(cell, str) and bool(_NUMBER_TEXT.match(cell))
    )


def _note(rel: str, row: int, text: str, reason: str, severity: str = "warning") -> dict:
    return {
        "source_file": rel,
        "source_row": row + 1,
        "raw_text": text,
        "reason": reason,
        "severity": severity,
    }


def _hidden_notes(sheet: SheetGrid, rel: str) -> list[dict]:
    grid = sheet.grid
    notes = []
    if sheet.hidden:
        notes.append(_note(rel, 0, f"工作表“{sheet.name}”", "隐藏的工作表，照常读取"))
    for r in sheet.hidden_rows:
        if any(not is_blank(c) for c in grid[r]):
            notes.append(_note(rel, r, row_text(grid[r]), "隐藏行，照常读取（未因隐藏而跳过）"))
    for c in sheet.hidden_columns:
        filled = [r for r, row in enumerate(grid) if not is_blank(row[c])]
        if filled:
            text = " | ".join(cell_text(grid[r][c]) for r in filled[:5])[:300]
            reason = f"第 {column_letter(c)} 列是隐藏列，照常读取（未因隐藏而跳过）"
            notes.append(_note(rel, filled[0], text, reason))
    return notes


def detect_sheet_layout(
    table: SheetTable,
    *,
    hints: LayoutHints,
    rules: CleaningRules,
    catalogue: dict[str, Indicator],
    inherit: Layout | None = None,
    row_offset: int = 0,
) -> Layout:
    """:func:`~zoneanalysis.cleaning.layout.detect_layout` for one sheet, plus the sheet's own checks.

    ``inherit`` is the layout of a table stacked above this one in the same sheet and
    ``row_offset`` this table's first row in the sheet (for cell names).

    The sheet name is a third place for the period (after the title and the file name); a date
    cell in an indicator column is refused naming the cell.

    Raises
    ------
    InputDataError
        As ``detect_layout``; also when the sheet name's period contradicts the title's or the
        file name's, or a date stands where a number belongs.
    """
    sheet_period = (None, None)
    if table.sheet_name is not None and hints.period is None:
        sheet_period = detect_period(table.sheet_name, rules)
    if sheet_period == (None, None):
        layout = detect_layout(
            table.grid,
            rel=table.rel,
            hints=hints,
            rules=rules,
            catalogue=catalogue,
            inherit=inherit,
        )
    else:
        placeholder = replace(hints, period=_PLACEHOLDER_PERIOD)
        layout = detect_layout(
            table.grid,
            rel=table.rel,
            hints=placeholder,
            rules=rules,
            catalogue=catalogue,
            inherit=inherit,
        )
        layout.year, layout.month = _merge_sheet_period(table, layout, sheet_period, rules)
    _refuse_dates(table, layout, row_offset)
    return layout


def _merge_sheet_period(
    table: SheetTable, layout: Layout, sheet_period: tuple, rules: CleaningRules
) -> tuple[int, int]:
    year = month = None
    year_from = month_from = ""
    titles = [
        " ".join(cell_text(c) for c in row if not is_blank(c))
        for row in table.grid[: layout.header_rows[0]]
    ]
    places = [(f"标题“{t[:40]}”", t) for t in titles if t]
    places.append((f"文件名“{Path(table.file_rel).name}”", Path(table.file_rel).name))
    for place, text in places:  # the layout's own order: title first, the file name fills gaps
        y, m = detect_period(text, rules)
        if year is None and y is not None:
            year, year_from = y, place
        if month is None and m is not None:
            month, month_from = m, place
        if year is not None and month is not None:
            break
    sheet_place = f"工作表名“{table.sheet_name}”"
    sy, sm = sheet_period
    for got, want, where, what in ((year, sy, year_from, "年份"), (month, sm, month_from, "月份")):
        if got is not None and want is not None and got != want:
            raise InputDataError(
                f"{sheet_place}的{what}（{want}）与{where}的{what}（{got}）不一致",
                file=table.rel,
                hint="确认哪一个是正确的期间，在同目录放一个 <文件名>.layout.yaml 写 period: YYYY-MM。",
            )
    year, month = year if year is not None else sy, month if month is not None else sm
    if year is None or month is None:
        raise InputDataError(
            "找不到完整的报表期间：标题、文件名和工作表名中都没有“YYYY年1-N月”之类的期间",
            file=table.rel,
            hint="在同目录放一个 <文件名>.layout.yaml，写 period: YYYY-MM（例如 2016-06）。",
        )
    return year, month


def _refuse_dates(table: SheetTable, layout: Layout, row_offset: int = 0) -> None:
    grid = table.grid
    for r in range(layout.first_data_row, len(grid)):
        for col in layout.columns:
            cell = grid[r][col.column]
            if isinstance(cell, DateCell):
                file, location = cell_place(table.file_rel, table.sheet, r + row_offset, col.column)
                raise InputDataError(
                    f"单元格是日期（{cell}），不是“{col.header}”的数值",
                    file=file,
                    location=location,
                    hint=(
                        "多半是该单元格被设成了日期格式：请报送单位改正，或用 Excel 把该列设为“常规”"
                        "或“数值”格式后另存为新文件放进原始数据目录（原表保留备份）。"
                    ),
                )
