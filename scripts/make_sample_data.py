"""Regenerate the sample bureau files (示例数据) in data/raw/bureau from the synthetic truth.

Usage: ``python scripts/make_sample_data.py [--seed 2016]`` (``make sample`` calls it).
It removes the old data/raw/bureau folder first and refuses to write anywhere else.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

# openpyxl serialises through lxml when lxml is installed (python-docx brings it in), which changes
# the bytes of every .xlsx; the shipped sample is written with openpyxl's own serialiser so that
# `make sample` reproduces it byte for byte on any machine. Set before openpyxl is imported.
os.environ.setdefault("OPENPYXL_LXML", "False")

from zoneanalysis import paths  # noqa: E402
from zoneanalysis.errors import ZoneAnalysisError  # noqa: E402
from zoneanalysis.sample import make_truth, write_bureau_files  # noqa: E402

SAMPLE_DIR = paths.RAW_DIR / "bureau"
MANIFEST = ".sample_manifest"


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


def check_only_sample_files(target: Path, generated: set[str]) -> None:
    """Raise if ``target`` holds files neither this run nor the last one generated (real data)."""
    if not target.exists():
        return
    manifest = target / MANIFEST
    listed = set(generated)
    if manifest.exists():
        listed |= set(manifest.read_text(encoding="utf-8").splitlines())
    foreign = sorted(
        p.relative_to(target).as_posix()
        for p in target.rglob("*")
        if p.is_file() and p.name != MANIFEST and p.relative_to(target).as_posix() not in listed
    )
    if foreign:
        raise ZoneAnalysisError(
            f"目录中有 {len(foreign)} 个不是示例脚本生成的文件，例如“{foreign[0]}”，拒绝删除",
            file=target,
            hint="先把真实报表移到别的目录（例如 data/raw/bureau_real/），再运行 make sample。",
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="重新生成示例报表（示例数据，非真实统计）。")
    parser.add_argument("--seed", type=int, default=2016, help="随机种子（默认 %(default)s）")
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="只能是 data/raw/bureau")
    args = parser.parse_args(argv)
    staging = SAMPLE_DIR.resolve().with_name(".bureau.staging")
    try:
        target = check_target(args.out)
        truth = make_truth(args.seed)
        if staging.exists():
            shutil.rmtree(staging)
        written = write_bureau_files(truth, staging)
        names = sorted(p.relative_to(staging).as_posix() for p in written)
        (staging / MANIFEST).write_text("\n".join(names) + "\n", encoding="utf-8")
        check_only_sample_files(target, set(names))
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except ZoneAnalysisError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"已生成 {len(written)} 个示例文件（{size / 1e6:.1f} MB）于 {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
