"""The projection settings (``projection_settings.yaml``) as one validated model.

Method candidates, combination weight power, default spread and correlation, minimum history.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from zoneanalysis import paths
from zoneanalysis.rules.loader import RulesModel, load_rules_file

Method = Literal["seasonal_share", "carry_growth", "run_rate", "ets"]


class ProjectionSettings(RulesModel):
    """Everything in ``projection_settings.yaml`` (see the comments in the file)."""

    candidates: tuple[Method, ...] = Field(min_length=1)
    weight_power: float = Field(gt=0.0, le=10.0)
    default_sigma: float = Field(gt=0.0, le=5.0)
    default_rho: float = Field(ge=-1.0, le=1.0)
    min_seasonal_years: int = Field(ge=1, le=10)
    min_ets_years: int = Field(ge=1, le=10)


@lru_cache(maxsize=8)
def load_projection_settings(path: str | Path | None = None) -> ProjectionSettings:
    """Read and validate the projection settings.

    Parameters
    ----------
    path
        ``projection_settings.yaml``; the shipped file by default.

    Raises
    ------
    ConfigError
        Naming the file and key of a missing or unknown key or a value out of range.
    """
    file = Path(path) if path is not None else paths.PROJECTION_SETTINGS_FILE
    return load_rules_file(file, ProjectionSettings, "年末预测设置")
