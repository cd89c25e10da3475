"""The report folder's index.html and manifest.json."""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from zoneanalysis.atomic import write_text_atomic
from zoneanalysis.reporting.display import render_banner
from zoneanalysis.reporting.exporter import read_report_css, render_nav, render_print_css

STATUS_ZH = {"ok": "已生成", "failed": "失败"}
KIND_ZH = {
    "overview": "全市总览",
    "rankings": "排名",
    "zone": "集聚区报告",
    "office": "台账与简报（下载）",
}


@dataclass
class ManifestEntry:
    """One report's outcome.

    Attributes
    ----------
    report
        Key such as ``zones/zz_jingkai``, ``overview``, ``rankings``.
    kind
        ``zone``, ``overview`` or ``rankings``.
    title
        Chinese title.
    html
        Path of the HTML page relative to the report folder (``None`` if it failed).
    notebook
        Path of the executed notebook relative to the report folder.
    status
        ``ok`` or ``failed``.
    seconds
        Wall time of execution and export.
    error
        The error message for a failed report.
    """

    report: str
    kind: str
    title: str
    html: str | None
    notebook: str | None
    status: str
    seconds: float
    error: str | None = None


def write_manifest(
    entries: list[ManifestEntry], out_dir: Path, *, period: str, is_sample: bool
) -> Path:
    """Write ``manifest.json`` (UTF-8, Chinese kept readable)."""
    data = {
        "period": period,
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
        "is_sample": is_sample,
        "reports": [asdict(e) for e in entries],
    }
    return write_text_atomic(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", Path(out_dir) / "manifest.json"
    )


def _stars_text(projected: object, target: object) -> str:
    from zoneanalysis.reporting.views import NA_TEXT, format_stars

    if projected is None or pd.isna(projected):
        return NA_TEXT
    goal = "未设目标" if target is None or pd.isna(target) else format_stars(target)
    return f"{format_stars(projected)} / {goal}"


def render_summary(summary: pd.DataFrame, entries: list[ManifestEntry]) -> str:
    """The answer-first table: per aggregate line and zone, its verdict counts, stars, link.

    Parameters
    ----------
    summary
        From :func:`zoneanalysis.reporting.summary.build_index_summary`.
    entries
        The manifest entries; a row links to its report when that report was written.

    Returns
    -------
    str
        Escaped HTML: a note on the rule, the table grouped by 全市合计 / 省级产业集聚区 /
        市级工业专业园区 (a group whose targets are examples says so in its heading).
    """
    from zoneanalysis.reporting.summary import GROUP_AGGREGATE
    from zoneanalysis.reporting.views import (
        AT_RISK,
        NA_TEXT,
        OFF_TRACK,
        ON_TRACK,
        describe_verdict_thresholds,
    )

    e = html.escape
    links = {x.report: x.html for x in entries if x.status == "ok" and x.html}
    light = '<span class="light light-{}" aria-hidden="true"></span>{}'
    legend = "　".join(
        light.format(c, e(v))
        for c, v in (("green", ON_TRACK), ("amber", AT_RISK), ("red", OFF_TRACK))
    )
    head = ["集聚区／园区", "各项目标的结论", "星级（预计 / 目标）", f"{e(OFF_TRACK)}的指标"]
    out = [
        '<section class="index-summary"><h2>结论速览</h2>',
        f'<p class="summary-legend">{legend}</p>',
        '<p class="note">每行列出该范围各项目标分别有几项有望完成、有风险、难以完成（与各报告同一规则）：'
        f"{e(describe_verdict_thresholds())}点击名称打开报告。</p>",
        '<div class="table-wrap"><table class="za-table summary-table"><thead><tr>',
        "".join(f"<th>{h}</th>" for h in head),
        "</tr></thead><tbody>",
    ]
    for group, rows in summary.groupby("group", sort=False):
        label = group + ("（对照计划目标）" if group == GROUP_AGGREGATE else "")
        if rows["targets_are_example"].any():
            label += "（分区目标为示例，结论仅作示意）"
        out.append(f'<tr class="group"><th colspan="{len(head)}">{e(label)}</th></tr>')
        for r in rows.itertuples():
            href = links.get(r.report_key)
            name = f'<a href="{e(href)}">{e(r.name)}</a>' if href else e(r.name)
            if not href:
                name += ' <small class="status-failed">（无报告）</small>'
            star = e(_stars_text(r.star_projected, r.star_target))
            if r.star_below_target:
                star = f'<span class="status-failed">{star}（低于目标）</span>'
            counts = (
                (ON_TRACK, "green", r.n_on_track),
                (AT_RISK, "amber", r.n_at_risk),
                (OFF_TRACK, "red", r.n_off_track),
            )
            lights = "".join(
                f'<span class="count" title="{e(v)} {int(n)} 项">'
                f'{light.format(c, "")}<span class="n">{int(n)}</span></span>'
                for v, c, n in counts
            )
            headline = getattr(r, "headline", "")
            name_class = ""
            if isinstance(headline, str) and headline:
                # The answer for the hardest target wraps under the name (class "long").
                name += f'<div class="headline">{e(headline)}</div>'
                name_class = ' class="long"'
            cells = [
                f'<td{name_class} data-label="{head[0]}">{name}</td>',
                f'<td class="lights" data-label="{head[1]}" '
                f'aria-label="{e(_say_counts(counts))}">{lights}</td>',
                f'<td data-label="{head[2]}">{star}</td>',
                f'<td data-label="{head[3]}">{e(r.off_track_indicators or NA_TEXT)}</td>',
            ]
            out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div></section>")
    return "".join(out)


