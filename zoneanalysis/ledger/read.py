"""Read the ledger tables (project progress, revenue by industry, count targets) into tidy frames.

Files are read with the cleaner's readers and rules (grid reader, number parsing and missing
markers, period detection, zone matching); this module only knows the ledger layouts: a title
row naming the period, an optional unit line, one header row (two for the industry tables), data
rows, totals and notes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from zoneanalysis.cleaning.period import detect_period
from zoneanalysis.cleaning.readers import Grid, read_grid
from zoneanalysis.cleaning.rules import CleaningRules, load_cleaning_rules
from zoneanalysis.cleaning.values import NumberFormatError, cell_text, is_blank, parse_number
from zoneanalysis.errors import InputDataError
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.ledger.columns import COUNT_COLUMNS, INDUSTRY_COLUMNS, PROGRESS_COLUMNS
from zoneanalysis.ledger.projects import ProjectMatcher
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
TABLE_SUFFIXES = (".xlsx", ".xls", ".csv")

_UNIT_IN_HEADER = re.compile(r"\(([^()]*)\)$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s.*)?$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"),
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class _Context:
    """What every table reader needs: rules, matchers and the file's name for messages."""

    rel: str
    rules: LedgerRules
    cleaning: CleaningRules
    zones: ZoneMatcher
    zone_names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.zone_names = self.zones.zones.set_index("zone_id")["zone_name"].to_dict()

    def fail(self, message: str, row: int | None = None, col: int | None = None, hint: str = ""):
        where = None
        if row is not None:
            where = f"第 {row} 行" + (f"第 {col} 列" if col is not None else "")
        return InputDataError(message, file=self.rel, location=where, hint=hint or None)


@dataclass
class LedgerTables:
    """The tidy ledger tables read from a folder.

    Attributes
    ----------
    progress, industry, counts
        Frames with the columns of :mod:`zoneanalysis.ledger.columns` (empty if no such files).
    files
        The files read, relative to the raw folder.
    """

    progress: pd.DataFrame
    industry: pd.DataFrame
    counts: pd.DataFrame
    files: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- shared pieces


def _number(ctx: _Context, cell: object, row: int, col: int, what: str) -> float | None:
    try:
        return parse_number(cell, ctx.cleaning)
    except NumberFormatError:
        raise ctx.fail(
            f"{what}“{cell_text(cell)}”不是数字",
            row,
            col,
            "改成数字（缺失写“—”或留空）；不要在数字中夹带文字。",
        ) from None


def _period(ctx: _Context, grid: Grid, header_row: int, path: Path) -> tuple[int, int]:
    texts = [cell_text(c) for row in grid[:header_row] for c in row if not is_blank(c)]
    for text in [*texts, path.stem]:
        year, month = detect_period(text, ctx.cleaning)
        if year is not None and month is not None:
            return year, month
    raise ctx.fail(
        "找不到报告期（年份和 1-N月）",
        hint="在标题行写明期间，例如“2016年1-6月…”，或在文件名中写 2016-06。",
    )


def _unit_line(ctx: _Context, grid: Grid, header_row: int) -> str | None:
    for row in grid[:header_row]:
        for cell in row:
            text = normalise_name(cell_text(cell))
            for prefix in ctx.cleaning.unit_line_prefixes:
                if text.startswith(prefix):
                    first = re.split(r"[、,，/；;]", text[len(prefix) :])[0]
                    return first or None
    return None


def _header_unit(header: str) -> tuple[str, str | None]:
    m = _UNIT_IN_HEADER.search(header)
    if m:
        return header[: m.start()], m.group(1)
    return header, None


def _to_yi(
    ctx: _Context, value: float | None, unit: str | None, row: int, col: int
) -> float | None:
    if value is None:
        return None
    money = load_indicator_catalogue()["fai"]
    if unit is None or unit == money.unit:
        return value
    if unit not in money.units:
        raise ctx.fail(
            f"金额单位“{unit}”无法识别",
            row,
            col,
            f"使用 {'、'.join(money.units)} 之一。",
        )
    return money.to_canonical(value, unit)


