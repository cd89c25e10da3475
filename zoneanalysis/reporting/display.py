"""How a notebook emits charts, tables and text.

A chart is emitted as one output with the Vega-Lite spec under :data:`CHART_MIMETYPE` (a JSON
mimetype, so papermill's nbformat validation accepts it) and a text fallback. The HTML exporter
turns each such output into one ``vegaEmbed`` call on a page that inlines the Vega bundle once.

Outside the batch (an economist in JupyterLab) the same output also carries the chart compiled to
a Vega 5 spec under ``application/vnd.vega.v5+json``: JupyterLab 4 renders that with the Vega it
ships, so charts draw with no internet (it does not render altair 6's Vega-Lite v6 output).
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from typing import Any

import pandas as pd

from zoneanalysis.labels import AT_RISK, OFF_TRACK, ON_TRACK
from zoneanalysis.reporting.answer import INTEGER_UNITS, format_probability

CHART_MIMETYPE = "application/vnd.zoneanalysis.vegalite+json"
VEGA5_MIMETYPE = "application/vnd.vega.v5+json"
#: The Vega-Lite compiler version whose output JupyterLab's Vega 5 renders.
JUPYTERLAB_VL_VERSION = "5.21"
#: Chart width in JupyterLab, where "container" width resolves to nothing.
JUPYTERLAB_WIDTH = 640
MODE_ENV = "ZONEANALYSIS_REPORT_MODE"
#: Cells with more characters than this wrap (project names, reasons, notes); shorter ones
#: (zone names, verdicts) stay on one line.
LONG_TEXT = 18
LIGHT_CLASSES = {ON_TRACK: "light-green", AT_RISK: "light-amber", OFF_TRACK: "light-red"}


def is_batch_mode() -> bool:
    """True inside the report batch (set by the batch runner through the environment)."""
    return os.environ.get(MODE_ENV) == "batch"


def build_chart_bundle(chart: Any, *, for_jupyterlab: bool | None = None) -> dict[str, Any]:
    """The mimebundle for one chart.

    Parameters
    ----------
    chart
        An altair chart (or a Vega-Lite spec dict).
    for_jupyterlab
        Also add a Vega 5 spec for JupyterLab's built-in renderer; by default when not in batch
        mode.

    Returns
    -------
    dict
        ``{CHART_MIMETYPE: spec, "text/plain": ..., [VEGA5_MIMETYPE: vega_spec]}``.
    """
    if for_jupyterlab is None:
        for_jupyterlab = not is_batch_mode()
    # Schema validation costs ~0.1 s per chart; the batch trusts the tested chart functions.
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=not is_batch_mode())
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    bundle: dict[str, Any] = {CHART_MIMETYPE: spec, "text/plain": f"[图表] {title or ''}".strip()}
    if for_jupyterlab:
        import vl_convert

        fixed = _fix_container_width(spec)
        bundle[VEGA5_MIMETYPE] = vl_convert.vegalite_to_vega(
            fixed, vl_version=JUPYTERLAB_VL_VERSION
        )
    return bundle


def _fix_container_width(spec: Any, width: int = JUPYTERLAB_WIDTH) -> Any:
    """A copy of ``spec`` with ``width: "container"`` fixed (JupyterLab's output has no width)."""
    if isinstance(spec, dict):
        return {
            k: width if k == "width" and v == "container" else _fix_container_width(v, width)
            for k, v in spec.items()
        }
    if isinstance(spec, list):
        return [_fix_container_width(v, width) for v in spec]
    return spec


def show_chart(chart: Any) -> None:
    """Display a chart (see the module docstring for what is emitted)."""
    from IPython.display import display

    display(build_chart_bundle(chart), raw=True)


def _format_cell(
    value: object, column: str, percent: set[str], probability: set[str], unit: object = None
) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if isinstance(value, bool):
        return "是" if value else ""
    if column in probability and isinstance(value, int | float):
        # Rounded down, so a shown figure never crosses a threshold the true one does not.
        return format_probability(value)
    if isinstance(value, float):
        if column in percent:
            return f"{value:,.1f}"
        if isinstance(unit, str) and unit in INTEGER_UNITS:
            return f"{round(value):,d}"
        if abs(value) < 10:
            # Small figures (a park's 3.27 亿元) keep three significant digits.
            return f"{value:,.2f}"
        return f"{value:,.1f}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def render_table(
    frame: pd.DataFrame,
    *,
    light_column: str | None = None,
    probability_columns: Iterable[str] = (),
    highlight_column: str | None = None,
    caption: str | None = None,
) -> str:
    """A frame as an HTML table with every value escaped.

    Parameters
    ----------
    frame
        The table; its column names are the headers.
    light_column
        A verdict column drawn with a traffic light (有望完成 / 有风险 / 难以完成).
    probability_columns
        Columns holding 0–1 probabilities, shown as percentages.
    highlight_column
        A boolean column; rows where it is true are emphasised and the column is not shown.
    caption
        Table caption.

    Returns
    -------
    str
        ``<table>`` markup.
    """
    probability = set(probability_columns)
    percent = {c for c in frame.columns if str(c).endswith("%")}
    columns = [c for c in frame.columns if c != highlight_column]
    out = ['<div class="table-wrap"><table class="za-table">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append(
        "<thead><tr>"
        + "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
        + "</tr></thead><tbody>"
    )
    for _, row in frame.iterrows():
        cls = ' class="highlight"' if highlight_column and bool(row[highlight_column]) else ""
        cells = []
        for c in columns:
            unit = row["单位"] if "单位" in frame.columns else None
            text = html.escape(_format_cell(row[c], str(c), percent, probability, unit))
            numeric = isinstance(row[c], int | float) and not isinstance(row[c], bool)
            if c == light_column and row[c] in LIGHT_CLASSES:
                text = (
                    f'<span class="light {LIGHT_CLASSES[row[c]]}" aria-hidden="true"></span>{text}'
                )
            # data-label: the column name each cell shows on a phone, where rows become cards.
            label = f' data-label="{html.escape(str(c))}"'
            if numeric:
                cells.append(f'<td class="num"{label}>{text}</td>')
            elif len(text) > LONG_TEXT:
                cells.append(f'<td class="long"{label}>{text}</td>')
            else:
                cells.append(f"<td{label}>{text}</td>")
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    if frame.empty:
        return '<p class="empty">（无数据）</p>'
    return "".join(out)


