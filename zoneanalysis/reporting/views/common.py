"""What every page's tables share: the report rules, a unit's rows, example targets."""

from __future__ import annotations

import pandas as pd

from zoneanalysis.labels import EXAMPLE_TARGET, NA_TEXT, TARGET_SERIES, indicator_names
from zoneanalysis.rules.report import load_report_rules

#: Rules from data/raw/reference/report_rules.yaml (zoneanalysis.rules.load_report_rules).
_RULES = load_report_rules()
AGGREGATE_IDS = list(_RULES.aggregates)
#: Order of the ranking lists on a page (report_rules.yaml ``display.list_order``).
LIST_ORDER = list(_RULES.display.list_order)


def list_example_target_ids(targets: dict) -> set[str]:
    """Zones whose targets in the targets YAML are examples (``is_example: true``).

    Aggregate targets come from the plan and are never examples.
    """
    zones = targets.get("zones") or {}
    return {
        zone_id
        for zone_id, spec in zones.items()
        if isinstance(spec, dict) and bool(spec.get("is_example", False))
    }


def label_target(unit_id: str, targets: dict) -> str:
    """``目标（示例）`` for a zone whose target is an example, else ``目标``."""
    return EXAMPLE_TARGET if unit_id in list_example_target_ids(targets) else TARGET_SERIES


def sort_unit_rows(projections: pd.DataFrame, unit_id: str) -> pd.DataFrame:
    """One zone's or aggregate's projections rows, in the indicator catalogue's order."""
    rows = projections[projections["zone_id"] == unit_id]
    order = list(indicator_names())
    rank = {code: i for i, code in enumerate(order)}
    return rows.assign(_o=rows["indicator"].map(rank).fillna(len(order))).sort_values("_o")


def shorten_method(method: object) -> str:
    """``组合预测（沿用累计增速 99%，…）`` → ``组合预测``; other text unchanged."""
    if method is None or (not isinstance(method, str) and pd.isna(method)):
        return NA_TEXT
    text = str(method)
    return text.split("（", 1)[0] or text


def mark_example(value: float, is_example: bool) -> float | str:
    """``value`` as shown, with ``（示例）`` appended when it is an example figure."""
    if not is_example or value is None or pd.isna(value):
        return value
    return f"{value:,.1f}（示例）"
