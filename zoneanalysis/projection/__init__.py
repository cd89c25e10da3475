"""Year-end projections against the plan's targets (issue 3).

``project_year_end`` projects every zone and aggregate for one period; ``run_projection`` is the
CLI step that reads ``zone_stats.parquet`` and writes ``projections_YYYY-MM.parquet``.
"""

from zoneanalysis.projection.run import project_year_end, run_projection

__all__ = ["project_year_end", "run_projection"]
