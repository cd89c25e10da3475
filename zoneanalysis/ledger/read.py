"""Read the ledger tables (project progress, revenue by industry, count targets) into tidy frames.

Files are read at grid level by the shared table reader (:mod:`zoneanalysis.cleaning.grid`),
exactly as bureau tables are: the sheet, the period and the revision mark ("（修订）" in the
title or file name, or a ``<file>.layout.yaml``), the unit line, title, header, total, note and
blank rows (listed with the cleaning report's reasons), zone names matched with every rule of
the registry (:mod:`zoneanalysis.cleaning.zones`), cells named with Excel letters. This module
knows only what is the ledger's own: its column roles (``data/raw/reference/ledger_rules.yaml``),
the project list, and its three table kinds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from zoneanalysis.cleaning.discover import find_tables
from zoneanalysis.cleaning.grid import (
    Title,
    cell_error,
    cell_name,
    classify_table_rows,
    layout_hints,
    open_table,
    read_title,
    report_row,
    split_header_unit,
)
from zoneanalysis.cleaning.rows import REASONS_ZH, ROW_DATA, ROW_EMPTY_DATA, row_text
from zoneanalysis.cleaning.rules import CleaningRules, load_cleaning_rules
from zoneanalysis.cleaning.sheets import SheetTable
from zoneanalysis.cleaning.validate import REPORT_COLUMNS
from zoneanalysis.cleaning.values import (
    NumberFormatError,
    cell_text,
    is_blank,
    parse_number_note,
)
from zoneanalysis.cleaning.zones import ZoneLookup
from zoneanalysis.errors import InputDataError
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.ledger.columns import COUNT_COLUMNS, INDUSTRY_COLUMNS, PROGRESS_COLUMNS
from zoneanalysis.ledger.projects import ProjectMatcher
from zoneanalysis.ledger.revisions import KEYS, resolve_revisions
from zoneanalysis.ledger.rules import LedgerRules, load_ledger_rules
from zoneanalysis.names import normalise_name
from zoneanalysis.registry import ZoneMatcher

#: Sub-folders of the ledger folder and what they hold.
PROGRESS_DIR, INDUSTRY_DIR, COUNTS_DIR, PROJECT_LISTS_DIR = (
    "progress",
    "industry",
    "counts",
    "projects",
)

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s.*)?$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"),
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MONEY = "fai"  # the indicator whose units are the ledger's money units (亿元, 万元 …)


@dataclass
class LedgerTables:
    """The tidy ledger tables read from a folder.

    Attributes
    ----------
    progress, industry, counts
        Frames with the columns of :mod:`zoneanalysis.ledger.columns` (empty if no such files).
    files
        The files read, relative to the raw folder.
    report
        Every row of those files that did not become data, and every note, with the columns and
        reasons of the cleaning report (``source_file``, ``source_row``, ``raw_text``, ``reason``,
        ``severity``).
    """

    progress: pd.DataFrame
    industry: pd.DataFrame
    counts: pd.DataFrame
    files: list[str] = field(default_factory=list)
    report: pd.DataFrame | None = None


@dataclass
class _Read:
    """One ledger table being read: its sheet and title, the rules, what it reports."""

    table: SheetTable
    header_row: int
    title: Title
    rules: LedgerRules
    cleaning: CleaningRules
    zones: ZoneLookup
    report: list[dict] = field(default_factory=list)

    @property
    def rel(self) -> str:
        return self.table.rel

    @property
    def grid(self) -> list[list]:
        return self.table.grid

    def fail(
        self, message: str, row: int | None = None, col: int | None = None, hint: str = ""
    ) -> InputDataError:
        """An error naming the file and the cell (0-based ``row``, ``col``), row or table."""
        return cell_error(self.table, message, row, col, hint or None)

    def note(self, row: int, reason: str, severity: str = "dropped") -> None:
        """List ``row`` (0-based) in the report."""
        self.report.append(report_row(self.table, row, reason, severity))


def _open(
    path: str | Path,
    rel: str,
    words: Iterable[str],
    missing: str,
    zones: ZoneLookup,
    rules: LedgerRules | None,
    cleaning: CleaningRules | None,
) -> _Read:
    """Open a table, find its header row (a cell equal to one of ``words``) and read its title."""
    rules = rules or load_ledger_rules()
    cleaning = cleaning or load_cleaning_rules()
    hints = layout_hints(path, rel)
    table = open_table(path, rel=rel, hints=hints)
    h = _find_header(table.grid, words)
    if h is None:
        raise cell_error(table, missing, hint="检查表格是否放在了正确的子目录，表头是否完整。")
    title = read_title(table, h, cleaning, hints)
    return _Read(table, h, title, rules, cleaning, zones, list(table.notes))


def _find_header(grid: list[list], words: Iterable[str]) -> int | None:
    words = set(words)
    for r, row in enumerate(grid):
        if any(normalise_name(cell_text(c)) in words for c in row):
            return r
    return None


def _data_rows(
    ctx: _Read, header_rows: tuple[int, ...], name_col: int, value_cols: list[int], what: str
) -> Iterator[tuple[int, str]]:
    """The data rows ``(row, class)`` of a table; every other row goes to the report.

    A row with numbers but no name in ``name_col`` is an error; a row with neither is listed.
    """
    classes = classify_table_rows(
        ctx.table,
        header_rows=header_rows,
        name_column=name_col,
        value_columns=value_cols,
        title=ctx.title,
        rules=ctx.cleaning,
    )
    for r, kind in enumerate(classes):
        if kind not in (ROW_DATA, ROW_EMPTY_DATA):
            ctx.note(r, REASONS_ZH[kind])
        elif not is_blank(ctx.grid[r][name_col]):
            yield r, kind
        elif kind == ROW_EMPTY_DATA:
            ctx.note(r, f"该行既没有{what}，也没有数值")
        else:
            raise ctx.fail(f"该行有数值，但{what}为空", r, name_col, f"补上{what}，或删除该行。")


def _number(ctx: _Read, row: int, col: int, what: str) -> float | None:
    cell = ctx.grid[row][col]
    try:
        parsed = parse_number_note(cell, ctx.cleaning)
    except NumberFormatError:
        raise ctx.fail(
            f"{what}“{cell_text(cell)}”不是数字",
            row,
            col,
            "改成数字（缺失写“—”或留空）；不要在数字中夹带文字。",
        ) from None
    if parsed.note:
        shown = "缺失" if parsed.value is None else f"{parsed.value:g}"
        ctx.note(
            row,
            f"{cell_name(ctx.table, row, col)}“{cell_text(cell)}”带脚注标记“{parsed.note}”，"
            f"标记已去掉，按 {shown} 读取（标记不当作数字）",
            "warning",
        )
    return parsed.value


def _line_unit(ctx: _Read) -> str | None:
    """The money unit of the unit line ("单位：万元、%" → 万元); its first other word if none."""
    money = load_indicator_catalogue()[_MONEY]
    tokens = [t for t in ctx.title.unit_tokens if "%" not in t and t != "百分点"]
    return next((t for t in tokens if t in money.units), tokens[0] if tokens else None)


def _to_yi(ctx: _Read, value: float | None, unit: str | None, row: int, col: int) -> float | None:
    if value is None:
        return None
    money = load_indicator_catalogue()[_MONEY]
    if unit is None or unit == money.unit:
        return value
    if unit not in money.units:
        raise ctx.fail(
            f"金额单位“{unit}”无法识别", row, col, f"使用 {'、'.join(money.units)} 之一。"
        )
    return money.to_canonical(value, unit)


def _zone(ctx: _Read, row: int, col: int) -> str | None:
    """The zone id of a cell, or ``None`` (the name is collected; the read fails at its end)."""
    raw = ctx.grid[row][col]
    return ctx.zones.match_at(raw, ctx.title.year, cell_name(ctx.table, row, col))


def _lookup(zones: ZoneMatcher | ZoneLookup) -> ZoneLookup:
    return zones if isinstance(zones, ZoneLookup) else ZoneLookup(zones)


# ---------------------------------------------------------------- progress tables


def _parse_flag(ctx: _Read, row: int, col: int, what: str) -> bool:
    cell = ctx.grid[row][col]
    text = normalise_name(cell_text(cell))
    if text in ctx.rules.yes_words:
        return True
    if text in ctx.rules.no_words:
        return False
    raise ctx.fail(f"{what}“{cell_text(cell)}”无法识别", row, col, "写“是/否”或“已开工/未开工”。")


def _parse_date(ctx: _Read, row: int, col: int, what: str) -> pd.Timestamp:
    cell = ctx.grid[row][col]
    if is_blank(cell) or cell_text(cell) in ctx.cleaning.missing_markers:
        return pd.NaT
    if isinstance(cell, int | float) and 20000 < float(cell) < 80000:  # Excel serial day
        return pd.Timestamp(_EXCEL_EPOCH + dt.timedelta(days=int(cell)))
    text = cell_text(cell)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            day = int(m.group(3)) if m.lastindex and m.lastindex >= 3 else 1
            try:
                return pd.Timestamp(dt.date(year, month, day))
            except ValueError:
                break
    raise ctx.fail(f"{what}“{text}”不是有效日期", row, col, "写成 2016-03-15 或 2016年3月15日。")


def _parse_month(ctx: _Read, row: int, col: int, what: str) -> int | None:
    cell = ctx.grid[row][col]
    if is_blank(cell) or cell_text(cell) in ctx.cleaning.missing_markers:
        return None
    text = cell_text(cell).removesuffix("月")
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return int(_parse_date(ctx, row, col, what).month)


def _progress_columns(ctx: _Read) -> dict[str, tuple[int, str | None]]:
    """Column of each progress role (ledger rules), with the money unit of the column."""
    h, year, month = ctx.header_row, ctx.title.year, ctx.title.month
    unit_line = _line_unit(ctx)
    columns: dict[str, tuple[int, str | None]] = {}
    for c, cell in enumerate(ctx.grid[h]):
        header, unit = split_header_unit(normalise_name(cell_text(cell)))
        if not header or header in ctx.rules.ignored_headers:
            continue
        code = ctx.rules.progress_headers.get(header)
        m = ctx.rules.ytd_header_pattern.match(header)
        if m:
            code = "ytd_investment"
            if int(m.group(1)) != month:
                raise ctx.fail(
                    f"表头“{cell_text(cell)}”的月份与报告期 {year}年1-{month}月不一致",
                    h,
                    c,
                    "核对标题与表头的期间。",
                )
        if code is not None:
            columns[code] = (c, unit or unit_line)
    missing = [c for c in ctx.rules.required_progress_headers if c not in columns]
    if missing:
        raise ctx.fail(
            f"缺少列：{missing}",
            h,
            hint="台账至少需要项目名称、所在集聚区、总投资、本年计划投资、1-N月完成投资、开工状态、投产状态。",
        )
    return columns


_MONEY_COLUMNS = (
    ("total_investment", "总投资"),
    ("plan_investment", "本年计划投资"),
    ("ytd_investment", "累计完成投资"),
)


def read_progress_table(
    path: str | Path,
    *,
    rel: str,
    projects: ProjectMatcher | Callable[[int], ProjectMatcher],
    zones: ZoneMatcher | ZoneLookup,
    rules: LedgerRules | None = None,
    cleaning: CleaningRules | None = None,
    report: list[dict] | None = None,
) -> pd.DataFrame:
    """Read one monthly project progress table (重大项目建设进度台账).

    Parameters
    ----------
    path
        The file (.xlsx, .xls or .csv).
    rel
        Its path relative to the raw folder (for ``source_file`` and messages).
    projects
        Matcher over the project reference, or a function giving the matcher of a plan year
        (the table's own year: a 2016 table is matched against the 2016 project list); every
        project in the table must be registered.
    zones
        Zone matcher of the registry (or a :class:`ZoneLookup` shared by several tables, which
        then collects unknown names for the caller to raise).
    rules, cleaning
        Ledger and cleaning rules; the shipped ones by default.
    report
        If given, the rows that did not become data and the notes are appended to it.

    Returns
    -------
    pandas.DataFrame
        Columns ``PROGRESS_COLUMNS``; money in 亿元.

    Raises
    ------
    InputDataError
        Naming the file and cell: no header row, a missing column, no period, an unknown project
        or zone, a zone contradicting the reference, a repeated project, an unparsable number,
        flag or date, a start date after the period, or a completion date without a start.
    """
    lookup = _lookup(zones)
    ctx = _open_progress(path, rel, lookup, rules, cleaning)
    frame = _read_progress(ctx, projects)
    if report is not None:
        report += ctx.report
    if lookup is not zones:
        lookup.raise_unknown()
    return frame


def _open_progress(
    path: str | Path,
    rel: str,
    zones: ZoneLookup,
    rules: LedgerRules | None,
    cleaning: CleaningRules | None,
) -> _Read:
    rules = rules or load_ledger_rules()
    words = [w for w, c in rules.progress_headers.items() if c == "project_name"]
    return _open(path, rel, words, "找不到表头行（应有“项目名称”列）", zones, rules, cleaning)


def _read_progress(
    ctx: _Read, projects: ProjectMatcher | Callable[[int], ProjectMatcher]
) -> pd.DataFrame:
    if not isinstance(projects, ProjectMatcher):
        projects = projects(ctx.title.year)
    columns = _progress_columns(ctx)
    name_col = columns["project_name"][0]
    money_cols = [columns[code][0] for code, _ in _MONEY_COLUMNS]
    seen: dict[str, int] = {}
    rows: list[dict] = []
    for r, _kind in _data_rows(ctx, (ctx.header_row,), name_col, money_cols, "项目名称"):
        rec = _project_row(ctx, r, columns, projects, seen)
        if rec is not None:
            rows.append(rec)
    return _progress_frame(rows)


def _project_row(
    ctx: _Read,
    r: int,
    columns: dict[str, tuple[int, str | None]],
    projects: ProjectMatcher,
    seen: dict[str, int],
) -> dict | None:
    """One project's record, or ``None`` when its zone name is unknown (collected)."""
    name_col = columns["project_name"][0]
    raw_name = ctx.grid[r][name_col]
    project_id = projects.match(raw_name)
    if project_id is None:
        close = "、".join(projects.suggest(raw_name)) or "无"
        raise ctx.fail(
            f"项目“{cell_text(raw_name)}”不在项目名录中（相近的项目：{close}）",
            r,
            name_col,
            "改正项目名称，或把项目登记到 data/raw/reference/projects/<年份>.csv"
            "（示例项目登记在 data/raw/ledger/projects/）。",
        )
    if project_id in seen:
        raise ctx.fail(f"项目“{cell_text(raw_name)}”在第 {seen[project_id]} 行已出现", r, name_col)
    seen[project_id] = r + 1
    info = projects.projects.loc[project_id]
    zc = columns["zone"][0]
    zone_id = _zone(ctx, r, zc)
    if zone_id is None:
        return None
    if pd.notna(info["zone_id"]) and info["zone_id"] != zone_id:
        raise ctx.fail(
            f"项目“{info['project_name']}”所在集聚区写为“{cell_text(ctx.grid[r][zc])}”，"
            f"与项目名录（{info['zone_id']}）不一致",
            r,
            zc,
            "核对所在集聚区，或更正项目名录。",
        )
    rec = {
        "project_id": project_id,
        "project_name": info["project_name"],
        "zone_id": zone_id,
        "zone_name": ctx.zones.zone_names[zone_id],
        "year": ctx.title.year,
        "month": ctx.title.month,
        "category": info["category"],
        "industry": info["industry"],
        "is_new_introduction": info["kind"] == "recruit",
        "is_example": bool(info["is_example"] or info["category_is_example"]),
        "source_file": ctx.rel,
        "source_row": r + 1,
    }
    _fill_progress(ctx, r, columns, rec)
    if rec["completed"] and not rec["started"]:
        raise ctx.fail(
            f"项目“{info['project_name']}”已投产但未开工", r, hint="核对开工与投产状态。"
        )
    return rec


def _fill_progress(
    ctx: _Read, r: int, columns: dict[str, tuple[int, str | None]], rec: dict
) -> None:
    """The row's own cells: category, introduction flag, money, status, dates, months."""
    if "category" in columns:
        cc = columns["category"][0]
        text = normalise_name(cell_text(ctx.grid[r][cc]))
        if text:
            if text not in ctx.rules.categories:
                raise ctx.fail(
                    f"项目类别“{cell_text(ctx.grid[r][cc])}”无法识别",
                    r,
                    cc,
                    "写“新开工”“续建”或“竣工”。",
                )
            rec["category"] = ctx.rules.categories[text]
    if "is_new_introduction" in columns:
        rec["is_new_introduction"] = _parse_flag(
            ctx, r, columns["is_new_introduction"][0], "新引进"
        )
    for code, what in _MONEY_COLUMNS:
        c, unit = columns[code]
        value = _number(ctx, r, c, what)
        if value is not None and value < 0:
            raise ctx.fail(f"{what}为负数（{value}）", r, c, "投资额不能为负。")
        rec[code] = _to_yi(ctx, value, unit, r, c)
    for flag, what in (("started", "开工状态"), ("completed", "投产状态")):
        rec[flag] = _parse_flag(ctx, r, columns[flag][0], what)
    year, month = ctx.title.year, ctx.title.month
    end = pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)
    for code, what in (("start_date", "开工日期"), ("completion_date", "投产日期")):
        rec[code] = pd.NaT
        if code in columns:
            c = columns[code][0]
            rec[code] = _parse_date(ctx, r, c, what)
            if pd.notna(rec[code]) and rec[code] > end:
                raise ctx.fail(
                    f"{what} {rec[code].date()} 晚于报告期 {year}年1-{month}月",
                    r,
                    c,
                    "核对日期或报告期。",
                )
    for code, what in (
        ("planned_start_month", "计划开工月份"),
        ("planned_completion_month", "计划投产月份"),
    ):
        rec[code] = _parse_month(ctx, r, columns[code][0], what) if code in columns else None


