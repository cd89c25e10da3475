"""The projection settings (``projection_settings.yaml``) as one validated model.

The model is :class:`zoneanalysis.projection.settings.ProjectionSettings` (method candidates,
the bias-aware loss, shrinkage, minimum history, spreads, common factor, simulation sizes).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from zoneanalysis import paths
from zoneanalysis.rules.loader import load_rules_file

if TYPE_CHECKING:  # the model lives with the projection; imported late to avoid a cycle
    from zoneanalysis.projection.settings import ProjectionSettings

__all__ = ["load_projection_settings"]


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
    from zoneanalysis.projection.settings import ProjectionSettings

    file = Path(path) if path is not None else paths.PROJECTION_SETTINGS_FILE
    return load_rules_file(file, ProjectionSettings, "年末预测设置")
