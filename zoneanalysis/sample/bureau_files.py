"""Write the synthetic truth as bureau-style statistical tables (示例数据).

Layout A (郑州市产业集聚区主要经济指标, one file per month) and layout B (全省产业集聚区主要指标, one
file per quarter), with the quirks of real releases: legacy .xls, GBK CSV in 万元/人, a UTF-8-BOM
CSV, merged two-row headers, a 本月|累计|累计增长 variant, units in headers, totals and subtotal
rows, section labels, notes, missing-value markers, thousands separators, "%" suffixes, short and
oddly spaced zone names, an odd layout read through a ``.layout.yaml`` sidecar, and a revision.
The file plan is described in ``docs/sample_data.md``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import xlwt
import yaml
from openpyxl.styles import Alignment

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.registry import LEVEL_PROVINCIAL, load_zones, zone_level
from zoneanalysis.sample.truth import DECIMALS, LAST_MONTH, YEARS

CITY_INDICATORS = ("revenue", "fai", "outside_funds", "employment", "value_added", "tax", "profit")
PROVINCE_COLUMNS = (  # (indicator, unit shown, has a growth column)
    ("revenue", "亿元", True),
    ("fai", "亿元", True),
    ("value_added", "亿元", True),
    ("tax", "亿元", True),
    ("profit", "亿元", True),
    ("employment", "万人", False),
    ("built_area", "平方公里", False),
    ("leading_industry_share", "%", False),
    ("innovation_platforms", "个", False),
    ("energy_per_va", "吨标准煤/万元", False),
    ("enterprises", "个", False),
)
MISSING_MARKERS = ("—", "－", "…", "/", "")
NOTE_SAMPLE = "注：1. 本表为示例数据，由 scripts/make_sample_data.py 生成，不是真实统计数据。"
NOTE_GROWTH = "注：2. 增长速度按可比口径计算。"
FIXED_ZIP_TIME = (2016, 10, 1, 0, 0, 0)
FIXED_ISO_TIME = "2016-10-01T00:00:00Z"

# The revision: 2016年1-5月 restated for a few cells (the truth holds the revised values; the
# original file prints these values times the factor below).
REVISION_PERIOD = (2016, 5)
REVISED_CELLS = (("zz_xingang", "revenue"), ("zz_xingang", "fai"), ("zz_mazhai", "revenue"))
ORIGINAL_FACTOR = 0.97
# The odd layout: 2015年1-8月, period only in the sidecar.
ODD_PERIOD = (2015, 8)
ODD_NAME = "园区报表_补充.xlsx"

# Names as bureau tables print them (short, spaced, bracketed); picked per month.
CITY_NAME_VARIANTS = {
    "zz_jingkai": ("经开区", "郑州经开区", "郑州经济技术产业集聚区"),
    "zz_hangkonggang": ("航空港区", "郑州航空港（产业集聚区）", "港区"),
    "zz_gaoxin": ("高新区", " 高新区 "),
    "zz_xingang": ("新郑新港", "新港"),
    "zz_zhongmou_auto": ("中牟汽车", "中牟汽车产业集聚区"),
    "zz_xingyang": ("荥阳市", "荥阳\u3000"),
    "zz_xinmi": ("新密市", "新密"),
    "zz_dengfeng": ("登封市", "登\u3000封"),
    "zz_mazhai": ("马寨", "马寨产业集聚区"),
    "zz_baisha": ("白沙", "白沙产业集聚区"),
    "zz_gongyi": ("巩义市", "巩义市（产业集聚区）"),
    "zz_jindai": ("金岱", "金岱产业集聚区"),
}
OLD_NAMES = {"ex_007": ("示例旧名产业集聚区007", 2013)}  # zone → (old name, last year used)


@dataclass(frozen=True)
class Num:
    """A number cell with its printed decimals (and, for CSV, thousands separators)."""

    value: float
    decimals: int


@dataclass
class Table:
    """A sheet as rows of cells (``None``, ``str`` or :class:`Num`), with merged ranges."""

    rows: list[list[object]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based r1,c1,r2,c2


@dataclass(frozen=True)
class CityVariant:
    """How one layout-A file is printed.

    The defaults of the fields after ``pct_suffix`` print the shipped sample; the property tests
    vary them: indicator columns (order and subset), growth columns and their header, a 上年同期
    column, the parks as a second table stacked below the first, totals and notes rows, the unit
    line, the title form and a footnote marker on the indicator headers.
    """

    fmt: str  # xls, csv, xlsx
    money_unit: str = "亿元"
    people_unit: str = "万人"
    encoding: str = "gbk"
    three_col: bool = False
    unit_in_header: bool = False
    name_header: str = "集聚区名称"
    totals_label: str = "全市合计"
    december: str = "1-12月"
    thousands: bool = False
    pct_suffix: bool = False
    indicators: tuple[str, ...] = CITY_INDICATORS
    growth_columns: bool = True
    growth_header: str = "同比增长±%"
    prior_year: bool = False
    stacked: bool = False
    totals: bool = True
    notes: bool = True
    unit_line: bool = True
    unit_line_format: str = "单位：{money}、{people}、%"
    units_row: bool = False
    title_format: str = "{period}郑州市产业集聚区主要经济指标{suffix}"
    header_marker: str = ""


class _Markers:
    """Cycle through the missing-value markers, so every kind appears."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        marker = MISSING_MARKERS[self.count % len(MISSING_MARKERS)]
        self.count += 1
        return marker


