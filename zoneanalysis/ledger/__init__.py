"""The project ledger (月台账): major projects, industry clusters and the plan's count targets.

``build_ledger(period, *, raw_dir, processed, targets_path, zones_path)`` reads data/raw/ledger
and writes ``data/processed/ledger_<table>_YYYY-MM.parquet``; ``read_ledger_tables`` reads them
back for the reports.
"""

from zoneanalysis.ledger.run import (
    build_ledger,
    build_ledger_tables,
    ledger_path,
    read_ledger_tables,
)

__all__ = ["build_ledger", "build_ledger_tables", "ledger_path", "read_ledger_tables"]
