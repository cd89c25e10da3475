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
    "province": "全省总览",
    "zone": "集聚区报告",
    "office": "台账与简报（下载）",
    "pages": "总览与排名",
}
#: The index's own styles (city groups, the search box), added to the report stylesheet.
INDEX_CSS = """
.zone-search { margin: 8px 0 12px; }
.zone-search input { font: inherit; padding: 6px 10px; width: 100%; max-width: 28em;
  border: 1px solid #9e9e9e; border-radius: 4px; }
.zone-search .search-count { color: var(--muted); font-size: 0.9em; margin-left: 8px; }
.city-jump { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 0.92em; margin: 6px 0 10px; }
.city-jump a { text-decoration: none; white-space: nowrap; }
.city-group h3 { margin: 14px 0 4px; }
.city-group h3 .n { color: var(--muted); font-weight: normal; font-size: 0.9em; }
ul.zone-grid { columns: 3 15em; column-gap: 24px; padding-left: 1.2em; margin: 4px 0; }
ul.zone-grid li { break-inside: avoid; margin: 2px 0; }
ul.zone-grid .short { color: var(--muted); font-size: 0.88em; }
@media print { .zone-search, .city-jump { display: none !important; }
  ul.zone-grid { columns: 3; font-size: 9pt; } }
"""
#: Filters the zone links by name, short name, city or id as the reader types (no network).
#: Without JavaScript the box stays hidden and every link is listed.
SEARCH_SCRIPT = """
(function () {
  var box = document.getElementById("zone-search-box");
  if (!box) { return; }
  var input = box.querySelector("input"), count = box.querySelector(".search-count");
  var items = document.querySelectorAll("#zone-links li[data-search]");
  var groups = document.querySelectorAll("#zone-links .city-group");
  function norm(text) { return text.toLowerCase().replace(/\\s+/g, ""); }
  function filter() {
    var q = norm(input.value), shown = 0;
    items.forEach(function (li) {
      var hit = !q || norm(li.getAttribute("data-search")).indexOf(q) >= 0;
      li.hidden = !hit; if (hit) { shown += 1; }
    });
    groups.forEach(function (g) {
      g.hidden = !g.querySelector("li[data-search]:not([hidden])");
    });
    count.textContent = q ? "找到 " + shown + " 个" : "共 " + items.length + " 个";
  }
  box.hidden = false;
  input.addEventListener("input", filter);
  filter();
})();
"""


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
    city
        The zone's city (zone reports; see :func:`attach_cities`).
    """

    report: str
    kind: str
    title: str
    html: str | None
    notebook: str | None
    status: str
    seconds: float
    error: str | None = None
    city: str | None = None


def zone_of(entry: ManifestEntry) -> str | None:
    """The zone id of a zone report's entry (``zones/<zone_id>``), else ``None``."""
    if entry.kind != "zone" or not entry.report.startswith("zones/"):
        return None
    return entry.report.split("/", 1)[1]


def attach_cities(entries: list[ManifestEntry], zones: pd.DataFrame) -> list[ManifestEntry]:
    """The entries with each zone report's city filled in from the registry."""
    from dataclasses import replace

    city = dict(zip(zones["zone_id"], zones["city"].astype(str), strict=True))
    return [replace(e, city=city.get(zone_of(e) or "", e.city)) for e in entries]