def write_bureau_files(
    truth: pd.DataFrame, out_dir: str | Path, zones: pd.DataFrame | None = None
) -> list[Path]:
    """Write the sample bureau files for ``truth`` under ``out_dir``.

    Parameters
    ----------
    truth
        The frame from :func:`zoneanalysis.sample.truth.make_truth`.
    out_dir
        Target folder (``data/raw/bureau`` for the shipped sample); one sub-folder per year.
    zones
        The registry ``truth`` was made for; the shipped registry by default.

    Returns
    -------
    list of Path
        Every file written (data files and the ``.layout.yaml`` sidecar), in writing order.
    """
    out_dir = Path(out_dir)
    zones = (load_zones() if zones is None else zones).set_index("zone_id")
    catalogue = load_indicator_catalogue()
    cells = {
        (r.zone_id, r.year, r.month, r.indicator): (r.value, r.yoy_pct)
        for r in truth.itertuples(index=False)
    }
    markers = _Markers()
    written: list[Path] = []
    for year in YEARS:
        level = zone_level(zones.reset_index(), year)
        zz = zones["is_zhengzhou"].reindex(level.index)
        provincial = [z for z in level.index[(level == LEVEL_PROVINCIAL) & zz]]
        parks = [z for z in level.index[(level == "city_park") & zz]]
        province = _order_province(zones, list(level.index[level == LEVEL_PROVINCIAL]))
        for month in range(2, LAST_MONTH.get(year, 12) + 1):
            variant = _choose_city_variant(year, month)
            ctx = _CityContext(cells, zones, catalogue, year, month, variant, markers)
            if (year, month) == ODD_PERIOD:
                written += _write_odd_layout(ctx, provincial, parks, out_dir / str(year))
                continue
            path = (
                out_dir
                / str(year)
                / f"{year}-{month:02d}_郑州市产业集聚区主要经济指标.{variant.fmt}"
            )
            if (year, month) == REVISION_PERIOD:
                original = _build_city_table(ctx, provincial, parks, title_extra="", original=True)
                written.append(_write_table(original, path, variant))
                restated = [z for z in provincial if z in {c[0] for c in REVISED_CELLS}]
                revision = _build_city_table(ctx, restated, [], title_extra="（修订）")
                rev_name = f"{year}-{month:02d}_郑州市产业集聚区主要经济指标（修订）.xlsx"
                written.append(_write_table(revision, path.with_name(rev_name), variant))
                continue
            table = _build_city_table(ctx, provincial, parks, title_extra="")
            written.append(_write_table(table, path, variant))
        for month in range(3, LAST_MONTH.get(year, 12) + 1, 3):
            table = _build_province_table(cells, zones, year, month, province, markers)
            path = out_dir / str(year) / f"{year}-Q{month // 3}_全省产业集聚区主要指标.xlsx"
            written.append(_write_xlsx(table, path, sheet="全省"))
    return written


