"""The province overview's tables: every registered zone, grouped by city.

The city overview's counterpart over all zones of the registry: where each city's zones sit in
the province-wide lists (十强 / 十快 / 十先 …), star levels, the verdicts where targets exist (the
plan sets targets for Zhengzhou's zones only) and one table per city with the key indicators.
Column headers are Chinese because these frames are shown as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.labels import LEVEL_NAMES_ZH
from zoneanalysis.registry import LEVEL_CITY_PARK, LEVEL_PROVINCIAL, zone_level
from zoneanalysis.reporting import views
from zoneanalysis.stars import evaluate_stars

PROVINCIAL_ZH = LEVEL_NAMES_ZH[LEVEL_PROVINCIAL]
PARK_ZH = LEVEL_NAMES_ZH[LEVEL_CITY_PARK]

#: The indicators each city's table shows (year to date and reported growth), in this order.
KEY_INDICATORS = views.KEY_INDICATORS
#: The list whose rank each city's table shows beside the indicators.
MAIN_LIST = "shiqiang"
#: The lists the city placement table counts (the province's 十强, 十快, 十先), when ranked.
PLACEMENT_LISTS = ("shiqiang", "shikuai", "shixian")
#: Where a zone's star level comes from.
STAR_SOURCE_RANKING = "排名步骤评定（含目标）"
STAR_SOURCE_RULES = "按星级规则评定"


def list_province_zones(zones: pd.DataFrame, year: int) -> pd.DataFrame:
    """The zones registered in ``year``, in registry order, with their level.

    Parameters
    ----------
    zones
        The registry (:func:`zoneanalysis.registry.load_zones`).
    year
        The period's year.

    Returns
    -------
    pandas.DataFrame
        zone_id, zone_name, short_name, city, level (``provincial`` / ``city_park``),
        level_zh, is_zhengzhou, is_example.
    """
    level = zone_level(zones, year)
    out = zones.assign(level=zones["zone_id"].map(level).astype("string"))
    out = out[out["level"].notna()].reset_index(drop=True)
    out["level_zh"] = out["level"].map(LEVEL_NAMES_ZH)
    out["city"] = out["city"].where(out["city"].astype(str).str.strip() != "", "（未注明）")
    cols = ["zone_id", "zone_name", "short_name", "city", "level", "level_zh"]
    return out[[*cols, "is_zhengzhou", "is_example"]]


def order_cities(zones: pd.DataFrame) -> list[str]:
    """Cities in the order their first zone appears in the registry (Zhengzhou's first)."""
    return [str(c) for c in dict.fromkeys(zones["city"])]


def build_city_counts(province: pd.DataFrame) -> pd.DataFrame:
    """Per city: how many provincial zones and city parks are registered.

    Parameters
    ----------
    province
        From :func:`list_province_zones`.

    Returns
    -------
    pandas.DataFrame
        Columns 所在市, 省级产业集聚区, 市级工业专业园区, 合计; cities in registry order, a
        city whose zones are examples marked （示例）.
    """
    rows = []
    for city in order_cities(province):
        group = province[province["city"] == city]
        rows.append(
            {
                "所在市": label_city(city, group),
                PROVINCIAL_ZH: int((group["level"] == LEVEL_PROVINCIAL).sum()),
                PARK_ZH: int((group["level"] != LEVEL_PROVINCIAL).sum()),
                "合计": len(group),
            }
        )
    return pd.DataFrame(rows, columns=["所在市", PROVINCIAL_ZH, PARK_ZH, "合计"])


def label_city(city: str, group: pd.DataFrame) -> str:
    """The city's name, with （示例） when every zone in it is an example zone."""
    if len(group) and bool(group["is_example"].all()) and "示例" not in city:
        return f"{city}（示例）"
    return city


def describe_province(province: pd.DataFrame) -> str:
    """One sentence: how many zones, of which levels, in how many cities.

    Examples
    --------
    >>> frame = pd.DataFrame({"city": ["甲市", "甲市", "乙市"], "is_example": [False] * 3,
    ...     "level": ["provincial", "city_park", "provincial"]})
    >>> describe_province(frame)
    '本期名录中共有 3 个集聚区和园区：省级产业集聚区 2 个、市级工业专业园区 1 个，分布在 2 个市。'
    """
    n_prov = int((province["level"] == LEVEL_PROVINCIAL).sum())
    n_park = len(province) - n_prov
    n_city = len(order_cities(province))
    return (
        f"本期名录中共有 {len(province)} 个集聚区和园区：{PROVINCIAL_ZH} {n_prov} 个、"
        f"{PARK_ZH} {n_park} 个，分布在 {n_city} 个市。"
    )


def list_province_rankings(rankings: pd.DataFrame) -> list[tuple[str, str]]:
    """The lists ranked across the province (not only Zhengzhou's zones), in display order."""
    if rankings.empty:
        return []
    out = []
    for code, name in views.list_rankings(rankings):
        if not rankings.loc[rankings["list"] == code, "is_zhengzhou"].astype(bool).all():
            out.append((code, name))
    return out


def _ranked(rankings: pd.DataFrame, list_code: str, province: pd.DataFrame) -> pd.DataFrame:
    rows = rankings[rankings["list"] == list_code]
    city = province.set_index("zone_id")["city"]
    return rows.assign(city=rows["zone_id"].map(city).fillna("（未注明）")).sort_values(
        ["rank", "zone_name"], na_position="last"
    )


def build_top_table(rankings: pd.DataFrame, list_code: str, province: pd.DataFrame) -> pd.DataFrame:
    """The top N of one list across the province, with each zone's city.

    Returns
    -------
    pandas.DataFrame
        Columns 名次（5%–95% 区间）, 集聚区, 所在市, 进入前N概率 (headed with the list's N in
        words), 得分, 郑州 (for highlighting); the ranks 1..N.
    """
    rows = _ranked(rankings, list_code, province)
    top_n = int(rows["top_n"].iloc[0]) if len(rows) else 10
    top = rows[rows["rank"].notna() & (rows["rank"] <= top_n)]
    from zoneanalysis.reporting.answer import format_probability

    return pd.DataFrame(
        {
            views.RANK_COLUMN: [
                views.describe_rank(r, a, b)
                for r, a, b in zip(top["rank"], top["rank_p05"], top["rank_p95"], strict=True)
            ],
            "集聚区": top["zone_name"].to_numpy(),
            "所在市": top["city"].to_numpy(),
            f"进入{views.top_n_words(top_n)}概率": [format_probability(p) for p in top["p_top_n"]],
            "得分": top["score"].to_numpy(dtype=float),
            "郑州": top["is_zhengzhou"].astype(bool).to_numpy(),
        }
    )


def build_city_rank_frame(
    rankings: pd.DataFrame, list_code: str, province: pd.DataFrame
) -> pd.DataFrame:
    """Every ranked zone of one list with its city, for the chart of where each city's zones sit.

    Returns
    -------
    pandas.DataFrame
        zone_name, city, rank, rank_p05, rank_p95, top_n, in_top_n (bool), is_zhengzhou; zones
        without a rank are left out.
    """
    rows = _ranked(rankings, list_code, province)
    rows = rows[rows["rank"].notna()]
    out = rows[["zone_name", "city", "rank", "rank_p05", "rank_p95", "top_n", "is_zhengzhou"]]
    out = out.astype({"rank": int, "top_n": int, "is_zhengzhou": bool})
    return out.assign(in_top_n=out["rank"] <= out["top_n"]).reset_index(drop=True)


def build_city_placement(
    rankings: pd.DataFrame,
    province: pd.DataFrame,
    lists: Sequence[tuple[str, str]],
    *,
    only: Sequence[str] | None = PLACEMENT_LISTS,
) -> pd.DataFrame:
    """Per city and list: how many of its zones are in the top N, and its best rank.

    Parameters
    ----------
    rankings
        The period's ``rankings``.
    province
        From :func:`list_province_zones`.
    lists
        ``(code, name)`` pairs, e.g. from :func:`list_province_rankings`.
    only
        Keep only these lists (when any of them is ranked), so the table stays narrow; all of
        ``lists`` when ``None``.

    Returns
    -------
    pandas.DataFrame
        所在市, 参评集聚区, then per list ``<name>入选`` (zones in its top N) and
        ``<name>最好名次``; cities in registry order, only those with a ranked zone.
    """
    if only is not None and any(code in only for code, _ in lists):
        lists = [(code, name) for code, name in lists if code in only]
    columns = ["所在市", "参评集聚区"]
    for _, name in lists:
        columns += [f"{name}入选", f"{name}最好名次"]
    frames = {code: _ranked(rankings, code, province) for code, _ in lists}
    rows = []
    for city in order_cities(province):
        group = province[province["city"] == city]
        row: dict[str, object] = {"所在市": label_city(city, group)}
        ranked = set()
        for code, name in lists:
            mine = frames[code][(frames[code]["city"] == city) & frames[code]["rank"].notna()]
            ranked |= set(mine["zone_id"])
            in_top = mine["rank"] <= mine["top_n"]
            row[f"{name}入选"] = f"{int(in_top.sum())} 个"
            row[f"{name}最好名次"] = (
                f"第 {int(mine['rank'].min())} 名" if len(mine) else views.NA_TEXT
            )
        if not ranked:
            continue
        row["参评集聚区"] = f"{len(ranked)} 个"
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def assess_province_stars(
    province: pd.DataFrame,
    projections: pd.DataFrame,
    rankings: pd.DataFrame,
    stars: pd.DataFrame,
    star_rules: pd.DataFrame,
) -> pd.DataFrame:
    """The projected star level of every provincial zone.

    The ranking step assesses the zones with star targets (Zhengzhou's); their levels are
    taken from its ``stars`` table. Every other provincial zone is evaluated on the same star
    rules (:func:`zoneanalysis.stars.evaluate_stars`) from its projected year-end values and
    its nominal rank in the lists the rules name, as the ranking step does for its zones.
    City parks are not starred.

    Returns
    -------
    pandas.DataFrame
        zone_id, zone_name, city, is_zhengzhou, star_projected (Int64, 0 = 未定星),
        star_target (Int64, NA without a target), source (:data:`STAR_SOURCE_RANKING` or
        :data:`STAR_SOURCE_RULES`).
    """
    prov = province[province["level"] == LEVEL_PROVINCIAL].reset_index(drop=True)
    ids = list(prov["zone_id"])
    values: dict[str, np.ndarray] = {}
    for code in dict.fromkeys(star_rules["indicator"]):
        if str(code).startswith("rank:"):
            key = str(code).split(":", 1)[1]
            rows = rankings[rankings["list"] == key] if not rankings.empty else rankings
            ranks = rows.set_index("zone_id")["rank"] if len(rows) else pd.Series(dtype="Int64")
            values[code] = ranks.reindex(ids).astype("Float64").to_numpy(float, na_value=np.nan)
        else:
            rows = projections[projections["indicator"] == code].set_index("zone_id")
            values[code] = rows["projected_value"].reindex(ids).to_numpy(dtype=float)
    level = pd.Series(evaluate_stars(star_rules, values), index=ids, dtype="Int64")
    target = pd.Series(pd.NA, index=ids, dtype="Int64")
    source = pd.Series(STAR_SOURCE_RULES, index=ids, dtype=object)
    if not stars.empty:
        official = stars.drop_duplicates("zone_id").set_index("zone_id")
        assessed = level.index.isin(official.index)
        level = level.where(~assessed, official["star_projected"].astype("Int64").reindex(ids))
        target = official["star_target"].astype("Int64").reindex(ids)
        source = source.where(~assessed, STAR_SOURCE_RANKING)
    return pd.DataFrame(
        {
            "zone_id": ids,
            "zone_name": prov["zone_name"].to_numpy(),
            "city": prov["city"].to_numpy(),
            "is_zhengzhou": prov["is_zhengzhou"].to_numpy(dtype=bool),
            "star_projected": level.to_numpy(),
            "star_target": target.to_numpy(),
            "source": source.to_numpy(),
        }
    )


def build_star_distribution(star_levels: pd.DataFrame) -> pd.DataFrame:
    """How many provincial zones reach each projected star level, Zhengzhou's and the others.

    Returns
    -------
    pandas.DataFrame
        Columns 预计星级, 集聚区个数, 其中郑州市, 其他市 (highest level first; levels no zone
        reaches are left out; zones without a level counted as ``—``).
    """
    levels = star_levels["star_projected"]
    rows = []
    for level in sorted(levels.dropna().unique(), reverse=True) + (
        [pd.NA] if levels.isna().any() else []
    ):
        mask = levels.isna() if level is pd.NA else (levels == level).fillna(False)
        zz = int((mask & star_levels["is_zhengzhou"]).sum())
        rows.append(
            {
                "预计星级": views.format_stars(level),
                "集聚区个数": int(mask.sum()),
                "其中郑州市": zz,
                "其他市": int(mask.sum()) - zz,
            }
        )
    return pd.DataFrame(rows, columns=["预计星级", "集聚区个数", "其中郑州市", "其他市"])


def build_verdict_distribution(
    projections: pd.DataFrame,
    province: pd.DataFrame,
    thresholds: views.VerdictThresholds | None = None,
) -> pd.DataFrame:
    """Per indicator: how many zones' targets are on track, at risk or off track.

    Only zones (not aggregate lines) whose projections carry a target count; the verdict is the
    reports' rule (:func:`zoneanalysis.reporting.views.classify_rows`).

    Returns
    -------
    pandas.DataFrame
        Columns 指标, 有目标的集聚区, 有望完成, 有风险, 难以完成 (indicator catalogue order);
        empty when no zone has a target.
    """
    cols = ["指标", "有目标的集聚区", views.ON_TRACK, views.AT_RISK, views.OFF_TRACK]
    ids = set(province["zone_id"])
    rows = projections[
        projections["zone_id"].isin(ids)
        & ~projections["is_aggregate"].astype(bool)
        & projections["target_value"].notna()
    ]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = rows.assign(verdict=views.classify_rows(rows, thresholds or views.VerdictThresholds()))
    names = views.indicator_names()
    out = []
    for code in [c for c in names if c in set(rows["indicator"])]:
        mine = rows[rows["indicator"] == code]
        counts = mine["verdict"].value_counts()
        out.append(
            {
                "指标": names[code],
                "有目标的集聚区": len(mine),
                **{
                    v: int(counts.get(v, 0))
                    for v in (views.ON_TRACK, views.AT_RISK, views.OFF_TRACK)
                },
            }
        )
    return pd.DataFrame(out, columns=cols)


def describe_target_coverage(
    projections: pd.DataFrame,
    province: pd.DataFrame,
    example_ids: set[str] | frozenset[str] = frozenset(),
) -> str:
    """Which cities' zones have targets in the plan and which zones have none, from the data.

    Parameters
    ----------
    projections
        The period's ``projections`` (a zone has a target when a row carries ``target_value``).
    province
        From :func:`list_province_zones`.
    example_ids
        Zones whose targets are examples (:func:`zoneanalysis.reporting.views.list_example_target_ids`).

    Examples
    --------
    >>> zones = pd.DataFrame({"zone_id": ["a", "b", "c"], "city": ["甲市", "甲市", "乙市"]})
    >>> proj = pd.DataFrame({"zone_id": ["a", "c"], "is_aggregate": [False, False],
    ...     "target_value": [1.0, None]})
    >>> describe_target_coverage(proj, zones, {"a"})
    '计划只给甲市的 1 个集聚区和园区定了目标（分区目标为示例）；其余 2 个没有目标，本页不对它们下“有望完成 / 有风险 / 难以完成”的结论。'
    """
    has = projections.loc[
        projections["target_value"].notna() & ~projections["is_aggregate"].astype(bool), "zone_id"
    ]
    with_target = province[province["zone_id"].isin(set(has))]
    if with_target.empty:
        return "本期没有任何集聚区的目标，本页不下“有望完成 / 有风险 / 难以完成”的结论。"
    cities = "、".join(order_cities(with_target))
    example = "（分区目标为示例）" if set(with_target["zone_id"]) & set(example_ids) else ""
    rest = len(province) - len(with_target)
    return (
        f"计划只给{cities}的 {len(with_target)} 个集聚区和园区定了目标{example}；"
        f"其余 {rest} 个没有目标，本页不对它们下“{views.ON_TRACK} / {views.AT_RISK} / "
        f"{views.OFF_TRACK}”的结论。"
    )


def describe_city_tables(
    indicators: Sequence[str] = KEY_INDICATORS, list_name: str = "十强"
) -> str:
    """What each city's table shows, naming the indicators of :func:`build_city_tables`.

    Examples
    --------
    >>> describe_city_tables(["fai"])[:30]
    '每个市一张表：各集聚区本年累计的固定资产投资（统计局报表数）'
    """
    catalogue = load_indicator_catalogue()
    names = "、".join(catalogue[c].name_zh if c in catalogue else c for c in indicators)
    return (
        f"每个市一张表：各集聚区本年累计的{names}（统计局报表数）与报表同比增速（可比口径），"
        f"{list_name}名次和年末预计星级（表头略去“规模以上”）。“—”表示报表没有该数或没有名次；"
        "市级工业专业园区不参加排名和星级评定。"
    )


def build_city_tables(
    province: pd.DataFrame,
    stats: pd.DataFrame,
    rankings: pd.DataFrame,
    star_levels: pd.DataFrame,
    year: int,
    month: int,
    *,
    indicators: Sequence[str] = KEY_INDICATORS,
    list_code: str = MAIN_LIST,
) -> list[tuple[str, pd.DataFrame]]:
    """One table per city: each zone's year-to-date values, reported growth, rank and stars.

    Parameters
    ----------
    province
        From :func:`list_province_zones`.
    stats
        ``zone_stats`` (the period's rows are used).
    rankings
        The period's ``rankings``; the rank shown is ``list_code``'s.
    star_levels
        From :func:`assess_province_stars`.
    year, month
        The period.
    indicators
        Indicator codes shown, each as ``<名称>（<单位>）`` and ``<名称>同比%`` (the bureau's
        reported growth, comparable basis).

    Returns
    -------
    list of (str, pandas.DataFrame)
        ``(city caption, table)`` in registry order; rows in registry order, columns 集聚区,
        级别 (only in a city with zones of both levels), the indicator columns (official names
        without the 规模以上 prefix), ``<榜单>名次`` (whole numbers) and 预计星级.
    """
    catalogue = load_indicator_catalogue()
    now = stats[(stats["year"] == year) & (stats["month"] == month)]
    value = now.pivot_table(index="zone_id", columns="indicator", values="value", aggfunc="last")
    growth = now.pivot_table(index="zone_id", columns="indicator", values="yoy_pct", aggfunc="last")
    ranked = rankings[rankings["list"] == list_code] if not rankings.empty else rankings
    list_name = str(ranked["list_name_zh"].iloc[0]) if len(ranked) else list_code
    rank = ranked.set_index("zone_id")["rank"] if len(ranked) else pd.Series(dtype="Int64")
    star = star_levels.set_index("zone_id")["star_projected"]
    out = []
    for city in order_cities(province):
        group = province[province["city"] == city]
        ids = list(group["zone_id"])
        table = pd.DataFrame({"集聚区": group["zone_name"].to_numpy()})
        if group["level"].nunique() > 1:  # a city with parks says which row is which
            table["级别"] = group["level_zh"].to_numpy()
        for code in indicators:
            ind = catalogue.get(code)
            # 规模以上 is said once in the page's prose; the headers stay short enough to fit.
            name, unit = (ind.name_zh.removeprefix("规模以上"), ind.unit) if ind else (code, "")
            table[f"{name}（{unit}）"] = _column(value, code, ids)
            table[f"{name}同比%"] = _column(growth, code, ids)
        # Whole numbers as Python ints (no "116.0"); a zone without a rank shows "—".
        table[f"{list_name}名次"] = pd.Series(
            [int(rank[z]) if z in rank.index and pd.notna(rank[z]) else None for z in ids],
            dtype=object,
        )
        table["预计星级"] = [
            views.format_stars(star[z]) if z in star.index else "不参评" for z in ids
        ]
        caption = f"{label_city(city, group)}（{len(group)} 个）"
        out.append((caption, table))
    return out


def _column(pivot: pd.DataFrame, code: str, ids: list[str]) -> np.ndarray:
    if code not in pivot.columns:
        return np.full(len(ids), np.nan)
    return pivot[code].reindex(ids).to_numpy(dtype=float)