def write_manifest(
    entries: list[ManifestEntry],
    out_dir: Path,
    *,
    period: str,
    is_sample: bool,
    scope: str = "city",
) -> Path:
    """Write ``manifest.json`` (UTF-8, Chinese kept readable), with the run's scope."""
    data = {
        "period": period,
        "scope": scope,
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

    Kept in one piece (about 65 lines): it writes one HTML table top to bottom (legend, head,
    one group of rows per scope), so the markup reads in the order the page shows it.

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
        f'<p class="note">每行列出该范围各项目标分别有几项{e(ON_TRACK)}、{e(AT_RISK)}、{e(OFF_TRACK)}'
        f"（与各报告同一规则）：{e(describe_verdict_thresholds())}点击名称打开报告。</p>",
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
    zones: pd.DataFrame | None = None,
    scope: str = "city",
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
    zones
        The registry: zone links show their short names and, grouped by city, are searchable by
        name, short name, city or id. Without it an entry's ``city`` groups the links.
    scope
        ``province``: the title names the province, zone links are grouped by city with counts
        and a search box filters them (a small inline script; the box shows only when scripts
        run, and every link is listed without them). ``city``: as before, the links grouped by
        city only when they come from more than one.
    """
    e = html.escape
    failed = [x for x in entries if x.status != "ok"]
    where = "全省" if scope == "province" else "郑州市"
    title = f"{period_label}{where}产业集聚区月度报告"
    css = read_report_css() + "\n" + render_print_css(title, is_sample=is_sample) + INDEX_CSS
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(period_label)}产业集聚区月度报告</title>",
        f'<style>{css}</style></head><body><main class="report">',
        render_nav("", provenance, province=scope == "province"),
        render_banner(is_sample),
        f"<h1>{e(title)}</h1>",
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
    # In province scope the three summary pages share one heading above the long zone list.
    pages_kinds = ("overview", "rankings", "province")
    sections = [[k] for k in ["overview", "rankings", "province", "zone", "office"]]
    if scope == "province":
        sections = [list(pages_kinds), ["zone"], ["office"]]
    for kinds in sections:
        group = [x for x in entries if x.kind in kinds]
        kind = kinds[0] if len(kinds) == 1 else "pages"
        if not group:
            continue
        if kind == "zone" and _groups_by_city(group, zones, scope):
            parts.append(render_zone_links(group, zones, searchable=scope == "province"))
            continue
        parts.append(f'<h2>{e(KIND_ZH[kind])}</h2><ul class="index-list">')
        parts += [f"<li>{_link(x)}</li>" for x in group]
        parts.append("</ul>")
    parts.append(
        f'<footer class="page-footer">{e(provenance)}<p class="no-print">供分析人员核查：'
        "各报告执行后的笔记本在本文件夹的“executed”子文件夹中；"
        '<a href="manifest.json">运行记录</a>列出每份报告的状态与用时。</p>'
        f"{render_nav('', province=scope == 'province')}</footer></main>"
    )
    if scope == "province" and any(x.kind == "zone" for x in entries):
        parts.append(f"<script>{SEARCH_SCRIPT}</script>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _link(x: ManifestEntry, extra: str = "", label: str | None = None) -> str:
    """A report's link (``label`` or its title), or the title marked failed with the error."""
    e = html.escape
    text = e(label or x.title)
    if x.status == "ok" and x.html:
        return f'<a href="{e(x.html)}">{text}</a>{extra}'
    return (
        f'{text}{extra} <span class="status-failed">{e(STATUS_ZH["failed"])}</span>'
        f"：{e(x.error or '')}"
    )


def _cities_of(entries: list[ManifestEntry], zones: pd.DataFrame | None) -> list[str]:
    city = {} if zones is None else dict(zip(zones["zone_id"], zones["city"].astype(str)))
    return [city.get(zone_of(x) or "", x.city or "") or "（未注明）" for x in entries]


def _groups_by_city(entries: list[ManifestEntry], zones: pd.DataFrame | None, scope: str) -> bool:
    return scope == "province" or len(set(_cities_of(entries, zones))) > 1


def render_zone_links(
    entries: list[ManifestEntry], zones: pd.DataFrame | None, *, searchable: bool
) -> str:
    """The zone reports' links grouped by city (registry order), each group with its count.

    Parameters
    ----------
    entries
        The zone reports' manifest entries.
    zones
        The registry, for each zone's city and short name (the entries' ``city`` without it).
    searchable
        Add the search box (hidden until :data:`SEARCH_SCRIPT` runs) and a line of links that
        jump to each city's group.

    Returns
    -------
    str
        Escaped HTML; every link is in the markup, so the page lists them all without scripts.
    """
    e = html.escape
    cities = _cities_of(entries, zones)
    short = {} if zones is None else dict(zip(zones["zone_id"], zones["short_name"].astype(str)))
    order = list(dict.fromkeys(cities))
    heading = f"{KIND_ZH['zone']}（共 {len(entries)} 个，分布在 {len(order)} 个市）"
    out = [f'<section id="zone-links"><h2>{e(heading)}</h2>']
    if searchable:
        out.append(
            '<div class="zone-search no-print" id="zone-search-box" hidden>'
            '<label for="zone-search">查找集聚区（按名称、简称、所在市或代码，例如 新乡、经开区）：</label><br>'
            '<input type="search" id="zone-search" autocomplete="off" '
            'placeholder="名称、简称、所在市或代码">'
            '<span class="search-count" aria-live="polite"></span></div>'
        )
        jumps = " ".join(
            f'<a href="#city-{i}">{e(c)} {cities.count(c)}</a>' for i, c in enumerate(order, 1)
        )
        out.append(f'<nav class="city-jump no-print" aria-label="按市跳转">{jumps}</nav>')
    for i, city in enumerate(order, 1):
        mine = [x for x, c in zip(entries, cities, strict=True) if c == city]
        out.append(
            f'<div class="city-group" id="city-{i}"><h3>{e(city)} '
            f'<span class="n">{len(mine)} 个</span></h3><ul class="index-list zone-grid">'
        )
        for x in mine:
            zone_id = zone_of(x) or ""
            name = short.get(zone_id, "")
            # The period is in the page title; each link names only its zone.
            label = x.title.split(" · ")[0]
            # A short name is shown when it is not already part of the official name.
            extra = f' <span class="short">{e(name)}</span>' if name and name not in label else ""
            words = " ".join(w for w in (label, name, city, zone_id) if w)
            out.append(f'<li data-search="{e(words)}">{_link(x, extra, label)}</li>')
        out.append("</ul></div>")
    out.append("</section>")
    return "".join(out)


def write_index(
    entries: list[ManifestEntry],
    out_dir: Path,
    *,
    period_label: str,
    is_sample: bool,
    summary: pd.DataFrame | None = None,
    provenance: str = "",
    zones: pd.DataFrame | None = None,
    scope: str = "city",
) -> Path:
    """Write ``index.html`` into ``out_dir`` (see :func:`render_index`)."""
    text = render_index(
        entries,
        period_label=period_label,
        is_sample=is_sample,
        summary=summary,
        provenance=provenance,
        zones=zones,
        scope=scope,
    )
    return write_text_atomic(text, Path(out_dir) / "index.html")