def _is_note(ctx: _Context, first: str) -> bool:
    return any(first.startswith(p) for p in ctx.cleaning.note_prefixes)


def _is_total(ctx: _Context, first: str) -> bool:
    return any(w in first for w in ctx.cleaning.total_words)


def _find_header(grid: Grid, words: Iterable[str]) -> int | None:
    words = set(words)
    for r, row in enumerate(grid):
        if any(normalise_name(cell_text(c)) in words for c in row):
            return r
    return None


def _match_zone(ctx: _Context, raw: object, year: int, row: int, col: int) -> str:
    zone_id = ctx.zones.match(raw, year)
    if zone_id is None:
        close = "、".join(ctx.zones.suggest(raw)) or "无"
        raise ctx.fail(
            f"集聚区名称“{cell_text(raw)}”无法识别（相近的名称：{close}）",
            row,
            col,
            "改正表中的名称，或在 data/raw/reference/zone_aliases.csv 中补充别名。",
        )
    return zone_id


# ---------------------------------------------------------------- progress tables


def _parse_flag(ctx: _Context, cell: object, row: int, col: int, what: str) -> bool:
    text = normalise_name(cell_text(cell))
    if text in ctx.rules.yes_words:
        return True
    if text in ctx.rules.no_words:
        return False
    raise ctx.fail(f"{what}“{cell_text(cell)}”无法识别", row, col, "写“是/否”或“已开工/未开工”。")


def _parse_date(ctx: _Context, cell: object, row: int, col: int, what: str) -> pd.Timestamp:
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


def _parse_month(ctx: _Context, cell: object, row: int, col: int, what: str) -> int | None:
    if is_blank(cell) or cell_text(cell) in ctx.cleaning.missing_markers:
        return None
    text = cell_text(cell).removesuffix("月")
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    stamp = _parse_date(ctx, cell, row, col, what)
    return int(stamp.month)