def _progress_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    for col in ("total_investment", "plan_investment", "ytd_investment"):
        frame[col] = frame[col].astype("Float64")
    for col in ("planned_start_month", "planned_completion_month"):
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    for col in ("start_date", "completion_date"):
        frame[col] = pd.to_datetime(frame[col])
    for col in ("started", "completed", "is_new_introduction", "is_example"):
        frame[col] = frame[col].astype(bool)
    for col in ("year", "month", "source_row"):
        frame[col] = frame[col].astype("int64")
    return frame


# ---------------------------------------------------------------- industry tables


def read_industry_table(
    path: str | Path,
    *,
    rel: str,
    zones: ZoneMatcher | ZoneLookup,
    rules: LedgerRules | None = None,
    cleaning: CleaningRules | None = None,
    report: list[dict] | None = None,
) -> pd.DataFrame:
    """Read one table of revenue by industry per zone (主导产业主营业务收入).

    The layout: title with the period, unit line, a header row naming the zone column and the
    industries (each optionally followed by a growth column, or merged over "1-N月 | 同比增长%"
    on a second header row), a totals row, zone rows and notes.

    Parameters
    ----------
    path, rel, zones, rules, cleaning, report
        As for :func:`read_progress_table`.

    Returns
    -------
    pandas.DataFrame
        Columns ``INDUSTRY_COLUMNS``; value in 亿元; one row per zone × industry with a value.

    Raises
    ------
    InputDataError
        On no header, no period, an unknown industry header, an unknown zone, a bad number.
    """
    lookup = _lookup(zones)
    ctx = _open_industry(path, rel, lookup, rules, cleaning)
    frame = _read_industry(ctx)
    if report is not None:
        report += ctx.report
    if lookup is not zones:
        lookup.raise_unknown()
    return frame


