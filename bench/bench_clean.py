"""Time clean_tables on data/raw against a naive baseline measured in the same run.

The baseline only *reads* every table with pandas (read_excel with openpyxl for .xlsx, xlrd for
.xls, read_csv for .csv) and does no cleaning at all; the ratio says how much the whole cleaner
costs against plain pandas reading.

Usage: .venv/bin/python bench/bench_clean.py [--raw DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from pathlib import Path

import pandas as pd

from zoneanalysis import paths
from zoneanalysis.cleaning import clean_tables
from zoneanalysis.cleaning.discover import discover_files
from zoneanalysis.cleaning.rules import load_cleaning_rules

WIDE = list(range(64))  # ragged CSV rows (title lines have one cell)


def read_naively(raw: Path) -> int:
    """Read every table with pandas, no cleaning; return the number of cells read."""
    cells = 0
    for source in discover_files(raw, load_cleaning_rules().skip_folders):
        suffix = source.path.suffix.lower()
        if suffix == ".xlsx":
            frame = pd.read_excel(source.path, header=None, engine="openpyxl")
        elif suffix == ".xls":
            frame = pd.read_excel(source.path, header=None, engine="xlrd")
        else:
            try:
                frame = pd.read_csv(
                    source.path, header=None, names=WIDE, encoding="utf-8-sig", dtype=str
                )
            except UnicodeDecodeError:
                frame = pd.read_csv(
                    source.path, header=None, names=WIDE, encoding="gb18030", dtype=str
                )
        cells += frame.size
    return cells


def time_it(func, repeat: int) -> list[float]:
    """Wall times of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=paths.RAW_DIR)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # openpyxl's style warnings are noise here
    n_files = len(discover_files(args.raw, load_cleaning_rules().skip_folders))
    result = clean_tables(args.raw)  # warm-up: imports, registry, catalogue caches
    baseline = time_it(lambda: read_naively(args.raw), args.repeat)
    cleaner = time_it(lambda: clean_tables(args.raw), args.repeat)
    b, c = statistics.median(baseline), statistics.median(cleaner)
    print(
        f"files: {n_files}, zone_stats rows: {len(result.stats)}, report rows: {len(result.report)}"
    )
    print(f"baseline pandas read only (median of {args.repeat}): {b:.2f} s")
    print(f"clean_tables (median of {args.repeat}):            {c:.2f} s")
    print(f"ratio clean_tables / baseline: {c / b:.2f}")


if __name__ == "__main__":
    main()
