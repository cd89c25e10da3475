"""Find a table's layout: header rows, zone-name column, indicator columns, units and period.

Also reads the optional ``<file>.layout.yaml`` hints for odd layouts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from zoneanalysis.cleaning.period import detect_period, is_revision_title
from zoneanalysis.cleaning.readers import Grid
from zoneanalysis.cleaning.rules import CleaningRules
from zoneanalysis.cleaning.values import cell_text, is_blank, is_number_like
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.indicators import Indicator, match_indicator
from zoneanalysis.names import normalise_name
from zoneanalysis.textfiles import read_text_file

ROLE_VALUE = "value"
ROLE_YOY = "yoy"
HEADER_SCAN_ROWS = 40
SIDECAR_KEYS = ("period", "sheet", "header_rows", "name_column", "first_data_row", "unit")

_BRACKETS = re.compile(r"\(([^()]*)\)")
_MONTH_WORD = re.compile(r"\d+月")
_SIDE_PERIOD = re.compile(r"^((?:19|20)\d{2})-(0[1-9]|1[0-2])$")
_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")


@dataclass(frozen=True)
class LayoutHints:
    """Layout facts from a ``<file>.layout.yaml`` sidecar (all optional; rows 1-based)."""

    period: tuple[int, int] | None = None
    sheet: str | int | None = None
    header_rows: tuple[int, ...] | None = None
    name_column: int | None = None
    first_data_row: int | None = None
    unit: str | None = None


@dataclass(frozen=True)
class ColumnSpec:
    """One indicator column: 0-based column, indicator code, role, raw unit, header text."""

    column: int
    indicator: str
    role: str
    unit: str | None
    header: str


@dataclass
class Layout:
    """Where things are in one table (row and column indices are 0-based)."""

    header_rows: tuple[int, ...]
    first_data_row: int
    name_column: int
    columns: tuple[ColumnSpec, ...]
    unit_rows: frozenset[int]
    year: int
    month: int
    is_revision: bool
    unmapped: list[tuple[int, str]] = field(default_factory=list)


def column_letter(col: int) -> str:
    """0-based column index → Excel letter (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def load_layout_hints(path: Path | None, rel: str) -> LayoutHints:
    """Read a ``<file>.layout.yaml`` sidecar.

    Parameters
    ----------
    path
        The sidecar, or ``None`` (no hints).
    rel
        The sidecar's name for messages.

    Returns
    -------
    LayoutHints
        ``name_column`` is converted to a 0-based index (the file holds a 1-based number or an
        Excel letter).

    Raises
    ------
    ConfigError
        For an unknown key or a value of the wrong form.
    """
    if path is None:
        return LayoutHints()
    try:
        raw = yaml.safe_load(read_text_file(path, label=rel)) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"无法读取版式说明：{exc}", file=rel) from None
    if not isinstance(raw, dict):
        raise ConfigError("版式说明应为“键: 值”形式", file=rel)
    unknown = [k for k in raw if k not in SIDECAR_KEYS]
    if unknown:
        raise ConfigError(
            f"未知的键 {unknown}", file=rel, hint=f"可用的键：{', '.join(SIDECAR_KEYS)}。"
        )

    def bad(key: str, want: str) -> ConfigError:
        return ConfigError(f"值“{raw[key]}”不对", file=rel, location=key, hint=want)

    period = None
    if "period" in raw:
        m = _SIDE_PERIOD.match(str(raw["period"]).strip())
        if not m:
            raise bad("period", "写成 YYYY-MM，例如 2016-06 表示 1-6月累计。")
        period = (int(m.group(1)), int(m.group(2)))
    sheet = raw.get("sheet")
    if sheet is not None and not isinstance(sheet, int | str):
        raise bad("sheet", "写工作表名称或从 0 开始的序号。")
    header_rows = None
    if "header_rows" in raw:
        rows = raw["header_rows"]
        rows = [rows] if isinstance(rows, int) else rows
        if (
            not isinstance(rows, list)
            or not rows
            or not all(isinstance(r, int) and r >= 1 for r in rows)
        ):
            raise bad("header_rows", "写从 1 开始的行号列表，例如 [5, 6]。")
        header_rows = tuple(sorted(rows))
    name_column = None
    if "name_column" in raw:
        value = raw["name_column"]
        if isinstance(value, int) and value >= 1:
            name_column = value - 1
        elif isinstance(value, str) and _LETTERS.match(value.strip()):
            name_column = 0
            for ch in value.strip().upper():
                name_column = name_column * 26 + ord(ch) - 64
            name_column -= 1
        else:
            raise bad("name_column", "写从 1 开始的列号或 Excel 列字母，例如 2 或 B。")
    first_data_row = raw.get("first_data_row")
    if first_data_row is not None and not (isinstance(first_data_row, int) and first_data_row >= 1):
        raise bad("first_data_row", "写从 1 开始的行号。")
    unit = raw.get("unit")
    return LayoutHints(
        period=period,
        sheet=sheet,
        header_rows=header_rows,
        name_column=name_column,
        first_data_row=first_data_row,
        unit=None if unit is None else normalise_name(unit),
    )