def _open_industry(
    path: str | Path,
    rel: str,
    zones: ZoneLookup,
    rules: LedgerRules | None,
    cleaning: CleaningRules | None,
) -> _Read:
    rules = rules or load_ledger_rules()
    words = rules.industry_name_headers
    return _open(path, rel, words, "找不到表头行（应有“集聚区名称”列）", zones, rules, cleaning)


@dataclass
class _IndustryColumns:
    name_col: int
    header_rows: tuple[int, ...]
    values: dict[int, tuple[str, str | None]]  # column → (industry, unit)
    growth_of: dict[int, int]  # value column → its growth column


def _industry_columns(ctx: _Read) -> _IndustryColumns:
    h, grid = ctx.header_row, ctx.grid
    header = [normalise_name(cell_text(c)) for c in grid[h]]
    name_col = next(i for i, t in enumerate(header) if t in ctx.rules.industry_name_headers)
    sub = [normalise_name(cell_text(c)) for c in grid[h + 1]] if h + 1 < len(grid) else []
    growth_words = ctx.cleaning.growth_words
    two_rows = (
        bool(sub)
        and is_blank(grid[h + 1][name_col])
        and any(any(w in t for w in growth_words) for t in sub)
    )
    out = _IndustryColumns(name_col, (h, h + 1) if two_rows else (h,), {}, {})
    unit_line = _line_unit(ctx)
    current: int | None = None
    for c, text in enumerate(header):
        if c == name_col:
            continue
        label, unit = split_header_unit(text)
        growth_text = sub[c] if two_rows and not label else label
        if label in ctx.rules.industries:
            out.values[c] = (ctx.rules.industries[label], unit or unit_line)
            current = c
        elif current is not None and growth_text and any(w in growth_text for w in growth_words):
            out.growth_of[current] = c
        elif label and label not in ctx.cleaning.ignore_header_words:
            raise ctx.fail(
                f"表头“{cell_text(grid[h][c])}”不是已知的产业名称",
                h,
                c,
                "产业名称见 data/raw/reference/ledger_rules.yaml 的 industries；不需要的列请删除。",
            )
    if not out.values:
        raise ctx.fail("表中没有可识别的产业列", h)
    return out


