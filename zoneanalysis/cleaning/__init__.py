"""Clean bureau tables into the tidy ``zone_stats`` table and a cleaning report."""

from zoneanalysis.cleaning.clean import CleanResult, clean_tables, run_clean

__all__ = ["CleanResult", "clean_tables", "run_clean"]
