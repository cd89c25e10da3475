"""What the explore notebook shows: one tidy frame with Chinese columns and its linked charts.

The notebook only calls :func:`load_explore` and the ``chart_*`` functions. Every control is an
altair parameter bound to an HTML ``<select>`` (indicator, zone group, period) or to the legend
(zones), so the charts are interactive in JupyterLab with no widgets server and no internet:
JupyterLab's own Vega renderer draws them and their controls.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.labels import LEVEL_NAMES_ZH
from zoneanalysis.periods import latest_period, parse_period, period_label_zh
from zoneanalysis.registry import load_zones, zone_level
from zoneanalysis.reporting.data import detect_sample_data, read_table
from zoneanalysis.reporting.theme import enable_theme

enable_theme()

#: The value of the zone-group control that keeps every zone.
ALL_GROUPS = "全部"
#: Columns of :attr:`ExploreData.frame` (all Chinese; no codes).
COLUMNS = [
    "指标",
    "单位",
    "集聚区",
    "简称",
    "类别",
    "年",
    "月",
    "年月",
    "期间",
    "累计值",
    "同比增长%",
]
#: Twenty distinct colours: one per Zhengzhou zone and park.
ZONE_SCHEME = "tableau20"
#: Small multiples: panels per row and panel size.
PANEL_COLUMNS = 4
PANEL_WIDTH = 140
PANEL_HEIGHT = 90


@dataclass(frozen=True)
class ExploreData:
    """The data behind the explore notebook.

    Attributes
    ----------
    period
        ``YYYY-MM``: the period shown first (the latest in the data unless one was asked for).
    period_label
        For example ``2016年1-9月``.
    latest_label
        The latest period in the data (the data cut-off), same format.
    frame
        One row per zone, indicator and period; columns :data:`COLUMNS` (``年月`` is
        ``year * 100 + month``, used by the period control, never shown).
    indicator
        Chinese name of the indicator shown first.
    is_sample
        Whether the data is sample data (the notebook then shows the 示例数据 banner).
    """

    period: str
    period_label: str
    latest_label: str
    frame: pd.DataFrame
    indicator: str
    is_sample: bool

    @property
    def indicators(self) -> list[str]:
        """Indicator names in catalogue order."""
        return list(dict.fromkeys(self.frame["指标"]))

    @property
    def periods(self) -> list[str]:
        """Period labels, latest first."""
        order = self.frame.sort_values(["年", "月"], ascending=False)["期间"]
        return list(dict.fromkeys(order))

    @property
    def zones(self) -> list[str]:
        """Zone short names in registry order."""
        return list(dict.fromkeys(self.frame["简称"]))


def resolve_period(
    period: str | None, *, processed_dir: str | Path = "", zones_path: str | Path = ""
) -> str:
    """``period`` itself, or the latest period in the processed data when it is ``None``/empty.

    Raises
    ------
    ZoneAnalysisError
        If the processed data is missing or empty.
    """
    if period:
        return period
    processed = Path(processed_dir) if processed_dir else paths.PROCESSED_DIR
    stats = read_table(processed / paths.ZONE_STATS_NAME, required=True)
    return latest_period(stats, load_zones(zones_path or None))


def resolve_zones(wanted: list[str], zones: pd.DataFrame) -> list[str]:
    """Zone ids for ``wanted`` (ids, official names or short names); all Zhengzhou zones if empty.

    Raises
    ------
    ConfigError
        Naming the value that matches no zone.
    """
    zz = zones[zones["is_zhengzhou"]]
    if not wanted:
        return list(zz["zone_id"])
    lookup = {}
    for r in zones.itertuples():
        for key in (r.zone_id, r.zone_name, r.short_name):
            if isinstance(key, str) and key:
                lookup[key] = r.zone_id
    missing = [w for w in wanted if w not in lookup]
    if missing:
        raise ConfigError(
            f"名录中没有集聚区“{missing[0]}”",
            file=paths.ZONES_FILE,
            location=f"zone_ids={missing[0]}",
            hint=f"可用简称：{'、'.join(zz['short_name'].dropna().astype(str))}。",
        )
    return list(dict.fromkeys(lookup[w] for w in wanted))


def build_explore_frame(
    stats: pd.DataFrame, zones: pd.DataFrame, names: dict[str, str], zone_ids: list[str]
) -> pd.DataFrame:
    """``zone_stats`` rows of ``zone_ids`` with Chinese columns only (:data:`COLUMNS`).

    Parameters
    ----------
    stats
        ``zone_stats`` (zone_id, year, month, indicator, value, unit, yoy_pct).
    zones
        The registry (names, short names, levels).
    names
        Indicator code → Chinese name; indicators missing from it are left out.
    zone_ids
        The zones to keep, in the order wanted.
    """
    reg = zones.set_index("zone_id")
    rows = stats[stats["zone_id"].isin(zone_ids) & stats["indicator"].isin(names)].copy()
    short = reg["short_name"].where(reg["short_name"].notna(), reg["zone_name"])
    years = sorted(rows["year"].unique()) or [0]
    level = zone_level(zones, int(years[-1])).map(LEVEL_NAMES_ZH)
    rows["period"] = [period_label_zh(int(y), int(m)) for y, m in zip(rows["year"], rows["month"])]
    frame = pd.DataFrame(
        {
            "指标": rows["indicator"].map(names),
            "单位": rows["unit"].astype(str),
            "集聚区": rows["zone_id"].map(reg["zone_name"]),
            "简称": rows["zone_id"].map(short),
            "类别": rows["zone_id"].map(level).fillna("未列入名单"),
            "年": rows["year"].astype(int),
            "月": rows["month"].astype(int),
            # year * 100 + month: the value behind the period control (its labels are 期间).
            "年月": (rows["year"] * 100 + rows["month"]).astype(int),
            "期间": rows["period"],
            "累计值": rows["value"].astype(float).round(2),
            "同比增长%": pd.to_numeric(rows.get("yoy_pct"), errors="coerce").round(1),
        }
    )
    zone_rank = {z: i for i, z in enumerate(zone_ids)}
    ind_rank = {n: i for i, n in enumerate(names.values())}
    key = rows["zone_id"].map(zone_rank) * 1000 + frame["指标"].map(ind_rank)
    frame = frame.assign(_k=key.values).sort_values(["_k", "年", "月"]).drop(columns="_k")
    return frame.reset_index(drop=True)


def load_explore(
    period: str | None = None,
    *,
    processed_dir: str | Path = "",
    zones_path: str | Path = "",
    zone_ids: list[str] | None = None,
    indicator: str = "",
) -> ExploreData:
    """Read the processed data and build :class:`ExploreData`.

    Parameters
    ----------
    period
        ``YYYY-MM`` shown first; ``None`` or ``""`` = the latest period in the data.
    processed_dir, zones_path
        Folders/files; empty = the project defaults.
    zone_ids
        Zones (ids, official or short names); empty = every Zhengzhou zone and park.
    indicator
        Indicator shown first (code or Chinese name); empty = the first in the catalogue.

    Raises
    ------
    ZoneAnalysisError
        Missing data, a bad period, an unknown zone or indicator.
    """
    from zoneanalysis.labels import indicator_names

    processed = Path(processed_dir) if processed_dir else paths.PROCESSED_DIR
    zones = load_zones(zones_path or None)
    stats = read_table(processed / paths.ZONE_STATS_NAME, required=True)
    latest = latest_period(stats, zones)
    period = period or latest
    year, month = parse_period(period)
    names = indicator_names()
    frame = build_explore_frame(stats, zones, names, resolve_zones(list(zone_ids or []), zones))
    if frame.empty:
        raise ConfigError("所选集聚区没有任何数据", file=processed / paths.ZONE_STATS_NAME)
    label = period_label_zh(year, month)
    if label not in set(frame["期间"]):
        raise ConfigError(
            f"数据里没有 {label} 的数据",
            location=f"period={period}",
            hint=f"数据最新到 {period_label_zh(*parse_period(latest))}；period = None 即最新一期。",
        )
    shown = _resolve_indicator(indicator, names, list(dict.fromkeys(frame["指标"])))
    return ExploreData(
        period=period,
        period_label=label,
        latest_label=period_label_zh(*parse_period(latest)),
        frame=frame,
        indicator=shown,
        is_sample=detect_sample_data(stats, zones),
    )


def _resolve_indicator(wanted: str, names: dict[str, str], present: list[str]) -> str:
    if not wanted:
        return present[0]
    name = names.get(wanted, wanted)
    if name not in present:
        raise ConfigError(
            f"没有指标“{wanted}”的数据",
            location=f"indicator={wanted}",
            hint=f"可选指标：{'、'.join(present)}。",
        )
    return name


def describe_explore(data: ExploreData) -> str:
    """One line above the charts: the data cut-off and what can be chosen."""
    return (
        f"数据最新到 {data.latest_label}；当前显示 {data.period_label}。"
        f"共 {len(data.zones)} 个集聚区（园区）、{len(data.indicators)} 项指标。"
    )


# ---------------------------------------------------------------- charts


@dataclass(frozen=True)
class _Controls:
    """The bound parameters of one chart: indicator, zone group and period selects."""

    indicator: alt.Parameter
    group: alt.Parameter
    period: alt.Parameter | None

    @property
    def params(self) -> list[alt.Parameter]:
        return [p for p in (self.indicator, self.group, self.period) if p is not None]

    def keep(self, *, period: bool) -> str:
        """A Vega test keeping the rows of the chosen indicator, group (and period)."""
        test = (
            f"datum['指标'] === {self.indicator.name}"
            f" && ({self.group.name} === '{ALL_GROUPS}' || datum['类别'] === {self.group.name})"
        )
        if period and self.period is not None:
            test += f" && datum['年月'] === {self.period.name}"
        return test


def _make_controls(data: ExploreData, *, with_period: bool) -> _Controls:
    groups = [g for g in LEVEL_NAMES_ZH.values() if g in set(data.frame["类别"])]
    indicator = alt.param(
        name="indicator",
        value=data.indicator,
        bind=alt.binding_select(options=data.indicators, name="指标　"),
    )
    group = alt.param(
        name="zone_group",
        value=ALL_GROUPS,
        bind=alt.binding_select(options=[ALL_GROUPS, *groups], name="范围　"),
    )
    period = None
    if with_period:
        order = data.frame.drop_duplicates("年月").sort_values("年月", ascending=False)
        period = alt.param(
            name="period",
            value=int(data.frame.loc[data.frame["期间"] == data.period_label, "年月"].iloc[0]),
            bind=alt.binding_select(
                options=[int(v) for v in order["年月"]], labels=list(order["期间"]), name="期间　"
            ),
        )
    return _Controls(indicator, group, period)


def _unit_expr(data: ExploreData, param: str) -> str:
    """A Vega expression giving the unit of the indicator chosen in ``param``."""
    units = data.frame.drop_duplicates("指标").set_index("指标")["单位"]
    expr = "''"
    for name, unit in reversed(list(units.items())):
        expr = f"{param} === {_js(name)} ? {_js(unit)} : ({expr})"
    return expr


def _js(text: str) -> str:
    import json

    return json.dumps(str(text), ensure_ascii=False)


def _zone_colour(data: ExploreData, *, legend: alt.Legend | None) -> alt.Color:
    """One fixed colour per zone (registry order), so a zone keeps its colour under any filter."""
    return alt.Color(
        "简称:N",
        scale=alt.Scale(domain=data.zones, scheme=ZONE_SCHEME),
        sort=data.zones,
        title=["集聚区", "（点击筛选，Shift 多选）"],
        legend=legend,
    )


def chart_explore(data: ExploreData) -> alt.VConcatChart:
    """The year's monthly lines per zone over a table of the chosen period, linked.

    Selects under the chart choose the indicator, the zone group and the period; clicking a zone
    in the legend (Shift for more) or a line keeps only those zones, in the lines and the table.

    Parameters
    ----------
    data
        From :func:`load_explore`.
    """
    ctl = _make_controls(data, with_period=True)
    pick = alt.selection_point(name="pick", fields=["简称"], bind="legend")
    year = f"floor({ctl.period.name} / 100)"
    tooltip = [
        alt.Tooltip("集聚区:N"),
        alt.Tooltip("期间:N"),
        alt.Tooltip("累计值:Q", format=",.2f"),
        alt.Tooltip("单位:N"),
        alt.Tooltip("同比增长%:Q", format=".1f"),
    ]
    lines = (
        alt.Chart(data.frame)
        .transform_filter(ctl.keep(period=False) + f" && datum['年'] === {year}")
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "月:Q",
                scale=alt.Scale(domain=[1, 12]),
                axis=alt.Axis(values=list(range(1, 13)), labelExpr="datum.value + '月'"),
                title="累计至（月）",
            ),
            y=alt.Y("累计值:Q", title=None),
            # The legend beside the lines (not under the table): one row per zone.
            color=_zone_colour(
                data,
                legend=alt.Legend(
                    orient="right", columns=1, symbolLimit=0, labelLimit=150, labelFontSize=11
                ),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.12)),
            tooltip=tooltip,
        )
        .add_params(pick)
        .properties(
            title={
                "text": {
                    "expr": f"{year} + '年 ' + {ctl.indicator.name} + '（各月累计，'"
                    f" + ({_unit_expr(data, ctl.indicator.name)}) + '）'"
                }
            },
            width="container",
            height=300,
        )
    )
    table = _linked_table(data, ctl, pick)
    return alt.vconcat(lines, table, spacing=24).add_params(*ctl.params)


#: Table columns: (field, heading, width, number format or None).
_TABLE_COLUMNS = [
    ("集聚区", "集聚区", 190, None),
    ("类别", "类别", 120, None),
    ("期间", "期间", 110, None),
    ("累计值", "累计值", 90, ",.2f"),
    ("单位", "单位", 40, None),
    ("同比增长%", "同比增长%", 80, ".1f"),
]


def _linked_table(data: ExploreData, ctl: _Controls, pick: alt.Parameter) -> alt.HConcatChart:
    """The chosen period's rows for the zones picked (all when none), largest value first."""
    base = (
        alt.Chart(data.frame)
        .transform_filter(ctl.keep(period=True))
        .transform_filter(pick)
        .transform_window(row="row_number()", sort=[alt.SortField("累计值", order="descending")])
    )
    columns = []
    for field, heading, width, fmt in _TABLE_COLUMNS:
        text = (
            alt.Text(f"{field}:{'Q' if fmt else 'N'}", format=fmt)
            if fmt
            else alt.Text(f"{field}:N")
        )
        columns.append(
            base.mark_text(align="right" if fmt else "left", baseline="middle", fontSize=12)
            .encode(
                y=alt.Y("row:O", axis=None),
                x=alt.value(width - 4 if fmt else 0),
                text=text,
            )
            .properties(
                title=alt.TitleParams(heading, fontSize=12, anchor="end" if fmt else "start"),
                width=width,
                height=alt.Step(20),
            )
        )
    return alt.hconcat(*columns, spacing=4).properties(
        title=alt.TitleParams("所选期间的数值（随图例与下拉框变化）", fontSize=13)
    )