def write_city_file(
    truth: pd.DataFrame,
    path: str | Path,
    *,
    year: int,
    month: int,
    provincial: list[str],
    parks: list[str],
    variant: CityVariant,
) -> Path:
    """Write one layout-A table (示例数据) of ``truth`` as ``variant`` prints it.

    Parameters
    ----------
    truth
        Rows ``zone_id, year, month, indicator, value, yoy_pct`` in canonical units; rows of
        ``year - 1`` feed the 上年同期 column, rows of ``month - 1`` the 本月 column.
    path
        The file to write; its suffix (.xlsx, .xls, .csv) decides the format.
    year, month
        The period of the table.
    provincial, parks
        Zone ids printed in the provincial part and in the parks part (or stacked table).
    variant
        How the table is printed.

    Returns
    -------
    Path
        ``path``.
    """
    cells = {
        (r.zone_id, r.year, r.month, r.indicator): (r.value, r.yoy_pct)
        for r in truth.itertuples(index=False)
    }
    zones = load_zones().set_index("zone_id")
    ctx = _CityContext(cells, zones, load_indicator_catalogue(), year, month, variant, _Markers())
    table = _build_city_table(ctx, provincial, parks, title_extra="")
    return _write_table(table, Path(path), variant)


def _choose_city_variant(year: int, month: int) -> CityVariant:
    """The printing variant of the layout-A file for one month (see docs/sample_data.md)."""
    if year <= 2013:
        if year == 2012:
            return CityVariant(fmt="xls")
        return CityVariant(
            fmt="xls",
            three_col=month in (3, 9),
            unit_in_header=month == 6,
            name_header="单位名称",
            totals_label="省级产业集聚区合计",
            december="全年",
        )
    if year == 2014:
        return CityVariant(
            fmt="csv",
            money_unit="万元",
            people_unit="人",
            encoding="utf-8-sig" if month == 7 else "gbk",
            thousands=True,
            pct_suffix=month in (4, 10),
            december="全年",
        )
    if year == 2015 and month == 11:
        return CityVariant(fmt="xlsx", money_unit="万元", people_unit="人", unit_in_header=True)
    return CityVariant(
        fmt="xlsx",
        three_col=(year, month) in {(2015, 4), (2015, 10), (2016, 7)},
        pct_suffix=(year, month) == (2016, 3),
        name_header="单位名称" if year == 2016 else "集聚区名称",
    )


@dataclass
class _CityContext:
    """Everything one layout-A table needs."""

    cells: dict
    zones: pd.DataFrame
    catalogue: dict
    year: int
    month: int
    variant: CityVariant
    markers: _Markers

    def unit_of(self, ind: str) -> str:
        """The unit this file prints ``ind`` in."""
        if ind == "employment":
            return self.variant.people_unit
        return self.variant.money_unit

    def scale(self, ind: str) -> tuple[float, int]:
        """Factor from canonical to printed unit, and printed decimals."""
        unit = self.unit_of(ind)
        factor = 1.0 / self.catalogue[ind].units[unit]
        decimals = DECIMALS[ind] if factor == 1.0 else 0
        return factor, decimals

    def period_label(self) -> str:
        """``1-6月``; December as the variant writes it."""
        return self.variant.december if self.month == 12 else f"1-{self.month}月"


def _format_growth(ctx_pct_suffix: bool, yoy: float, markers: _Markers, row: int) -> object:
    if yoy is None or np.isnan(yoy):
        return markers.next()
    if ctx_pct_suffix and row % 2 == 0:
        return f"{yoy:.1f}%"
    return Num(float(yoy), 1)


