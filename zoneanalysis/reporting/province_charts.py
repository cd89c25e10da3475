"""The province overview's charts: where each city's zones rank, stars and verdicts by count.

Built on the shared theme (:mod:`zoneanalysis.reporting.theme`): explicit sort orders for every
categorical axis, Chinese titles, container width so a phone gets a narrow chart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from zoneanalysis.reporting import views
from zoneanalysis.reporting.theme import enable_theme, sort_order

# The shared theme, whatever the kernel ran before (a warm kernel keeps it; a fresh one must not
# draw this page differently).
enable_theme()

#: Colours of zones inside and outside a list's top N, and of Zhengzhou's zones.
_TOP_COLOURS = {"进入前 N 名": "#1565c0", "其他": "#9e9e9e"}
_VERDICT_COLOURS = {views.ON_TRACK: "#2e7d32", views.AT_RISK: "#f9a825", views.OFF_TRACK: "#c62828"}
_ROW_HEIGHT = 22


def chart_city_ranks(frame: pd.DataFrame, *, title: str, cities: list[str]) -> alt.LayerChart:
    """One row per city, one dot per zone at its rank; the top N line and zones in it coloured.

    Parameters
    ----------
    frame
        From :func:`zoneanalysis.reporting.province.build_city_rank_frame`.
    title
        Chart title.
    cities
        Row order (registry order of the cities).
    """
    top_n = int(frame["top_n"].iloc[0]) if len(frame) else 10
    inside = f"进入前 {top_n} 名"
    data = frame.assign(
        group=frame["in_top_n"].map({True: inside, False: "其他"}),
        zhengzhou=frame["is_zhengzhou"].map({True: "郑州市", False: "其他市"}),
    )[["zone_name", "city", "rank", "group", "zhengzhou"]]
    order = sort_order(data["city"], cities)
    y = alt.Y("city:N", sort=order, title=None, axis=alt.Axis(labelLimit=160))
    x = alt.X(
        "rank:Q",
        title=f"名次（1 为最好；竖线为前 {top_n} 名）",
        scale=alt.Scale(domain=[1, max(int(data["rank"].max() or 1), top_n)], nice=False),
        axis=alt.Axis(format="d", tickMinStep=1),
    )
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=60, opacity=0.75)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "group:N",
                title=None,
                scale=alt.Scale(domain=[inside, "其他"], range=list(_TOP_COLOURS.values())),
            ),
            shape=alt.Shape(
                "zhengzhou:N",
                title=None,
                scale=alt.Scale(domain=["郑州市", "其他市"], range=["diamond", "circle"]),
            ),
            tooltip=[
                alt.Tooltip("zone_name:N", title="集聚区"),
                alt.Tooltip("city:N", title="所在市"),
                alt.Tooltip("rank:Q", title="名次", format="d"),
            ],
        )
    )
    line = (
        alt.Chart(pd.DataFrame({"cut": [top_n + 0.5]}))
        .mark_rule(color="#c62828", strokeDash=[4, 3])
        .encode(x="cut:Q")
    )
    return alt.layer(line, dots).properties(
        title=title, width="container", height=_ROW_HEIGHT * max(1, len(order))
    )


def chart_star_distribution(frame: pd.DataFrame, *, title: str) -> alt.Chart:
    """Bars of how many zones reach each projected star level, Zhengzhou's stacked apart.

    Parameters
    ----------
    frame
        From :func:`zoneanalysis.reporting.province.build_star_distribution`.
    """
    long = frame.melt(
        id_vars="预计星级", value_vars=["其中郑州市", "其他市"], var_name="part", value_name="n"
    ).replace({"part": {"其中郑州市": "郑州市"}})
    order = sort_order(frame["预计星级"])
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("预计星级:N", sort=order, title=None),
            x=alt.X("n:Q", title="集聚区个数", stack="zero", axis=alt.Axis(format="d")),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(domain=["郑州市", "其他市"], range=["#1565c0", "#9e9e9e"]),
            ),
            order=alt.Order("part:N", sort="descending"),
            tooltip=[
                alt.Tooltip("预计星级:N", title="星级"),
                alt.Tooltip("part:N", title="范围"),
                alt.Tooltip("n:Q", title="个数", format="d"),
            ],
        )
        .properties(title=title, width="container", height=_ROW_HEIGHT * 1.4 * max(1, len(order)))
    )


def chart_verdict_distribution(frame: pd.DataFrame, *, title: str) -> alt.Chart:
    """Stacked bars per indicator: how many zones' targets are on track, at risk, off track.

    Parameters
    ----------
    frame
        From :func:`zoneanalysis.reporting.province.build_verdict_distribution`.
    """
    verdicts = list(_VERDICT_COLOURS)
    long = frame.melt(id_vars="指标", value_vars=verdicts, var_name="verdict", value_name="n")
    long = long.assign(o=long["verdict"].map({v: i for i, v in enumerate(verdicts)}))
    order = sort_order(frame["指标"])
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("指标:N", sort=order, title=None),
            x=alt.X("n:Q", title="集聚区个数", stack="zero", axis=alt.Axis(format="d")),
            color=alt.Color(
                "verdict:N",
                title=None,
                scale=alt.Scale(domain=verdicts, range=list(_VERDICT_COLOURS.values())),
            ),
            order=alt.Order("o:Q"),
            tooltip=[
                alt.Tooltip("指标:N"),
                alt.Tooltip("verdict:N", title="结论"),
                alt.Tooltip("n:Q", title="个数", format="d"),
            ],
        )
        .properties(title=title, width="container", height=_ROW_HEIGHT * 1.4 * max(1, len(order)))
    )
