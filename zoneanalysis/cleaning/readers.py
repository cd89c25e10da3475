"""Read a bureau table (.xlsx, .xls or .csv) into a grid of cells."""

from __future__ import annotations

from pathlib import Path

from zoneanalysis.cleaning.workbook import read_sheets
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
    """One sheet (the first by default) of a workbook; see :mod:`zoneanalysis.cleaning.workbook`."""
    return read_sheets(path, rel=label, sheet=0 if sheet is None else sheet, named=False)[0].grid
