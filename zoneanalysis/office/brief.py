"""Draft the monthly 简报 from the data, in the office's register, and write it with python-docx.

The text is an editable draft: every number is taken from the same processed tables the pages
show (the aggregate lines, verdicts, ranks, stars and the ledger), formatted by one set of rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from zoneanalysis import labels, verdicts
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.office.sheets import OfficeTables, signed_gap, units
from zoneanalysis.periods import parse_period
from zoneanalysis.reporting import views
from zoneanalysis.rules.sentences import describe_missing_targets, describe_star_risk

BODY_FONT = "宋体"
EXAMPLE_TEXT = "示例：本稿所用数据为示例数据（或含示例目标），不是真实统计，不可对外引用。"
DRAFT_TEXT = "本稿由程序依据统计数据起草，数字与同期报告页面一致；文字为草稿，请核改后使用。"
NUMERALS = "一二三四五六七八九十"
HEADLINE_LISTS = {"shiqiang": "十强", "shikuai": "十快"}


def amount(value: float) -> str:
    """A money or people figure as the brief prints it (one decimal, thousands separated)."""
    return "—" if value is None or pd.isna(value) else f"{value:,.1f}"


def percent(value: float) -> str:
    """A growth or progress figure in percent points (one decimal)."""
    return "—" if value is None or pd.isna(value) else f"{value:.1f}%"


def probability(p: float) -> str:
    """P(meet) in whole percent, rounded down so a shown 70 % never sits below a 70 % rule."""
    return "—" if p is None or pd.isna(p) else f"{math.floor(p * 100 + 1e-9):d}%"


@dataclass
class Brief:
    """The drafted brief: a title, meta lines and sections of paragraphs, plus one table."""

    title: str
    meta: list[str]
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    table: pd.DataFrame | None = None
    is_example: bool = False


def _scope_name(zone_id: str, name: str) -> str:
    return labels.AGGREGATE_SCOPE_NAMES_ZH.get(zone_id, name)


def is_stock(indicator: str) -> bool:
    """True for a level at the period's end (employment…): no time yardstick applies."""
    ind = load_indicator_catalogue().get(indicator)
    return ind is not None and ind.kind == "stock"


def _period_span(tables: OfficeTables) -> str:
    """The period without its year, as a sentence opens: ``1-9月``, ``全年``."""
    return tables.period_label.split("年", 1)[1]


def _period_end(tables: OfficeTables) -> str:
    """When a stock is read: ``1-9月末``; ``年末`` for the whole year."""
    span = _period_span(tables)
    return "年末" if span == "全年" else f"{span}末"


def aggregate_sentence(tables: OfficeTables, r) -> str:
    """One aggregate line in the office's words: done so far, projection, gap, probability.

    A flow is read against the time elapsed and the growth the remaining months need; a stock
    (a level such as employment) only against its target.
    """
    names, unit = labels.indicator_names(), units()
    u = unit.get(r.indicator, "")
    name = names.get(r.indicator, r.indicator)
    verdict = verdicts.classify_verdict(r.p_meet_target, r.projected_value, r.target_value)
    scope = _scope_name(r.zone_id, r.zone_name)
    forecast = (
        f"预计全年 {amount(r.projected_value)} {u}（80% 区间 {amount(r.lower_80)}–"
        f"{amount(r.upper_80)}），比目标{signed_gap(r.projected_value, r.target_value)} {u}，"
        f"完成目标的概率约 {probability(r.p_meet_target)}，判断为“{verdict}”"
    )
    if is_stock(r.indicator):
        return (
            f"{_period_end(tables)}，{scope}{name} {amount(r.ytd_value)} {u}，"
            f"为年度目标的 {percent(r.task_progress_pct)}；{forecast}。"
        )
    return (
        f"{_period_span(tables)}，{scope}完成{name} {amount(r.ytd_value)} {u}，"
        f"完成年度目标的 {percent(r.task_progress_pct)}（时间进度 {percent(r.time_progress_pct)}）；"
        f"{forecast}；余下月份需同比增长 {percent(r.required_growth_pct)}。"
    )