def read_progress_table(
    path: str | Path,
    *,
    rel: str,
    projects: ProjectMatcher | Callable[[int], ProjectMatcher],
    zones: ZoneMatcher,
    rules: LedgerRules | None = None,
    cleaning: CleaningRules | None = None,
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
        Zone matcher of the registry.
    rules, cleaning
        Ledger and cleaning rules; the shipped ones by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``PROGRESS_COLUMNS``; money in 亿元.

    Raises
    ------
    InputDataError
        Naming the file and row: no header row, a missing column, no period, an unknown project
        or zone, a zone contradicting the reference, a repeated project, an unparsable number,
        flag or date, a start date after the period, or a completion date without a start.
    """
    path = Path(path)
    ctx = _Context(rel, rules or load_ledger_rules(), cleaning or load_cleaning_rules(), zones)
    grid = read_grid(path, rel=rel)
    name_words = [w for w, c in ctx.rules.progress_headers.items() if c == "project_name"]
    h = _find_header(grid, name_words)
    if h is None:
        raise ctx.fail("找不到表头行（应有“项目名称”列）", hint="检查表格是否为项目进度台账。")
    year, month = _period(ctx, grid, h, path)
    if not isinstance(projects, ProjectMatcher):
        projects = projects(year)
    unit_line = _unit_line(ctx, grid, h)
    columns: dict[str, tuple[int, str | None]] = {}
    for c, cell in enumerate(grid[h]):
        header, unit = _header_unit(normalise_name(cell_text(cell)))
        if not header or header in ctx.rules.ignored_headers:
            continue
        code = ctx.rules.progress_headers.get(header)
        m = ctx.rules.ytd_header_pattern.match(header)
        if m:
            code = "ytd_investment"
            if int(m.group(1)) != month:
                raise ctx.fail(
                    f"表头“{cell_text(cell)}”的月份与报告期 {year}年1-{month}月不一致",
                    h + 1,
                    c + 1,
                    "核对标题与表头的期间。",
                )
        if code is not None:
            columns[code] = (c, unit or unit_line)
    missing = [c for c in ctx.rules.required_progress_headers if c not in columns]
    if missing:
        raise ctx.fail(
            f"缺少列：{missing}",
            h + 1,
            hint="台账至少需要项目名称、所在集聚区、总投资、本年计划投资、1-N月完成投资、开工状态、投产状态。",
        )
    ref_rows = {pid: row for pid, row in projects.projects.iterrows()}
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for r in range(h + 1, len(grid)):
        line = grid[r]
        row_no = r + 1
        if all(is_blank(c) for c in line):
            continue
        first = normalise_name(next(cell_text(c) for c in line if not is_blank(c)))
        if _is_note(ctx, first):
            break
        name_col = columns["project_name"][0]
        raw_name = line[name_col]
        if is_blank(raw_name) or _is_total(ctx, normalise_name(cell_text(raw_name))):
            continue
        project_id = projects.match(raw_name)
        if project_id is None:
            close = "、".join(projects.suggest(raw_name)) or "无"
            raise ctx.fail(
                f"项目“{cell_text(raw_name)}”不在项目名录中（相近的项目：{close}）",
                row_no,
                name_col + 1,
                "改正项目名称，或把项目登记到 data/raw/reference/projects/<年份>.csv"
                "（示例项目登记在 data/raw/ledger/projects/）。",
            )
        if project_id in seen:
            raise ctx.fail(
                f"项目“{cell_text(raw_name)}”在第 {seen[project_id]} 行已出现", row_no, name_col + 1
            )
        seen[project_id] = row_no
        info = ref_rows[project_id]
        zc = columns["zone"][0]
        zone_id = _match_zone(ctx, line[zc], year, row_no, zc + 1)
        if pd.notna(info["zone_id"]) and info["zone_id"] != zone_id:
            raise ctx.fail(
                f"项目“{info['project_name']}”所在集聚区写为“{cell_text(line[zc])}”，"
                f"与项目名录（{info['zone_id']}）不一致",
                row_no,
                zc + 1,
                "核对所在集聚区，或更正项目名录。",
            )
        rec = {
            "project_id": project_id,
            "project_name": info["project_name"],
            "zone_id": zone_id,
            "zone_name": ctx.zone_names[zone_id],
            "year": year,
            "month": month,
            "category": info["category"],
            "industry": info["industry"],
            "is_new_introduction": info["kind"] == "recruit",
            "is_example": bool(info["is_example"] or info["category_is_example"]),
            "source_file": rel,
            "source_row": row_no,
        }
        if "category" in columns:
            cc = columns["category"][0]
            text = normalise_name(cell_text(line[cc]))
            if text:
                if text not in ctx.rules.categories:
                    raise ctx.fail(
                        f"项目类别“{cell_text(line[cc])}”无法识别",
                        row_no,
                        cc + 1,
                        "写“新开工”“续建”或“竣工”。",
                    )
                rec["category"] = ctx.rules.categories[text]
        if "is_new_introduction" in columns:
            nc = columns["is_new_introduction"][0]
            rec["is_new_introduction"] = _parse_flag(ctx, line[nc], row_no, nc + 1, "新引进")
        for code, what in (
            ("total_investment", "总投资"),
            ("plan_investment", "本年计划投资"),
            ("ytd_investment", "累计完成投资"),
        ):
            c, unit = columns[code]
            value = _number(ctx, line[c], row_no, c + 1, what)
            if value is not None and value < 0:
                raise ctx.fail(f"{what}为负数（{value}）", row_no, c + 1, "投资额不能为负。")
            rec[code] = _to_yi(ctx, value, unit, row_no, c + 1)
        for flag, what in (("started", "开工状态"), ("completed", "投产状态")):
            c = columns[flag][0]
            rec[flag] = _parse_flag(ctx, line[c], row_no, c + 1, what)
        for code, what in (("start_date", "开工日期"), ("completion_date", "投产日期")):
            if code in columns:
                c = columns[code][0]
                rec[code] = _parse_date(ctx, line[c], row_no, c + 1, what)
                end = pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)
                if pd.notna(rec[code]) and rec[code] > end:
                    raise ctx.fail(
                        f"{what} {rec[code].date()} 晚于报告期 {year}年1-{month}月",
                        row_no,
                        c + 1,
                        "核对日期或报告期。",
                    )
            else:
                rec[code] = pd.NaT
        for code, what in (
            ("planned_start_month", "计划开工月份"),
            ("planned_completion_month", "计划投产月份"),
        ):
            if code in columns:
                c = columns[code][0]
                rec[code] = _parse_month(ctx, line[c], row_no, c + 1, what)
            else:
                rec[code] = None
        if rec["completed"] and not rec["started"]:
            raise ctx.fail(
                f"项目“{info['project_name']}”已投产但未开工", row_no, hint="核对开工与投产状态。"
            )
        rows.append(rec)
    return _progress_frame(rows)


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
    zones: ZoneMatcher,
    rules: LedgerRules | None = None,
    cleaning: CleaningRules | None = None,
) -> pd.DataFrame:
    """Read one table of revenue by industry per zone (主导产业主营业务收入).

    The layout: title with the period, unit line, a header row naming the zone column and the
    industries (each optionally followed by a growth column, or merged over "1-N月 | 同比增长%"
    on a second header row), a totals row, zone rows and notes.

    Returns
    -------
    pandas.DataFrame
        Columns ``INDUSTRY_COLUMNS``; value in 亿元; one row per zone × industry with a value.

    Raises
    ------
    InputDataError
        On no header, no period, an unknown industry header, an unknown zone, a bad number.
    """
    path = Path(path)
    ctx = _Context(rel, rules or load_ledger_rules(), cleaning or load_cleaning_rules(), zones)
    grid = read_grid(path, rel=rel)
    h = _find_header(grid, ctx.rules.industry_name_headers)
    if h is None:
        raise ctx.fail("找不到表头行（应有“集聚区名称”列）")
    year, month = _period(ctx, grid, h, path)
    unit_line = _unit_line(ctx, grid, h)
    header = [normalise_name(cell_text(c)) for c in grid[h]]
    name_col = next(i for i, t in enumerate(header) if t in ctx.rules.industry_name_headers)
    sub = [normalise_name(cell_text(c)) for c in grid[h + 1]] if h + 1 < len(grid) else []
    growth_words = ctx.cleaning.growth_words
    two_rows = (
        bool(sub)
        and is_blank(grid[h + 1][name_col])
        and any(any(w in t for w in growth_words) for t in sub)
    )
    value_cols: dict[int, tuple[str, str | None]] = {}
    growth_of: dict[int, int] = {}  # value column -> its growth column
    current: int | None = None
    for c, text in enumerate(header):
        if c == name_col:
            continue
        label, unit = _header_unit(text)
        growth_text = sub[c] if two_rows and not label else label
        if label in ctx.rules.industries:
            value_cols[c] = (ctx.rules.industries[label], unit or unit_line)
            current = c
        elif current is not None and growth_text and any(w in growth_text for w in growth_words):
            growth_of[current] = c
        elif not label or label in ctx.cleaning.ignore_header_words:
            continue
        else:
            raise ctx.fail(
                f"表头“{cell_text(grid[h][c])}”不是已知的产业名称",
                h + 1,
                c + 1,
                "产业名称见 data/raw/reference/ledger_rules.yaml 的 industries；不需要的列请删除。",
            )
    if not value_cols:
        raise ctx.fail("表中没有可识别的产业列", h + 1)
    rows = []
    start = h + 2 if two_rows else h + 1
    for r in range(start, len(grid)):
        line = grid[r]
        if all(is_blank(c) for c in line):
            continue
        first = normalise_name(next(cell_text(c) for c in line if not is_blank(c)))
        if _is_note(ctx, first):
            break
        raw = line[name_col]
        if is_blank(raw) or _is_total(ctx, normalise_name(cell_text(raw))):
            continue
        zone_id = _match_zone(ctx, raw, year, r + 1, name_col + 1)
        for c, (industry, unit) in value_cols.items():
            value = _number(ctx, line[c], r + 1, c + 1, f"{industry}主营业务收入")
            if value is None:
                continue
            yoy = None
            if c in growth_of:
                g = growth_of[c]
                yoy = _number(ctx, line[g], r + 1, g + 1, f"{industry}增长")
            rows.append(
                {
                    "zone_id": zone_id,
                    "zone_name": ctx.zone_names[zone_id],
                    "industry": industry,
                    "year": year,
                    "month": month,
                    "value": _to_yi(ctx, value, unit, r + 1, c + 1),
                    "yoy_pct": yoy,
                    "source_file": rel,
                    "source_row": r + 1,
                }
            )
    frame = pd.DataFrame(rows, columns=INDUSTRY_COLUMNS)
    frame["value"] = frame["value"].astype(float)
    frame["yoy_pct"] = frame["yoy_pct"].astype("Float64")
    return frame


# ---------------------------------------------------------------- count tables


def read_count_table(
    path: str | Path,
    *,
    rel: str,
    count_names: dict[str, str] | Callable[[int], dict[str, str]],
    zones: ZoneMatcher,
    rules: LedgerRules | None = None,
    cleaning: CleaningRules | None = None,
) -> pd.DataFrame:
    """Read one count-target progress table (重点工作数量指标完成情况).

    Parameters
    ----------
    count_names
        Count code → Chinese name from the targets file (``counts:``); a row's indicator name
        must match one of them or an alias in the ledger rules.

    Returns
    -------
    pandas.DataFrame
        Columns ``COUNT_COLUMNS``.

    Raises
    ------
    InputDataError
        On no header, no period, an unknown indicator name, a negative or unparsable number.
    """
    path = Path(path)
    ctx = _Context(rel, rules or load_ledger_rules(), cleaning or load_cleaning_rules(), zones)
    grid = read_grid(path, rel=rel)
    h = _find_header(grid, ctx.rules.count_name_headers)
    if h is None:
        raise ctx.fail("找不到表头行（应有“指标名称”列）")
    year, month = _period(ctx, grid, h, path)
    if callable(count_names):  # the count targets of the table's own plan year
        count_names = count_names(year)
    header = [normalise_name(cell_text(c)) for c in grid[h]]
    name_col = next(i for i, t in enumerate(header) if t in ctx.rules.count_name_headers)
    value_col = None
    for c, text in enumerate(header):
        m = ctx.rules.count_value_pattern.match(text)
        if m or text in ctx.rules.count_value_headers:
            if m and int(m.group(1)) != month:
                raise ctx.fail(f"表头“{cell_text(grid[h][c])}”的月份与报告期不一致", h + 1, c + 1)
            value_col = c
    if value_col is None:
        raise ctx.fail("找不到累计完成列（如“1-6月累计完成”）", h + 1)
    lookup = dict(ctx.rules.count_aliases)
    lookup.update({normalise_name(name): code for code, name in count_names.items()})
    rows = []
    for r in range(h + 1, len(grid)):
        line = grid[r]
        if all(is_blank(c) for c in line):
            continue
        first = normalise_name(next(cell_text(c) for c in line if not is_blank(c)))
        if _is_note(ctx, first):
            break
        raw = normalise_name(cell_text(line[name_col]))
        if not raw:
            continue
        code = lookup.get(raw)
        if code is None or code not in count_names:
            raise ctx.fail(
                f"指标“{cell_text(line[name_col])}”不是计划中的数量目标",
                r + 1,
                name_col + 1,
                "名称应与当年目标文件（targets/<年份>.yaml）的 counts 一致，或在 ledger_rules.yaml 的 "
                "count_aliases 中补充别名。",
            )
        value = _number(ctx, line[value_col], r + 1, value_col + 1, "累计完成数")
        if value is not None and value < 0:
            raise ctx.fail("累计完成数为负数", r + 1, value_col + 1)
        rows.append(
            {
                "code": code,
                "name_zh": count_names[code],
                "unit": "",
                "year": year,
                "month": month,
                "value": value,
                "source_file": rel,
                "source_row": r + 1,
            }
        )
    frame = pd.DataFrame(rows, columns=COUNT_COLUMNS)
    frame["value"] = frame["value"].astype("Float64")
    return frame


# ---------------------------------------------------------------- the folder


def list_tables(folder: Path) -> list[Path]:
    """Every table under ``folder`` (recursively, sorted), skipping hidden and lock files."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.name.lower().endswith(TABLE_SUFFIXES)
        and not p.name.startswith(("~$", "."))
    )


