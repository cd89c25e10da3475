"""示例 fixture tables in the shape of docs/contracts.md, for the reporting tests (all fake)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from zoneanalysis import paths
from zoneanalysis.registry import load_zones
from zoneanalysis.targets import AGGREGATE_NAMES_ZH, load_targets

INDICATORS = ["revenue", "fai", "outside_funds", "employment"]
UNITS = {"revenue": "亿元", "fai": "亿元", "outside_funds": "亿元", "employment": "万人"}
LISTS = [("shiqiang", "十强"), ("shikuai", "十快"), ("zz_liangqiang", "郑州两强")]
XSS_NAME = "<script>alert('示例')</script>示例产业集聚区"


def write_fixture_zones(folder: Path, *, hostile_name: bool = False) -> Path:
    """A copy of the registry; with ``hostile_name`` one zone's name holds a <script> tag."""
    zones = pd.read_csv(paths.ZONES_FILE, dtype=str, keep_default_na=False)
    if hostile_name:
        zones.loc[zones["zone_id"] == "zz_baisha", "zone_name"] = XSS_NAME
    out = Path(folder) / "zones.csv"
    zones.to_csv(out, index=False)
    return out


def build_fixture_data(
    folder: Path, period: str = "2016-06", *, hostile_name: bool = False, n_other: int = 6
) -> dict[str, Path]:
    """Write 示例 zone_stats, cleaning_report, projections, rankings and stars under ``folder``.

    Returns
    -------
    dict
        ``processed`` (the folder) and ``zones`` (the registry copy used).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    zones_path = write_fixture_zones(folder, hostile_name=hostile_name)
    zones = load_zones(zones_path)
    year, month = (int(x) for x in period.split("-"))
    zz = zones[zones["is_zhengzhou"]]
    others = zones[~zones["is_zhengzhou"]].head(n_other)
    units = pd.concat([zz, others])
    rng = np.random.default_rng(7)

    stats_rows, proj_rows = [], []
    for i, z in enumerate(units.itertuples()):
        base = 50.0 + 20 * i
        for ind in INDICATORS:
            scale = {"revenue": 10, "fai": 3, "outside_funds": 1, "employment": 0.05}[ind]
            for y in (year - 2, year - 1, year):
                last_m = 12 if y < year else month
                for m in range(2, last_m + 1):
                    v = base * scale * m / 12 * (1 + 0.1 * (y - year + 2))
                    stats_rows.append(
                        {
                            "zone_id": z.zone_id,
                            "zone_name": z.zone_name,
                            "year": y,
                            "month": m,
                            "indicator": ind,
                            "value": v,
                            "unit": UNITS[ind],
                            "yoy_pct": 10.0,
                            "source_file": f"sample/{y}年1-{m}月示例.csv",
                            "source_row": 5 + i,
                            "quality_flag": "revised"
                            if (i == 0 and m == 3 and y == year)
                            else None,
                        }
                    )
            prev = base * scale * 1.2
            ytd = base * scale * month / 12 * 1.3
            projected = ytd * 12 / month
            target = prev * (1.1 + 0.2 * rng.random())
            proj_rows.append(
                _proj_row(
                    z.zone_id,
                    z.zone_name,
                    False,
                    ind,
                    year,
                    month,
                    ytd,
                    prev,
                    projected,
                    target,
                    rng,
                )
            )
    for agg_id, name in AGGREGATE_NAMES_ZH.items():
        for ind in ["revenue", "fai"]:
            ytd = 3000.0 if ind == "revenue" else 1000.0
            proj_rows.append(
                _proj_row(
                    agg_id, name, True, ind, year, month, ytd, ytd * 1.8, ytd * 2.05, ytd * 2.1, rng
                )
            )
    stats = pd.DataFrame(stats_rows)
    stats["quality_flag"] = stats["quality_flag"].astype("string")
    stats.to_parquet(folder / paths.ZONE_STATS_NAME, index=False)
    pd.DataFrame(
        [
            {
                "source_file": f"sample/{year}年1-{month}月示例.csv",
                "source_row": 3,
                "raw_text": "省级产业集聚区合计",
                "reason": "合计行（示例）",
                "severity": "dropped",
            },
            {
                "source_file": f"sample/{year}年1-{month}月示例.csv",
                "source_row": 40,
                "raw_text": "注：经开区数据为快报数（示例）",
                "reason": "注释行（示例）",
                "severity": "dropped",
            },
        ]
    ).to_csv(folder / paths.CLEANING_REPORT_NAME, index=False, encoding="utf-8-sig")
    projections = pd.DataFrame(proj_rows)
    projections["past_years"] = projections["past_years"].astype("Int64")
    projections["no_past_year"] = projections["no_past_year"].astype("boolean")
    projections.to_parquet(paths.projections_path(folder, period), index=False)

    rank_rows = []
    provincial = units[units["provincial_from"].notna() & units["provincial_to"].isna()]
    for code, name in LISTS:
        peers = provincial[provincial["is_zhengzhou"]] if code.startswith("zz_") else provincial
        top_n = 2 if code.startswith("zz_") else 10
        scores = rng.random(len(peers)) * 100
        order = (-scores).argsort().argsort() + 1
        for z, s, r in zip(peers.itertuples(), scores, order):
            rank_rows.append(
                {
                    "list": code,
                    "list_name_zh": name,
                    "zone_id": z.zone_id,
                    "zone_name": z.zone_name,
                    "score": float(s),
                    "rank": int(r),
                    "rank_p05": max(1, int(r) - 2),
                    "rank_median": int(r),
                    "rank_p95": min(len(peers), int(r) + 2),
                    "p_top_n": float(max(0.0, 1 - (r - 1) / (top_n + 2))),
                    "top_n": top_n,
                    "in_top_n": bool(r <= top_n),
                    "is_zhengzhou": bool(z.is_zhengzhou),
                    "rank_change": None,
                    "basis": "projected",
                    "coverage": 1.0,
                    "note": "",
                    "pillar_scale": float(s) * 0.6,
                    "pillar_growth": float(s) * 0.4,
                }
            )
    rankings = pd.DataFrame(rank_rows)
    rankings["rank_change"] = rankings["rank_change"].astype("Int64")
    rankings.to_parquet(paths.rankings_path(folder, period), index=False)
    star_rows = []
    star_targets = load_targets(year=2016).stars
    for z in zz.itertuples():
        target = star_targets.get(z.zone_id, pd.NA)
        star_rows.append(
            {
                "zone_id": z.zone_id,
                "zone_name": z.zone_name,
                "star_current": 2,
                "star_projected": 3,
                "star_target": None if pd.isna(target) else int(target),
                "p_reach_target": None if pd.isna(target) else 0.5,
                "at_risk": bool(not pd.isna(target) and target > 3),
                "note": "示例",
                "star_previous": 2,
            }
        )
    stars = pd.DataFrame(star_rows)
    stars["star_target"] = stars["star_target"].astype("Int64")
    stars["star_previous"] = stars["star_previous"].astype("Int64")
    stars.to_parquet(paths.stars_path(folder, period), index=False)
    return {"processed": folder, "zones": zones_path}


def _proj_row(zone_id, name, is_agg, ind, year, month, ytd, prev, projected, target, rng):
    sd = projected * 0.04
    return {
        "zone_id": zone_id,
        "zone_name": name,
        "is_aggregate": is_agg,
        "indicator": ind,
        "unit": UNITS[ind],
        "year": year,
        "month": month,
        "ytd_value": ytd,
        "prev_year_value": prev,
        "projected_value": projected,
        "lower_80": projected - 1.28 * sd,
        "upper_80": projected + 1.28 * sd,
        "lower_95": projected - 1.96 * sd,
        "upper_95": projected + 1.96 * sd,
        "projected_growth_pct": (projected / prev - 1) * 100,
        "target_value": target,
        "target_growth_pct": (target / prev - 1) * 100,
        "p_meet_target": float(rng.random()),
        "required_growth_pct": (
            ((target - ytd) / (prev * (12 - month) / 12) - 1) * 100 if month < 12 else float("nan")
        ),
        "time_progress_pct": month / 12 * 100,
        "task_progress_pct": ytd / target * 100,
        "method": "示例方法",
        "backtest_mape_pct": 3.5,
        "backtest_mape_zone_pct": float("nan") if is_agg else 4.0,
        "notes": "示例预测说明",
        "past_years": None if is_agg else 2,
        "no_past_year": None if is_agg else False,
        "error_common_share": None if is_agg else 0.3,
        "error_zone_share": None if is_agg else 0.2,
    }
