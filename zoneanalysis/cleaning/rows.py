"""Classify the rows of a table: data, total or subtotal, section label, note, blank, title."""

from __future__ import annotations

from zoneanalysis.cleaning.layout import Layout
from zoneanalysis.cleaning.rules import CleaningRules
from zoneanalysis.cleaning.values import cell_text, is_blank, is_number_like
from zoneanalysis.names import normalise_name

ROW_DATA = "data"
ROW_EMPTY_DATA = "empty_data"
ROW_BLANK = "blank"
ROW_NOTE = "note"
ROW_TOTAL = "total"
ROW_SECTION = "section"
ROW_TITLE = "title"
ROW_UNIT = "unit"
ROW_HEADER = "header"
ROW_SKIPPED = "skipped"

REASONS_ZH = {
    ROW_BLANK: "空行",
    ROW_NOTE: "注释行",
    ROW_TOTAL: "合计/小计行（不是单个集聚区）",
    ROW_SECTION: "分组标题行（无数值）",
    ROW_TITLE: "标题行",
    ROW_UNIT: "单位行",
    ROW_HEADER: "表头行",
    ROW_SKIPPED: "表头与数据起始行之间的行（按 .layout.yaml 跳过）",
    ROW_EMPTY_DATA: "该集聚区本表所有指标均缺失",
}


def row_text(row: list) -> str:
    """The non-blank cells of a row joined by `` | `` (for the cleaning report)."""
    return " | ".join(cell_text(c) for c in row if not is_blank(c))[:300]


def row_label(row: list, layout: Layout) -> str:
    """The row's label: the zone-name cell, else its first non-blank text cell (normalised)."""
    name = row[layout.name_column] if layout.name_column < len(row) else None
    if not is_blank(name):
        return normalise_name(name)
    for cell in row:
        if isinstance(cell, str) and cell.strip():
            return normalise_name(cell)
    return ""


def classify_rows(grid: list[list], layout: Layout, rules: CleaningRules) -> list[str]:
    """Give every row of a table a class.

    Parameters
    ----------
    grid
        The table.
    layout
        Its layout.
    rules
        The cleaning rules (total, note and section words).

    Returns
    -------
    list of str
        One of the ``ROW_*`` classes per row. ``empty_data`` is a row with a name but no numbers
        in the indicator columns that is not a section label (a zone with every value missing,
        or an unknown label: the caller decides with the zone registry).
    """
    classes: list[str] = []
    header_start = layout.header_rows[0]
    value_columns = [col.column for col in layout.columns]
    in_notes = False
    for r, row in enumerate(grid):
        if r < header_start:
            if all(is_blank(c) for c in row):
                classes.append(ROW_BLANK)
            elif r in layout.unit_rows:
                classes.append(ROW_UNIT)
            else:
                classes.append(ROW_TITLE)
            continue
        if r in layout.header_rows or r < layout.header_rows[-1]:
            classes.append(ROW_HEADER)
            continue
        if r < layout.first_data_row:
            classes.append(ROW_SKIPPED)
            continue
        if all(is_blank(c) for c in row):
            classes.append(ROW_BLANK)
            continue
        label = row_label(row, layout)
        has_numbers = any(is_number_like(row[c], rules) for c in value_columns)
        if any(label.startswith(p) for p in rules.note_prefixes):
            in_notes = True
            classes.append(ROW_NOTE)
        elif in_notes and not has_numbers:
            classes.append(ROW_NOTE)
        elif any(w in label for w in rules.total_words):
            classes.append(ROW_TOTAL)
        elif has_numbers:
            classes.append(ROW_DATA)
        elif any(w in label for w in rules.section_words):
            classes.append(ROW_SECTION)
        else:
            classes.append(ROW_EMPTY_DATA)
    return classes