def aggregate_sentences(tables: OfficeTables) -> list[str]:
    """One sentence per aggregate line with a target (provincial zones, then parks)."""
    proj = tables.report.projections
    rows = proj[proj["zone_id"].isin(views.AGGREGATE_IDS[:2]) & proj["target_value"].notna()]
    order = {z: i for i, z in enumerate(views.AGGREGATE_IDS)}
    rows = rows.assign(_o=rows["zone_id"].map(order)).sort_values("_o", kind="stable")
    if rows.empty:
        return [_no_targets(tables)]
    return [aggregate_sentence(tables, r) for r in rows.itertuples(index=False)]


def _no_targets(tables: OfficeTables) -> str:
    year, _ = parse_period(tables.report.period)
    if not tables.report.targets:
        return describe_missing_targets(year)
    return "本期没有可比的目标。"


def zone_verdict_sentences(tables: OfficeTables) -> list[str]:
    """Zones on track, at risk and off track (worst verdict over their targets)."""
    proj, zones = tables.report.projections, tables.report.zones
    zz = zones.loc[zones["is_zhengzhou"], ["zone_id", "zone_name"]]
    rows = proj[proj["zone_id"].isin(zz["zone_id"]) & proj["target_value"].notna()].copy()
    if rows.empty:
        return [_no_targets(tables)]
    rows["verdict"] = verdicts.classify_rows(rows)
    rank = {v: i for i, v in enumerate(labels.VERDICT_ORDER)}
    worst = rows.assign(_r=rows["verdict"].map(rank)).sort_values("_r").groupby("zone_id").first()
    names = labels.indicator_names()
    out = []
    for verdict in (labels.ON_TRACK, labels.AT_RISK, labels.OFF_TRACK):
        ids = [z for z in zz["zone_id"] if z in worst.index and worst.loc[z, "verdict"] == verdict]
        if not ids:
            continue
        parts = []
        for z in ids:
            bad = rows[(rows["zone_id"] == z) & (rows["verdict"] == verdict)]["indicator"]
            label = worst.loc[z, "zone_name"]
            if verdict != labels.ON_TRACK:
                label += "（" + "、".join(names.get(c, c) for c in bad) + "）"
            parts.append(label)
        lead = {
            labels.ON_TRACK: "各项目标均有望完成的",
            labels.AT_RISK: "有目标存在风险的",
            labels.OFF_TRACK: "有目标难以完成的",
        }[verdict]
        out.append(f"{lead}共 {len(ids)} 个：{'、'.join(parts)}。")
    if tables.example_target_ids:
        out.append("注：分区目标为示例目标（计划未公布分区目标），以上判断仅作示例。")
    return out


def drag_sentences(tables: OfficeTables, top: int = 3) -> list[str]:
    """The zones whose projected shortfalls pull each aggregate line down most."""
    drag = views.find_drag_zones(
        tables.report.projections, tables.report.zones, top, example_ids=tables.example_target_ids
    )
    if drag.empty:
        has_targets = tables.report.projections["target_value"].notna().any()
        return ["预计没有集聚区低于自身目标。"] if has_targets else []
    out = []
    for indicator, group in drag.groupby("指标", sort=False):
        items = "、".join(
            f"{r['集聚区']}（差 {amount(r['比目标少'])} {r['单位']}）" for _, r in group.iterrows()
        )
        out.append(f"{indicator}：{items}。")
    return out


def ranking_sentences(tables: OfficeTables) -> list[str]:
    """Zhengzhou zones inside or near the top ten of 十强/十快, with the probability."""
    r = tables.report.rankings
    out = []
    for code, label in HEADLINE_LISTS.items():
        rows = r[(r["list"] == code) & r["is_zhengzhou"].astype(bool)] if not r.empty else r
        if rows.empty:
            continue
        top_n = int(rows["top_n"].iloc[0])
        near = rows[rows["rank"] <= top_n + 5].sort_values("rank")
        items = "、".join(
            f"{z}（第 {int(k)} 名，区间 {int(a)}–{int(b)}，进入前{top_n}概率约 {probability(p)}）"
            for z, k, a, b, p in zip(
                near["zone_name"], near["rank"], near["rank_p05"], near["rank_p95"], near["p_top_n"]
            )
        )
        inside = int((rows["rank"] <= top_n).sum())
        out.append(
            f"全省{label}：郑州预计 {inside} 个集聚区进入前{top_n}"
            + (f"，{items}。" if items else "。")
        )
    if out:
        out.append("排名按示例评分规则测算（省里的评分细则未公开），仅供参考。")
    return out