def _city_cells(ctx: _CityContext, zone_id: str, row: int, original: bool) -> list[object]:
    """The value cells of one zone row of layout A."""
    out: list[object] = []
    variant = ctx.variant
    for ind in variant.indicators:
        factor, decimals = ctx.scale(ind)
        got = ctx.cells.get((zone_id, ctx.year, ctx.month, ind))
        if got is None:
            value_cell: object = ctx.markers.next()
            growth_cell: object = ctx.markers.next() if variant.growth_columns else None
            value = None
        else:
            value, yoy = got
            if original and (zone_id, ind) in REVISED_CELLS:
                value = round(value * ORIGINAL_FACTOR, DECIMALS[ind])
            value_cell = Num(_rescale(value, factor, decimals), decimals)
            growth_cell = None
            if variant.growth_columns:
                growth_cell = _format_growth(variant.pct_suffix, yoy, ctx.markers, row)
        if variant.three_col:
            out.append(_month_only(ctx, zone_id, ind, value, factor, decimals))
        out.append(value_cell)
        if variant.prior_year:
            out.append(_prior_year(ctx, zone_id, ind, factor, decimals))
        if variant.growth_columns:
            out.append(growth_cell)
    return out


def _prior_year(ctx: _CityContext, zone_id: str, ind: str, factor: float, decimals: int) -> object:
    """The 上年同期 cell: last year's same period (recognised by the cleaner, not stored)."""
    prev = ctx.cells.get((zone_id, ctx.year - 1, ctx.month, ind))
    if prev is None:
        return ctx.markers.next()
    return Num(_rescale(prev[0], factor, decimals), decimals)


def _rescale(value: float, factor: float, decimals: int) -> float:
    """Convert a canonical value to the printed unit, exactly at the printed precision."""
    scaled = round(value * factor, decimals)
    return float(int(scaled)) if decimals == 0 else scaled


def _month_only(
    ctx: _CityContext, zone_id: str, ind: str, value: float | None, factor: float, decimals: int
) -> object:
    """The 本月 cell: this month alone (a derived figure the cleaner ignores)."""
    if value is None:
        return ctx.markers.next()
    if ind == "employment" or ctx.month == 2:
        return Num(_rescale(value, factor, decimals), decimals)
    prev = ctx.cells.get((zone_id, ctx.year, ctx.month - 1, ind))
    if prev is None:
        return ctx.markers.next()
    return Num(_rescale(value - prev[0], factor, decimals), decimals)


def _sum_cells(ctx: _CityContext, zone_ids: list[str]) -> list[object]:
    """A totals row: sums of the printed values, value-weighted growth."""
    out: list[object] = []
    for ind in ctx.variant.indicators:
        factor, decimals = ctx.scale(ind)
        got = [ctx.cells.get((z, ctx.year, ctx.month, ind)) for z in zone_ids]
        got = [g for g in got if g is not None]
        total = sum(g[0] for g in got)
        weights = [(g[0], g[1]) for g in got if not np.isnan(g[1])]
        growth = sum(v * y for v, y in weights) / max(sum(v for v, _ in weights), 1e-9)
        if ctx.variant.three_col:
            out.append(None)
        out.append(Num(_rescale(total, factor, decimals), decimals))
        if ctx.variant.prior_year:
            out.append(None)
        if ctx.variant.growth_columns:
            out.append(Num(round(growth, 1), 1))
    return out


def _city_name(zone_id: str, zones: pd.DataFrame, year: int, month: int) -> str:
    """The zone name as the city table prints it (short names, stray spaces, brackets)."""
    if zone_id.startswith("zzp_"):
        variants = (str(zones.at[zone_id, "short_name"]), str(zones.at[zone_id, "zone_name"]))
    else:
        variants = CITY_NAME_VARIANTS.get(zone_id, (str(zones.at[zone_id, "zone_name"]),))
    return variants[(year * 12 + month) % len(variants)]


