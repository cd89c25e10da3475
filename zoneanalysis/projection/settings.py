"""Method settings of the year-end projection, in one validated structure, read from data.

The values live in ``data/raw/reference/projection_settings.yaml`` (read by
:func:`zoneanalysis.rules.load_projection_settings`); the defaults below only document the shipped
choice and serve a file that leaves a key out.

Every number the projection methods choose by rule rather than by estimation lives here: how the
backtest loss weighs bias against spread, how strongly a measured bias is shrunk toward zero, the
history a method needs, how many paths are simulated, and the fall-backs used where the backtest
has nothing to say. None of them is fitted to a particular data set; where the data can decide
(the bias shrinkage), the rule lets it (leave-one-year-out cross-validation over a grid).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from zoneanalysis import paths
from zoneanalysis.rules.loader import load_rules_file

Method = Literal["seasonal_share", "carry_growth", "run_rate", "remainder_growth", "ets"]


class ProjectionSettings(BaseModel):
    """Settings of the projection methods, the combination and the simulation."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    candidates: tuple[Method, ...] = Field(
        ("seasonal_share", "carry_growth", "run_rate", "remainder_growth", "ets"), min_length=1
    )
    """Methods backtested and combined."""

    min_ets_years: int = Field(2, ge=1, le=10)
    """Complete past years the ETS model needs (fewer: ETS is left out)."""

    weight_power: float = Field(2.0, gt=0)
    """Combination weights ∝ 1 / loss ** weight_power (2: a clearly better method dominates)."""

    bias_weight: float = Field(1.0, ge=0)
    """Weight of |mean signed % error| in the backtest loss (loss = MAPE + this × |bias|)."""

    bias_shrink_grid: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 4.0, float("inf"))
    """Candidate shrinkage constants k: a bias measured on n years is multiplied by n / (n + k).

    The k with the smallest leave-one-year-out squared log error is chosen per indicator
    (``inf`` = no correction, 0 = the full measured bias)."""

    bias_shrink_default: float = Field(1.0, ge=0)
    """Shrinkage constant k used where cross-validation cannot run (fewer than two tested years)."""

    min_seasonal_years: int = Field(1, ge=1)
    """Past years with a year-end the seasonal share (历年同期完成比例) needs (1: one year suffices)."""

    min_errors: int = Field(8, ge=2)
    """Fewer backtest errors than this in a group: its spread is pooled from a wider group."""

    default_sigma: float = Field(0.3, gt=0)
    """Spread of the log error (remainder for flows) where the backtest has no errors at all."""

    no_backtest_sigma_factor: float = Field(1.5, ge=1)
    """With no year to backtest (one past year only), the spread is the disagreement-based
    estimate times this factor, and never below ``default_sigma``: wide on purpose."""

    no_backtest_weights: dict[str, float] = {"carry_growth": 0.5, "seasonal_share": 0.5}
    """Combination used with no backtest: carried YTD growth and the one-year seasonal share."""

    default_common_share: float = Field(0.3, ge=0, le=0.95)
    """Share of the error common to all zones within a year, where it cannot be estimated."""

    max_common_share: float = Field(0.95, gt=0, le=1)
    """Upper bound of an estimated common share (keeps some zone-specific error)."""

    n_sims: int = Field(2000, ge=1)
    """Simulated year-end paths per series in a projection run."""

    backtest_sims: int = Field(200, ge=2)
    """ETS paths per backtest projection (only their spread is used)."""

    aggregate_backtest_sims: int = Field(400, ge=10)
    """Simulated paths per aggregate line and origin when the aggregates' coverage is backtested."""

    reliability_growths_pct: tuple[float, ...] = (0.0, 5.0, 10.0, 15.0, 20.0)
    """Growth targets over last year's year-end at which P(meet target) is scored in the backtest."""

    reliability_bins: tuple[float, ...] = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
    """Edges of the P(meet target) bins of the reliability table."""


DEFAULT_SETTINGS: ProjectionSettings = load_rules_file(
    paths.PROJECTION_SETTINGS_FILE, ProjectionSettings, "年末预测设置"
)
