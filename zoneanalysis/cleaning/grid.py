"""The grid-level reading every table file shares: sheet, title facts, row classes, cell names.

The bureau cleaner (:mod:`zoneanalysis.cleaning.clean`) and the ledger reader
(:mod:`zoneanalysis.ledger.read`) open files, read the rows above the header (period, "（修订）",
unit line), tell title, header, total, note and blank rows from data rows (with the reasons of
the cleaning report) and name cells with Excel letters the same way, through this module and
the ones it composes (:mod:`~zoneanalysis.cleaning.workbook`, :mod:`~zoneanalysis.cleaning.titles`,
:mod:`~zoneanalysis.cleaning.rows`, :mod:`~zoneanalysis.cleaning.zones`). What a header means
(indicators for bureau tables, project columns for the ledger) stays with each reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from zoneanalysis.cleaning.discover import SIDECAR_SUFFIX
from zoneanalysis.cleaning.layout import ROLE_VALUE, ColumnSpec, Layout, LayoutHints
from zoneanalysis.cleaning.layout import load_layout_hints as _load_hints
from zoneanalysis.cleaning.readers import read_grid
from zoneanalysis.cleaning.rows import classify_rows, row_text
from zoneanalysis.cleaning.rules import CleaningRules
from zoneanalysis.cleaning.sheets import SheetTable, sheet_table
from zoneanalysis.cleaning.titles import find_period, find_unit_line
from zoneanalysis.cleaning.values import is_blank
from zoneanalysis.cleaning.workbook import cell_place, read_sheets
from zoneanalysis.errors import InputDataError

_TRAILING_UNIT = re.compile(r"\(([^()]*)\)$")


@dataclass(frozen=True)
class Title:
    """What the rows above a header say (rows 0-based).

    Attributes
    ----------
    year, month
        The period (last month of the year-to-date period).
    is_revision
        Whether the release is a revision ("（修订）" in the title or file name, or the sidecar).
    unit_rows
        The unit lines among the title rows.
    unit_tokens
        The units they name, in order ("单位：万元、%" → ``("万元", "%")``).
    """

    year: int
    month: int
    is_revision: bool
    unit_rows: frozenset[int]
    unit_tokens: tuple[str, ...]


def layout_hints(path: str | Path, rel: str) -> LayoutHints:
    """The ``<file>.layout.yaml`` hints beside a table (none if there is no sidecar)."""
    path = Path(path)
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    return _load_hints(sidecar if sidecar.is_file() else None, rel + SIDECAR_SUFFIX)


def open_table(path: str | Path, *, rel: str, hints: LayoutHints | None = None) -> SheetTable:
    """Open a .xlsx/.xls/.csv as one table: the CSV, or the workbook's first (or hinted) sheet.

    Parameters
    ----------
    path
        The file.
    rel
        Its path relative to the raw folder.
    hints
        Sidecar hints (``sheet`` picks the sheet).

    Returns
    -------
    SheetTable
        ``rel`` is ``文件.xlsx!Sheet名`` and cells are named ``文件.xlsx!Sheet名!C7`` when the workbook
        has several sheets; ``notes`` lists hidden rows, columns and sheets and the sheets not read.

    Raises
    ------
    InputDataError
        If the file cannot be read or is empty.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return SheetTable(rel, rel, None, read_grid(path, rel=rel))
    sheet = hints.sheet if hints is not None else None
    sheets = read_sheets(path, rel=rel, sheet=sheet, named=sheet is None)
    first = sheets[0]
    if all(is_blank(c) for row in first.grid for c in row):
        read_grid(path, sheet=sheet, rel=rel)  # raises the "empty file" error
    table = sheet_table(first, rel, first.name if len(sheets) > 1 else None)
    for other in sheets[1:]:
        table.notes.append(
            {
                "source_file": f"{rel}!{other.name}",
                "source_row": 1,
                "raw_text": "",
                "reason": f"工作表“{other.name}”未读取（只读第一个工作表）",
                "severity": "warning",
            }
        )
    return table


def read_title(
    table: SheetTable,
    header_row: int,
    rules: CleaningRules,
    hints: LayoutHints | None = None,
) -> Title:
    """Read the rows above ``header_row``: period, revision mark, unit line.

    Raises
    ------
    InputDataError
        If neither the title, the sidecar nor the file name names a period.
    """
    hints = hints or LayoutHints()
    rows = table.grid[:header_row]
    unit_rows, tokens = find_unit_line(rows, rules)
    year, month, revision = find_period(
        rows, table.rel, rules, period=hints.period, revision=hints.revision
    )
    return Title(year, month, revision, frozenset(unit_rows), tuple(tokens))


def classify_table_rows(
    table: SheetTable,
    *,
    header_rows: tuple[int, ...],
    name_column: int,
    value_columns: list[int],
    title: Title,
    rules: CleaningRules,
) -> list[str]:
    """Give every row a class (``zoneanalysis.cleaning.rows.ROW_*``), as the bureau cleaner does.

    Rows above the header are title, unit or blank rows; then the header rows; below them
    totals (``total_words`` in the name cell), notes (``note_prefixes``, and the rows without
    numbers after a note), section labels and data rows. A row is data when ``value_columns``
    hold a number, ``empty_data`` when it has a name and no number.
    """
    layout = Layout(
        header_rows=header_rows,
        first_data_row=header_rows[-1] + 1,
        name_column=name_column,
        columns=tuple(ColumnSpec(c, "", ROLE_VALUE, None, "") for c in value_columns),
        unit_rows=title.unit_rows,
        year=title.year,
        month=title.month,
        is_revision=title.is_revision,
    )
    return classify_rows(table.grid, layout, rules)


def split_header_unit(header: str) -> tuple[str, str | None]:
    """``总投资(万元)`` → ``("总投资", "万元")``; a header without a trailing bracket has no unit."""
    m = _TRAILING_UNIT.search(header)
    if m:
        return header[: m.start()], m.group(1)
    return header, None


def cell_name(table: SheetTable, row: int, col: int) -> str:
    """A cell as messages name it (0-based): ``a.csv（第 7 行第 C 列）`` or ``a.xlsx!表1!C7``."""
    file, location = cell_place(table.file_rel, table.sheet, row, col)
    return f"{file}（{location}）" if location else file


def cell_error(
    table: SheetTable,
    message: str,
    row: int | None = None,
    col: int | None = None,
    hint: str | None = None,
) -> InputDataError:
    """An error about a cell, a row (``col`` None) or the whole table (both None); 0-based."""
    if row is None:
        return InputDataError(message, file=table.rel, hint=hint)
    if col is None:
        return InputDataError(message, file=table.rel, location=f"第 {row + 1} 行", hint=hint)
    file, location = cell_place(table.file_rel, table.sheet, row, col)
    return InputDataError(message, file=file, location=location, hint=hint)


def report_row(
    table: SheetTable, row: int, reason: str, severity: str = "dropped", text: str | None = None
) -> dict:
    """One cleaning-report row about ``row`` (0-based) of the table."""
    return {
        "source_file": table.rel,
        "source_row": row + 1,
        "raw_text": row_text(table.grid[row]) if text is None else text,
        "reason": reason,
        "severity": severity,
    }