def _city_header(ctx: _CityContext, first: list[str]) -> tuple[list[list[object]], list[tuple]]:
    """The header rows of layout A (two; three with a units row), with merges.

    Merges are relative to the header's first row.
    """
    top: list[object] = list(first)
    sub: list[object] = [None] * len(first)
    merges = [(1, c, 2, c) for c in range(1, len(first) + 1)]
    variant = ctx.variant
    units: list[object] = [None] * len(first)
    for ind in variant.indicators:
        name = ctx.catalogue[ind].name_zh
        if variant.unit_in_header:
            name += f"（{ctx.unit_of(ind)}）"
        name += variant.header_marker
        group = ["本月", "累计"] if variant.three_col else [ctx.period_label()]
        if variant.prior_year:
            group.append("上年同期")
        if variant.growth_columns:
            growth = "累计增长" if variant.three_col else variant.growth_header
            group.append(growth)
        col = len(top) + 1
        top += [name] + [None] * (len(group) - 1)
        if len(group) > 1:
            merges.append((1, col, 1, col + len(group) - 1))
        sub += group
        units += [
            "%" if "增长" in g or g == variant.growth_header else ctx.unit_of(ind) for g in group
        ]
    if variant.units_row:
        return [top, sub, units], merges
    return [top, sub], merges


def _build_city_table(
    ctx: _CityContext,
    provincial: list[str],
    parks: list[str],
    title_extra: str,
    original: bool = False,
) -> Table:
    """Layout A: title, unit line, two header rows, totals, zones, section, parks, 小计, notes.

    With ``variant.stacked`` the parks form a second table (own title, unit line and header)
    below the first one.
    """
    table = Table()
    variant = ctx.variant
    suffix = title_extra + "（示例数据）"
    _add_title_and_header(table, ctx, "郑州市产业集聚区", suffix, variant.name_header)
    if title_extra:
        for i, zone_id in enumerate(provincial):
            name = _city_name(zone_id, ctx.zones, ctx.year, ctx.month)
            table.rows.append([name, *_city_cells(ctx, zone_id, i, original)])
        table.rows.append(
            ["注：本表为对上期报表的修订，仅列出修订的集聚区；本表为示例数据，非真实统计。"]
        )
        return table
    everyone = provincial + parks
    if variant.totals:
        if variant.totals_label == "全市合计" and not variant.stacked:
            table.rows.append(["全市合计", *_sum_cells(ctx, everyone)])
        else:
            label = "省级产业集聚区合计" if variant.stacked else variant.totals_label
            table.rows.append([label, *_sum_cells(ctx, provincial)])
    for i, zone_id in enumerate(provincial):
        name = _city_name(zone_id, ctx.zones, ctx.year, ctx.month)
        table.rows.append([name, *_city_cells(ctx, zone_id, i, original)])
    if parks and variant.stacked:
        if variant.notes:
            table.rows.append([NOTE_SAMPLE])
        table.rows.append([])
        _add_title_and_header(table, ctx, "郑州市市级工业专业园区", suffix, "园区名称")
    elif parks:
        table.rows.append(["市级工业专业园区"])
    if parks:
        if variant.totals and variant.stacked:
            table.rows.append(["小计", *_sum_cells(ctx, parks)])
        for i, zone_id in enumerate(parks):
            name = _city_name(zone_id, ctx.zones, ctx.year, ctx.month)
            table.rows.append([name, *_city_cells(ctx, zone_id, i + 1, original)])
        if variant.totals and not variant.stacked:
            table.rows.append(["小计", *_sum_cells(ctx, parks)])
    if variant.notes:
        table.rows += [[NOTE_SAMPLE], [NOTE_GROWTH]]
    return table


def _add_title_and_header(
    table: Table, ctx: _CityContext, subject: str, suffix: str, name_header: str
) -> None:
    """Append a title, the unit line (unless the variant has none) and the two header rows."""
    variant = ctx.variant
    period = f"{ctx.year}年{ctx.period_label()}"
    title = variant.title_format.format(period=period, suffix=suffix)
    table.rows.append([title.replace("郑州市产业集聚区", subject, 1)])
    if variant.unit_line:
        line = variant.unit_line_format.format(money=variant.money_unit, people=variant.people_unit)
        table.rows.append([line])
    header, merges = _city_header(ctx, [name_header])
    at = len(table.rows)
    table.merges += [(r + at, c1, r2 + at, c2) for r, c1, r2, c2 in merges]
    table.rows += header