def read_ledger_folder(
    ledger_dir: str | Path,
    *,
    raw_dir: str | Path,
    projects: ProjectMatcher | Callable[[int], ProjectMatcher],
    zones: ZoneMatcher,
    count_names: dict[str, str] | Callable[[int], dict[str, str]],
) -> LedgerTables:
    """Read every ledger table under ``ledger_dir`` (sub-folders progress/, industry/, counts/).

    A later file for the same project (zone × industry, count code) and month replaces an
    earlier one only if it is a revision; two files giving the same key are an error.

    Returns
    -------
    LedgerTables
        The tidy tables, sorted, and the files read.
    """
    ledger_dir, raw_dir = Path(ledger_dir), Path(raw_dir)
    files: list[str] = []

    def rel(p: Path) -> str:
        try:
            return p.relative_to(raw_dir).as_posix()
        except ValueError:
            return p.name

    frames: dict[str, list[pd.DataFrame]] = {"progress": [], "industry": [], "counts": []}
    for p in list_tables(ledger_dir / PROGRESS_DIR):
        frames["progress"].append(
            read_progress_table(p, rel=rel(p), projects=projects, zones=zones)
        )
        files.append(rel(p))
    for p in list_tables(ledger_dir / INDUSTRY_DIR):
        frames["industry"].append(read_industry_table(p, rel=rel(p), zones=zones))
        files.append(rel(p))
    for p in list_tables(ledger_dir / COUNTS_DIR):
        frames["counts"].append(
            read_count_table(p, rel=rel(p), count_names=count_names, zones=zones)
        )
        files.append(rel(p))
    keys = {
        "progress": (["project_id", "year", "month"], PROGRESS_COLUMNS),
        "industry": (["zone_id", "industry", "year", "month"], INDUSTRY_COLUMNS),
        "counts": (["code", "year", "month"], COUNT_COLUMNS),
    }
    out = {}
    for name, (key, cols) in keys.items():
        parts = [f for f in frames[name] if not f.empty]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
        dup = frame[frame.duplicated(key, keep=False)]
        if not dup.empty:
            a, b = dup.iloc[0], dup[dup.duplicated(key)].iloc[0]
            raise InputDataError(
                f"同一期间的同一条记录出现在两个文件中：{a['source_file']} 第 {a['source_row']} 行 与 "
                f"{b['source_file']} 第 {b['source_row']} 行",
                file=b["source_file"],
                location=f"第 {b['source_row']} 行",
                hint="每个月份只保留一个台账文件；更正数据请直接替换原文件。",
            )
        out[name] = frame.sort_values(key).reset_index(drop=True)
    return LedgerTables(out["progress"], out["industry"], out["counts"], files)
