"""Peak memory and time of ``clean`` on one large bureau CSV, against baselines of the same run.

A registry of N example parks (示例基准园区…) and one 1-6月 table of them in the sample's GBK CSV
print (万元, thousands separators, the sample writer's layout A) are written to a temporary folder;
the CSV is about ``--mb`` megabytes. Each measurement runs in a fresh process, which reports its
own peak resident memory (``VmHWM`` of /proc/self/status, else ``ru_maxrss``):

- ``import``: importing the cleaner only (the fixed base);
- ``registry``: importing and loading the large registry (it is as large as the CSV);
- ``sample``: cleaning the shipped sample (data/raw);
- ``large``: cleaning the large CSV (with the large registry).

The ratios say how the large clean compares to the sample clean and to its input size
(target: peak ≤ 20 × input + the fixed base): the peak above the registry's against the CSV, and
the peak above the import against both files read.

Usage: .venv/bin/python bench/bench_clean_memory.py [--mb 16]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from zoneanalysis import paths
from zoneanalysis.cleaning.discover import discover_files
from zoneanalysis.cleaning.rules import load_cleaning_rules
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.sample import bureau_files as bf

YEAR, MONTH = 2014, 6
BYTES_PER_ROW = 132  # measured for this print; used to size the table
CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from zoneanalysis.cleaning import run_clean
from zoneanalysis.registry import ZoneMatcher
mode, raw, out, zones = sys.argv[1:5]
if mode == "registry":
    ZoneMatcher.from_files(zones or None)
elif mode != "import":
    run_clean(raw, out, zones_path=zones or None)
try:  # this process's own high-water mark (ru_maxrss would include the parent's at fork)
    with open("/proc/self/status") as fh:
        peak = next(int(l.split()[1]) * 1024 for l in fh if l.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": time.perf_counter() - start, "peak": peak}))
"""


def write_registry(n: int, folder: Path) -> tuple[Path, list[str]]:
    """The shipped registry plus ``n`` example parks; returns its path and the park ids."""
    zones = pd.read_csv(paths.ZONES_FILE, dtype=str, keep_default_na=False)
    ids = [f"zzp_bench{i:06d}" for i in range(n)]
    names = [f"示例基准园区{i:06d}" for i in range(n)]
    extra = pd.DataFrame({c: "" for c in zones.columns}, index=range(n))
    extra = extra.assign(
        zone_id=ids,
        zone_name=names,
        short_name=names,
        host_area="示例",
        city="郑州市",
        valid_from="2010",
        is_zhengzhou="True",
        is_example="True",
        source="示例",
    )
    path = folder / "zones.csv"
    pd.concat([zones, extra], ignore_index=True).to_csv(path, index=False)
    return path, ids


def write_large_csv(target_mb: float, folder: Path) -> tuple[Path, Path]:
    """Write the registry and the large CSV (through the sample writer); return both paths."""
    n = int(target_mb * 1e6 / BYTES_PER_ROW)
    zones_path, ids = write_registry(n, folder)
    zones = pd.read_csv(zones_path, dtype=str, keep_default_na=False).set_index("zone_id")
    rng = np.random.default_rng(2016)
    cells = {
        (z, YEAR, MONTH, ind): (round(float(rng.uniform(1, 500)), 2), round(rng.normal(8, 5), 1))
        for z in ids
        for ind in bf.CITY_INDICATORS
    }
    variant = bf._choose_city_variant(YEAR, MONTH)
    ctx = bf._CityContext(
        cells, zones, load_indicator_catalogue(), YEAR, MONTH, variant, bf._Markers()
    )
    table = bf._build_city_table(ctx, [], ids, title_extra="")
    raw = folder / "raw"
    csv_path = raw / f"{YEAR}-{MONTH:02d}_郑州市产业集聚区主要经济指标.csv"
    bf._write_csv(table, csv_path, variant)
    return csv_path, zones_path


def measure(mode: str, raw: Path, out: Path, zones: Path | None) -> dict:
    """Run one clean in a fresh process; its wall time and peak resident memory."""
    args = [sys.executable, "-c", CHILD, mode, str(raw), str(out), str(zones or "")]
    result = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=16.0, help="size of the large CSV (MB)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        csv_path, zones_path = write_large_csv(args.mb, folder)
        written = time.perf_counter() - start
        size = csv_path.stat().st_size
        skip = load_cleaning_rules().skip_folders
        sample_size = sum(s.path.stat().st_size for s in discover_files(paths.RAW_DIR, skip))
        base = measure("import", paths.RAW_DIR, folder / "o0", None)
        registry = measure("registry", paths.RAW_DIR, folder / "o0", zones_path)
        sample = measure("sample", paths.RAW_DIR, folder / "o1", None)
        large = measure("large", csv_path.parent, folder / "o2", zones_path)
        registry_size = zones_path.stat().st_size
    report(size, registry_size, sample_size, written, base, registry, sample, large)


def report(size, registry_size, sample_size, written, base, registry, sample, large) -> None:
    """Print the figures and ratios."""
    mb = 1e6
    print(
        f"large CSV {size / mb:.1f} MB + registry {registry_size / mb:.1f} MB "
        f"(written in {written:.1f} s); sample tables {sample_size / mb:.2f} MB"
    )
    for label, m in (
        ("import", base),
        ("registry", registry),
        ("sample", sample),
        ("large", large),
    ):
        print(f"  {label:8s} peak {m['peak'] / mb:7.0f} MB  {m['seconds']:7.1f} s")
    print(
        f"ratios: large/sample peak {large['peak'] / sample['peak']:.2f}, "
        f"time {large['seconds'] / sample['seconds']:.2f}; "
        f"(large - registry) / CSV {(large['peak'] - registry['peak']) / size:.1f}x; "
        f"(large - import) / (CSV + registry) "
        f"{(large['peak'] - base['peak']) / (size + registry_size):.1f}x"
    )


if __name__ == "__main__":
    main()
