"""Regenerate the sample bureau files (示例数据) in data/raw/bureau from the synthetic truth.

Usage: ``python scripts/make_sample_data.py [--seed 2016]`` (``make sample`` calls it).
It removes the old data/raw/bureau folder first and refuses to write anywhere else.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from zoneanalysis import paths
from zoneanalysis.errors import ZoneAnalysisError
from zoneanalysis.sample import make_truth, write_bureau_files

SAMPLE_DIR = paths.RAW_DIR / "bureau"


def check_target(target: Path) -> Path:
    """Return ``target`` resolved, or raise if it is not the sample folder data/raw/bureau."""
    resolved = target.resolve()
    if resolved != SAMPLE_DIR.resolve():
        raise ZoneAnalysisError(
            "拒绝写入：本脚本只重新生成示例数据目录 data/raw/bureau",
            file=target,
            hint="不要用它改动其他目录；真实报表请手工放入 data/raw/bureau/<年份>/。",
        )
    return resolved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="重新生成示例报表（示例数据，非真实统计）。")
    parser.add_argument("--seed", type=int, default=2016, help="随机种子（默认 %(default)s）")
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="只能是 data/raw/bureau")
    args = parser.parse_args(argv)
    try:
        target = check_target(args.out)
        truth = make_truth(args.seed)
        staging = target.with_name(".bureau.staging")
        if staging.exists():
            shutil.rmtree(staging)
        written = write_bureau_files(truth, staging)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except ZoneAnalysisError as exc:
        print(exc, file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"已生成 {len(written)} 个示例文件（{size / 1e6:.1f} MB）于 {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