def _write_odd_layout(
    ctx: _CityContext, provincial: list[str], parks: list[str], folder: Path
) -> list[Path]:
    """The file without a period in its title or name, read through its ``.layout.yaml``."""
    variant = CityVariant(fmt="xlsx", money_unit="万元", people_unit="人")
    odd = _CityContext(
        ctx.cells, ctx.zones, ctx.catalogue, ctx.year, ctx.month, variant, ctx.markers
    )
    table = Table()
    table.rows.append([None, "郑州市产业集聚区主要经济指标（示例数据）"])
    table.rows.append([None, "填报单位：郑州市产业集聚区工作办公室（示例）"])
    table.rows.append([None, "说明：金额与期间见同名说明文件"])
    table.rows.append([])
    header, merges = _city_header(odd, ["序号", "集聚区名称"])
    header[1] = ["累计" if h == odd.period_label() else h for h in header[1]]  # no period anywhere
    header[0][2 + 2 * CITY_INDICATORS.index("employment")] = "从业人员（人）"
    table.merges += [(r + 4, c1, r2 + 4, c2) for r, c1, r2, c2 in merges]
    table.rows += header
    table.rows.append([None, "全市合计", *_sum_cells(odd, provincial + parks)])
    for i, zone_id in enumerate(provincial + parks):
        name = _city_name(zone_id, ctx.zones, ctx.year, ctx.month)
        table.rows.append([i + 1, name, *_city_cells(odd, zone_id, i, False)])
    table.rows += [[None, NOTE_SAMPLE], [None, NOTE_GROWTH]]
    path = folder / ODD_NAME
    data = _write_xlsx(table, path, sheet="报表", cover="说明")
    sidecar = path.with_name(path.name + ".layout.yaml")
    layout = {
        "period": f"{ctx.year}-{ctx.month:02d}",
        "sheet": "报表",
        "header_rows": [5, 6],
        "name_column": "B",
        "first_data_row": 7,
        "unit": "万元",
    }
    text = "# 示例数据：本文件的标题与文件名中没有期间，版式说明见 data/raw/README.md。\n"
    text += yaml.safe_dump(layout, allow_unicode=True, sort_keys=False)
    sidecar.write_text(text, encoding="utf-8")
    return [data, sidecar]


def _order_province(zones: pd.DataFrame, zone_ids: list[str]) -> list[str]:
    """Zhengzhou first, then the other cities in registry order."""
    order = {z: i for i, z in enumerate(zones.index)}
    return sorted(zone_ids, key=lambda z: (not zones.at[z, "is_zhengzhou"], order[z]))


def _province_period(year: int, month: int) -> str:
    if year == 2013:
        return f"1-{month}月"
    return {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}[month]


def _build_province_table(
    cells: dict,
    zones: pd.DataFrame,
    year: int,
    month: int,
    zone_ids: list[str],
    markers: _Markers,
) -> Table:
    """Layout B: title, one header row with units, 全省合计, all provincial zones, notes."""
    catalogue = load_indicator_catalogue()
    table = Table()
    table.rows.append(
        [f"{year}年{_province_period(year, month)}全省产业集聚区主要指标（示例数据）"]
    )
    header: list[object] = ["序号", "集聚区名称", "所属省辖市"]
    for ind, unit, growth in PROVINCE_COLUMNS:
        header.append(f"{catalogue[ind].name_zh}（{unit}）")
        if growth:
            header.append("增长（%）")
    table.rows.append(header)
    totals: list[object] = [None, "全省合计", None]
    for ind, _unit, growth in PROVINCE_COLUMNS:
        got = [cells.get((z, year, month, ind)) for z in zone_ids]
        values = [g[0] for g in got if g is not None]
        if ind in ("leading_industry_share", "energy_per_va"):
            totals.append(Num(round(float(np.mean(values)), 2), 2))
        else:
            totals.append(Num(round(sum(values), DECIMALS[ind]), DECIMALS[ind]))
        if growth:
            pairs = [(g[0], g[1]) for g in got if g is not None and not np.isnan(g[1])]
            avg = sum(v * y for v, y in pairs) / sum(v for v, _ in pairs)
            totals.append(Num(round(avg, 1), 1))
    table.rows.append(totals)
    for i, zone_id in enumerate(zone_ids):
        name = str(zones.at[zone_id, "zone_name"])
        if zone_id in OLD_NAMES and year <= OLD_NAMES[zone_id][1]:
            name = OLD_NAMES[zone_id][0]
        row: list[object] = [i + 1, name, str(zones.at[zone_id, "city"])]
        for ind, _unit, growth in PROVINCE_COLUMNS:
            got = cells.get((zone_id, year, month, ind))
            if got is None:
                row.append(markers.next())
                if growth:
                    row.append(markers.next())
                continue
            row.append(Num(got[0], DECIMALS[ind]))
            if growth:
                row.append(_format_growth(False, got[1], markers, i))
        table.rows.append(row)
    table.rows.append([NOTE_SAMPLE])
    table.rows.append(["注：2. 增长速度按可比口径计算；示例产业集聚区名称为虚构。"])
    return table


