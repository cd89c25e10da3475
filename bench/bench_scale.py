"""Time and peak memory of clean, project and rank on worlds of 180, 900 and 2,700 zones.

Each world is written by ``scripts/make_sample_data.py --zones N --out DIR`` into a temporary
folder (示例数据: the shipped registry plus example zones 示例集聚区0181 …), then each step runs as
its own process on it, through the command line with the world's reference files:

- ``clean --raw DIR/bureau --zones-file … --aliases-file …``
- ``project --period P --processed … --zones-file … --targets …``
- ``rank --period P --draws D --processed … --zones-file … --criteria … --star-rules …``

A small wrapper process starts each step and reports, from ``resource.getrusage(RUSAGE_CHILDREN)``
after the step ended, its CPU time (user + system) and its peak resident memory (``ru_maxrss``);
the wall time is measured around it. On a shared machine the wall time depends on the load, the
CPU time much less, so the growth is stated on both. Growth vs linear: (time at N / time at 180)
divided by (N / 180); 1.0 is linear, the target is at most 2.0 at every size.

Usage: .venv/bin/python bench/bench_scale.py [--sizes 180 900 2700] [--period 2016-06]
       [--draws 1000] [--repeat 1] [--json out.json] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zoneanalysis import paths

SCRIPT = paths.PROJECT_ROOT / "scripts" / "make_sample_data.py"
STEPS = ("clean", "project", "rank")
BASE = 180

# Runs argv[1:] and prints the child's CPU seconds and peak RSS (KiB on Linux) as JSON.
WRAPPER = """
import json, resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": code, "cpu": u.ru_utime + u.ru_stime, "maxrss_kb": u.ru_maxrss}))
"""


def step_command(step: str, world: Path, processed: Path, period: str, draws: int) -> list[str]:
    """The command line of one step on ``world`` (its own reference files)."""
    ref = world / "reference"
    cli = [sys.executable, "-m", "zoneanalysis.cli", step]
    if step == "clean":
        return cli + [
            "--raw",
            str(world / "bureau"),
            "--zones-file",
            str(ref / "zones.csv"),
            "--aliases-file",
            str(ref / "zone_aliases.csv"),
            "--out",
            str(processed),
        ]
    common = [
        "--period",
        period,
        "--processed",
        str(processed),
        "--zones-file",
        str(ref / "zones.csv"),
    ]
    if step == "project":
        return cli + common + ["--targets", str(ref / "targets")]
    return (
        cli
        + common
        + [
            "--draws",
            str(draws),
            "--criteria",
            str(ref / "ranking_criteria.yaml"),
            "--star-rules",
            str(ref / "star_rules.csv"),
        ]
    )


def measure(cmd: list[str]) -> dict:
    """Wall seconds, CPU seconds and peak RSS (MB) of one process running ``cmd``."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["rc"] != 0:
        raise SystemExit(f"失败（退出码 {report['rc']}）：{' '.join(cmd)}")
    return {"wall": wall, "cpu": report["cpu"], "peak_mb": report["maxrss_kb"] / 1024}


def make_world(n_zones: int, folder: Path) -> float:
    """Write the world of ``n_zones`` zones into ``folder``; return the seconds it took."""
    start = time.perf_counter()
    env = {**os.environ, "OPENPYXL_LXML": "False"}
    subprocess.run(
        [sys.executable, str(SCRIPT), "--zones", str(n_zones), "--out", str(folder)],
        check=True,
        capture_output=True,
        env=env,
    )
    return time.perf_counter() - start


def run_size(n_zones: int, root: Path, args: argparse.Namespace) -> dict:
    """Every step's median figures over ``args.repeat`` runs at one size."""
    world = root / f"world_{n_zones}"
    gen = make_world(n_zones, world)
    out: dict = {"zones": n_zones, "generate_wall": gen}
    for step in STEPS:
        runs = []
        for _ in range(args.repeat):
            processed = root / f"processed_{n_zones}"
            cmd = step_command(step, world, processed, args.period, args.draws)
            runs.append(measure(cmd))
        out[step] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(n_zones, step, {k: round(v, 2) for k, v in out[step].items()}, flush=True)
    return out


def growth_table(results: list[dict]) -> str:
    """A markdown table: per size and step, wall, CPU, peak and growth vs linear from 180."""
    base = next((r for r in results if r["zones"] == BASE), results[0])
    lines = [
        "| zones | step | wall s | CPU s | peak MB | CPU growth vs linear | wall growth vs linear |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        scale = r["zones"] / base["zones"]
        for step in STEPS:
            s, b = r[step], base[step]
            lines.append(
                f"| {r['zones']:,} | {step} | {s['wall']:.1f} | {s['cpu']:.1f} | "
                f"{s['peak_mb']:.0f} | {s['cpu'] / b['cpu'] / scale:.2f} | "
                f"{s['wall'] / b['wall'] / scale:.2f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[180, 900, 2700])
    parser.add_argument("--period", default="2016-06")
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep the worlds in this new folder"
    )
    parser.add_argument(
        "--many-draws",
        nargs="*",
        default=["180:16000", "900:4000"],
        metavar="ZONES:DRAWS",
        help="extra rank runs with many draws (peak memory must not grow with draws)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zoneanalysis_scale_") as tmp:
        root = args.keep or Path(tmp)
        results = [run_size(n, root, args) for n in args.sizes]
        extra = many_draws(root, args)
    if args.json:
        payload = {"sizes": results, "many_draws": extra}
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    print(growth_table(results))
    for row in extra:
        print(f"rank {row['zones']} zones × {row['draws']} draws: {row}")
    return 0


def many_draws(root: Path, args: argparse.Namespace) -> list[dict]:
    """Rank again with many draws on worlds already built (after their projections)."""
    out = []
    for spec in args.many_draws:
        n_zones, draws = (int(x) for x in spec.split(":"))
        world, processed = root / f"world_{n_zones}", root / f"processed_{n_zones}"
        if not world.is_dir():
            continue
        got = measure(step_command("rank", world, processed, args.period, draws))
        out.append({"zones": n_zones, "draws": draws, **got})
        print("rank", n_zones, draws, {k: round(v, 2) for k, v in got.items()}, flush=True)
    return out


if __name__ == "__main__":
    sys.exit(main())