def detect_layout(
    grid: Grid,
    *,
    rel: str,
    hints: LayoutHints,
    rules: CleaningRules,
    catalogue: dict[str, Indicator],
) -> Layout:
    """Find header rows, name column, indicator columns, units and period of one table.

    Parameters
    ----------
    grid
        The table from :func:`zoneanalysis.cleaning.readers.read_grid`.
    rel
        The file's path relative to the raw folder (for messages and the period fallback).
    hints
        Sidecar hints; each one given overrides detection.
    rules
        The cleaning rules.
    catalogue
        The indicator catalogue.

    Returns
    -------
    Layout
        The table's layout; ``unmapped`` lists header columns that match no indicator.

    Raises
    ------
    InputDataError
        If no header row or no indicator column is found, a unit is unknown, two columns give the
        same indicator, or the period cannot be found.
    """
    matcher = _IndicatorLookup(catalogue)
    if hints.header_rows:
        header_rows = tuple(r - 1 for r in hints.header_rows)
        if header_rows[-1] >= len(grid):
            raise InputDataError(
                f"header_rows 中的第 {header_rows[-1] + 1} 行超出了表格（共 {len(grid)} 行）",
                file=rel,
                hint="改正 .layout.yaml 中的 header_rows。",
            )
    else:
        header_rows = _find_header_rows(grid, rules, matcher, rel)
    name_column = _find_name_column(grid, header_rows, hints, rules)
    if name_column >= len(grid[0]):
        raise ConfigError(
            f"name_column 指向第 {column_letter(name_column)} 列，但表格只有 {len(grid[0])} 列"
            f"（A 至 {column_letter(len(grid[0]) - 1)}）",
            file=rel + ".layout.yaml",
            location="name_column",
            hint="改正 .layout.yaml 中的 name_column（从 1 开始的列号或 Excel 列字母）。",
        )
    unit_rows, unit_tokens = _find_unit_line(grid[: header_rows[0]], rules)
    columns, unmapped = _map_columns(
        grid, header_rows, name_column, unit_tokens, hints, rules, matcher, catalogue, rel
    )
    year, month, is_revision = _find_period(grid[: header_rows[0]], rel, hints, rules)
    first = hints.first_data_row - 1 if hints.first_data_row else header_rows[-1] + 1
    return Layout(
        header_rows=header_rows,
        first_data_row=first,
        name_column=name_column,
        columns=tuple(columns),
        unit_rows=frozenset(unit_rows),
        year=year,
        month=month,
        is_revision=is_revision,
        unmapped=unmapped,
    )


class _IndicatorLookup:
    """``match_indicator`` with a cache (headers repeat across files)."""

    def __init__(self, catalogue: dict[str, Indicator]) -> None:
        self.catalogue = catalogue
        self.cache: dict[str, str | None] = {}

    def __call__(self, text: str) -> str | None:
        if text not in self.cache:
            self.cache[text] = match_indicator(text, self.catalogue) if text else None
        return self.cache[text]


def _strip_units(text: str) -> str:
    return _BRACKETS.sub("", text)


