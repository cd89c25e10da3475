"""The tables a report shows, built from the processed tables (pure pandas), one module per page part.

Column headers are Chinese because these frames are shown as they are. ``views.<name>`` keeps
working for every name the notebooks, the office files and the tests use:

- :mod:`.common`: rules, a unit's rows, example targets (labels: :mod:`zoneanalysis.labels`);
- :mod:`.verdicts`: the verdict table and sentence (the rule: :mod:`zoneanalysis.verdicts`);
- :mod:`.zone_tables`: a zone page's indicator, progress and peer tables;
- :mod:`.projection_frames`: the fan chart's frame and an aggregate's summed history;
- :mod:`.star_tables`, :mod:`.rank_tables`, :mod:`.rank_selection`: stars and rankings;
- :mod:`.overview`: the city overview's tables;
- :mod:`.data_notes`: where a zone's figures came from.
"""

from __future__ import annotations

from zoneanalysis.labels import AT_RISK, NA_TEXT, OFF_TRACK, ON_TRACK, format_stars, indicator_names
from zoneanalysis.reporting.views.common import (
    AGGREGATE_IDS,
    EXAMPLE_TARGET,
    LIST_ORDER,
    TARGET_SERIES,
    label_target,
    list_example_target_ids,
    mark_example,
    shorten_method,
    sort_unit_rows,
)
from zoneanalysis.reporting.views.data_notes import (
    QUALITY_FLAG_ZH,
    build_data_notes,
)
from zoneanalysis.reporting.views.overview import (
    build_aggregate_table,
    build_completion_frame,
    build_count_targets,
    find_drag_zones,
)
from zoneanalysis.reporting.views.projection_frames import (
    KEY_INDICATORS,
    NO_TARGET_FAN_NOTE,
    build_projection_frame,
    select_fan_indicators,
    sum_aggregate_history,
)
from zoneanalysis.reporting.views.rank_selection import (
    RankBlock,
    _unranked_gap_row,
    count_rank_head,
    select_rank_rows,
    split_rank_blocks,
)
from zoneanalysis.reporting.views.rank_tables import (
    RANK_CHANGE_NOTE,
    RANK_COLUMN,
    build_rank_table,
    build_rankings_view,
    describe_rank,
    describe_rank_change,
    list_rankings,
    top_n_words,
)
from zoneanalysis.reporting.views.star_tables import (
    STAR_CURRENT,
    STAR_PROJECTED,
    STAR_TARGET,
    build_star_table,
    label_star_columns,
)
from zoneanalysis.reporting.views.verdicts import (
    GAP_COLUMN,
    LIGHTS,
    VERDICT_ORDER,
    build_verdict_table,
    describe_verdict_thresholds,
    summarise_verdicts,
)
from zoneanalysis.reporting.views.zone_tables import (
    BACKTEST_OWN,
    BACKTEST_POOLED,
    PROJECTED_GROWTH,
    REPORTED_GROWTH,
    build_indicator_table,
    build_peer_table,
    build_progress_frame,
    label_backtest_error,
    lookup_reported_growth,
)
from zoneanalysis.verdicts import VerdictThresholds, classify_rows, classify_verdict

__all__ = [
    "sort_unit_rows",
    "format_stars",
    "VerdictThresholds",
    "classify_verdict",
    "classify_rows",
    "ON_TRACK",
    "AT_RISK",
    "OFF_TRACK",
    "NA_TEXT",
    "indicator_names",
    "AGGREGATE_IDS",
    "BACKTEST_OWN",
    "BACKTEST_POOLED",
    "EXAMPLE_TARGET",
    "GAP_COLUMN",
    "LIGHTS",
    "LIST_ORDER",
    "PROJECTED_GROWTH",
    "QUALITY_FLAG_ZH",
    "RANK_CHANGE_NOTE",
    "RANK_COLUMN",
    "REPORTED_GROWTH",
    "RankBlock",
    "STAR_CURRENT",
    "STAR_PROJECTED",
    "STAR_TARGET",
    "TARGET_SERIES",
    "VERDICT_ORDER",
    "_unranked_gap_row",
    "build_aggregate_table",
    "build_completion_frame",
    "build_count_targets",
    "build_data_notes",
    "build_indicator_table",
    "build_peer_table",
    "build_progress_frame",
    "build_projection_frame",
    "select_fan_indicators",
    "KEY_INDICATORS",
    "NO_TARGET_FAN_NOTE",
    "build_rank_table",
    "build_rankings_view",
    "build_star_table",
    "build_verdict_table",
    "count_rank_head",
    "describe_rank",
    "describe_rank_change",
    "describe_verdict_thresholds",
    "find_drag_zones",
    "label_backtest_error",
    "label_star_columns",
    "label_target",
    "list_example_target_ids",
    "list_rankings",
    "lookup_reported_growth",
    "mark_example",
    "select_rank_rows",
    "shorten_method",
    "split_rank_blocks",
    "sum_aggregate_history",
    "summarise_verdicts",
    "top_n_words",
]
