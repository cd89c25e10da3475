"""Write the 台账 workbook with XlsxWriter: one sheet per table, formats, filters, traffic lights."""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

import pandas as pd
import xlsxwriter

from zoneanalysis import labels
from zoneanalysis.office.sheets import VERDICT_COLUMN, Sheet

#: Excel number format per column kind (percent columns hold percent points: 11.2 means 11.2 %).
NUMBER_FORMATS = {
    "amount": "#,##0.0",
    "pct": "0.0",
    "prob": "0%",
    "count": "#,##0",
    "rank": "0",
}
#: Fill and font colours of the traffic light (the pages' colours).
LIGHT_COLOURS = {
    labels.ON_TRACK: ("#C6EFCE", "#006100"),
    labels.AT_RISK: ("#FFEB9C", "#9C5700"),
    labels.OFF_TRACK: ("#FFC7CE", "#9C0006"),
}
EXAMPLE_LINE = "示例：本表含示例数据或示例目标，不是真实统计数字，不可对外引用。"
HEADER_ROW = 3
MAX_WIDTH = 48


def display_width(text: str) -> int:
    """Columns a text needs in a spreadsheet (CJK characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_text(value: object, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind in ("amount", "pct"):
        return f"{value:,.1f}"
    if kind == "prob":
        return "100%"
    return str(value)


def _column_width(sheet: Sheet, column: str) -> int:
    kind = sheet.formats.get(column, "text")
    values = [_cell_text(v, kind) for v in sheet.frame[column].head(500)]
    header = (display_width(column) + 1) // 2 if kind != "text" else display_width(column)
    widest = max([header, 6, *(display_width(v) for v in values)])
    return min(MAX_WIDTH, widest + 2)


def _write_value(ws, row: int, col: int, value: object, fmt) -> None:
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "", fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _add_lights(book, ws, sheet: Sheet, last_row: int) -> None:
    if VERDICT_COLUMN not in sheet.frame.columns or last_row < HEADER_ROW + 1:
        return
    col = list(sheet.frame.columns).index(VERDICT_COLUMN)
    for verdict, (fill, font) in LIGHT_COLOURS.items():
        fmt = book.add_format({"bg_color": fill, "font_color": font, "bold": True})
        ws.conditional_format(
            HEADER_ROW + 1,
            col,
            last_row,
            col,
            {"type": "cell", "criteria": "==", "value": f'"{verdict}"', "format": fmt},
        )


def _write_sheet(book, formats: dict, sheet: Sheet, provenance: str, is_sample: bool) -> None:
    ws = book.add_worksheet(sheet.name)
    ws.write_string(0, 0, sheet.title, formats["title"])
    if sheet.has_examples:
        ws.write_string(1, 0, EXAMPLE_LINE, formats["example"])
    ws.write_string(2, 0, provenance, formats["note"])
    columns = list(sheet.frame.columns)
    for c, name in enumerate(columns):
        ws.write_string(HEADER_ROW, c, name, formats["header"])
        ws.set_column(c, c, _column_width(sheet, name))
    ws.set_row(HEADER_ROW, 30)
    cell_formats = [
        formats.get(sheet.formats.get(name, "text"), formats["text"]) for name in columns
    ]
    for r, values in enumerate(sheet.frame.itertuples(index=False), start=HEADER_ROW + 1):
        for c, value in enumerate(values):
            _write_value(ws, r, c, value, cell_formats[c])
    last_row = HEADER_ROW + len(sheet.frame)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    if columns:
        ws.autofilter(HEADER_ROW, 0, max(last_row, HEADER_ROW), len(columns) - 1)
    _add_lights(book, ws, sheet, last_row)
    _page_setup(ws, sheet.has_examples or is_sample)


def _page_setup(ws, example: bool) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW)
    if example:
        ws.set_header('&C&"-,Bold"&12示例数据 · 不是真实统计')
    ws.set_footer("&C第 &P 页，共 &N 页")


def _formats(book) -> dict:
    base = {"font_name": "Noto Sans CJK SC", "font_size": 10}
    made = {
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "example": book.add_format({**base, "bold": True, "font_color": "#C00000"}),
        "note": book.add_format({**base, "font_color": "#555555"}),
        "header": book.add_format(
            {**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        ),
        "text": book.add_format(base),
        "wrap": book.add_format({**base, "text_wrap": True, "valign": "top"}),
    }
    for kind, number in NUMBER_FORMATS.items():
        made[kind] = book.add_format({**base, "num_format": number})
    return made


def write_readme_sheet(book, formats: dict, lines: list[tuple[str, str]]) -> None:
    """The 说明 sheet: data cut-off, sources, the rules used, what is an example."""
    ws = book.add_worksheet("说明")
    ws.write_string(0, 0, "说明", formats["title"])
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 100)
    for r, (key, text) in enumerate(lines, start=2):
        style = formats["example"] if key.startswith("示例") else formats["wrap"]
        ws.write_string(r, 0, key, formats["header"])
        ws.write_string(r, 1, text, style)
    _page_setup(ws, any(k.startswith("示例") for k, _ in lines))


def write_workbook(
    path: str | Path,
    sheets: list[Sheet],
    *,
    readme: list[tuple[str, str]],
    provenance: str,
    is_sample: bool,
) -> Path:
    """Write the workbook to ``path`` (the 说明 sheet first, then ``sheets``).

    Parameters
    ----------
    readme
        ``(项目, 内容)`` lines of the 说明 sheet; a key starting with 示例 is shown in red.
    provenance
        One line under each sheet's title (period, data cut-off, generation time).
    is_sample
        Every sheet's printed header says 示例 when True.
    """
    path = Path(path)
    book = xlsxwriter.Workbook(path, {"strings_to_numbers": False, "nan_inf_to_errors": False})
    formats = _formats(book)
    write_readme_sheet(book, formats, readme)
    for sheet in sheets:
        _write_sheet(book, formats, sheet, provenance, is_sample)
    book.set_properties({"title": readme[0][1] if readme else "台账", "comments": provenance})
    book.close()
    return path