def _is_name_header(text: str, rules: CleaningRules) -> bool:
    return bool(text) and (text in rules.name_header_words or text.endswith("名称"))


def _find_header_rows(
    grid: Grid, rules: CleaningRules, lookup: _IndicatorLookup, rel: str
) -> tuple[int, ...]:
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        texts = [normalise_name(c) for c in row if isinstance(c, str) and c.strip()]
        if len(texts) < 2:
            continue
        has_name = any(_is_name_header(t, rules) for t in texts)
        n_ind = sum(1 for t in texts if lookup(_strip_units(t)) is not None)
        if (has_name and n_ind >= 1) or n_ind >= 2:
            if r + 1 < len(grid) and _is_sub_header(grid[r + 1], rules):
                return (r, r + 1)
            return (r,)
    raise InputDataError(
        f"在前 {HEADER_SCAN_ROWS} 行中找不到表头：没有任何列名对应到指标目录中的指标",
        file=rel,
        hint=(
            "检查表头文字；若是指标的另一种写法，把它加入 data/raw/reference/indicators.yaml 的 "
            "aliases；若表头位置特殊，在同目录放一个 <文件名>.layout.yaml 写明 header_rows。"
        ),
    )


def _is_sub_header(row: list, rules: CleaningRules) -> bool:
    texts = [normalise_name(c) for c in row if not is_blank(c)]
    if not texts or any(is_number_like(c, rules) for c in row):
        return False
    words = rules.growth_words + rules.current_month_words + rules.cumulative_words
    return any(any(w in t for w in words) or _MONTH_WORD.search(t) for t in texts)


def _find_name_column(
    grid: Grid, header_rows: tuple[int, ...], hints: LayoutHints, rules: CleaningRules
) -> int:
    if hints.name_column is not None:
        return hints.name_column
    for r in header_rows:
        for c, cell in enumerate(grid[r]):
            if isinstance(cell, str) and _is_name_header(normalise_name(cell), rules):
                return c
    # no name header: the first column that holds mostly text below the header
    body = grid[header_rows[-1] + 1 :]
    width = len(grid[0])
    for c in range(width):
        head = normalise_name(grid[header_rows[0]][c])
        if head in rules.ignore_header_words:
            continue
        text = sum(1 for row in body if not is_blank(row[c]) and not is_number_like(row[c], rules))
        numbers = sum(1 for row in body if is_number_like(row[c], rules))
        if text > numbers:
            return c
    return 0


def _find_unit_line(rows: Grid, rules: CleaningRules) -> tuple[list[int], list[str]]:
    found_rows: list[int] = []
    tokens: list[str] = []
    for r, row in enumerate(rows):
        for cell in row:
            if not isinstance(cell, str):
                continue
            text = normalise_name(cell)
            for prefix in rules.unit_line_prefixes:
                if text.startswith(prefix):
                    rest = text[len(prefix) :]
                    for sep in rules.unit_separators:
                        rest = rest.replace(normalise_name(sep) or sep, "\x00")
                    tokens += [t for t in rest.split("\x00") if t]
                    found_rows.append(r)
                    break
    return found_rows, tokens


def _header_unit(*texts: str) -> str | None:
    for text in texts:
        found = _BRACKETS.findall(text)
        if found and found[-1]:
            return found[-1]
    return None


