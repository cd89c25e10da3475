"""A zone page's data notes: sources, revisions, quality flags, cleaning and projection notes."""

from __future__ import annotations

import pandas as pd

from zoneanalysis.reporting.views.common import indicator_names, shorten_method

#: Chinese wording of zone_stats quality flags (the codes never reach a page).
QUALITY_FLAG_ZH = {
    "revised": "后续报表修订了该数",
    "ytd_decrease": "累计值比上月减少",
}


def build_data_notes(
    stats: pd.DataFrame,
    cleaning: pd.DataFrame,
    projections: pd.DataFrame,
    zones: pd.DataFrame,
    zone_id: str,
    year: int,
) -> pd.DataFrame:
    """Where the zone's figures came from and what happened to them.

    Returns
    -------
    pandas.DataFrame
        Columns 类别 (来源 / 修订 / 数据质量 / 清洗记录 / 预测说明) and 说明.
    """
    notes: list[tuple[str, str]] = []
    own = stats[(stats["zone_id"] == zone_id) & (stats["year"] == year)]
    for src in sorted(own["source_file"].dropna().astype(str).unique()):
        notes.append(("来源", src))
    if "quality_flag" in own.columns:
        flagged = own[own["quality_flag"].notna() & (own["quality_flag"].astype(str) != "")]
        names = indicator_names()
        labels = {"revised": "修订", "ytd_decrease": "数据质量"}
        for r in flagged.itertuples():
            kind = labels.get(str(r.quality_flag), "数据质量")
            notes.append(
                (
                    kind,
                    f"{names.get(r.indicator, r.indicator)} {r.year}年1-{r.month}月："
                    + QUALITY_FLAG_ZH.get(str(r.quality_flag), "数据需要核对"),
                )
            )
    if not cleaning.empty:
        reg = zones.set_index("zone_id")
        words = (
            [w for w in (reg.at[zone_id, "zone_name"], reg.at[zone_id, "short_name"]) if w]
            if zone_id in reg.index
            else []
        )
        text = cleaning["raw_text"].astype(str)
        hit = (
            text.apply(lambda t: any(w in t for w in words)) if words else text.map(lambda _: False)
        )
        for r in cleaning[hit].itertuples():
            notes.append(("清洗记录", f"{r.source_file} 第{r.source_row}行：{r.reason}"))
    proj = projections[projections["zone_id"] == zone_id]
    names = indicator_names()
    for r in proj.itertuples():
        method = str(getattr(r, "method", "") or "")
        if method and shorten_method(method) != method:
            notes.append(("预测方法", f"{names.get(r.indicator, r.indicator)}：{method}"))
    for note in proj["notes"].dropna().astype(str).unique():
        if note:
            notes.append(("预测说明", note))
    return pd.DataFrame(notes, columns=["类别", "说明"])
