"""Default locations of inputs and outputs (the repository root for an editable install)."""

from __future__ import annotations

from pathlib import Path


def _find_project_root() -> Path:
    """The repository root for an editable install, else the working directory."""
    candidate = Path(__file__).resolve().parents[1]
    if (candidate / "data" / "raw").is_dir():
        return candidate
    return Path.cwd()


PROJECT_ROOT = _find_project_root()
RAW_DIR = PROJECT_ROOT / "data" / "raw"
REFERENCE_DIR = RAW_DIR / "reference"
PROCESSED_DIR = PROJECT_ROOT / "data" / "processed"
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

ZONES_FILE = REFERENCE_DIR / "zones.csv"
ZONE_ALIASES_FILE = REFERENCE_DIR / "zone_aliases.csv"
INDICATORS_FILE = REFERENCE_DIR / "indicators.yaml"
CLEANING_RULES_FILE = REFERENCE_DIR / "cleaning_rules.yaml"
NAME_RULES_FILE = REFERENCE_DIR / "name_rules.yaml"
#: One targets file per plan year: ``targets/<year>.yaml`` (zoneanalysis.rules.plan_years).
TARGETS_DIR = REFERENCE_DIR / "targets"
#: What ``--targets`` defaults to: the folder of per-year targets files (a single file also works).
TARGETS_FILE = TARGETS_DIR
#: One project list per plan year: ``projects/<year>.csv``.
PROJECTS_DIR = REFERENCE_DIR / "projects"
REPORT_RULES_FILE = REFERENCE_DIR / "report_rules.yaml"
PROJECTION_SETTINGS_FILE = REFERENCE_DIR / "projection_settings.yaml"
LEDGER_RULES_FILE = REFERENCE_DIR / "ledger_rules.yaml"
CRITERIA_FILE = REFERENCE_DIR / "ranking_criteria.yaml"
STAR_RULES_FILE = REFERENCE_DIR / "star_rules.csv"

ZONE_STATS_NAME = "zone_stats.parquet"
CLEANING_REPORT_NAME = "cleaning_report.csv"


def projections_path(processed: Path, period: str) -> Path:
    """Path of the projections table for ``period`` (YYYY-MM)."""
    return Path(processed) / f"projections_{period}.parquet"


def rankings_path(processed: Path, period: str) -> Path:
    """Path of the rankings table for ``period`` (YYYY-MM)."""
    return Path(processed) / f"rankings_{period}.parquet"


def stars_path(processed: Path, period: str) -> Path:
    """Path of the star-level table for ``period`` (YYYY-MM)."""
    return Path(processed) / f"stars_{period}.parquet"
