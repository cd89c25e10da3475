"""The report rules (``report_rules.yaml``) as one validated model.

Verdict cut-offs, star risk, lag tolerances, big-project thresholds, the 持平 band of the pace
verdict, aggregates, list display.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from zoneanalysis import paths
from zoneanalysis.rules.loader import RulesModel, load_rules_file

REPORT_RULES_NAME = "report_rules.yaml"
Level = Literal["provincial", "city_park"]
Probability = Field(ge=0.0, le=1.0)


class VerdictRules(RulesModel):
    """Traffic lights by ``p_meet_target`` (or, without it, by projected / target).

    ``p`` ≥ ``p_on_track`` green, ≥ ``p_at_risk`` amber, else red; without a probability,
    projected/target ≥ 1 green, ≥ ``ratio_at_risk`` amber, else red.
    """

    p_on_track: float = Probability
    p_at_risk: float = Probability
    ratio_at_risk: float = Field(gt=0.0, le=1.0)

    @model_validator(mode="after")
    def _ordered(self) -> VerdictRules:
        if self.p_at_risk > self.p_on_track:
            raise ValueError("p_at_risk 不能大于 p_on_track")
        return self


class StarRules(RulesModel):
    """A zone with a star target is at risk when P(reach target) < ``at_risk_probability``."""

    at_risk_probability: float = Probability


class LedgerReportRules(RulesModel):
    """Lag tolerances (percentage points behind time progress) and big-project thresholds (亿元)."""

    count_lag_pp: float = Field(ge=0.0, le=100.0)
    investment_lag_pp: float = Field(ge=0.0, le=100.0)
    big_project_min_investment: dict[Level, float]

    @model_validator(mode="after")
    def _positive(self) -> LedgerReportRules:
        for level, value in self.big_project_min_investment.items():
            if value <= 0:
                raise ValueError(f"big_project_min_investment.{level} 应大于 0")
        return self


class ProgressRules(RulesModel):
    """时间过半、任务过半: task progress within ``level_band_pp`` points of its yardstick is 持平."""

    level_band_pp: float = Field(ge=0.0, le=100.0)


class AggregateRule(RulesModel):
    """One aggregate: its Chinese name and the registry levels it sums."""

    name_zh: str = Field(min_length=1)
    levels: tuple[Level, ...] = Field(min_length=1)


class DisplayRules(RulesModel):
    """How many ranks a list shows, and the order of the lists."""

    rank_head_margin: int = Field(ge=0)
    rank_head_minimum: int = Field(ge=1)
    list_order: tuple[str, ...]


class ReportRules(RulesModel):
    """Everything in ``report_rules.yaml``.

    Attributes
    ----------
    verdict, stars, ledger, progress, aggregates, display
        The sections of the file (see the comments at its top).
    """

    verdict: VerdictRules
    stars: StarRules
    ledger: LedgerReportRules
    progress: ProgressRules
    aggregates: dict[str, AggregateRule] = Field(min_length=1)
    display: DisplayRules


def report_rules_path(path: str | Path | None = None) -> Path:
    """The report-rules file for ``path`` (a file, or a reference folder).

    A file is used as given; a folder's ``report_rules.yaml`` if it has one, else the shipped
    file (so a reference folder holding only some of the files still works).
    """
    if path is None:
        return paths.REPORT_RULES_FILE
    path = Path(path)
    if path.is_dir():
        own = path / REPORT_RULES_NAME
        return own if own.exists() else paths.REPORT_RULES_FILE
    return path


@lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int) -> ReportRules:
    return load_rules_file(path, ReportRules, "报告规则")


def load_report_rules(path: str | Path | None = None) -> ReportRules:
    """Read and validate the report rules.

    Parameters
    ----------
    path
        ``report_rules.yaml`` or the reference folder that holds it; the shipped file by default.

    Returns
    -------
    ReportRules
        The validated rules (cached per file and modification time).

    Raises
    ------
    ConfigError
        Naming the file and key of a missing key, an unknown key or a value out of range.
    """
    file = report_rules_path(path)
    try:
        mtime = file.stat().st_mtime_ns
    except OSError:
        mtime = -1
    return _load(file, mtime)
