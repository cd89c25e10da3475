"""Regenerate the sample ledger files (示例数据) under data/raw/ledger, deterministically.

What it writes (all labelled 示例数据 in titles and notes):

- projects/附件5-7项目一览表（示例数据）.csv: example projects standing in for the plan's
  attachments 5-7 (not public), so that the ledger has about 100 starts and 100 completions to
  track besides the projects the plan's text names (data/raw/reference/projects/2016.csv);
- progress/2016/: the monthly project progress ledger, 2016年1-2月 … 1-9月 (money in 万元);
- industry/<year>/: revenue by leading industry per Zhengzhou zone, 2014-2016 (亿元), shares of
  each zone's revenue in the sample truth (zoneanalysis.sample.truth.make_truth);
- counts/2016/: progress of the plan's count targets, 2016年1-2月 … 1-9月;
- projects/2015/ and progress/2015/: the 2015 year-end (1-12月) ledger and its example projects,
  for the year-end evaluation (some zones with a started ≥10亿元 project, parks ≥5亿元, some
  without); drawn from a generator of their own, so the 2016 files stay as they are.

Usage: python scripts/make_sample_ledger.py   (removes and rewrites data/raw/ledger only)
"""

from __future__ import annotations

import os

# openpyxl writes its XML with lxml when lxml is installed and with the standard library otherwise;
# the files are kept byte-identical by always using the standard library's serialiser.
os.environ["OPENPYXL_LXML"] = "False"

import csv  # noqa: E402
import io  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from zoneanalysis import paths  # noqa: E402
from zoneanalysis.ledger.projects import PROJECT_COLUMNS, load_projects  # noqa: E402
from zoneanalysis.registry import load_zones, zone_level  # noqa: E402
from zoneanalysis.sample.bureau_files import _make_zip_deterministic  # noqa: E402
from zoneanalysis.sample.truth import make_truth  # noqa: E402
from zoneanalysis.targets import load_targets  # noqa: E402

SEED = 2016
OUT = paths.RAW_DIR / "ledger"
MONTHS = range(2, 10)
NOTE = "注：示例数据，由 scripts/make_sample_ledger.py 生成，不是真实统计；项目类别为示例假设。"
N_EXAMPLE_PROJECTS = 160
INDUSTRY_SHARES = {  # zone -> industry -> share of the zone's revenue (示例)
    "zz_hangkonggang": {"电子信息": 0.86, "生物医药": 0.02, "现代物流": 0.03},
    "zz_jingkai": {"汽车及零部件": 0.55, "装备制造": 0.22, "电子信息": 0.06, "现代物流": 0.04},
    "zz_gaoxin": {"电子信息": 0.42, "装备制造": 0.35},
    "zz_xingang": {"食品加工": 0.35, "生物医药": 0.22},
    "zz_zhongmou_auto": {"汽车及零部件": 0.85},
    "zz_xingyang": {"装备制造": 0.62},
    "zz_xinmi": {"装备制造": 0.45},
    "zz_dengfeng": {"汽车及零部件": 0.30, "生物医药": 0.20},
    "zz_mazhai": {"食品加工": 0.80},
    "zz_baisha": {"电子信息": 0.50},
    "zz_gongyi": {"装备制造": 0.30},
    "zz_jindai": {"食品加工": 0.40},
    **{f"zzp_ex0{i}": {"食品加工": 0.25, "装备制造": 0.25} for i in range(1, 9)},
}
INDUSTRIES = ["电子信息", "汽车及零部件", "装备制造", "食品加工", "现代物流", "生物医药"]


def write_xlsx(rows: list[list[object]], path: Path, merges: tuple = ()) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "示例数据"
    for row in rows:
        ws.append(row)
    for r1, c1, r2, c2 in merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    book.properties.creator = "zoneanalysis（示例数据）"
    buffer = io.BytesIO()
    book.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_make_zip_deterministic(buffer.getvalue()))
    return path


