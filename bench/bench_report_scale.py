"""Time the same city zone reports on the shipped tables and on a province-scale world.

The province-scale tables are those of a world written by ``scripts/make_sample_data.py --zones N``
and run through ``clean``, ``project`` and ``rank`` (see ``docs/scale.md``); pass its processed
folder and registry. The 20 Zhengzhou zone and park pages of the period (the city batch without
its overview and rankings pages, whose content is province-wide by definition) are rendered with
the batch's process pool (``_run_plan``), alternately on the small and the large tables, and the
median wall time of ``--repeat`` rounds is compared.

Usage: python bench/bench_report_scale.py --large-processed DIR --large-zones FILE
       --large-targets DIR [--period 2016-06] [--repeat 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from zoneanalysis import paths
from zoneanalysis.reporting import batch


def zone_plan(period: str, processed: Path, zones: Path, targets: Path, out: Path) -> list:
    """The city batch's zone jobs for ``period`` on these tables."""
    plan = batch.plan_reports(
        period,
        zone_ids=None,
        out_dir=out,
        processed=processed.resolve(),
        zones_path=zones.resolve(),
        targets_path=targets.resolve(),
        is_sample=True,
    )
    return [job for job in plan if job.kind == "zone"]


def time_plan(plan: list, jobs: int, out: Path) -> float:
    """Wall seconds of one pool run of ``plan`` (fails if any report failed)."""
    start = time.perf_counter()
    entries = batch._run_plan(plan, jobs, out)
    seconds = time.perf_counter() - start
    failed = [e.key for e in entries if e.status != "ok"]
    if failed:
        raise SystemExit(f"报告失败：{failed}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2016-06")
    parser.add_argument("--processed", type=Path, default=paths.PROCESSED_DIR)
    parser.add_argument("--zones-file", type=Path, default=paths.ZONES_FILE)
    parser.add_argument("--targets", type=Path, default=paths.TARGETS_FILE)
    parser.add_argument("--large-processed", type=Path, required=True)
    parser.add_argument("--large-zones", type=Path, required=True)
    parser.add_argument("--large-targets", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    os.environ.update(batch.WORKER_ENV)
    times: dict[str, list[float]] = {"small": [], "large": []}
    with tempfile.TemporaryDirectory(prefix="zoneanalysis_report_scale_") as tmp:
        plans = {
            "small": zone_plan(
                args.period, args.processed, args.zones_file, args.targets, Path(tmp) / "s"
            ),
            "large": zone_plan(
                args.period,
                args.large_processed,
                args.large_zones,
                args.large_targets,
                Path(tmp) / "l",
            ),
        }
        for _ in range(args.repeat):
            for size, plan in plans.items():
                times[size].append(time_plan(plan, args.jobs, Path(tmp) / size))
                print(size, f"{times[size][-1]:.1f} s", file=sys.stderr, flush=True)
    small, large = (statistics.median(times[k]) for k in ("small", "large"))
    n = len(plans["small"])
    print(f"\n## 同样 {n} 份郑州集聚区报告：自带数据与省级规模数据（{args.repeat} 轮中位数）\n")
    print("| 数据 | 秒（中位数） | 各轮 | 与自带数据之比 |\n|---|---:|---|---:|")
    for label, key, value in (("自带", "small", small), ("省级规模", "large", large)):
        rounds = "、".join(f"{t:.1f}" for t in times[key])
        print(f"| {label} | {value:.1f} | {rounds} | {value / small:.2f} |")
    print("命令：python bench/bench_report_scale.py " + " ".join(sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
