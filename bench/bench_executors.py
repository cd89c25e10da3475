"""Time the same report batch on the process pool and on a dask LocalCluster; compare the pages.

Both runs use the same plan (the city batch of one period: overview, rankings, one page per
zone, the index), the same number of workers and ``SOURCE_DATE_EPOCH`` (so the generation time
on the pages is the same). Reported: wall time per run, the median per executor, the ratio
dask ÷ pool, and how many pages differ byte for byte between the two sets of the last round.

Usage: .venv/bin/python bench/bench_executors.py [--period 2016-06] [--jobs 2] [--repeat 3]
       [--processed DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from zoneanalysis import paths
from zoneanalysis.reporting.batch import run_reports

EXECUTORS = ("pool", "dask")


def pages(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.html"))
    }


def time_batch(executor: str, args, out: Path) -> float:
    start = time.perf_counter()
    status = run_reports(
        args.period,
        jobs=args.jobs,
        out_dir=out,
        processed=args.processed,
        formats=("html",),
        executor=executor,
    )
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{executor}: a report failed, see {out / 'manifest.json'}")
    return seconds


def compare(pool: Path, dask: Path) -> dict:
    a, b = pages(pool), pages(dask)
    differ = sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))
    return {"pages": len(a), "pages_dask": len(b), "differ": differ}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2016-06")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--processed", type=Path, default=paths.PROCESSED_DIR)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1764763200")
    times: dict[str, list[float]] = {e: [] for e in EXECUTORS}
    with tempfile.TemporaryDirectory(prefix="bench-executors-") as tmp:
        for round_ in range(args.repeat):
            # Alternate which executor goes first, so a change in the machine's load is shared.
            order = EXECUTORS if round_ % 2 == 0 else EXECUTORS[::-1]
            for executor in order:
                seconds = time_batch(executor, args, Path(tmp) / executor)
                times[executor].append(round(seconds, 1))
                print(f"round {round_ + 1} {executor}: {seconds:.1f} s", file=sys.stderr)
        identity = compare(Path(tmp) / "pool", Path(tmp) / "dask")
    medians = {e: statistics.median(t) for e, t in times.items()}
    result = {
        "period": args.period,
        "jobs": args.jobs,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "seconds": times,
        "median": medians,
        "ratio_dask_to_pool": round(medians["dask"] / medians["pool"], 2),
        **identity,
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if not identity["differ"] else 1


if __name__ == "__main__":
    sys.exit(main())
