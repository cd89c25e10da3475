"""Read the sheets of a workbook into grids, with Excel's number formats honoured.

.xlsx (and .xlsm) are first scanned within bounds (:mod:`zoneanalysis.cleaning.xlsx_scan`), then
read with python-calamine (cached formula values); legacy .xls is read with xlrd, which gives
each cell's format. Percent-formatted numbers become percent points (0.112 shown as 11.2 % →
11.2, the canonical unit of growth), date cells become :class:`DateCell` text, and a formula
without a cached value is an error naming the cell.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
import xlrd

from zoneanalysis.cleaning.xlsx_scan import (
    FORMAT_MONTH,
    FORMAT_PERCENT,
    MAX_CELLS,
    SheetScan,
    WorkbookScan,
    cell_ref,
    format_kind,
    scan_xlsx,
    too_big_error,
)
from zoneanalysis.errors import InputDataError

_HINT_CORRUPT = "用 Excel 打开确认文件完好，必要时重新下载或另存为 .xlsx。"


class DateCell(str):
    """A date cell, as text: "2016年6月" when its format shows no day (a period), else "2016/7/15".

    The text keeps title and period detection working on dates; ``date`` keeps the value, so a
    date where a number belongs can be refused by name.
    """

    date: dt.date

    def __new__(cls, value: dt.date, *, month_only: bool) -> DateCell:  # noqa: D102
        y, m, d = value.year, value.month, value.day
        text = f"{y}年{m}月" if month_only else f"{y}/{m}/{d}"
        cell = super().__new__(cls, text)
        cell.date = value
        return cell


@dataclass
class SheetGrid:
    """One sheet: its name, rows of cells, and what the cleaning report lists about it.

    Attributes
    ----------
    name
        The sheet name.
    grid
        Rows of cells (text, numbers, :class:`DateCell`, ``""``), padded to one width;
        ``grid[r][c]`` is row ``r + 1``, column ``c + 1``. Empty for an empty sheet.
    hidden
        Whether the sheet is hidden.
    hidden_rows, hidden_columns
        0-based hidden rows and columns inside the grid.
    """

    name: str
    grid: list[list]
    hidden: bool = False
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)


def cell_place(rel: str, sheet: str | None, row: int, col: int) -> tuple[str, str | None]:
    """``(file, location)`` for a message about a cell (0-based row and column).

    In a workbook read sheet by sheet the file is ``文件.xlsx!Sheet名!C7``; otherwise the file
    is ``rel`` and the location is "第 7 行第 C 列" as everywhere else in the cleaner.
    """
    ref = cell_ref(row, col)
    if sheet is not None:
        return f"{rel}!{sheet}!{ref}", None
    letters = ref.rstrip("0123456789")
    return rel, f"第 {row + 1} 行第 {letters} 列"


def read_sheets(
    path: str | Path, *, rel: str, sheet: str | int | None = None, named: bool = True
) -> list[SheetGrid]:
    """Read the sheets of a workbook.

    Parameters
    ----------
    path
        The .xlsx, .xlsm or .xls file (an .xls that is really an .xlsx is read as one).
    rel
        Its name in messages.
    sheet
        Read only this sheet (name or 0-based index); all sheets by default.
    named
        Whether cells in messages are named with their sheet (``文件.xlsx!Sheet名!C7``); the
        caller passes ``False`` when only one sheet is read.

    Returns
    -------
    list of SheetGrid
        In tab order.

    Raises
    ------
    InputDataError
        If the file is corrupt or too big, the sheet does not exist, or a formula cell has no
        cached value (or the workbook asks Excel to recalculate everything on open).
    """
    path = Path(path)
    if path.suffix.lower() == ".xls" and not zipfile.is_zipfile(path):
        return _read_xls(path, rel, sheet)
    scan = scan_xlsx(path, rel)
    workbook = _open_calamine(path, rel, by_content=scan is not None)
    try:
        names = list(workbook.sheet_names)
        chosen = _choose(names, sheet, rel)
        facts = {sheet.name: sheet for sheet in scan.sheets} if scan else {}
        if scan is not None:
            _check_formulas(
                scan, [facts.get(names[i]) for i in chosen], rel, named and len(names) > 1
            )
        kinds = [meta.typ for meta in workbook.sheets_metadata]
        out = []
        for index in chosen:
            if kinds[index] != python_calamine.SheetTypeEnum.WorkSheet:  # a chart sheet
                out.append(SheetGrid(name=names[index], grid=[]))
                continue
            try:
                rows = workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
            except (python_calamine.CalamineError, ValueError) as exc:
                raise _corrupt(rel, exc) from None
            out.append(_xlsx_sheet(names[index], rows, facts.get(names[index])))
        return out
    finally:
        workbook.close()


def _open_calamine(path: Path, rel: str, *, by_content: bool) -> python_calamine.CalamineWorkbook:
    """Open with calamine; a zip saved as .xls (a renamed .xlsx) is read by its content."""
    try:
        if by_content and path.suffix.lower() not in (".xlsx", ".xlsm"):
            return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise _corrupt(rel, exc) from None


def _corrupt(rel: str, exc: Exception) -> InputDataError:
    return InputDataError(
        f"无法打开工作簿，文件可能已损坏或不是 Excel 文件（{type(exc).__name__}）",
        file=rel,
        hint=_HINT_CORRUPT,
    )


def _choose(names: list[str], sheet: str | int | None, rel: str) -> list[int]:
    if sheet is None:
        return list(range(len(names)))
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return [sheet]
    if isinstance(sheet, str) and sheet in names:
        return [names.index(sheet)]
    raise InputDataError(
        f"找不到工作表“{sheet}”",
        file=rel,
        location=f"工作表 {sheet}",
        hint=f"工作簿中的工作表有：{'、'.join(names)}；在 .layout.yaml 的 sheet 中写正确的名称或序号。",
    )


def _check_formulas(
    scan: WorkbookScan, chosen: list[SheetScan | None], rel: str, named: bool
) -> None:
    for facts in chosen:
        if facts is None:
            continue
        if facts.n_uncached:
            cells, n, why = facts.uncached, facts.n_uncached, "文件中没有保存公式的计算结果"
        elif scan.full_calc_on_load and facts.n_formulas:
            cells, n = facts.formulas, facts.n_formulas
            why = "工作簿要求打开时重新计算（fullCalcOnLoad），保存的公式结果不可信"
        else:
            continue
        r, c, formula = cells[0]
        file, location = cell_place(rel, facts.name if named else None, r, c)
        others = "、".join(cell_ref(rr, cc) for rr, cc, _ in cells[1:8])
        more = f"；共 {n} 个公式单元格（另有 {others}{' 等' if n > 8 else ''}）" if n > 1 else ""
        raise InputDataError(
            f"单元格是公式（{'=' + formula if formula else '共享公式'}），但{why}，读不出数值{more}",
            file=file,
            location=location,
            hint=(
                "这个文件多半由程序生成、从未在 Excel 中计算过：用 Excel 或 WPS 打开，等计算完成后"
                "另存为新文件放进原始数据目录（原表保留备份）；或请报送单位提供数值版。"
            ),
        )


def _xlsx_sheet(name: str, rows: list[list], facts: SheetScan | None) -> SheetGrid:
    grid = [[_cell(v) for v in row] for row in rows]
    formats = facts.formats if facts else {}
    for (r, c), kind in formats.items():
        if r >= len(grid) or c >= len(grid[r]):
            continue
        value = grid[r][c]
        if kind == FORMAT_PERCENT and isinstance(value, int | float):
            grid[r][c] = _percent_points(value)
        elif kind == FORMAT_MONTH and isinstance(value, DateCell):
            grid[r][c] = DateCell(value.date, month_only=True)
        elif kind == FORMAT_MONTH and isinstance(value, int | float):  # a serial date
            try:
                date = xlrd.xldate.xldate_as_datetime(value, 0)
            except (xlrd.xldate.XLDateError, ValueError, OverflowError):
                continue
            grid[r][c] = DateCell(date, month_only=True)
    sheet = SheetGrid(name=name, grid=_pad(grid), hidden=bool(facts and facts.hidden))
    if facts:
        width = len(sheet.grid[0]) if sheet.grid else 0
        sheet.hidden_rows = sorted(r for r in facts.hidden_rows if r < len(sheet.grid))
        sheet.hidden_columns = sorted(
            {c for lo, hi in facts.hidden_columns for c in range(lo, min(hi, width - 1) + 1)}
        )
    return sheet


def _percent_points(value: float) -> float:
    """0.112 → 11.2 (15 significant digits, Excel's precision, so no 11.200000000000001)."""
    return float(f"{value * 100:.15g}")


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return str(value)
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return DateCell(value, month_only=False)
    return str(value)


def _pad(grid: list[list]) -> list[list]:
    width = max((len(r) for r in grid), default=0)
    for row in grid:
        row.extend([""] * (width - len(row)))
    return grid


def _read_xls(path: Path, rel: str, sheet: str | int | None) -> list[SheetGrid]:
    try:
        book = xlrd.open_workbook(
            str(path),
            formatting_info=True,
            on_demand=True,
            ragged_rows=True,
            logfile=io.StringIO(),  # xlrd prints its warnings to stdout otherwise
        )
    except (xlrd.XLRDError, OSError, ValueError, AssertionError, IndexError, KeyError) as exc:
        raise _corrupt(rel, exc) from None
    try:
        chosen = _choose(book.sheet_names(), sheet, rel)
        return [_xls_sheet(book, book.sheet_by_index(i), rel) for i in chosen]
    except (xlrd.XLRDError, AssertionError, IndexError, KeyError) as exc:
        raise _corrupt(rel, exc) from None
    finally:
        book.release_resources()


def _xls_sheet(book: xlrd.Book, ws: xlrd.sheet.Sheet, rel: str) -> SheetGrid:
    width = max((ws.row_len(r) for r in range(ws.nrows)), default=0)
    if ws.nrows * width > MAX_CELLS:  # rows are ragged until padded here
        what = f"已用区域 {ws.nrows} 行 × {width} 列"
        raise too_big_error(rel, ws.name, what, f"{MAX_CELLS} 个单元格")
    kinds = _xls_format_kinds(book)
    special = _XLS_SPECIAL | ({xlrd.XL_CELL_NUMBER} if kinds else set())
    grid: list[list] = []
    for r in range(ws.nrows):
        row = ws.row_values(r)  # text, float or "" already; fix dates, percents, flags
        for c, ctype in enumerate(ws.row_types(r)):
            if ctype in special:
                kind = kinds.get(ws.cell_xf_index(r, c)) if kinds else None
                row[c] = _xls_cell(book, ctype, row[c], kind)
        grid.append(row)
    grid = _pad(grid)
    width = len(grid[0]) if grid else 0
    return SheetGrid(
        name=ws.name,
        grid=grid,
        hidden=ws.visibility != 0,
        hidden_rows=[r for r, info in ws.rowinfo_map.items() if info.hidden and r < len(grid)],
        hidden_columns=[c for c, info in ws.colinfo_map.items() if info.hidden and c < width],
    )


_XLS_SPECIAL = frozenset((xlrd.XL_CELL_DATE, xlrd.XL_CELL_BOOLEAN, xlrd.XL_CELL_ERROR))


def _xls_format_kinds(book: xlrd.Book) -> dict[int, str]:
    """XF index → ``percent`` / ``month`` (only the XFs that need a fix; dates are typed by xlrd)."""
    kinds: dict[int, str] = {}
    for index, xf in enumerate(book.xf_list):
        fmt = book.format_map.get(xf.format_key)
        kind = format_kind(fmt.format_str) if fmt else None
        if kind in (FORMAT_PERCENT, FORMAT_MONTH):
            kinds[index] = kind
    return kinds


def _xls_cell(book: xlrd.Book, ctype: int, value: object, kind: str | None) -> object:
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return str(bool(value))
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR")
    if ctype == xlrd.XL_CELL_DATE:
        try:
            date = xlrd.xldate.xldate_as_datetime(value, book.datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return value
        return DateCell(date, month_only=kind == FORMAT_MONTH)
    return _percent_points(value) if kind == FORMAT_PERCENT else value
