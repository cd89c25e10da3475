"""Executed notebook → one self-contained, offline HTML page.

No input cells, no prompts, no ``<script src>`` or ``<link href>`` to anything: the Vega bundle is
inlined once per page and each chart output becomes one ``vegaEmbed`` call. Every value from data
is escaped by the display helpers; chart specs are embedded as JSON with ``<``, ``>`` and ``&``
escaped so no zone name can close a script element.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import os
import threading
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import HTMLExporter
from traitlets import default
from traitlets.config import Config

from zoneanalysis.atomic import write_text_atomic
from zoneanalysis.reporting.display import CHART_MIMETYPE, render_banner

TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "zoneanalysis_html"
LOCALE = "zh-CN"
#: Sections (by heading) shown on screen but left out of print: the cleaning log and sources.
PRINT_OMIT_SECTIONS = ("数据说明",)
#: The reproducible-builds variable that fixes the generation time pages show.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


@functools.cache
def read_vega_bundle() -> str:
    """The Vega, Vega-Lite and vega-embed JavaScript (~0.9 MB), safe inside a ``<script>``."""
    import vl_convert

    return vl_convert.javascript_bundle().replace("</script", "<\\/script")


@functools.cache
def read_report_css() -> str:
    """The page stylesheet (screen, phone width, print)."""
    return (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")


@functools.cache
def build_embed_options() -> str:
    """Options for vegaEmbed as JSON: SVG renderer, tooltips, no action menu, zh-CN number/time."""
    import vl_convert

    options = {
        "renderer": "svg",
        "actions": False,
        "tooltip": {"theme": "light"},
        "formatLocale": vl_convert.get_format_locale(LOCALE),
        "timeFormatLocale": vl_convert.get_time_format_locale(LOCALE),
    }
    return escape_json_for_script(options)


def escape_json_for_script(value: Any) -> str:
    """JSON text that cannot end a ``<script>`` element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class ReportExporter(HTMLExporter):
    """nbconvert HTML exporter with the offline report template."""

    export_from_notebook = "zoneanalysis report"

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    @property
    def default_config(self) -> Config:  # noqa: D102 (nbconvert hook)
        config = super().default_config.copy()
        config.merge(
            Config(
                {
                    "NbConvertBase": {
                        "display_data_priority": [
                            CHART_MIMETYPE,
                            "text/html",
                            "text/markdown",
                            "image/svg+xml",
                            "image/png",
                            "text/plain",
                        ]
                    }
                }
            )
        )
        return config

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._chart_count = 0

    def default_filters(self):  # noqa: D102 (nbconvert hook)
        yield from super().default_filters()
        yield ("za_chart", self.render_chart)

    def render_chart(self, spec: dict) -> str:
        """Markup for one chart: a target ``<div>`` and its spec as inert JSON."""
        self._chart_count += 1
        target = f"chart-{self._chart_count}"
        return (
            f'<div class="chart" id="{target}"></div>'
            f'<script type="application/json" class="za-spec" data-target="{target}">'
            f"{escape_json_for_script(spec)}</script>"
        )


_PER_THREAD = threading.local()


def get_exporter() -> ReportExporter:
    """One exporter per thread (building the Jinja environment costs ~0.1 s).

    Per thread, not per process: an export numbers its charts on the exporter
    (``chart-1``, ``chart-2``, …), so two pages exported at once by one shared exporter (a dask
    worker with several threads) would number each other's charts.
    """
    exporter = getattr(_PER_THREAD, "exporter", None)
    if exporter is None:
        exporter = _PER_THREAD.exporter = ReportExporter()
    return exporter


def count_charts(nb: nbformat.NotebookNode) -> int:
    """Number of chart outputs in an executed notebook."""
    return sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if CHART_MIMETYPE in out.get("data", {})
    )


def _has_banner(nb: nbformat.NotebookNode) -> bool:
    return any(
        "sample-banner" in str(out.get("data", {}).get("text/html", ""))
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    )


def generation_time() -> dt.datetime:
    """The time pages say they were generated: now, or ``SOURCE_DATE_EPOCH`` when it is set.

    ``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention) makes two runs
    on the same data write byte-identical pages; it is shown in UTC, as the convention asks.

    Raises
    ------
    ConfigError
        If ``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds.
    """
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not epoch:
        return dt.datetime.now()
    if not epoch.isdigit():
        from zoneanalysis.errors import ConfigError

        raise ConfigError(
            f"环境变量 {SOURCE_DATE_EPOCH} 的值“{epoch}”不是整数秒",
            hint=f"请设为 1970 年以来的秒数（例如 date +%s 的输出），或取消设置 {SOURCE_DATE_EPOCH}。",
        )
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)