def _read_industry(ctx: _Read) -> pd.DataFrame:
    cols = _industry_columns(ctx)
    value_cols = sorted([*cols.values, *cols.growth_of.values()])
    rows = []
    for r, kind in _data_rows(ctx, cols.header_rows, cols.name_col, value_cols, "集聚区名称"):
        zone_id = _zone(ctx, r, cols.name_col)
        if zone_id is None:
            continue
        if kind == ROW_EMPTY_DATA:
            ctx.note(r, REASONS_ZH[ROW_EMPTY_DATA], "warning")
            continue
        found = _industry_values(ctx, r, cols, zone_id)
        if not found:
            ctx.note(r, "该行只有增速，没有指标数值", "warning")
        rows += found
    frame = pd.DataFrame(rows, columns=INDUSTRY_COLUMNS)
    frame["value"] = frame["value"].astype(float)
    frame["yoy_pct"] = frame["yoy_pct"].astype("Float64")
    return frame


def _industry_values(ctx: _Read, r: int, cols: _IndustryColumns, zone_id: str) -> list[dict]:
    out = []
    for c, (industry, unit) in cols.values.items():
        value = _number(ctx, r, c, f"{industry}主营业务收入")
        if value is None:
            continue
        yoy = None
        if c in cols.growth_of:
            yoy = _number(ctx, r, cols.growth_of[c], f"{industry}增长")
        out.append(
            {
                "zone_id": zone_id,
                "zone_name": ctx.zones.zone_names[zone_id],
                "industry": industry,
                "year": ctx.title.year,
                "month": ctx.title.month,
                "value": _to_yi(ctx, value, unit, r, c),
                "yoy_pct": yoy,
                "source_file": ctx.rel,
                "source_row": r + 1,
            }
        )
    return out


