"""Regenerate the sample bureau files (示例数据) in data/raw/bureau from the synthetic truth.

Usage: ``python scripts/make_sample_data.py [--seed 2016]`` (``make sample`` calls it).
It removes the old data/raw/bureau folder first and refuses to write anywhere else in data/raw.

A larger world for scale tests: ``python scripts/make_sample_data.py --zones 900 --out DIR``
writes a complete raw data set (``DIR/bureau``, ``DIR/reference``, ``DIR/ledger``) whose
registry has 900 provincial zones (the shipped 180 plus example zones 示例集聚区0181 …). DIR must
be new, empty, or a world this script wrote before (it holds only files the script listed).
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
from zoneanalysis.sample.world import shipped_zone_count, write_world  # noqa: E402

SAMPLE_DIR = paths.RAW_DIR / "bureau"
MANIFEST = ".sample_manifest"
WORLD_MANIFEST = ".sample_world_manifest"


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


def check_only_sample_files(
    target: Path, generated: set[str], manifest_name: str = MANIFEST
) -> None:
    """Raise if ``target`` holds files neither this run nor the last one generated (real data)."""
    if not target.exists():
        return
    manifest = target / manifest_name
    listed = set(generated)
    if manifest.exists():
        listed |= set(manifest.read_text(encoding="utf-8").splitlines())
    foreign = sorted(
        p.relative_to(target).as_posix()
        for p in target.rglob("*")
        if p.is_file()
        and p.name != manifest_name
        and p.relative_to(target).as_posix() not in listed
    )
    if foreign:
        raise ZoneAnalysisError(
            f"目录中有 {len(foreign)} 个不是示例脚本生成的文件，例如“{foreign[0]}”，拒绝删除",
            file=target,
            hint="先把真实报表移到别的目录（例如 data/raw/bureau_real/），再运行 make sample。",
        )


def check_world_target(target: Path) -> Path:
    """Return ``target`` resolved, or raise unless it is safe to (re)write a world there.

    Safe: a folder that does not exist, an empty folder, or one holding only files listed in the
    manifest this script wrote there. Never inside data/raw (the shipped data set).
    """
    resolved = target.resolve()
    raw = paths.RAW_DIR.resolve()
    if resolved == raw or raw in resolved.parents or resolved in raw.parents:
        raise ZoneAnalysisError(
            "拒绝写入：规模测试数据不能写进 data/raw 或包含它的目录",
            file=target,
            hint="换一个新的空目录，例如仓库 data/ 之外的新文件夹。",
        )
    if resolved.exists() and not resolved.is_dir():
        raise ZoneAnalysisError("拒绝写入：输出位置是一个文件，不是目录", file=target)
    if resolved.is_dir() and any(resolved.iterdir()):
        manifest = resolved / WORLD_MANIFEST
        if not manifest.is_file():
            raise ZoneAnalysisError(
                "拒绝写入：目录不是空的，也不是本脚本生成的规模测试数据",
                file=target,
                hint="换一个新的空目录。",
            )
        check_only_sample_files(resolved, set(), manifest_name=WORLD_MANIFEST)
    return resolved


def make_world(target: Path, n_zones: int, seed: int) -> list[Path]:
    """Write a world of ``n_zones`` zones into ``target`` (checked), through a staging folder."""
    target = check_world_target(target)
    staging = target.with_name(f".{target.name}.staging")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        written = write_world(staging, n_zones, seed)
        names = sorted(p.relative_to(staging).as_posix() for p in written)
        (staging / WORLD_MANIFEST).write_text("\n".join(names) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return [target / name for name in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="重新生成示例报表（示例数据，非真实统计）。")
    parser.add_argument("--seed", type=int, default=2016, help="随机种子（默认 %(default)s）")
    parser.add_argument(
        "--out",
        type=Path,
        default=SAMPLE_DIR,
        help="data/raw/bureau（默认，只写报表），或配合 --zones 的新目录（写完整的原始数据）",
    )
    parser.add_argument(
        "--zones",
        type=int,
        default=None,
        help="规模测试：全省省级产业集聚区个数（至少为自带的个数；多出的为示例集聚区），须配合 --out",
    )
    args = parser.parse_args(argv)
    if args.zones is not None or args.out.resolve() != SAMPLE_DIR.resolve():
        return _main_world(args)
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


def _main_world(args: argparse.Namespace) -> int:
    """``--zones N --out DIR``: a complete raw data set of N provincial zones in DIR."""
    try:
        if args.zones is None:
            check_target(args.out)
        if args.out.resolve() == SAMPLE_DIR.resolve():
            raise ZoneAnalysisError(
                "--zones 需要配合 --out 指定一个新目录（不会改动 data/raw）",
                file=args.out,
                hint=f"例如：--zones {shipped_zone_count() * 5} --out ../scale_900",
            )
        written = make_world(args.out, args.zones, args.seed)
    except ZoneAnalysisError as exc:
        print(exc, file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in written)
    print(
        f"已生成 {args.zones} 个省级产业集聚区的示例数据：{len(written)} 个文件"
        f"（{size / 1e6:.1f} MB）于 {args.out}；清洗时用 --raw {args.out / 'bureau'}"
        f" --zones-file {args.out / 'reference' / 'zones.csv'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
