"""The report folder's index.html and manifest.json."""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from zoneanalysis.atomic import write_text_atomic
from zoneanalysis.reporting.display import render_banner
from zoneanalysis.reporting.exporter import read_report_css

STATUS_ZH = {"ok": "已生成", "failed": "失败"}
KIND_ZH = {"overview": "全市总览", "rankings": "排名", "zone": "集聚区报告"}


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


def render_index(entries: list[ManifestEntry], *, period_label: str, is_sample: bool) -> str:
    """The index page linking every report (all text escaped, links relative).

    Parameters
    ----------
    entries
        Manifest entries in display order.
    period_label
        E.g. ``2016年1-6月``.
    is_sample
        Show the 示例数据 banner.
    """
    e = html.escape
    failed = [x for x in entries if x.status != "ok"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(period_label)}产业集聚区月度报告</title>",
        f'<style>{read_report_css()}</style></head><body><main class="report">',
        render_banner(is_sample),
        f"<h1>{e(period_label)}郑州市产业集聚区月度报告</h1>",
    ]
    summary = f"共 {len(entries)} 份报告，成功 {len(entries) - len(failed)} 份"
    summary += f"，失败 {len(failed)} 份。" if failed else "。"
    parts.append(f'<p class="lead">{e(summary)}</p>')
    for kind in ["overview", "rankings", "zone"]:
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
            parts.append(f"<li>{item} <small>（{x.seconds:.1f} 秒）</small></li>")
        parts.append("</ul>")
    parts.append(
        '<footer class="page-footer">供分析人员核查：各报告执行后的笔记本在本文件夹的'
        '“executed”子文件夹中；<a href="manifest.json">运行记录</a>列出每份报告的状态与用时。'
        "</footer></main></body></html>"
    )
    return "\n".join(parts)


def write_index(
    entries: list[ManifestEntry], out_dir: Path, *, period_label: str, is_sample: bool
) -> Path:
    """Write ``index.html`` into ``out_dir``."""
    text = render_index(entries, period_label=period_label, is_sample=is_sample)
    return write_text_atomic(text, Path(out_dir) / "index.html")