# ---------------------------------------------------------------- count tables


def read_count_table(
    path: str | Path,
    *,
    rel: str,
    count_names: dict[str, str] | Callable[[int], dict[str, str]],
    zones: ZoneMatcher | ZoneLookup,
    rules: LedgerRules | None = None,
    cleaning: CleaningRules | None = None,
    report: list[dict] | None = None,
) -> pd.DataFrame:
    """Read one count-target progress table (重点工作数量指标完成情况).

    Parameters
    ----------
    count_names
        Count code → Chinese name from the targets file (``counts:``), or a function giving
        them for the table's own plan year; a row's indicator name must match one of them or an
        alias in the ledger rules.
    path, rel, zones, rules, cleaning, report
        As for :func:`read_progress_table`.

    Returns
    -------
    pandas.DataFrame
        Columns ``COUNT_COLUMNS``.

    Raises
    ------
    InputDataError
        On no header, no period, an unknown indicator name, a negative or unparsable number.
    """
    ctx = _open_counts(path, rel, _lookup(zones), rules, cleaning)
    frame = _read_counts(ctx, count_names)
    if report is not None:
        report += ctx.report
    return frame


def _count_columns(ctx: _Read) -> tuple[int, int]:
    h, month = ctx.header_row, ctx.title.month
    header = [normalise_name(cell_text(c)) for c in ctx.grid[h]]
    name_col = next(i for i, t in enumerate(header) if t in ctx.rules.count_name_headers)
    value_col = None
    for c, text in enumerate(header):
        m = ctx.rules.count_value_pattern.match(text)
        if m or text in ctx.rules.count_value_headers:
            if m and int(m.group(1)) != month:
                raise ctx.fail(f"表头“{cell_text(ctx.grid[h][c])}”的月份与报告期不一致", h, c)
            value_col = c
    if value_col is None:
        raise ctx.fail("找不到累计完成列（如“1-6月累计完成”）", h)
    return name_col, value_col


