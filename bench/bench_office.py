"""What the office formats add to the report batch, measured in the same run.

Baseline: ``run_reports(formats=("html",))`` on the processed sample (every page, no workbook or
brief). Then the same batch with ``("html", "xlsx", "docx")``. The ratio of the two is the cost of
the 台账 workbook and the 简报 draft (issue: at most 1.10). The office files alone
(``write_office_files``) are timed too, three times, as a share of the pages-only batch.

Usage: .venv/bin/python bench/bench_office.py [--period 2016-09] [--jobs N]
Needs the processed tables of the period (``make report`` or ``zoneanalysis run`` first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from zoneanalysis import paths
from zoneanalysis.office import write_office_files
from zoneanalysis.reporting.batch import run_reports


def time_batch(period: str, jobs: int, formats: tuple[str, ...], out: Path) -> float:
    start = time.perf_counter()
    status = run_reports(period, jobs=jobs, out_dir=out, formats=formats)
    if status != 0:
        raise SystemExit(f"batch failed ({formats})")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2016-09")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        html = time_batch(args.period, args.jobs, ("html",), work / "html")
        full = time_batch(args.period, args.jobs, ("html", "xlsx", "docx"), work / "full")
        office = []
        for i in range(3):
            start = time.perf_counter()
            write_office_files(args.period, work / f"office{i}", processed_dir=paths.PROCESSED_DIR)
            office.append(time.perf_counter() - start)
    alone = statistics.median(office)
    print(f"pages only (baseline)        {html:7.1f} s  1.00")
    print(f"pages + workbook + brief     {full:7.1f} s  {full / html:.2f}")
    print(f"workbook + brief alone       {alone:7.1f} s  {alone / html:.3f} of the baseline")


if __name__ == "__main__":
    main()
