"""The verdict rule: whether a target is on track, at risk or off track.

The cut-offs are policy, read from ``report_rules.yaml`` (``verdict``); the words are
:data:`zoneanalysis.labels.ON_TRACK` and its siblings. Pages, the workbook, the brief, the year-end
evaluation and the quarter comparison all judge by this one rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from zoneanalysis.labels import AT_RISK, OFF_TRACK, ON_TRACK
from zoneanalysis.rules.report import load_report_rules


def _rule(name: str) -> float:
    return getattr(load_report_rules().verdict, name)


@dataclass(frozen=True)
class VerdictThresholds:
    """When a target counts as on track, at risk or off track (defaults: report_rules.yaml).

    Attributes
    ----------
    p_on_track
        ``p_meet_target`` at or above this: on track.
    p_at_risk
        ``p_meet_target`` at or above this (and below ``p_on_track``): at risk; below: off track.
    ratio_at_risk
        Used only when ``p_meet_target`` is missing: projected / target at or above 1 is on
        track, at or above this is at risk, below is off track.
    """

    p_on_track: float = field(default_factory=lambda: _rule("p_on_track"))
    p_at_risk: float = field(default_factory=lambda: _rule("p_at_risk"))
    ratio_at_risk: float = field(default_factory=lambda: _rule("ratio_at_risk"))


def classify_verdict(
    p_meet: float | None,
    projected: float | None,
    target: float | None,
    thresholds: VerdictThresholds | None = None,
) -> str | None:
    """One target's verdict: on track, at risk or off track (``None`` without a target).

    Parameters
    ----------
    p_meet
        Probability of meeting the target (0–1), may be missing.
    projected, target
        Projected year-end value and the target (fallback when ``p_meet`` is missing).
    thresholds
        Cut-offs; the report rules' by default.

    Examples
    --------
    >>> t = VerdictThresholds(0.7, 0.3, 0.95)
    >>> [classify_verdict(p, 90.0, 100.0, t) for p in (0.7, 0.3, 0.29, None)]
    ['有望完成', '有风险', '难以完成', '难以完成']
    >>> classify_verdict(None, 96.0, 100.0, t), classify_verdict(0.9, 1.0, None, t)
    ('有风险', None)
    """
    thresholds = thresholds or VerdictThresholds()
    if target is None or pd.isna(target):
        return None
    if p_meet is not None and not pd.isna(p_meet):
        if p_meet >= thresholds.p_on_track:
            return ON_TRACK
        return AT_RISK if p_meet >= thresholds.p_at_risk else OFF_TRACK
    if projected is None or pd.isna(projected) or target == 0:
        return None
    ratio = projected / target
    if ratio >= 1:
        return ON_TRACK
    return AT_RISK if ratio >= thresholds.ratio_at_risk else OFF_TRACK


def classify_rows(
    rows: pd.DataFrame, thresholds: VerdictThresholds | None = None
) -> list[str | None]:
    """:func:`classify_verdict` of every projections row (``p_meet_target``, projected, target)."""
    thresholds = thresholds or VerdictThresholds()
    return [
        classify_verdict(p, v, t, thresholds)
        for p, v, t in zip(rows["p_meet_target"], rows["projected_value"], rows["target_value"])
    ]