def star_sentences(tables: OfficeTables) -> list[str]:
    """Zones at risk of missing their star target."""
    stars = tables.report.stars
    if stars.empty:
        return []
    risky = stars[stars["at_risk"].astype(bool)]
    target = next((c for c in stars.columns if c.startswith("star_target")), None)
    if target is None or stars[target].isna().all():
        return ["本年没有星级目标，只列当前与预计星级（见台账“星级”表；晋级标准为示例假设）。"]
    if risky.empty:
        return [f"预计 {len(stars)} 个集聚区均可达到目标星级（晋级标准为示例假设）。"]
    items = "、".join(
        f"{z}（预计{labels.format_stars(p)}，达到目标概率约 {probability(q)}）"
        for z, p, q in zip(risky["zone_name"], risky["star_projected"], risky["p_reach_target"])
    )
    rule = describe_star_risk().rstrip("。")
    return [f"达不到目标星级风险较大的 {len(risky)} 个：{items}（{rule}；晋级标准为示例假设）。"]


def project_sentences(tables: OfficeTables, top: int = 5) -> list[str]:
    """Major projects: starts against the plan, lagging projects by name."""
    ledger, out = tables.ledger, []
    starts = ledger.get("starts")
    if starts is not None and not starts.empty:
        city = starts[starts["zone_id"] == "agg_zz_all"]
        if not city.empty:
            c = city.iloc[0]
            out.append(
                f"重大项目已开工 {int(c['started'])} 个、已投产 {int(c['completed'])} 个"
                + (
                    f"（年度目标开工 {int(c['target_starts'])} 个、投产 {int(c['target_completions'])} 个）。"
                    if not pd.isna(c["target_starts"])
                    else "。"
                )
            )
    behind = ledger.get("behind")
    if behind is not None and not behind.empty:
        worst = behind.sort_values("gap_pp").head(top)
        names = "；".join(
            f"{n}（{z}）：{why}"
            for n, z, why in zip(worst["project_name"], worst["zone_name"], worst["reasons"])
        )
        out.append(f"进度滞后项目 {len(behind)} 个，滞后最多的：{names}。")
    return out or ["本期没有项目台账数据。"]


def evaluation_sentences(tables: OfficeTables) -> list[str]:
    """The year-end evaluation in words: outcomes, 评先 precondition, stars, laggards."""
    ev = tables.evaluation
    if ev is None:
        return []
    out = []
    agg = ev.outcomes[ev.outcomes["范围"].str.endswith("合计")]
    met = int((agg["达标"] == "是").sum())
    if len(agg):
        out.append(f"全年 {len(agg)} 项全市目标中，完成 {met} 项，未完成 {len(agg) - met} 项。")
    else:
        out.append("本年没有目标任务文件，不比较目标完成情况（只评资格、星级与位次）。")
    unchecked = ev.eligibility["评先资格"].astype(str).str.startswith("未核对").all()
    if unchecked:
        out.append("本年没有重大项目台账，评先前置条件（10 亿元以上重大项目开工）无法核对。")
    elif ev.not_eligible():
        out.append(f"未满足评先前置条件、不具备评先资格的：{'、'.join(ev.not_eligible())}。")
    else:
        out.append("各集聚区均有达到门槛的重大项目开工，满足评先前置条件。")
    owe = ev.owe_explanation()
    out.append(
        f"星级低于上年、需向市政府递交书面说明的：{'、'.join(owe)}。"
        if owe
        else "没有集聚区星级低于上年（晋级标准为示例假设）。"
    )
    for r in ev.laggards.itertuples(index=False):
        out.append(f"{r[0]}第 {r[2]} 名（共 {r[3]} 个）：{r[1]}，拖后腿的分项：{r[4]}。")
    return out


