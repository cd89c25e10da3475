"""Command-line interface: ``zoneanalysis clean|project|rank|report|run``.

Each subcommand is a thin wrapper around a library function; errors in the user's input reach the
terminal as one message on stderr and exit status 1, never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from zoneanalysis import paths
from zoneanalysis.errors import ZoneAnalysisError
from zoneanalysis.periods import parse_period

# option → (destination, default path, Chinese label); one table for every subcommand
_FILE_OPTIONS: dict[str, tuple[str, Path, str]] = {
    "--processed": ("processed", paths.PROCESSED_DIR, "已处理数据目录"),
    "--zones-file": ("zones_file", paths.ZONES_FILE, "集聚区名录 CSV"),
    "--aliases-file": ("aliases_file", paths.ZONE_ALIASES_FILE, "集聚区别名 CSV"),
    "--targets": ("targets_file", paths.TARGETS_FILE, "目标任务 YAML"),
    "--star-rules": ("star_rules_file", paths.STAR_RULES_FILE, "星级规则 CSV"),
    "--criteria": ("criteria_file", paths.CRITERIA_FILE, "排名指标体系 YAML"),
}


def _shown(path: Path) -> str:
    """A default path as the user sees it: relative to the repository when inside it."""
    try:
        return str(path.relative_to(paths.PROJECT_ROOT))
    except ValueError:
        return str(path)


def _add_file_options(p: argparse.ArgumentParser, *options: str) -> None:
    for option in options:
        dest, default, label = _FILE_OPTIONS[option]
        p.add_argument(
            option, dest=dest, type=Path, default=default, help=f"{label}（默认 {_shown(default)}）"
        )


_REFERENCE = ("--processed", "--zones-file", "--aliases-file", "--targets", "--star-rules")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands."""
    parser = argparse.ArgumentParser(
        prog="zoneanalysis",
        description="郑州市产业集聚区月度台账：清洗报表、年末预测、十强/十快/十先排名、离线 HTML 报告。",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser(
        "clean",
        help="清洗 data/raw 下的统计报表",
        description=(
            "读取目录下所有 .xlsx/.xls/.csv 报表，写出 zone_stats.parquet 与 cleaning_report.csv。"
        ),
    )
    p.add_argument(
        "--raw",
        type=Path,
        default=paths.RAW_DIR,
        help=f"原始报表目录（默认 {_shown(paths.RAW_DIR)}）",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=paths.PROCESSED_DIR,
        help=f"输出目录（默认 {_shown(paths.PROCESSED_DIR)}）",
    )
    _add_file_options(p, "--zones-file", "--aliases-file")

    p = sub.add_parser(
        "project",
        help="预测年末值并与目标比较",
        description=(
            "按 YYYY-MM 期间的累计数预测各集聚区及合计的年末值、区间、完成目标概率与剩余月份所需增速。"
        ),
    )
    p.add_argument("--period", required=True, help="期间 YYYY-MM，例如 2016-06")
    _add_file_options(p, *_REFERENCE)

    p = sub.add_parser(
        "rank",
        help="十强/十快/十先排名与星级",
        description=("计算综合得分、排名、排名区间与进入前 N 的概率，以及星级。"),
    )
    p.add_argument("--period", required=True, help="期间 YYYY-MM")
    p.add_argument("--draws", type=int, default=1000, help="蒙特卡洛抽样次数（默认 %(default)s）")
    p.add_argument("--seed", type=int, default=2016, help="随机种子（默认 %(default)s）")
    _add_file_options(p, *_REFERENCE, "--criteria")

    p = sub.add_parser(
        "report",
        help="批量生成离线 HTML 报告",
        description=(
            "用 papermill 并行执行笔记本，为每个集聚区生成报告，并生成总览、排名与 index.html。"
        ),
    )
    p.add_argument("--period", required=True, help="期间 YYYY-MM")
    p.add_argument(
        "--zones",
        dest="report_zones",
        nargs="+",
        metavar="ZONE_ID",
        help="只为这些 zone_id 生成报告（默认：郑州全部集聚区和园区）",
    )
    p.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="并行进程数（默认 %(default)s）"
    )
    p.add_argument("--out", type=Path, default=None, help="输出目录（默认 reports/<期间>）")
    _add_file_options(p, *_REFERENCE, "--criteria")

    p = sub.add_parser(
        "run",
        help="一次完成：清洗 → 预测 → 排名 → 报告（示例数据）",
        description=(
            "在默认数据上依次运行 clean、project、rank、report；默认期间为数据中的最新月份。"
        ),
    )
    p.add_argument("--period", default=None, help="期间 YYYY-MM（默认：最新月份）")
    p.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="并行进程数（默认 %(default)s）"
    )
    return parser


def _cmd_clean(args: argparse.Namespace) -> int:
    from zoneanalysis.cleaning import run_clean

    result = run_clean(
        args.raw, args.out, zones_path=args.zones_file, aliases_path=args.aliases_file
    )
    print(result.summary_zh())
    return 0


def _cmd_project(args: argparse.Namespace) -> int:
    parse_period(args.period)
    from zoneanalysis.projection import run_projection

    out = run_projection(
        args.period,
        processed=args.processed,
        targets_path=args.targets_file,
        zones_path=args.zones_file,
    )
    print(f"年末预测已写入 {out}")
    return 0


def _cmd_rank(args: argparse.Namespace) -> int:
    parse_period(args.period)
    from zoneanalysis.ranking import run_ranking

    outputs = run_ranking(
        args.period,
        processed=args.processed,
        criteria_path=args.criteria_file,
        zones_path=args.zones_file,
        star_rules_path=args.star_rules_file,
        targets_path=args.targets_file,
        n_draws=args.draws,
        seed=args.seed,
    )
    for out in outputs:
        print(f"已写入 {out}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    parse_period(args.period)
    from zoneanalysis.reporting.batch import run_reports

    return run_reports(
        args.period,
        zone_ids=args.report_zones,
        jobs=args.jobs,
        out_dir=args.out,
        processed=args.processed,
        zones_path=args.zones_file,
        targets_path=args.targets_file,
        criteria_path=args.criteria_file,
        star_rules_path=args.star_rules_file,
    )


def _cmd_run(args: argparse.Namespace) -> int:
    from zoneanalysis.pipeline import run_all

    return run_all(period=args.period, jobs=args.jobs)


_COMMANDS = {
    "clean": _cmd_clean,
    "project": _cmd_project,
    "rank": _cmd_rank,
    "report": _cmd_report,
    "run": _cmd_run,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 success, 1 bad input or a failed report)."""
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except ZoneAnalysisError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
