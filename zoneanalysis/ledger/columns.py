"""Column lists of the tidy ledger tables (one place, read by the reader, the checks and tests)."""

from __future__ import annotations

#: Monthly project progress, one row per project × year × month (money in 亿元).
PROGRESS_COLUMNS = [
    "project_id",
    "project_name",
    "zone_id",
    "zone_name",
    "year",
    "month",
    "category",
    "industry",
    "is_new_introduction",
    "total_investment",
    "plan_investment",
    "ytd_investment",
    "started",
    "start_date",
    "planned_start_month",
    "completed",
    "completion_date",
    "planned_completion_month",
    "is_example",
    "source_file",
    "source_row",
]

#: Revenue by industry per zone, one row per zone × industry × year × month (亿元).
INDUSTRY_COLUMNS = [
    "zone_id",
    "zone_name",
    "industry",
    "year",
    "month",
    "value",
    "yoy_pct",
    "source_file",
    "source_row",
]

#: Count-target progress, one row per code × year × month (year-to-date value in the target's unit).
COUNT_COLUMNS = ["code", "name_zh", "unit", "year", "month", "value", "source_file", "source_row"]

#: Code of the synthetic aggregate row for the whole city (as in the projections table).
CITY_ID = "agg_zz_all"
CITY_NAME = "郑州市合计"