def _map_columns(
    grid: Grid,
    header_rows: tuple[int, ...],
    name_column: int,
    unit_tokens: list[str],
    hints: LayoutHints,
    rules: CleaningRules,
    lookup: _IndicatorLookup,
    catalogue: dict[str, Indicator],
    rel: str,
) -> tuple[list[ColumnSpec], list[tuple[int, str]]]:
    width = len(grid[0])
    tops = [" ".join(cell_text(grid[r][c]) for r in header_rows[:-1]) for c in range(width)]
    subs = [cell_text(grid[header_rows[-1]][c]) for c in range(width)]
    if len(header_rows) == 1:
        tops, subs = subs, [""] * width
    else:  # merged indicator names: carry a name right over the columns of its sub-headers
        last = ""
        for c in range(width):
            if tops[c].strip():
                last = tops[c]
            elif subs[c] and c != name_column:
                tops[c] = last
            if c == name_column:
                last = ""
    columns: list[ColumnSpec] = []
    unmapped: list[tuple[int, str]] = []
    seen: dict[tuple[str, str], int] = {}
    previous_value: str | None = None
    for c in range(width):
        top, sub = normalise_name(tops[c]), normalise_name(subs[c])
        if c == name_column or not (top or sub):
            continue
        header = " / ".join(t for t in (tops[c].strip(), subs[c].strip()) if t)
        if top in rules.ignore_header_words or (not top and sub in rules.ignore_header_words):
            previous_value = None
            continue
        role_text = sub or top
        if any(w in role_text for w in rules.current_month_words):
            continue
        role = ROLE_YOY if any(w in role_text for w in rules.growth_words) else ROLE_VALUE
        code = lookup(_strip_units(top)) if top else None
        if role == ROLE_YOY and code is None:
            code = previous_value
        if code is None:
            unmapped.append((c, header))
            if role == ROLE_VALUE:
                previous_value = None
            continue
        unit = None
        if role == ROLE_VALUE:
            previous_value = code
            unit = _column_unit(catalogue[code], top, sub, unit_tokens, hints, rel, c, header)
        key = (code, role)
        if key in seen:
            raise InputDataError(
                f"第 {column_letter(seen[key])} 列和第 {column_letter(c)} 列都对应指标"
                f"“{catalogue[code].name_zh}”（{'增速' if role == ROLE_YOY else '数值'}）",
                file=rel,
                location=f"表头第 {header_rows[0] + 1} 行",
                hint="删除重复的列，或改正其中一列的表头。",
            )
        seen[key] = c
        columns.append(ColumnSpec(column=c, indicator=code, role=role, unit=unit, header=header))
    if not any(col.role == ROLE_VALUE for col in columns):
        raise InputDataError(
            "表头中没有任何列对应到指标目录中的指标",
            file=rel,
            location=f"表头第 {header_rows[0] + 1} 行",
            hint=(
                "检查表头文字；若是指标的另一种写法，把它加入 data/raw/reference/indicators.yaml "
                "的 aliases。"
            ),
        )
    return columns, unmapped


def _column_unit(
    ind: Indicator,
    top: str,
    sub: str,
    unit_tokens: list[str],
    hints: LayoutHints,
    rel: str,
    c: int,
    header: str,
) -> str | None:
    unit = _header_unit(top, sub)
    if unit is None and hints.unit in ind.units:
        unit = hints.unit
    if unit is None:
        unit = next((t for t in unit_tokens if t in ind.units), None)
    if unit is not None and unit not in ind.units:
        raise InputDataError(
            f"指标“{ind.name_zh}”的单位“{unit}”无法换算（已知：{'、'.join(ind.units)}）",
            file=rel,
            location=f"第 {column_letter(c)} 列表头“{header}”",
            hint="在 data/raw/reference/indicators.yaml 该指标的 units 中加上这个单位及换算系数。",
        )
    return unit


def _find_period(
    title_rows: Grid, rel: str, hints: LayoutHints, rules: CleaningRules
) -> tuple[int, int, bool]:
    texts = [" ".join(cell_text(c) for c in row if not is_blank(c)) for row in title_rows]
    revision = any(is_revision_title(t, rules) for t in texts)
    if hints.period:
        return hints.period[0], hints.period[1], revision
    year = month = None
    for text in texts:
        y, m = detect_period(text, rules) if text else (None, None)
        if y and m:
            year, month = y, m
            break
        year, month = year or y, month or m
    if year is None or month is None:
        y, m = detect_period(Path(rel).name, rules)
        year, month = year or y, month or m
    if year is None or month is None:
        raise InputDataError(
            "找不到报表期间：标题和文件名中都没有“YYYY年1-N月”“一季度”“上半年”之类的期间",
            file=rel,
            hint=(
                "在标题中写明期间，或在同目录放一个 <文件名>.layout.yaml，写 period: YYYY-MM"
                "（例如 2016-06）。"
            ),
        )
    return year, month, revision