def quarter_sentences(tables: OfficeTables, top: int = 8) -> list[str]:
    """What moved since the last quarter's report."""
    q = tables.quarter
    if q is None:
        return []
    out = [q.note]
    for r in q.verdicts.head(top).itertuples(index=False):
        out.append(f"{r[0]}{r[1]}：由“{r[2]}”{r[4]}为“{r[3]}”。")
    return out


def aggregate_table(tables: OfficeTables) -> pd.DataFrame:
    """The brief's table: the aggregate lines, as the overview page shows them."""
    agg = views.build_aggregate_table(tables.report.projections)
    return pd.DataFrame(
        {
            "范围": agg["范围"],
            "指标": agg["指标"],
            "本年累计": [amount(v) for v in agg["本年累计"]],
            "预测全年": [amount(v) for v in agg["预测年末"]],
            "80%区间": agg["80%区间"],
            "目标": [amount(v) for v in agg["目标"]],
            "完成概率": [probability(p) for p in agg["完成目标概率"]],
            "结论": agg["结论"],
        }
    )


def compose_brief(tables: OfficeTables, generated: str) -> Brief:
    """The brief's text, built from ``tables``; ``generated`` is the generation time shown."""
    example = tables.is_sample or bool(tables.example_target_ids)
    title = "郑州市产业集聚区发展情况简报" + ("（示例）" if example else "")
    meta = [
        f"（草稿 · {tables.period_label}）",
        f"数据截至 {tables.data_cutoff}；生成于 {generated}。{DRAFT_TEXT}",
    ]
    parts = [
        ("总体情况", aggregate_sentences(tables)),
        ("各集聚区目标完成预测", zone_verdict_sentences(tables)),
        ("拖累全市完成目标的集聚区", drag_sentences(tables)),
        ("排名前景", ranking_sentences(tables)),
        ("星级", star_sentences(tables)),
        ("重大项目", project_sentences(tables)),
        ("与上季度相比", quarter_sentences(tables)),
        ("年度考评", evaluation_sentences(tables)),
    ]
    shown = [(h, p) for h, p in parts if p]
    sections = [(f"{NUMERALS[i]}、{h}", p) for i, (h, p) in enumerate(shown)]
    return Brief(title, meta, sections, aggregate_table(tables), example)


def _set_fonts(document) -> None:
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
    for name in ("Title", "Heading 1", "Heading 2"):
        s = document.styles[name]
        s.font.color.rgb = RGBColor(0, 0, 0)
        rpr = s.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")


def _example_line(document, text: str) -> None:
    run = document.add_paragraph().add_run(text)
    run.bold = True
    run.font.color.rgb = RGBColor(0xC0, 0, 0)


def write_brief(path: str | Path, brief: Brief) -> Path:
    """Write ``brief`` as a .docx: title, meta, 示例 line and page header, sections, the table."""
    document = Document()
    _set_fonts(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    header = section.header.paragraphs[0]
    header.text = ("示例数据 · " if brief.is_example else "") + "草稿 · " + brief.title
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = document.add_heading(brief.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in brief.meta:
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if brief.is_example:
        _example_line(document, EXAMPLE_TEXT)
    for head, paragraphs in brief.sections:
        document.add_heading(head, level=1)
        for text in paragraphs:
            p = document.add_paragraph(text)
            p.paragraph_format.first_line_indent = Pt(24)
    if brief.table is not None and not brief.table.empty:
        document.add_heading("附表：全市主要指标完成情况与预测", level=1)
        _add_table(document, brief.table)
        if brief.is_example:
            _example_line(document, EXAMPLE_TEXT)
    path = Path(path)
    document.save(path)
    return path


def _add_table(document, frame: pd.DataFrame) -> None:
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, frame.columns):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in frame.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = (
                "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            )
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