def show_table(frame: pd.DataFrame, **kwargs: Any) -> None:
    """Display :func:`render_table` output."""
    from IPython.display import HTML, display

    display(HTML(render_table(frame, **kwargs)))


def render_banner(is_sample: bool) -> str:
    """The 示例数据 banner (empty string for real data)."""
    if not is_sample:
        return ""
    return (
        '<div class="sample-banner" role="note"><strong>示例数据</strong>：'
        "本页数字由示例数据生成，不代表任何集聚区的真实情况。</div>"
    )


def show_banner(is_sample: bool) -> None:
    """Display the 示例数据 banner when the data is sample data."""
    from IPython.display import HTML, display

    if is_sample:
        display(HTML(render_banner(True)))


def show_heading(text: str, level: int = 1) -> None:
    """Display a heading whose text comes from data (escaped)."""
    from IPython.display import HTML, display

    display(HTML(f"<h{level}>{html.escape(text)}</h{level}>"))


def show_text(text: str, *, css_class: str = "lead") -> None:
    """Display a paragraph whose text comes from data (escaped)."""
    from IPython.display import HTML, display

    display(HTML(f'<p class="{css_class}">{html.escape(text)}</p>'))


def render_answer(lines: list[str], *, lead: str | None = None) -> str:
    """The answer first: an optional lead sentence and one sentence per target (escaped)."""
    if not lines and not lead:
        return ""
    out = ['<div class="answer" role="note">']
    if lead:
        out.append(f'<p class="lead">{html.escape(lead)}</p>')
    if lines:
        out.append("<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in lines) + "</ul>")
    out.append("</div>")
    return "".join(out)


def show_answer(lines: list[str], *, lead: str | None = None) -> None:
    """Display :func:`render_answer` output."""
    from IPython.display import HTML, display

    display(HTML(render_answer(lines, lead=lead)))