def describe_provenance(data_cutoff: str, generated_at: dt.datetime | None = None) -> str:
    """The provenance line every page carries: when it was generated and the data cut-off.

    Parameters
    ----------
    data_cutoff
        The latest period in the raw data, e.g. ``2016年1-9月``.
    generated_at
        Generation time; by default :func:`generation_time` (now, or ``SOURCE_DATE_EPOCH``).
    """
    when = (generated_at or generation_time()).strftime("%Y-%m-%d %H:%M")
    return f"生成于 {when} · 数据截至 {data_cutoff}（最新一期报表）"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot close the string or the ``<style>`` element."""
    out = []
    for ch in text:
        if ch.isalnum() or ch in " ·-_（）()：:,，。" or ord(ch) > 0x2E7F:
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x}")
    return '"' + "".join(out) + '"'


def render_print_css(title: str, *, is_sample: bool) -> str:
    """Per-page print rules: A4, the page title (and 示例数据) in every page's margin, page numbers.

    The running head is a page-margin box, so Chromium repeats it on every printed page.
    """
    head = ("示例数据 · " if is_sample else "") + title
    return (
        "@page { size: A4; margin: 16mm 12mm 16mm 12mm;"
        f" @top-left {{ content: {css_string(head)}; font-size: 8pt; color: #555; }}"
        ' @bottom-right { content: "第 " counter(page) " / " counter(pages) " 页";'
        " font-size: 8pt; color: #555; } }"
    )


def render_nav(root: str, provenance: str = "", *, province: bool = False) -> str:
    """The links every page starts and ends with (index, overview, rankings, back).

    Parameters
    ----------
    root
        Relative path from the page to the report folder (``""`` or ``"../"``).
    provenance
        From :func:`describe_provenance` (escaped here), shown under the links; none if empty.
    province
        Also link the province overview (a ``--scope province`` batch writes ``province.html``).
    """
    e = html.escape
    links = [("index.html", "首页"), ("overview.html", "全市总览"), ("rankings.html", "排名")]
    if province:
        links.insert(2, ("province.html", "全省总览"))
    items = [f'<a href="{e(root + href)}">{label}</a>' for href, label in links]
    # Back to the page the reader came from; without history (opened directly) back to the index.
    items.append(
        f'<a href="{e(root)}index.html" class="nav-back" '
        'onclick="if (history.length > 1) { history.back(); return false; }">← 返回</a>'
    )
    line = f'<p class="provenance">{e(provenance)}</p>' if provenance else ""
    return f'<nav class="page-nav" aria-label="报告导航">{" ".join(items)}</nav>{line}'


def export_report_html(
    nb: nbformat.NotebookNode,
    *,
    title: str,
    is_sample: bool,
    footer: str = "",
    root: str = "",
    province: bool = False,
) -> str:
    """Render an executed notebook as one offline HTML page.

    Parameters
    ----------
    nb
        The executed notebook.
    title
        Page title (escaped).
    is_sample
        Show the 示例数据 banner (added here unless the notebook already shows one) and put
        示例数据 in every printed page's running head.
    footer
        The provenance line (escaped), e.g. from :func:`describe_provenance`: shown under the
        navigation and at the bottom.
    root
        Relative path from the page to the report folder, for the navigation links.
    province
        The navigation also links the province overview (:func:`render_nav`).

    Returns
    -------
    str
        The HTML page.
    """
    exporter = get_exporter()
    exporter._chart_count = 0
    has_charts = count_charts(nb) > 0
    resources = {
        "za_title": title,
        "za_css": read_report_css() + "\n" + render_print_css(title, is_sample=is_sample),
        "za_has_charts": has_charts,
        "za_vega_bundle": read_vega_bundle() if has_charts else "",
        "za_embed_options": build_embed_options(),
        "za_chart_mimetype": CHART_MIMETYPE,
        "za_banner": render_banner(True) if is_sample and not _has_banner(nb) else "",
        "za_nav": render_nav(root, footer, province=province),
        "za_nav_links": render_nav(root, province=province),
        "za_print_omit": list(PRINT_OMIT_SECTIONS),
        "za_omit": False,
        "za_footer": footer,
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def write_report_html(
    nb: nbformat.NotebookNode,
    target: str | Path,
    *,
    title: str,
    is_sample: bool,
    footer: str = "",
    root: str | Path | None = None,
    province: bool = False,
) -> Path:
    """Export ``nb`` with :func:`export_report_html` and write it atomically to ``target``.

    ``root`` is the report folder (the navigation links are made relative to it); the page's own
    folder by default; ``province`` adds the province overview to the navigation.
    """
    target = Path(target)
    rel = os.path.relpath(Path(root), target.parent) if root is not None else "."
    prefix = "" if rel == "." else Path(rel).as_posix() + "/"
    page = export_report_html(
        nb, title=title, is_sample=is_sample, footer=footer, root=prefix, province=province
    )
    return write_text_atomic(page, target)
