"""The charts the notebooks show; each takes a tidy frame and returns an altair chart."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.labels import EXAMPLE_TARGET, TARGET_SERIES
from zoneanalysis.reporting.theme import SERIES_COLOURS, enable_theme, sort_order

enable_theme()

_SERIES = list(SERIES_COLOURS)
#: Target series: the plan's target, or an example target (the year's targets file, ``is_example``).
_TARGET_SERIES = [TARGET_SERIES, EXAMPLE_TARGET]
_SERIES_COLOURS = {**SERIES_COLOURS, EXAMPLE_TARGET: SERIES_COLOURS[TARGET_SERIES]}
_MONTH_AXIS = alt.Axis(
    values=list(range(1, 13)), labelExpr="datum.value + '月'", title="月份（累计至）"
)


def chart_projection_fan(frame: pd.DataFrame, *, title: str, unit: str) -> alt.LayerChart:
    """History, year to date, projected year-end with 80/95 % intervals, and the target line.

    Kept in one piece (about 70 lines): it is one declarative Altair layer stack whose layers
    share the encodings defined at its top; split, the shared scales would have to be passed
    around and the chart could no longer be read top to bottom.

    Parameters
    ----------
    frame
        From :func:`zoneanalysis.reporting.views.build_projection_frame`.
    title
        Chart title (the indicator's Chinese name).
    unit
        Unit for the y axis title.
    """
    base = alt.Chart(frame).encode(
        x=alt.X("month:Q", scale=alt.Scale(domain=[1, 12]), axis=_MONTH_AXIS),
    )
    tooltip = [
        alt.Tooltip("series:N", title="系列"),
        alt.Tooltip("year:N", title="年份"),
        alt.Tooltip("month:Q", title="月份"),
        alt.Tooltip("value:Q", title=f"数值（{unit}）", format=",.1f"),
    ]
    number = format_for_range(frame[["value", "lower_95", "upper_95"]].stack())
    tooltip[-1] = alt.Tooltip("value:Q", title=f"数值（{unit}）", format=number)
    y = alt.Y("value:Q", title=unit, scale=alt.Scale(zero=False), axis=alt.Axis(format=number))
    # The legend lists the three lines and the target under the name the frame gives it, so an
    # example target reads 目标（示例） there too.
    present = set(frame["series"])
    domain = [s for s in _SERIES if s not in _TARGET_SERIES]
    domain += [s for s in _TARGET_SERIES if s in present]  # no 目标 swatch without a target
    scale = alt.Scale(domain=domain, range=[_SERIES_COLOURS[s] for s in domain])
    colour = alt.Color("series:N", scale=scale, title=None, sort=domain)
    lines = (
        base.transform_filter(
            alt.FieldOneOfPredicate(field="series", oneOf=["往年实际", "本年累计", "年末预测"])
        )
        .mark_line(point=True)
        .encode(
            y=y,
            color=colour,
            detail="year:N",
            strokeDash=alt.condition(
                alt.datum.series == "年末预测", alt.value([6, 4]), alt.value([1, 0])
            ),
            tooltip=tooltip,
        )
    )
    band95 = (
        base.transform_filter(alt.datum.lower_95 != None)  # noqa: E711 (Vega expression)
        .mark_rule(strokeWidth=14, opacity=0.25, color=SERIES_COLOURS["年末预测"])
        .encode(
            y="lower_95:Q",
            y2="upper_95:Q",
            tooltip=[
                alt.Tooltip("lower_95:Q", title="95%区间下限", format=",.1f"),
                alt.Tooltip("upper_95:Q", title="95%区间上限", format=",.1f"),
            ],
        )
    )
    band80 = (
        base.transform_filter(alt.datum.lower_80 != None)  # noqa: E711
        .mark_rule(strokeWidth=14, opacity=0.5, color=SERIES_COLOURS["年末预测"])
        .encode(
            y="lower_80:Q",
            y2="upper_80:Q",
            tooltip=[
                alt.Tooltip("lower_80:Q", title="80%区间下限", format=",.1f"),
                alt.Tooltip("upper_80:Q", title="80%区间上限", format=",.1f"),
            ],
        )
    )
    target = (
        alt.Chart(frame)
        .transform_filter(alt.FieldOneOfPredicate(field="series", oneOf=_TARGET_SERIES))
        .mark_rule(color=SERIES_COLOURS["目标"], strokeDash=[2, 2], strokeWidth=2)
        .encode(
            y="value:Q",
            tooltip=[
                alt.Tooltip("series:N", title="系列"),
                alt.Tooltip("value:Q", title=f"数值（{unit}）", format=",.1f"),
            ],
        )
    )
    return alt.layer(band95, band80, lines, target).properties(
        title=title, width="container", height=280
    )


def format_for_range(values: pd.Series) -> str:
    """A d3 number format whose decimals tell the ticks of ``values``' range apart.

    The theme's ``,.1f`` prints a small park's 1.42–1.58 万人 axis as 1.4, 1.5, 1.5, 1.6; a
    range under 2 gets two decimals, under 0.2 three.

    Examples
    --------
    >>> format_for_range(pd.Series([1.42, 1.58])), format_for_range(pd.Series([10.0, 80.0]))
    (',.2f', ',.1f')
    """
    v = pd.to_numeric(values, errors="coerce").dropna()
    spread = float(v.max() - v.min()) if len(v) else 0.0
    if 0 < spread < 0.2:
        return ",.3f"
    if 0 < spread < 2:
        return ",.2f"
    return ",.1f"


def chart_progress_bullet(
    frame: pd.DataFrame,
    *,
    title: str = "时间进度与任务进度",
    verdicts: tuple[str, str] = ("超过时间进度", "落后时间进度"),
) -> alt.LayerChart:
    """Task progress bars against a time-progress tick per indicator (时间过半、任务过半).

    Parameters
    ----------
    frame
        From :func:`zoneanalysis.reporting.views.build_progress_frame` (or the ledger's
        ``build_count_progress_frame``).
    verdicts
        The two values of ``verdict``: drawn green and red.
    """
    order = sort_order(frame["indicator_zh"])
    y = alt.Y("indicator_zh:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    top = max(100.0, float(frame["task_progress_pct"].max()) if len(frame) else 100.0)
    bars = (
        alt.Chart(frame)
        .mark_bar(height=16)
        .encode(
            y=y,
            x=alt.X(
                "task_progress_pct:Q",
                title="完成目标的百分比（%）",
                scale=alt.Scale(domain=[0, top], nice=True),
            ),
            color=alt.Color(
                "verdict:N",
                scale=alt.Scale(domain=list(verdicts), range=["#2e7d32", "#c62828"]),
                title=None,
                legend=alt.Legend(labelLimit=400),
            ),
            tooltip=[
                alt.Tooltip("indicator_zh:N", title="指标"),
                alt.Tooltip("task_progress_pct:Q", title="任务进度%", format=".1f"),
                alt.Tooltip("time_progress_pct:Q", title="时间进度%", format=".1f"),
            ],
        )
    )
    ticks = (
        alt.Chart(frame)
        .mark_tick(color="#212121", thickness=3, size=26)
        .encode(y=y, x="time_progress_pct:Q")
    )
    return alt.layer(bars, ticks).properties(title=title, width="container")


#: A Vega label expression: the label cut into lines of 4 characters (Chinese needs no spaces).
_WRAP_4 = (
    "length(datum.label) > 4 ? [slice(datum.label, 0, 4), slice(datum.label, 4, 8),"
    " slice(datum.label, 8, 12), slice(datum.label, 12)] : datum.label"
)


def chart_completion_heatmap(frame: pd.DataFrame, *, title: str = "各集聚区任务进度") -> alt.Chart:
    """Task progress by zone × indicator, diverging around time progress.

    Parameters
    ----------
    frame
        From :func:`zoneanalysis.reporting.views.build_completion_frame`.
    """
    time_pct = float(frame["time_progress_pct"].dropna().iloc[0]) if len(frame) else 50.0
    frame = frame.assign(lag_pp=frame["task_progress_pct"] - time_pct)
    base = alt.Chart(frame).encode(
        y=alt.Y("zone_name:N", sort=sort_order(frame["zone_name"]), title=None),
        x=alt.X(
            "indicator_zh:N",
            sort=sort_order(frame["indicator_zh"]),
            title=None,
            # Indicator names wrap every 4 characters, so the columns stay apart on a phone.
            axis=alt.Axis(labelAngle=0, labelExpr=_WRAP_4, labelLineHeight=13),
        ),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "lag_pp:Q",
            title="任务进度减时间进度（百分点）",
            scale=alt.Scale(scheme="redyellowgreen", domainMid=0),
        ),
        tooltip=[
            alt.Tooltip("zone_name:N", title="集聚区"),
            alt.Tooltip("indicator_zh:N", title="指标"),
            alt.Tooltip("task_progress_pct:Q", title="任务进度%", format=".1f"),
            alt.Tooltip("projected_completion_pct:Q", title="预计全年完成%", format=".1f"),
        ],
    )
    text = base.mark_text(fontSize=11).encode(text=alt.Text("task_progress_pct:Q", format=".0f"))
    return alt.layer(cells, text).properties(title=title, width="container")


def chart_rank_intervals(
    frame: pd.DataFrame, *, title: str, top_n: int | None = None, highlight: str | None = None
) -> alt.LayerChart | alt.VConcatChart:
    """Rank with its 5–95 % interval per zone (dot and whisker), Zhengzhou zones highlighted.

    Parameters
    ----------
    frame
        Rows of ``rankings`` for one list (zone_name, rank, rank_p05, rank_p95, p_top_n,
        is_zhengzhou), or the selection of
        :func:`zoneanalysis.reporting.views.select_rank_rows`. A selection with gap rows
        (``is_gap``) is cut into blocks (:func:`zoneanalysis.reporting.views.split_rank_blocks`)
        stacked one under the other, each with its own rank axis, and a grey ``⋯ 略去…`` line
        between them; so the head of the list is not squeezed by a zone ranked far down.
    top_n
        Draw a line at this rank (in the block whose axis reaches it).
    highlight
        A zone name drawn emphasised (the report's own zone).

    Returns
    -------
    altair.LayerChart or altair.VConcatChart
        One layered chart when nothing is left out, else the stacked blocks.
    """
    from zoneanalysis.reporting.views import split_rank_blocks

    if "is_gap" not in frame.columns:
        frame = frame.sort_values(["rank", "zone_name"]).assign(
            is_gap=False, row_label=frame["zone_name"]
        )
    # Only the columns drawn: the page embeds the data once per chart. Rows keep the frame's
    # order (rank order, gap rows in between), so the y axis sorts by position, not by name.
    frame = (
        frame[["row_label", "rank", "rank_p05", "rank_p95", "p_top_n", "is_zhengzhou", "is_gap"]]
        .reset_index(drop=True)
        .assign(group=lambda f: f["is_zhengzhou"].astype(bool).map({True: "郑州", False: "其他"}))
        .drop(columns="is_zhengzhou")
    )
    if highlight is not None:
        frame.loc[frame["row_label"] == highlight, "group"] = "本区"
    zones = frame[~frame["is_gap"]]
    # The legend lists only the groups drawn (no "本区" on the rankings page).
    groups = [g for g in ("本区", "郑州", "其他") if g in set(zones["group"])] or ["其他"]
    style = _RankStyle(
        groups=groups,
        zz_labels=list(zones.loc[zones["group"] != "其他", "row_label"]),
        # Every block's label column equally wide, so the rank axes line up.
        label_width=min(260, 13 * int(zones["row_label"].str.len().max() or 1)) + 6,
    )
    blocks = split_rank_blocks(frame)
    if len(blocks) == 1 and blocks[0].gap_after is None:
        block = blocks[0]
        hi = max(block.hi, int(top_n or 0))
        x_title = "排名（1 为最好）" + _note_cut(block.rows, hi)
        return _draw_rank_block(block.rows, style, (block.lo, hi), x_title, top_n).properties(
            title=title
        )
    parts: list[alt.Chart | alt.LayerChart] = []
    for i, (block, (lo, hi)) in enumerate(zip(blocks, align_rank_axes(blocks, top_n), strict=True)):
        if not block.rows.empty:
            if i == 0:
                x_title = f"排名（1 为最好；本段横轴第 {lo}–{hi} 名）"
            else:
                x_title = f"排名（本段横轴第 {lo}–{hi} 名，每段横轴同样宽 {hi - lo + 1} 个名次）"
            x_title += _note_cut(block.rows, hi)
            parts.append(
                _draw_rank_block(block.rows, style, (lo, hi), x_title, top_n, RANK_BLOCK_WIDTH)
            )
        if block.gap_after is not None:
            parts.append(_draw_rank_gap(block.gap_after))
    return alt.vconcat(*parts, spacing=6).properties(title=title)


def align_rank_axes(blocks: list, top_n: int | None = None) -> list[tuple[int, int]]:
    """Rank axes of equal span for the blocks of one chart, so interval widths compare.

    Every block is drawn equally wide; giving every axis the same number of ranks makes one rank
    the same length in each block. The span is the widest block's (the head's own span capped as
    in :func:`zoneanalysis.reporting.views.split_rank_blocks`, and reaching ``top_n``); a
    narrower block is widened around its middle (never below rank 1).

    Examples
    --------
    >>> from types import SimpleNamespace as B
    >>> align_rank_axes([B(lo=1, hi=20), B(lo=90, hi=100)], 10)
    [(1, 20), (86, 105)]
    """
    own = []
    for i, block in enumerate(blocks):
        hi = max(block.hi, int(top_n or 0)) if i == 0 else block.hi
        own.append((block.lo, hi))
    span = max(hi - lo + 1 for lo, hi in own)
    out = []
    for i, (lo, hi) in enumerate(own):
        extra = span - (hi - lo + 1)
        start = 1 if i == 0 else max(1, lo - extra // 2)
        out.append((start, start + span - 1))
    return out


def _note_cut(rows: pd.DataFrame, hi: int) -> str:
    """The axis-title note when an interval in ``rows`` reaches past rank ``hi``."""
    if (rows["rank_p95"] > hi + 0.5).any():
        return "（▸ 表示区间超出横轴，完整区间见提示和下表）"
    return ""


@dataclass(frozen=True)
class _RankStyle:
    """What every block of one rank chart shares: colours, Zhengzhou labels, label width."""

    groups: list[str]
    zz_labels: list[str]
    label_width: int


#: Plot width of each block of a split rank chart ("container" width does not work inside a
#: vertical concat: every block would take the full width and overflow by its labels).
RANK_BLOCK_WIDTH = 720
_RANK_PALETTE = {"本区": "#c62828", "郑州": "#1565c0", "其他": "#9e9e9e"}


def _draw_rank_block(
    zones: pd.DataFrame,
    style: _RankStyle,
    ranks: tuple[int, int],
    x_title: str,
    top_n: int | None,
    width: int | str = "container",
) -> alt.LayerChart:
    """Dots and whiskers for one block of zones on a rank axis spanning ``ranks``.

    Kept in one piece (about 70 lines): one declarative Altair layer stack (whiskers, dots,
    labels, the top-N rule) over shared encodings, read top to bottom like the chart.
    """
    zones = zones.drop(columns=["is_gap"], errors="ignore")
    order = list(zones["row_label"])
    colour = alt.Color(
        "group:N",
        scale=alt.Scale(domain=style.groups, range=[_RANK_PALETTE[g] for g in style.groups]),
        title=None,
    )
    zz_test = _label_test(style.zz_labels)
    y = alt.Y(
        "row_label:N",
        sort=order,
        title=None,
        scale=alt.Scale(domain=order),
        axis=alt.Axis(
            labelLimit=260,
            minExtent=style.label_width,
            maxExtent=style.label_width,
            # Zhengzhou zones blue and bold, so they read from the labels alone.
            labelColor={"condition": {"test": zz_test, "value": "#1565c0"}, "value": "#424242"},
            labelFontWeight={"condition": {"test": zz_test, "value": "bold"}, "value": "normal"},
        ),
    )
    # A little room past the edges, so a whisker that ends there still shows its end.
    pad = max(0.5, 0.03 * (ranks[1] - ranks[0] + 1))
    x_scale = alt.Scale(domain=[ranks[0] - pad, ranks[1] + pad], nice=False)
    tooltip = [
        alt.Tooltip("row_label:N", title="集聚区"),
        alt.Tooltip("rank:Q", title="排名"),
        alt.Tooltip("rank_p05:Q", title="区间下限"),
        alt.Tooltip("rank_p95:Q", title="区间上限"),
        alt.Tooltip("p_top_n:Q", title="进入前N概率", format=".0%"),
    ]
    # An interval reaching past the axis is drawn to the edge and marked there with ▸.
    edge = ranks[1] + 0.5
    zones = zones.assign(p95_drawn=zones["rank_p95"].clip(upper=edge))
    whisker = (
        alt.Chart(zones)
        .mark_rule(strokeWidth=2)
        .encode(
            y=y,
            x=alt.X("rank_p05:Q", scale=x_scale),
            x2="p95_drawn:Q",
            color=colour,
            tooltip=tooltip,
        )
    )
    dots = (
        alt.Chart(zones)
        .mark_point(filled=True, size=60, opacity=1)
        .encode(
            y=y,
            x=alt.X("rank:Q", title=x_title, scale=x_scale, axis=alt.Axis(format="d")),
            color=colour,
            tooltip=tooltip,
        )
    )
    layers: list[alt.Chart] = [whisker, dots]
    cut = zones[zones["rank_p95"] > edge]
    if not cut.empty:
        layers.append(
            alt.Chart(cut.assign(edge=edge))
            .mark_point(shape="triangle-right", filled=True, size=70, opacity=1)
            .encode(y=y, x=alt.X("edge:Q", scale=x_scale), color=colour, tooltip=tooltip)
        )
    if top_n is not None and ranks[0] <= top_n + 0.5 <= ranks[1] + 0.5:
        rule = pd.DataFrame({"x": [top_n + 0.5], "label": [f"前{top_n}名线"]})
        layers.append(
            alt.Chart(rule)
            .mark_rule(strokeDash=[4, 3], color="#212121")
            .encode(x=alt.X("x:Q", scale=x_scale), tooltip=alt.Tooltip("label:N", title="说明"))
        )
    return alt.layer(*layers).properties(width=width, height=alt.Step(18))


def _draw_rank_gap(label: str) -> alt.Chart:
    """A grey ``⋯ 略去…`` line between two blocks of a rank chart."""
    return (
        alt.Chart(pd.DataFrame({"label": [label]}))
        .mark_text(align="left", baseline="middle", color="#757575", fontSize=12)
        .encode(text="label:N", x=alt.value(0), y=alt.value(11))
        .properties(width=RANK_BLOCK_WIDTH, height=22, view=alt.ViewConfig(stroke=None))
    )


def _label_test(labels: list[str]) -> str:
    """A Vega test true when an axis label is one of ``labels`` (JSON-quoted, so any text is safe)."""
    import json

    return f"indexof({json.dumps(labels, ensure_ascii=False)}, datum.value) >= 0"


def chart_cluster_projection(
    frame: pd.DataFrame, *, title: str = "产业集群年末预测与目标"
) -> alt.LayerChart:
    """Each industry cluster: year to date, projected year end with its 80 % interval, target.

    Parameters
    ----------
    frame
        The ledger's ``clusters`` table (industry, ytd_value, projected_value, lower_80,
        upper_80, target_value, p_meet_target).
    """
    cols = ["industry", "ytd_value", "projected_value", "lower_80", "upper_80", "target_value"]
    frame = frame[cols + ["p_meet_target"]].copy()
    order = list(frame["industry"])
    y = alt.Y("industry:N", sort=order, title=None)
    unit = load_indicator_catalogue()["revenue"].unit  # clusters are judged on revenue
    tooltip = [
        alt.Tooltip("industry:N", title="产业集群"),
        alt.Tooltip("ytd_value:Q", title=f"本年累计（{unit}）", format=",.0f"),
        alt.Tooltip("projected_value:Q", title=f"预测年末（{unit}）", format=",.0f"),
        alt.Tooltip("lower_80:Q", title="80%区间下限", format=",.0f"),
        alt.Tooltip("upper_80:Q", title="80%区间上限", format=",.0f"),
        alt.Tooltip("target_value:Q", title=f"目标（{unit}）", format=",.0f"),
        alt.Tooltip("p_meet_target:Q", title="完成目标概率", format=".0%"),
    ]
    # One long frame so the legend explains every mark.
    marks = pd.concat(
        [
            frame.assign(series="本年累计", x=frame["ytd_value"]),
            frame.assign(series="年末预测", x=frame["projected_value"]),
            frame.assign(series="目标", x=frame["target_value"]),
        ],
        ignore_index=True,
    )
    domain = ["本年累计", "年末预测", "目标"]
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=domain, range=[SERIES_COLOURS[s] for s in domain]),
        title=None,
        sort=domain,
    )
    x = alt.X("x:Q", title=f"主营业务收入（{unit}）", scale=alt.Scale(zero=True))
    bars = (
        alt.Chart(marks)
        .transform_filter(alt.datum.series == "本年累计")
        .mark_bar(height=14, opacity=0.7)
        .encode(y=y, x=x, color=colour, tooltip=tooltip)
    )
    interval = (
        alt.Chart(frame)
        .mark_rule(strokeWidth=3, color=SERIES_COLOURS["年末预测"])
        .encode(y=y, x="lower_80:Q", x2="upper_80:Q", tooltip=tooltip)
    )
    points = (
        alt.Chart(marks)
        .transform_filter(alt.datum.series == "年末预测")
        .mark_point(filled=True, size=90)
        .encode(y=y, x=x, color=colour, tooltip=tooltip)
    )
    target = (
        alt.Chart(marks)
        .transform_filter(alt.datum.series == "目标")
        .mark_tick(thickness=3, size=26)
        .encode(y=y, x=x, color=colour, tooltip=tooltip)
    )
    return alt.layer(bars, interval, points, target).properties(
        title=title, width="container", height=alt.Step(40)
    )


def chart_progress_pace(
    frame: pd.DataFrame, *, title: str = "任务进度与进度标尺"
) -> alt.LayerChart:
    """Task progress bars against the yardsticks of each indicator's kind.

    Bars are task progress, green when the verdict of
    :func:`zoneanalysis.reporting.progress.build_progress_frame` is ahead, grey when level and
    red when behind (the same rule as the table beside it). A black tick marks time progress (flows only), a blue
    diamond the zone's usual share by this month (往年同期进度), a grey tick at 100 % the target
    level of a stock. A stock has no time tick.

    Parameters
    ----------
    frame
        From :func:`zoneanalysis.reporting.progress.build_progress_frame`.
    """
    from zoneanalysis.reporting.progress import GOOD_VERDICTS, LEVEL_VERDICTS, PACE_VERDICTS

    present = [v for v in PACE_VERDICTS if v in set(frame["verdict"])] or list(PACE_VERDICTS[:2])
    colours = [
        "#2e7d32" if v in GOOD_VERDICTS else "#9e9e9e" if v in LEVEL_VERDICTS else "#c62828"
        for v in present
    ]
    order = sort_order(frame["indicator_zh"])
    y = alt.Y("indicator_zh:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    values = frame[["task_progress_pct", "usual_progress_pct", "time_progress_pct"]]
    top = max(100.0, float(values.max().max()) if len(frame) else 100.0)
    x_scale = alt.Scale(domain=[0, top], nice=True)
    tooltip = [
        alt.Tooltip("indicator_zh:N", title="指标"),
        alt.Tooltip("task_progress_pct:Q", title="任务进度%", format=".1f"),
        alt.Tooltip("time_progress_pct:Q", title="时间进度%", format=".1f"),
        alt.Tooltip("usual_progress_pct:Q", title="往年同期进度%", format=".1f"),
        alt.Tooltip("verdict:N", title="判断"),
    ]
    base = alt.Chart(frame)
    bars = base.mark_bar(height=16).encode(
        y=y,
        x=alt.X("task_progress_pct:Q", title="完成目标的百分比（%）", scale=x_scale),
        color=alt.Color(
            "verdict:N",
            scale=alt.Scale(domain=present, range=colours),
            title=None,
            legend=alt.Legend(labelLimit=400, orient="bottom", columns=2),
        ),
        tooltip=tooltip,
    )
    time_tick = (
        base.transform_filter("datum.kind == 'flow'")
        .mark_tick(color="#212121", thickness=3, size=26)
        .encode(y=y, x=alt.X("time_progress_pct:Q", scale=x_scale), tooltip=tooltip)
    )
    usual = (
        base.transform_filter("isValid(datum.usual_progress_pct)")
        .mark_point(shape="diamond", filled=True, size=110, color="#1565c0", opacity=1)
        .encode(y=y, x=alt.X("usual_progress_pct:Q", scale=x_scale), tooltip=tooltip)
    )
    level = (
        base.transform_filter("datum.kind == 'stock'")
        .transform_calculate(level="100")
        .mark_tick(color="#757575", thickness=3, size=26)
        .encode(y=y, x=alt.X("level:Q", scale=x_scale), tooltip=tooltip)
    )
    return alt.layer(bars, time_tick, usual, level).properties(title=title, width="container")