def write_csv(rows: list[list[object]], path: Path, encoding: str = "utf-8-sig") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def make_example_projects(rng: np.random.Generator, zone_ids: list[str]) -> pd.DataFrame:
    cats = ["新开工"] * 72 + ["竣工"] * 80 + ["续建"] * 8
    inds = ["电子信息", "汽车及零部件", "装备制造", "食品加工", "现代物流", "生物医药", "新材料"]
    rows = []
    for i in range(N_EXAMPLE_PROJECTS):
        ind = inds[i % len(inds)]
        rows.append(
            {
                "project_id": f"ex2016_{i + 1:03d}",
                "project_name": f"示例项目{i + 1:03d}（{ind}）",
                "industry": ind,
                "zone_id": zone_ids[int(rng.integers(len(zone_ids)))],
                "plan_zones": "",
                "category": cats[i],
                "category_is_example": "True",
                "kind": "example",
                "is_example": "True",
                "note": "示例项目：计划附件5-7未公开，名称与数据均为虚构",
                "source": "示例（替代未公开的计划附件5-7）",
            }
        )
    return pd.DataFrame(rows, columns=PROJECT_COLUMNS)


def plan_projects(projects: pd.DataFrame, rng: np.random.Generator, levels: pd.Series):
    """Zone, size, schedule and actual dates of every project (the hidden truth of the sample)."""
    zz = [z for z in levels.index if pd.notna(levels[z])]
    plans = []
    big_done: set[str] = set()
    for p in projects.itertuples():
        zone = p.zone_id if pd.notna(p.zone_id) else None
        if zone is None:
            options = [z for z in str(p.plan_zones).split(";") if z] or zz
            zone = options[int(rng.integers(len(options)))]
        is_new = p.kind in ("recruit", "example") and p.category == "新开工"
        total = float(np.round(rng.lognormal(np.log(6.0), 0.7), 2))
        threshold = 10.0 if levels[zone] == "provincial" else 5.0
        if is_new and zone not in big_done and rng.random() < 0.8:
            total = float(np.round(threshold * rng.uniform(1.05, 3.0), 2))
            big_done.add(zone)
        plan = float(np.round(total * rng.uniform(0.25, 0.6), 2))
        if p.category == "新开工":
            p_start = int(rng.integers(2, 11))
            delay = int(rng.choice([0, 0, 0, 0, 1, 2, 4]))
            start = p_start + delay
            p_done = None
            done = None
        else:
            p_start, start = None, 0  # started in an earlier year
            p_done = int(rng.integers(2, 13)) if p.category == "竣工" else None
            done = None if p_done is None else p_done + int(rng.choice([0, 0, 1, 2, 3]))
        plans.append(
            {
                "project_id": p.project_id,
                "name": p.project_name,
                "zone": zone,
                "category": p.category,
                "is_new": is_new,
                "total": total,
                "plan": plan,
                "p_start": p_start,
                "start": start,
                "start_day": int(rng.integers(1, 28)),
                "p_done": p_done,
                "done": done,
                "done_day": int(rng.integers(1, 28)),
                "pace": float(rng.uniform(0.8, 1.2)),
            }
        )
    return plans


def progress_rows(
    plans: list[dict], zone_names: dict[str, str], month: int, year: int = 2016
) -> list[list]:
    header = [
        "序号",
        "项目名称",
        "所在集聚区",
        "项目类别",
        "新引进",
        "总投资",
        "本年计划投资",
        f"1-{month}月完成投资",
        "开工状态",
        "开工日期",
        "计划开工月份",
        "投产状态",
        "投产日期",
        "计划投产月份",
        "备注",
    ]
    rows = [
        [f"{year}年1-{month}月郑州市产业集聚区重大项目建设进度台账（示例数据）"],
        ["单位：万元"],
        header,
    ]
    for i, p in enumerate(plans, 1):
        started = p["start"] <= month
        completed = p["done"] is not None and p["done"] <= month
        if started:
            active_from = max(p["start"], 1)
            share = min(1.0, (month - active_from + 1) / (12 - active_from + 1) * p["pace"])
        else:
            share = 0.0
        ytd = round(p["plan"] * share * 10000)
        start_text = ""
        if started and p["start"] >= 1:
            start_text = f"{year}-{p['start']:02d}-{p['start_day']:02d}"
            if month % 2:  # odd months write Chinese dates
                start_text = f"{year}年{p['start']}月{p['start_day']}日"
        elif started:
            start_text = f"{year - 1}-06-01"
        done_text = f"{year}-{p['done']:02d}-{p['done_day']:02d}" if completed else "—"
        rows.append(
            [
                i,
                p["name"],
                zone_names[p["zone"]],
                p["category"],
                "是" if p["is_new"] else "否",
                round(p["total"] * 10000),
                round(p["plan"] * 10000),
                ytd,
                "已开工" if started else "未开工",
                start_text or "—",
                p["p_start"] or "",
                "已投产" if completed else "未投产",
                done_text,
                p["p_done"] or "",
                "",
            ]
        )
    rows.append([NOTE])
    return rows