def _say_counts(counts) -> str:
    return "，".join(f"{v} {int(n)} 项" for v, _, n in counts)


def render_index(
    entries: list[ManifestEntry],
    *,
    period_label: str,
    is_sample: bool,
    summary: pd.DataFrame | None = None,
    provenance: str = "",
) -> str:
    """The index page: the answer-first summary, then links to every report.

    All text is escaped and links are relative; the seconds each report took are in
    ``manifest.json``, not here.

    Parameters
    ----------
    entries
        Manifest entries in display order.
    period_label
        E.g. ``2016年1-6月``.
    is_sample
        Show the 示例数据 banner.
    summary
        From :func:`zoneanalysis.reporting.summary.build_index_summary`; no summary table when
        ``None`` or empty.
    provenance
        The generation time and data cut-off line
        (:func:`zoneanalysis.reporting.exporter.describe_provenance`).
    """
    e = html.escape
    failed = [x for x in entries if x.status != "ok"]
    title = f"{period_label}郑州市产业集聚区月度报告"
    css = read_report_css() + "\n" + render_print_css(title, is_sample=is_sample)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(period_label)}产业集聚区月度报告</title>",
        f'<style>{css}</style></head><body><main class="report">',
        render_nav("", provenance),
        render_banner(is_sample),
        f"<h1>{e(period_label)}郑州市产业集聚区月度报告</h1>",
    ]
    pages = [x for x in entries if x.kind != "office"]
    files = [x for x in entries if x.kind == "office"]
    page_failed = [x for x in failed if x.kind != "office"]
    overview_line = f"共 {len(pages)} 份报告，成功 {len(pages) - len(page_failed)} 份"
    overview_line += f"，失败 {len(page_failed)} 份" if page_failed else ""
    if files:
        overview_line += f"；另有台账工作簿与简报草稿 {len(files)} 个文件"
        overview_line += (
            f"（{len(failed) - len(page_failed)} 个未能生成）"
            if len(failed) > len(page_failed)
            else ""
        )
    overview_line += "。"
    if summary is not None and not summary.empty:
        parts.append(render_summary(summary, entries))
    parts.append(f'<p class="lead">{e(overview_line)}</p>')
    for kind in ["overview", "rankings", "zone", "office"]:
        group = [x for x in entries if x.kind == kind]
        if not group:
            continue
        parts.append(f'<h2>{e(KIND_ZH[kind])}</h2><ul class="index-list">')
        for x in group:
            if x.status == "ok" and x.html:
                item = f'<a href="{e(x.html)}">{e(x.title)}</a>'
            else:
                item = (
                    f'{e(x.title)} <span class="status-failed">{e(STATUS_ZH["failed"])}</span>'
                    f"：{e(x.error or '')}"
                )
            parts.append(f"<li>{item}</li>")
        parts.append("</ul>")
    parts.append(
        f'<footer class="page-footer">{e(provenance)}<p class="no-print">供分析人员核查：'
        "各报告执行后的笔记本在本文件夹的“executed”子文件夹中；"
        '<a href="manifest.json">运行记录</a>列出每份报告的状态与用时。</p>'
        f"{render_nav('')}</footer></main></body></html>"
    )
    return "\n".join(parts)


def write_index(
    entries: list[ManifestEntry],
    out_dir: Path,
    *,
    period_label: str,
    is_sample: bool,
    summary: pd.DataFrame | None = None,
    provenance: str = "",
) -> Path:
    """Write ``index.html`` into ``out_dir`` (see :func:`render_index`)."""
    text = render_index(
        entries,
        period_label=period_label,
        is_sample=is_sample,
        summary=summary,
        provenance=provenance,
    )
    return write_text_atomic(text, Path(out_dir) / "index.html")
