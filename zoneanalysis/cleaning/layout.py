"""Find a table's layout: header rows, zone-name column, indicator columns, units and period.

Also reads the optional ``<file>.layout.yaml`` hints for odd layouts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from zoneanalysis.cleaning.readers import Grid
from zoneanalysis.cleaning.rules import CleaningRules
from zoneanalysis.cleaning.titles import find_period, find_unit_line
from zoneanalysis.cleaning.values import cell_text, is_blank, is_number_like
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.indicators import Indicator, match_indicator
from zoneanalysis.names import normalise_name
from zoneanalysis.textfiles import read_text_file

ROLE_VALUE = "value"
ROLE_YOY = "yoy"
HEADER_SCAN_ROWS = 40
SIDECAR_KEYS = (
    "period",
    "sheet",
    "header_rows",
    "name_column",
    "first_data_row",
    "unit",
    "revision",
)
# column roles of the cleaning rules (column_role_order) → what becomes of the column
_STORED_ROLES = {"cumulative": ROLE_VALUE, "growth": ROLE_YOY}
_SKIPPED_REASONS_ZH = {
    "prior_year": "为上年同期数，按清洗规则（prior_year_use: skip）不作为数据",
    "derived": "为派生数（增减额、比重、目标或完成率），不作为数据",
}

_BRACKETS = re.compile(r"\(([^()]*)\)")
_MONTH_WORD = re.compile(r"\d+月")
_SIDE_PERIOD = re.compile(r"^((?:19|20)\d{2})-(0[1-9]|1[0-2])$")
_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")
_HEADER_YEAR = re.compile(r"((?:19|20)\d{2})年")
# cells a units row below the header may hold (besides every unit of the indicator catalogue)
_RATE_UNITS = frozenset({"%", "‰", "百分点", "±%"})


@dataclass(frozen=True)
class LayoutHints:
    """Layout facts from a ``<file>.layout.yaml`` sidecar (all optional; rows 1-based)."""

    period: tuple[int, int] | None = None
    sheet: str | int | None = None
    header_rows: tuple[int, ...] | None = None
    name_column: int | None = None
    first_data_row: int | None = None
    unit: str | None = None
    revision: bool | None = None


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
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    unit_tokens: tuple[str, ...] = ()


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

    Kept in one piece (about 65 lines): one check per sidecar key, each with its own Chinese
    message naming the key, in the order the sidecar documents them.

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
    revision = raw.get("revision")
    if revision is not None and not isinstance(revision, bool):
        raise bad(
            "revision", "写 true（本文件是修订版）或 false（文件名中的“修订”等字样另有含义）。"
        )
    return LayoutHints(
        period=period,
        sheet=sheet,
        header_rows=header_rows,
        name_column=name_column,
        first_data_row=first_data_row,
        unit=None if unit is None else normalise_name(unit),
        revision=revision,
    )


def detect_layout(
    grid: Grid,
    *,
    rel: str,
    hints: LayoutHints,
    rules: CleaningRules,
    catalogue: dict[str, Indicator],
    inherit: Layout | None = None,
) -> Layout:
    """Find header rows, name column, indicator columns, units and period of one table.

    Parameters
    ----------
    grid
        The table from :func:`zoneanalysis.cleaning.readers.read_grid` (or one of the tables
        :func:`split_tables` finds in it).
    rel
        The file's path relative to the raw folder (for messages and the period fallback).
    hints
        Sidecar hints; each one given overrides detection.
    rules
        The cleaning rules.
    catalogue
        The indicator catalogue.
    inherit
        The layout of the table above, for a table stacked below another one: its period, unit
        line and revision mark apply where this table's own title rows give none.

    Returns
    -------
    Layout
        The table's layout; ``unmapped`` lists header columns that match no indicator,
        ``skipped`` the recognised columns that are not stored (last year's same period, derived figures).

    Raises
    ------
    InputDataError
        If no header row or no indicator column is found, a unit is unknown, two columns give the
        same indicator, an indicator has only this month's figure, or the period cannot be found.
    """
    lookup = _IndicatorLookup(catalogue)
    if hints.header_rows:
        header_rows = tuple(r - 1 for r in hints.header_rows)
        if header_rows[-1] >= len(grid):
            raise InputDataError(
                f"header_rows 中的第 {header_rows[-1] + 1} 行超出了表格（共 {len(grid)} 行）",
                file=rel,
                hint="改正 .layout.yaml 中的 header_rows。",
            )
    else:
        header_rows = _find_header_rows(grid, rules, lookup, rel)
    name_column = _find_name_column(grid, header_rows, hints, rules)
    if name_column >= len(grid[0]):
        raise ConfigError(
            f"name_column 指向第 {column_letter(name_column)} 列，但表格只有 {len(grid[0])} 列"
            f"（A 至 {column_letter(len(grid[0]) - 1)}）",
            file=rel + ".layout.yaml",
            location="name_column",
            hint="改正 .layout.yaml 中的 name_column（从 1 开始的列号或 Excel 列字母）。",
        )
    unit_rows, unit_tokens = find_unit_line(grid[: header_rows[0]], rules)
    if not unit_rows and inherit is not None:
        unit_tokens = list(inherit.unit_tokens)
    year, month, is_revision = find_period(
        grid[: header_rows[0]],
        rel,
        rules,
        period=hints.period,
        revision=hints.revision,
        inherit=inherit,
    )
    units_row = None
    if not hints.header_rows:
        units_row = _find_units_row(grid, header_rows, name_column, catalogue)
    heads = _HeaderTexts(grid, header_rows, name_column, rules, units_row)
    mapping = _map_columns(heads, year, unit_tokens, hints, rules, lookup, rel)
    if units_row is not None:
        header_rows = (*header_rows, units_row)
    first = hints.first_data_row - 1 if hints.first_data_row else header_rows[-1] + 1
    return Layout(
        header_rows=header_rows,
        first_data_row=first,
        name_column=name_column,
        columns=tuple(mapping.columns),
        unit_rows=frozenset(unit_rows),
        year=year,
        month=month,
        is_revision=is_revision,
        unmapped=mapping.unmapped,
        skipped=mapping.skipped,
        unit_tokens=tuple(unit_tokens),
    )


def split_tables(
    grid: Grid, *, rules: CleaningRules, catalogue: dict[str, Indicator]
) -> list[tuple[int, int]]:
    """Find the tables stacked in one sheet or CSV (a second title and header further down).

    A later table starts at a header row (the same test as the first table's header) that has
    data rows (a number or a missing-value mark such as "—") between it and the header above; the rows above it without numbers (its title and
    unit line) belong to it, up to the table above's last data or note row.

    Parameters
    ----------
    grid
        The whole sheet.
    rules
        The cleaning rules.
    catalogue
        The indicator catalogue.

    Returns
    -------
    list of tuple
        ``(start, end)`` row spans (0-based, end exclusive) covering the grid, top to bottom; one
        span for a sheet with one table (or without a recognisable header: the caller's layout
        detection then reports it).
    """
    lookup = _IndicatorLookup(catalogue)
    numeric = [any(is_number_like(c, rules) for c in row) for row in grid]
    # A data row holds a number or a missing-value mark (a table whose cells are all "—" is a table).
    data = [
        n or any(cell_text(c) in rules.missing_markers for c in row)
        for n, row in zip(numeric, grid, strict=True)
    ]
    starts = [0]
    last_header: int | None = None
    for r, row in enumerate(grid):
        if numeric[r] or not _looks_like_header(row, rules, lookup):
            continue
        if last_header is not None and any(data[last_header + 1 : r]):
            start = r
            while (
                start - 1 > last_header
                and not data[start - 1]
                and not _is_note_row(grid[start - 1], rules)
            ):
                start -= 1
            starts.append(start)
        last_header = r
    ends = [*starts[1:], len(grid)]
    return list(zip(starts, ends, strict=True))


def _is_note_row(row: list, rules: CleaningRules) -> bool:
    first = next((c for c in row if not is_blank(c)), None)
    text = normalise_name(first) if first is not None else ""
    return any(text.startswith(p) for p in rules.note_prefixes)


class _IndicatorLookup:
    """``match_indicator`` with a cache (headers repeat across files)."""

    def __init__(self, catalogue: dict[str, Indicator]) -> None:
        self.catalogue = catalogue
        self.cache: dict[str, str | None] = {}

    def __call__(self, text: str) -> str | None:
        if text not in self.cache:
            self.cache[text] = match_indicator(text, self.catalogue) if text else None
        return self.cache[text]

    def without_name(self, text: str, code: str | None) -> str:
        """``text`` with the indicator's longest alias in it removed (what is left names a role)."""
        if code is None:
            return text
        found = [a for a in self.catalogue[code].aliases if a and a in text]
        return text.replace(max(found, key=len), "", 1) if found else text


def header_text(cell: object, rules: CleaningRules) -> str:
    """A header cell as text, footnote markers (``*``, ``①``, ``²`` …) removed.

    The markers are removed before Unicode normalisation, which would turn ``①`` into ``1``.
    """
    text = cell_text(cell)
    for marker in rules.header_footnote_markers:
        text = text.replace(marker, "")
    return text


def _norm_header(cell: object, rules: CleaningRules) -> str:
    return normalise_name(header_text(cell, rules))


def _strip_units(text: str) -> str:
    return _BRACKETS.sub("", text)


def _is_name_header(text: str, rules: CleaningRules) -> bool:
    return bool(text) and (text in rules.name_header_words or text.endswith("名称"))


def _looks_like_header(row: list, rules: CleaningRules, lookup: _IndicatorLookup) -> bool:
    texts = [_norm_header(c, rules) for c in row if isinstance(c, str) and c.strip()]
    texts = [t for t in texts if t]
    if len(texts) < 2:
        return False
    has_name = any(_is_name_header(t, rules) for t in texts)
    n_ind = sum(1 for t in texts if lookup(_strip_units(t)) is not None)
    return (has_name and n_ind >= 1) or n_ind >= 2


def _find_header_rows(
    grid: Grid, rules: CleaningRules, lookup: _IndicatorLookup, rel: str
) -> tuple[int, ...]:
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        if _looks_like_header(row, rules, lookup):
            if r > 0 and _is_role_row(grid[r - 1], rules):  # roles above the indicator names
                return (r - 1, r)
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


def _role_words(role: str, rules: CleaningRules) -> tuple[str, ...]:
    return {
        "current_month": rules.current_month_words,
        "derived": rules.derived_words,
        "growth": rules.growth_words,
        "prior_year": rules.prior_year_words,
        "cumulative": rules.cumulative_words,
    }[role]


def _is_sub_header(row: list, rules: CleaningRules) -> bool:
    texts = [_norm_header(c, rules) for c in row if not is_blank(c)]
    if not texts or any(is_number_like(c, rules) for c in row):
        return False
    words = [w for role in rules.column_role_order for w in _role_words(role, rules)]
    words += [w for w, _month in rules.period_words]  # 全年, 上半年, 一季度 …
    return any(any(w in t for w in words) or _MONTH_WORD.search(t) for t in texts)


def _is_role_row(row: list, rules: CleaningRules) -> bool:
    """A header row above the indicator names that names roles (本年累计 | 上年同期 | 增长)."""
    if any(is_number_like(c, rules) for c in row):
        return False
    texts = [_norm_header(c, rules) for c in row if not is_blank(c)]
    if any(t.startswith(rules.unit_line_prefixes) for t in texts):
        return False
    words = [w for role in rules.column_role_order for w in _role_words(role, rules)]
    n_roles = sum(1 for t in texts if any(w in t for w in words) or _MONTH_WORD.search(t))
    return n_roles >= 2


def _find_name_column(
    grid: Grid, header_rows: tuple[int, ...], hints: LayoutHints, rules: CleaningRules
) -> int:
    if hints.name_column is not None:
        return hints.name_column
    for r in header_rows:
        for c, cell in enumerate(grid[r]):
            if isinstance(cell, str) and _is_name_header(_norm_header(cell, rules), rules):
                return c
    # no name header: the first column that holds mostly text below the header
    body = grid[header_rows[-1] + 1 :]
    width = len(grid[0])
    for c in range(width):
        head = _norm_header(grid[header_rows[0]][c], rules)
        if head in rules.ignore_header_words:
            continue
        text = sum(1 for row in body if not is_blank(row[c]) and not is_number_like(row[c], rules))
        numbers = sum(1 for row in body if is_number_like(row[c], rules))
        if text > numbers:
            return c
    return 0


def _header_unit(*texts: str) -> str | None:
    for text in texts:
        found = _BRACKETS.findall(text)
        if found and found[-1]:
            return found[-1]
    return None


def _find_units_row(
    grid: Grid, header_rows: tuple[int, ...], name_column: int, catalogue: dict[str, Indicator]
) -> int | None:
    """The row right below the header if it holds only units (``亿元 | % | 万人 | %``)."""
    known = {u for ind in catalogue.values() for u in (ind.unit, *ind.units)} | _RATE_UNITS
    r = header_rows[-1] + 1
    if r >= len(grid):
        return None
    texts = [
        _strip_units(normalise_name(cell)).strip("()")
        for c, cell in enumerate(grid[r])
        if c != name_column and not is_blank(cell)
    ]
    return r if texts and all(t in known for t in texts) else None


class _HeaderTexts:
    """Per column: the upper header text (merged names carried right), the lowest one, the unit.

    ``units`` holds the cells of a units row below the header (``""`` without one).
    """

    def __init__(
        self,
        grid: Grid,
        header_rows: tuple[int, ...],
        name_column: int,
        rules: CleaningRules,
        units_row: int | None = None,
    ) -> None:
        width = len(grid[0])
        tops = [
            " ".join(header_text(grid[r][c], rules) for r in header_rows[:-1]).strip()
            for c in range(width)
        ]
        subs = [header_text(grid[header_rows[-1]][c], rules) for c in range(width)]
        if len(header_rows) == 1:
            tops, subs = subs, [""] * width
        else:  # merged names: carry a name right over the columns of its sub-headers
            last = ""
            for c in range(width):
                if tops[c]:
                    last = tops[c]
                elif subs[c] and c != name_column:
                    tops[c] = last
                if c == name_column:
                    last = ""
        self.tops, self.subs = tops, subs
        self.units = [
            "" if units_row is None else normalise_name(grid[units_row][c]).strip("()")
            for c in range(width)
        ]
        self.header_row = header_rows[0]
        self.name_column = name_column
        self.width = width

    def header(self, c: int) -> str:
        """The column's header as shown in messages (``上层 / 下层``)."""
        return " / ".join(t for t in (self.tops[c], self.subs[c]) if t)


def _column_role(text: str, year: int, rules: CleaningRules) -> str:
    """The role of a column from its header text (indicator name removed).

    The role whose longest word in the text is longest wins (本月止累计 is cumulative, 累计增长 is
    growth); equal lengths go by ``column_role_order``. Without any role word but cumulative, a
    year earlier than the table's makes the column last year's same period.
    """
    best, best_len = "cumulative", 0
    for role in rules.column_role_order:
        found = [len(w) for w in _role_words(role, rules) if w in text]
        if found and max(found) > best_len:
            best, best_len = role, max(found)
    if best == "cumulative" and any(int(y) < year for y in _HEADER_YEAR.findall(text)):
        return "prior_year"
    return best


@dataclass
class _Mapping:
    columns: list[ColumnSpec] = field(default_factory=list)
    unmapped: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    month_only: dict[str, tuple[int, str]] = field(default_factory=dict)


def _map_columns(
    heads: _HeaderTexts,
    year: int,
    unit_tokens: list[str],
    hints: LayoutHints,
    rules: CleaningRules,
    lookup: _IndicatorLookup,
    rel: str,
) -> _Mapping:
    out = _Mapping()
    seen: dict[tuple[str, str], int] = {}
    previous_value: str | None = None
    for c in range(heads.width):
        top, sub = normalise_name(heads.tops[c]), normalise_name(heads.subs[c])
        if c == heads.name_column or not (top or sub):
            continue
        header = heads.header(c)
        if top in rules.ignore_header_words or (not top and sub in rules.ignore_header_words):
            previous_value = None
            continue
        code = lookup(_strip_units(top)) if top else None
        if code is None and sub:  # roles above, indicator names below
            code = lookup(_strip_units(sub))
        role = _column_role(lookup.without_name(top + sub, code), year, rules)
        if role == "growth" and _header_unit(sub or top) not in (None, *_RATE_UNITS):
            role = "derived"  # 增减(亿元): an absolute change, not a rate
        if code is None and role != "cumulative":
            code = previous_value
        if code is None:
            out.unmapped.append((c, header))
            previous_value = None
            continue
        if role == "current_month":
            out.month_only.setdefault(code, (c, header))
            continue
        if role in _SKIPPED_REASONS_ZH:
            out.skipped.append((c, header, _SKIPPED_REASONS_ZH[role]))
            continue
        kind = _STORED_ROLES[role]
        unit = None
        if kind == ROLE_VALUE:
            previous_value = code
            ind = lookup.catalogue[code]
            unit = _column_unit(ind, (top, sub, heads.units[c]), unit_tokens, hints, rel, c, header)
        _check_unique(seen, code, kind, c, heads.header_row, lookup.catalogue, rel)
        out.columns.append(
            ColumnSpec(column=c, indicator=code, role=kind, unit=unit, header=header)
        )
    _check_values_found(out, heads.header_row, lookup.catalogue, rel)
    return out


def _check_unique(
    seen: dict[tuple[str, str], int],
    code: str,
    kind: str,
    c: int,
    header_row: int,
    catalogue: dict[str, Indicator],
    rel: str,
) -> None:
    key = (code, kind)
    if key in seen:
        raise InputDataError(
            f"第 {column_letter(seen[key])} 列和第 {column_letter(c)} 列都对应指标"
            f"“{catalogue[code].name_zh}”（{'增速' if kind == ROLE_YOY else '数值'}）",
            file=rel,
            location=f"表头第 {header_row + 1} 行",
            hint=(
                "若其中一列是本月数、上年同期数或增减额，而表头用了清洗规则不认识的词，把该词加入 "
                "data/raw/reference/cleaning_rules.yaml 的 current_month_words / prior_year_words / "
                "derived_words；否则这是重复的列，请向报送单位核实。"
            ),
        )
    seen[key] = c


def _check_values_found(
    out: _Mapping, header_row: int, catalogue: dict[str, Indicator], rel: str
) -> None:
    with_value = {col.indicator for col in out.columns if col.role == ROLE_VALUE}
    for code, (c, header) in out.month_only.items():
        if code not in with_value:
            raise InputDataError(
                f"指标“{catalogue[code].name_zh}”只有本月数（第 {column_letter(c)} 列“{header}”），"
                "没有年初至今的累计数；本月数不能当作累计数",
                file=rel,
                location=f"表头第 {header_row + 1} 行",
                hint=(
                    "本程序只读累计（1-N月）报表：请使用含累计数的报表；若累计列的表头用了"
                    "别的写法，把它加入 data/raw/reference/cleaning_rules.yaml 的 cumulative_words。"
                ),
            )
    if not with_value:
        raise InputDataError(
            "表头中没有任何列对应到指标目录中的指标",
            file=rel,
            location=f"表头第 {header_row + 1} 行",
            hint=(
                "检查表头文字；若是指标的另一种写法，把它加入 data/raw/reference/indicators.yaml "
                "的 aliases。"
            ),
        )


def _column_unit(
    ind: Indicator,
    texts: tuple[str, str, str],
    unit_tokens: list[str],
    hints: LayoutHints,
    rel: str,
    c: int,
    header: str,
) -> str | None:
    """A value column's unit: header brackets, units row, sidecar, unit line; ``None``: canonical."""
    top, sub, unit_cell = texts
    unit = _header_unit(top, sub) or unit_cell or None
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
