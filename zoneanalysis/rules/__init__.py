"""Rules as data: each rules file under ``data/raw/reference`` read by one validated loader.

- :func:`load_report_rules`: ``report_rules.yaml`` (verdicts, star risk, lag tolerances, big
  projects, aggregates, list display);
- :func:`load_projection_settings`: ``projection_settings.yaml``;
- the ledger's reading rules: :func:`zoneanalysis.ledger.rules.load_ledger_rules`
  (``ledger_rules.yaml``); the cleaning rules: :mod:`zoneanalysis.cleaning.rules`;
- plan-year files (targets, projects): :mod:`zoneanalysis.rules.plan_years`.
"""

from zoneanalysis.rules.loader import load_rules_file
from zoneanalysis.rules.projection import load_projection_settings
from zoneanalysis.rules.report import ReportRules, load_report_rules

__all__ = [
    "ReportRules",
    "load_projection_settings",
    "load_report_rules",
    "load_rules_file",
]