def _read_counts(
    ctx: _Read, count_names: dict[str, str] | Callable[[int], dict[str, str]]
) -> pd.DataFrame:
    year, month = ctx.title.year, ctx.title.month
    if callable(count_names):  # the count targets of the table's own plan year
        count_names = count_names(year)
    name_col, value_col = _count_columns(ctx)
    lookup = dict(ctx.rules.count_aliases)
    lookup.update({normalise_name(name): code for code, name in count_names.items()})
    rows = []
    for r, _kind in _data_rows(ctx, (ctx.header_row,), name_col, [value_col], "指标名称"):
        raw = ctx.grid[r][name_col]
        code = lookup.get(normalise_name(cell_text(raw)))
        if code is None or code not in count_names:
            raise ctx.fail(
                f"指标“{cell_text(raw)}”不是计划中的数量目标",
                r,
                name_col,
                "名称应与当年目标文件（targets/<年份>.yaml）的 counts 一致，或在 ledger_rules.yaml 的 "
                "count_aliases 中补充别名。",
            )
        value = _number(ctx, r, value_col, "累计完成数")
        if value is not None and value < 0:
            raise ctx.fail("累计完成数为负数", r, value_col)
        rows.append(
            {
                "code": code,
                "name_zh": count_names[code],
                "unit": "",
                "year": year,
                "month": month,
                "value": value,
                "source_file": ctx.rel,
                "source_row": r + 1,
            }
        )
    frame = pd.DataFrame(rows, columns=COUNT_COLUMNS)
    frame["value"] = frame["value"].astype("Float64")
    return frame


