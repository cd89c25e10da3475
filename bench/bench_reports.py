"""Time the report batch against doing it by hand, in the same run.

By hand: for each report, the ``papermill`` CLI then ``jupyter nbconvert --to html --no-input``,
one after another. Ours: ``run_reports`` (process pool, a warm kernel per worker, in-process
export). Both run the same notebooks on the same data in batch mode. Also measured: the floor of
a cold-kernel-per-report design, i.e. kernel start + library imports per report spread over the
cores.

Usage: .venv/bin/python bench/bench_reports.py [--period 2016-06] [--processed DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zoneanalysis import paths
from zoneanalysis.reporting.batch import KERNEL_NAME, WORKER_ENV, plan_reports, run_reports

BIN = Path(sys.executable).parent


def time_by_hand(plan, work: Path) -> float:
    env = {**os.environ, **WORKER_ENV}
    start = time.perf_counter()
    for i, job in enumerate(plan):
        out = work / f"{i:02d}.ipynb"
        cmd = [
            str(BIN / "papermill"),
            str(job.notebook),
            str(out),
            "-k",
            KERNEL_NAME,
            "--no-progress-bar",
        ]
        for key, value in job.params.items():
            cmd += ["-p", key, str(value)]
        subprocess.run(cmd, check=True, env=env, capture_output=True, cwd=paths.NOTEBOOKS_DIR)
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)],
            check=True,
            env=env,
            capture_output=True,
        )
    return time.perf_counter() - start


def time_kernel_floor(repeats: int = 3) -> float:
    """Seconds for one kernel start + the notebooks' imports + shutdown (median)."""
    from jupyter_client.manager import start_new_kernel

    code = "import zoneanalysis.reporting.charts, zoneanalysis.reporting.views, zoneanalysis.reporting.data"
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        km, kc = start_new_kernel(kernel_name=KERNEL_NAME, env={**os.environ, **WORKER_ENV})
        kc.execute_interactive(code, timeout=120)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2016-06")
    parser.add_argument("--processed", type=Path, default=paths.PROCESSED_DIR)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if not paths.projections_path(args.processed, args.period).exists():
        print(f"缺少 {args.period} 的预测表，请先运行 make report。", file=sys.stderr)
        return 1
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        plan = plan_reports(
            args.period,
            zone_ids=None,
            out_dir=work / "plan",
            processed=args.processed.resolve(),
            zones_path=paths.ZONES_FILE,
            targets_path=paths.TARGETS_FILE,
            is_sample=True,
        )
        n = len(plan)
        ours_start = time.perf_counter()
        status = run_reports(
            args.period, jobs=args.jobs, out_dir=work / "ours", processed=args.processed
        )
        ours = time.perf_counter() - ours_start
        sizes = [p.stat().st_size for p in (work / "ours").rglob("*.html")]
        (work / "hand").mkdir()
        by_hand = time_by_hand(plan, work / "hand")
        floor_one = time_kernel_floor()
    floor = n * floor_one / cores
    print(f"\n## 报告批量生成基准（{n} 份报告，{cores} 核，jobs={args.jobs}）\n")
    print("| 方式 | 秒 | 与手工方式之比 |\n|---|---:|---:|")
    print(f"| 手工：papermill CLI + jupyter nbconvert，逐份 | {by_hand:.1f} | 1.00 |")
    print(
        f"| run_reports（进程池 + 每进程常驻内核 + 进程内导出） | {ours:.1f} | {ours / by_hand:.2f} |"
    )
    print(
        f"| 冷内核下限：每份报告内核启动+导入 {floor_one:.2f} s × {n} ÷ {cores} 核 | {floor:.1f} | {floor / by_hand:.2f} |"
    )
    print(f"\n最大报告 {max(sizes) / 1e6:.2f} MB；批量退出码 {status}。")
    print("命令：.venv/bin/python bench/bench_reports.py " + " ".join(sys.argv[1:]))
    return 0 if status == 0 and ours / by_hand <= 0.4 else 1


if __name__ == "__main__":
    sys.exit(main())
