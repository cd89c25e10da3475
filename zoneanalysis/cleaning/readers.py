"""Read a bureau table (.xlsx, .xls or .csv) into a grid of cells."""

from __future__ import annotations

from pathlib import Path

import python_calamine

from zoneanalysis.errors import InputDataError
from zoneanalysis.textfiles import display_name, read_csv_rows

Cell = str | float | int | None
Grid = list[list[Cell]]


def read_grid(path: str | Path, *, sheet: str | int | None = None, rel: str | None = None) -> Grid:
    """Read a table into rows of cells, row 1 of the sheet or CSV being ``grid[0]``.

    Parameters
    ----------
    path
        The file (.xlsx, .xls or .csv).
    sheet
        Sheet name or 0-based index (workbooks only); the first sheet by default.
    rel
        The name used in error messages (the path relative to the raw folder).

    Returns
    -------
    list of list
        Cells are text, numbers or ``""``; rows are padded to the same width. Leading empty rows
        and columns are kept, so ``grid[r][c]`` is row ``r + 1``, column ``c + 1`` of the sheet.

    Raises
    ------
    InputDataError
        If the file is empty, corrupt, not decodable, or the sheet does not exist.
    """
    path = Path(path)
    label = rel or display_name(path.name)
    if path.suffix.lower() == ".csv":
        grid = _read_csv(path, label)
    else:
        grid = _read_workbook(path, sheet, label)
    width = max((len(r) for r in grid), default=0)
    if width == 0 or all(_blank(c) for row in grid for c in row):
        raise InputDataError(
            "文件为空，没有任何数据",
            file=label,
            hint="检查是否下载或导出完整；不需要的空文件请删除。",
        )
    for row in grid:
        row.extend([""] * (width - len(row)))
    return grid


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _read_csv(path: Path, label: str) -> Grid:
    # encoding (UTF-8, BOM, UTF-16, GBK/GB18030), delimiter and quoting: one shared reader
    return read_csv_rows(path, label=label, error=InputDataError)  # type: ignore[return-value]


def _read_workbook(path: Path, sheet: str | int | None, label: str) -> Grid:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise InputDataError(
            f"无法打开工作簿，文件可能已损坏或不是 Excel 文件（{type(exc).__name__}）",
            file=label,
            hint="用 Excel 打开确认文件完好，必要时重新下载或另存为 .xlsx。",
        ) from None
    try:
        if sheet is None:
            ws = workbook.get_sheet_by_index(0)
        elif isinstance(sheet, int):
            ws = workbook.get_sheet_by_index(sheet)
        else:
            ws = workbook.get_sheet_by_name(str(sheet))
        rows = ws.to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, IndexError, ValueError) as exc:
        names = "、".join(workbook.sheet_names)
        raise InputDataError(
            f"找不到或无法读取工作表“{sheet if sheet is not None else 0}”（{type(exc).__name__}）",
            file=label,
            location=f"工作表 {sheet}",
            hint=f"工作簿中的工作表有：{names}；在 .layout.yaml 的 sheet 中写正确的名称或序号。",
        ) from None
    finally:
        workbook.close()
    return [[_cell(c) for c in row] for row in rows]


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float):
        return value if not isinstance(value, bool) else str(value)
    return str(value)