# ---------------------------------------------------------------- the folder


def list_tables(folder: Path) -> list[Path]:
    """Every table under ``folder`` (recursively, sorted as the cleaner sorts them).

    Hidden files and folders and Excel lock files are skipped; a missing folder gives ``[]``.
    """
    return [source.path for source in find_tables(folder)]


def read_ledger_folder(
    ledger_dir: str | Path,
    *,
    raw_dir: str | Path,
    projects: ProjectMatcher | Callable[[int], ProjectMatcher],
    zones: ZoneMatcher,
    count_names: dict[str, str] | Callable[[int], dict[str, str]],
) -> LedgerTables:
    """Read every ledger table under ``ledger_dir`` (sub-folders progress/, industry/, counts/).

    Records are kept by the cleaner's revision rule (:mod:`zoneanalysis.ledger.revisions`): for
    the same project (zone × industry, count code) and month, a revised file ("（修订）" in its
    title or file name, or ``revision: true`` in its ``<file>.layout.yaml``) replaces the others,
    which the report lists as superseded; equal records in two files are a duplicate (the first
    file in path order is kept); different ones are an error naming both files and rows.

    Returns
    -------
    LedgerTables
        The tidy tables, sorted, the files read, and the report of rows that are not data.

    Raises
    ------
    InputDataError
        From the table readers; once for every unknown zone name of the folder; for records
        that disagree.
    """
    ledger_dir, raw_dir = Path(ledger_dir), Path(raw_dir)
    lookup = ZoneLookup(zones)
    readers = {
        "progress": (PROGRESS_DIR, _open_progress, lambda ctx: _read_progress(ctx, projects)),
        "industry": (INDUSTRY_DIR, _open_industry, _read_industry),
        "counts": (COUNTS_DIR, _open_counts, lambda ctx: _read_counts(ctx, count_names)),
    }
    files: list[str] = []
    report: list[dict] = []
    parts: dict[str, list[tuple[pd.DataFrame, bool, int]]] = {name: [] for name in readers}
    texts: dict[tuple[str, int], str] = {}
    for name, (folder, open_, read) in readers.items():
        for path in list_tables(ledger_dir / folder):
            ctx = open_(path, _relative(path, raw_dir), lookup, None, None)
            frame = read(ctx)
            parts[name].append((frame, ctx.title.is_revision, len(files)))
            texts.update({(ctx.rel, r + 1): row_text(ctx.grid[r]) for r in frame["source_row"] - 1})
            report += ctx.report
            files.append(ctx.table.file_rel)
    lookup.raise_unknown()
    out = {}
    for name in readers:
        out[name], notes = resolve_revisions(parts[name], name, texts)
        report += notes
        out[name] = out[name].sort_values(KEYS[name]).reset_index(drop=True)
    return LedgerTables(out["progress"], out["industry"], out["counts"], files, _report(report))


def _open_counts(
    path: str | Path,
    rel: str,
    zones: ZoneLookup,
    rules: LedgerRules | None,
    cleaning: CleaningRules | None,
) -> _Read:
    rules = rules or load_ledger_rules()
    words = rules.count_name_headers
    return _open(path, rel, words, "找不到表头行（应有“指标名称”列）", zones, rules, cleaning)


def _relative(path: Path, raw_dir: Path) -> str:
    try:
        return path.relative_to(raw_dir).as_posix()
    except ValueError:
        return path.name


def _report(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame.sort_values(["source_file", "source_row"], kind="stable").reset_index(drop=True)
