"""Year-end projections against the plan's targets (issue 3).

``project_year_end`` projects every zone and aggregate for one period; ``run_projection`` is the
CLI step that reads ``zone_stats.parquet`` and writes ``projections_YYYY-MM.parquet``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["project_year_end", "run_projection"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so ``python -m zoneanalysis.projection.backtest`` runs cleanly.
    if name in __all__:
        from zoneanalysis.projection import run

        return getattr(run, name)
    raise AttributeError(name)