def industry_tables(truth: pd.DataFrame, zone_names: dict[str, str], rng: np.random.Generator):
    rev = truth[truth["indicator"] == "revenue"].pivot_table(
        index=["zone_id", "year"], columns="month", values="value"
    )
    rev = rev.interpolate(axis=1, limit_direction="both")
    drift = {
        (z, ind, y): rng.normal(0, 0.015)
        for z in INDUSTRY_SHARES
        for ind in INDUSTRY_SHARES[z]
        for y in (2013, 2014, 2015, 2016)
    }
    values = {}
    for (zone, year), series in rev.iterrows():
        if zone not in INDUSTRY_SHARES or year < 2013:
            continue
        for ind, share in INDUSTRY_SHARES[zone].items():
            s = share * (1 + drift[(zone, ind, year)])
            for month, v in series.items():
                if pd.notna(v):
                    values[(zone, ind, year, month)] = round(float(v) * s, 2)
    files = []
    for year in (2014, 2015, 2016):
        for month in range(2, 13 if year < 2016 else 10):
            head1 = ["集聚区名称"]
            head2 = [""]
            merges = []
            for k, ind in enumerate(INDUSTRIES):
                head1 += [ind, ""]
                head2 += [f"1-{month}月", "同比增长±%"]
                merges.append((3, 2 + 2 * k, 3, 3 + 2 * k))
            rows = [
                [f"{year}年1-{month}月郑州市产业集聚区主导产业主营业务收入（示例数据）"],
                ["单位：亿元、%"],
                head1,
                head2,
            ]
            total = ["全市合计"]
            body = []
            for zone in INDUSTRY_SHARES:
                line = [zone_names[zone]]
                for ind in INDUSTRIES:
                    v = values.get((zone, ind, year, month))
                    prev = values.get((zone, ind, year - 1, month))
                    if v is None:
                        line += ["—", "—"]
                        continue
                    g = round((v / prev - 1) * 100 + rng.uniform(-2, 2), 1) if prev else "—"
                    line += [v, g]
                body.append(line)
            for k in range(len(INDUSTRIES)):
                col = [r[1 + 2 * k] for r in body if isinstance(r[1 + 2 * k], float)]
                total += [round(sum(col), 2) if col else "—", "—"]
            rows += [total, *body, [NOTE]]
            path = (
                OUT
                / "industry"
                / str(year)
                / f"{year}-{month:02d}_主导产业主营业务收入（示例数据）.xlsx"
            )
            files.append(write_xlsx(rows, path, tuple(merges)))
    return files


COUNT_PACE = {  # code -> (year-end value as a share of target, shape exponent) — 示例
    "research_centres": (1.2, 1.0),
    "industry_university_platforms": (1.0, 1.3),
    "telecom_ducts_km": (1.1, 0.9),
    "access_fibre_km": (0.9, 1.4),
    "base_stations": (1.3, 0.8),
    "financing": (0.95, 1.1),
    "postdoc_stations": (1.0, 3.0),
    "postdoc_bases": (1.0, 0.5),
    "zhengou_trains": (1.05, 1.0),
    "public_rental_flats": (0.8, 1.6),
    "medical_institutions": (1.0, 0.7),
}