def _write_table(table: Table, path: Path, variant: CityVariant) -> Path:
    if path.suffix == ".xls":
        return _write_xls(table, path)
    if path.suffix == ".csv":
        return _write_csv(table, path, variant)
    return _write_xlsx(table, path, sheet="Sheet1")


def _write_csv(table: Table, path: Path, variant: CityVariant) -> Path:
    """CSV: merged headers appear once with the next cell blank; numbers as printed text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table.rows:
        writer.writerow(["" if c is None else _text(c, variant.thousands) for c in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(variant.encoding))
    return path


def _text(cell: object, thousands: bool) -> str:
    if isinstance(cell, Num):
        spec = f"{',' if thousands else ''}.{cell.decimals}f"
        return format(cell.value, spec)
    return str(cell)


def _write_xls(table: Table, path: Path) -> Path:
    """Legacy .xls through xlwt, with merged header cells."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    styles = {d: xlwt.easyxf(num_format_str="0" if d == 0 else "0." + "0" * d) for d in (0, 1, 2)}
    merged_starts = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in table.merges}
    covered = {
        (r, c)
        for r1, c1, r2, c2 in table.merges
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
        if (r, c) != (r1, c1)
    }
    for r, row in enumerate(table.rows, start=1):
        for c, cell in enumerate(row, start=1):
            if (r, c) in covered or cell is None:
                continue
            if (r, c) in merged_starts:
                r2, c2 = merged_starts[(r, c)]
                sheet.write_merge(r - 1, r2 - 1, c - 1, c2 - 1, str(cell))
            elif isinstance(cell, Num):
                sheet.write(r - 1, c - 1, cell.value, styles[cell.decimals])
            else:
                sheet.write(r - 1, c - 1, cell)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path


def _write_xlsx(table: Table, path: Path, sheet: str, cover: str | None = None) -> Path:
    """.xlsx through openpyxl, merged headers, fixed properties and zip times (byte-stable)."""
    book = openpyxl.Workbook()
    ws = book.active
    if cover:
        ws.title = cover
        ws["A1"] = "本工作簿为示例数据；报表在工作表“报表”中。"
        ws = book.create_sheet(sheet)
    else:
        ws.title = sheet
    for r, row in enumerate(table.rows, start=1):
        for c, cell in enumerate(row, start=1):
            if cell is None:
                continue
            target = ws.cell(row=r, column=c)
            if isinstance(cell, Num):
                target.value = int(cell.value) if cell.decimals == 0 else cell.value
                target.number_format = "0" if cell.decimals == 0 else "0." + "0" * cell.decimals
            else:
                target.value = cell
    for r1, c1, r2, c2 in table.merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        ws.cell(row=r1, column=c1).alignment = Alignment(horizontal="center", vertical="center")
    book.properties.creator = "zoneanalysis（示例数据）"
    book.properties.title = "示例数据"
    buffer = io.BytesIO()
    book.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_make_zip_deterministic(buffer.getvalue()))
    return path


def _make_zip_deterministic(data: bytes) -> bytes:
    """Re-pack an .xlsx with fixed entry times and fixed document dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + FIXED_ISO_TIME.encode() + rb"\g<2>",
                    payload,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, payload)
    return out.getvalue()