def chart_small_multiples(data: ExploreData) -> alt.FacetChart:
    """One small panel per zone: this year and last year, month by month.

    With twenty zones or more no palette keeps every line apart; one panel per zone does.

    Parameters
    ----------
    data
        From :func:`load_explore`.
    """
    ctl = _make_controls(data, with_period=False)
    year = int(data.period[:4])
    frame = data.frame[data.frame["年"].isin([year - 1, year])]
    frame = frame.assign(系列=frame["年"].map({year: f"{year}年", year - 1: f"{year - 1}年"}))
    series = [f"{year - 1}年", f"{year}年"]
    return (
        alt.Chart(frame)
        .transform_filter(ctl.keep(period=False))
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=alt.X(
                "月:Q",
                scale=alt.Scale(domain=[1, 12]),
                axis=alt.Axis(values=[3, 6, 9, 12], labelExpr="datum.value + '月'"),
                title=None,
            ),
            y=alt.Y("累计值:Q", title=None, axis=alt.Axis(tickCount=3, format=",.0f")),
            color=alt.Color(
                "系列:N", scale=alt.Scale(domain=series, range=["#9e9e9e", "#1565c0"]), title=None
            ),
            tooltip=[
                alt.Tooltip("集聚区:N"),
                alt.Tooltip("期间:N"),
                alt.Tooltip("累计值:Q", format=",.2f"),
                alt.Tooltip("单位:N"),
            ],
        )
        .properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
        .facet(
            facet=alt.Facet(
                "简称:N", sort=data.zones, title=None, header=alt.Header(labelFontSize=12)
            ),
            columns=PANEL_COLUMNS,
        )
        .resolve_scale(y="independent")
        .add_params(*ctl.params)
        .properties(
            title={
                "text": {
                    "expr": f"{ctl.indicator.name} + '：每区一格（{year - 1} 年与 {year} 年累计）'"
                }
            }
        )
    )


#: JupyterLab's Vega renderer reads these from the output's metadata: SVG (so the chart's text is
#: in the page, selectable and testable) and no action menu (its editor link needs the internet).
JUPYTERLAB_EMBED_OPTIONS = {"renderer": "svg", "actions": False}


def show_explore_chart(chart: alt.TopLevelMixin) -> None:
    """Display an explore chart (see :func:`zoneanalysis.reporting.display.build_chart_bundle`)."""
    from IPython.display import display

    from zoneanalysis.reporting.display import VEGA5_MIMETYPE, build_chart_bundle

    bundle = build_chart_bundle(chart)
    metadata = {VEGA5_MIMETYPE: {"embed_options": dict(JUPYTERLAB_EMBED_OPTIONS)}}
    display(bundle, raw=True, metadata=metadata)