def count_tables(targets: list[dict]) -> list[Path]:
    files = []
    by_code = {c["code"]: c for c in targets}
    for month in MONTHS:
        rows = [
            [f"2016年1-{month}月郑州市产业集聚区重点工作数量指标完成情况（示例数据）"],
            ["序号", "指标名称", "单位", "全年目标", f"1-{month}月累计完成", "备注"],
        ]
        for i, (code, (end_share, shape)) in enumerate(COUNT_PACE.items(), 1):
            c = by_code[code]
            value = c["target"] * end_share * (month / 12) ** shape
            value = round(value, 1) if c["unit"] in ("公里", "亿元") else int(np.floor(value))
            rows.append([i, c["name_zh"], c["unit"], c["target"], value, ""])
        rows.append([NOTE])
        path = OUT / "counts" / "2016" / f"2016-{month:02d}_数量指标完成情况（示例数据）.csv"
        # one month in GBK, as bureau CSVs often are
        files.append(write_csv(rows, path, "gb18030" if month == 4 else "utf-8-sig"))
    return files


YEAR_END = 2015  # the year-end sample ledger (示例): December only, for the year-end evaluation
YEAR_END_SEED = 2015


def year_end_example_projects(
    rng: np.random.Generator, levels: pd.Series
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Example projects of the 2015 year-end ledger and each zone's 评先 precondition (示例).

    Every zone gets one big newly introduced project (≥10亿元, parks ≥5亿元) except a few drawn
    at random: one provincial zone whose big project has not started, and one provincial zone and
    one park (when there are parks) with none above the threshold (a started project just below
    it instead), so the year-end evaluation shows zones eligible for 评先 and zones not.

    Returns
    -------
    tuple
        The project list (``PROJECT_COLUMNS``) and zone → ``met`` / ``not_started`` / ``none``.
    """
    provincial = [z for z in levels.index if levels[z] == "provincial"]
    parks = [z for z in levels.index if levels[z] == "city_park"]
    picked = [str(z) for z in rng.choice(provincial, 2, replace=False)]
    status = {z: "met" for z in levels.index}
    status[picked[0]] = "not_started"
    status[picked[1]] = "none"
    if parks:
        status[str(rng.choice(parks))] = "none"
    inds = ["电子信息", "汽车及零部件", "装备制造", "食品加工", "现代物流", "生物医药", "新材料"]
    rows = []
    for zone in levels.index:
        cats = ["新开工", "新开工", "竣工" if rng.random() < 0.6 else "续建"]
        for k, cat in enumerate(cats):
            ind = inds[(len(rows) + k) % len(inds)]
            n = len(rows) + 1
            rows.append(
                {
                    "project_id": f"ex{YEAR_END}_{n:03d}",
                    "project_name": f"{YEAR_END}年示例项目{n:03d}（{ind}）",
                    "industry": ind,
                    "zone_id": zone,
                    "plan_zones": "",
                    "category": cat,
                    "category_is_example": "True",
                    "kind": "example",
                    "is_example": "True",
                    "note": f"示例项目：{YEAR_END}年项目一览表未收录，名称与数据均为虚构",
                    "source": f"示例（{YEAR_END}年年末考评用）",
                }
            )
    return pd.DataFrame(rows, columns=PROJECT_COLUMNS), status


def plan_year_end_projects(
    projects: pd.DataFrame, rng: np.random.Generator, levels: pd.Series, status: dict[str, str]
) -> list[dict]:
    """Size and dates of the 2015 example projects; the first new project of a zone is its big one."""
    plans = []
    seen: set[str] = set()
    for p in projects.itertuples():
        zone = p.zone_id
        threshold = 10.0 if levels[zone] == "provincial" else 5.0
        first_new = p.category == "新开工" and zone not in seen
        total = float(np.round(threshold * rng.uniform(0.15, 0.6), 2))
        if first_new:
            seen.add(zone)
            factor = 0.9 if status[zone] == "none" else rng.uniform(1.1, 2.5)
            total = float(np.round(threshold * factor, 2))
        p_start = int(rng.integers(2, 11)) if p.category == "新开工" else None
        start = 0 if p_start is None else p_start + int(rng.choice([0, 0, 1, 2]))
        if first_new and status[zone] == "not_started":
            p_start, start = 11, 13  # planned for November, not started by the year's end
        p_done = int(rng.integers(3, 13)) if p.category == "竣工" else None
        plans.append(
            {
                "project_id": p.project_id,
                "name": p.project_name,
                "zone": zone,
                "category": p.category,
                "is_new": p.category == "新开工",
                "total": total,
                "plan": float(np.round(total * rng.uniform(0.25, 0.6), 2)),
                "p_start": p_start,
                "start": start,
                "start_day": int(rng.integers(1, 28)),
                "p_done": p_done,
                "done": None if p_done is None else min(12, p_done + int(rng.choice([0, 0, 1]))),
                "done_day": int(rng.integers(1, 28)),
                "pace": float(rng.uniform(0.8, 1.2)),
            }
        )
    return plans


def year_end_tables(zones: pd.DataFrame, zone_names: dict[str, str]) -> list[Path]:
    """The 2015 year-end ledger (示例): its project list and the 1-12月 progress ledger.

    Drawn from their own generator, so the 2016 files do not change when these do.
    """
    rng = np.random.default_rng(YEAR_END_SEED)
    levels = zone_level(zones, YEAR_END)
    levels = levels[zones.set_index("zone_id")["is_zhengzhou"]]
    levels = levels[levels.notna()]
    example, status = year_end_example_projects(rng, levels)
    lists = OUT / "projects" / str(YEAR_END) / f"{YEAR_END}年项目一览表（示例数据）.csv"
    lists.parent.mkdir(parents=True, exist_ok=True)
    example.to_csv(lists, index=False, encoding="utf-8", lineterminator="\n")
    projects = load_projects(extra_paths=[lists], zone_ids=zones["zone_id"].tolist(), year=YEAR_END)
    plans = plan_year_end_projects(projects, rng, levels, status)
    name = f"{YEAR_END}-12_重大项目建设进度台账（示例数据）.xlsx"
    path = OUT / "progress" / str(YEAR_END) / name
    return [lists, write_xlsx(progress_rows(plans, zone_names, 12, YEAR_END), path)]


def main() -> int:
    if OUT.resolve().parent != paths.RAW_DIR.resolve():
        print("拒绝写入 data/raw/ledger 以外的位置", file=sys.stderr)
        return 1
    if OUT.exists():
        shutil.rmtree(OUT)
    rng = np.random.default_rng(SEED)
    zones = load_zones()
    levels = zone_level(zones, 2016)
    levels = levels[zones.set_index("zone_id")["is_zhengzhou"]]
    levels = levels[levels.notna()]
    zone_names = zones.set_index("zone_id")["short_name"].to_dict()
    example = make_example_projects(rng, list(levels.index))
    lists = OUT / "projects" / "附件5-7项目一览表（示例数据）.csv"
    lists.parent.mkdir(parents=True, exist_ok=True)
    example.to_csv(lists, index=False, encoding="utf-8", lineterminator="\n")
    projects = load_projects(extra_paths=[lists], zone_ids=zones["zone_id"].tolist(), year=2016)
    plans = plan_projects(projects, rng, levels)
    files = [lists]
    for month in MONTHS:
        name = f"2016-{month:02d}_重大项目建设进度台账（示例数据）.xlsx"
        files.append(
            write_xlsx(progress_rows(plans, zone_names, month), OUT / "progress" / "2016" / name)
        )
    files += industry_tables(make_truth(), zone_names, rng)
    files += count_tables(load_targets(zones=zones, year=2016).counts)
    files += year_end_tables(zones, zone_names)
    print(f"已写入 {len(files)} 个示例台账文件到 {OUT.relative_to(paths.PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
