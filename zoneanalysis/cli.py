"""Command-line interface: ``zoneanalysis clean|project|rank|ledger|report|run``.

Each subcommand is a thin wrapper around one library step and takes only the options that step
reads. Errors in the user's input, and operating-system errors such as a read-only or full disk,
reach the terminal as one Chinese message on stderr and exit status 1, never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError, ZoneAnalysisError
from zoneanalysis.ledger.projects import PROJECTS_FILE
from zoneanalysis.oserrors import describe_os_error
from zoneanalysis.periods import parse_period

# option → (destination, default path, Chinese label); one table for every subcommand
_FILE_OPTIONS: dict[str, tuple[str, Path, str]] = {
    "--raw": ("raw", paths.RAW_DIR, "原始报表目录"),
    "--processed": ("processed", paths.PROCESSED_DIR, "已处理数据目录"),
    "--zones-file": ("zones_file", paths.ZONES_FILE, "集聚区名录 CSV"),
    "--aliases-file": ("aliases_file", paths.ZONE_ALIASES_FILE, "集聚区别名 CSV"),
    "--targets": (
        "targets_file",
        paths.TARGETS_FILE,
        "目标任务（每个计划年一个 YAML 的文件夹，或单个 YAML）",
    ),
    "--star-rules": ("star_rules_file", paths.STAR_RULES_FILE, "星级规则 CSV"),
    "--criteria": ("criteria_file", paths.CRITERIA_FILE, "排名指标体系 YAML"),
    "--projects": (
        "projects_file",
        PROJECTS_FILE,
        "重点项目名录（每个计划年一个 CSV 的文件夹，或单个 CSV）",
    ),
}

#: Options that take a folder of plan-year files as well as a single file.
_FOLDER_OR_FILE = ("--targets", "--projects")

#: The files each step reads (checked against the library function it calls).
STEP_OPTIONS: dict[str, tuple[str, ...]] = {
    "clean": ("--raw", "--zones-file", "--aliases-file"),
    "project": ("--processed", "--zones-file", "--targets"),
    "rank": ("--processed", "--zones-file", "--criteria", "--star-rules"),
    "ledger": ("--raw", "--processed", "--zones-file", "--aliases-file", "--targets", "--projects"),
    "report": ("--processed", "--zones-file", "--aliases-file", "--targets"),
}


def _shown(path: Path) -> str:
    """A default path as the user sees it: relative to the repository when inside it."""
    try:
        return str(path.relative_to(paths.PROJECT_ROOT))
    except ValueError:
        return str(path)


def _add_file_options(p: argparse.ArgumentParser, step: str) -> None:
    for option in STEP_OPTIONS[step]:
        dest, default, label = _FILE_OPTIONS[option]
        p.add_argument(
            option, dest=dest, type=Path, default=default, help=f"{label}（默认 {_shown(default)}）"
        )


def _formats(text: str) -> tuple[str, ...]:
    """``html,xlsx`` → ``("html", "xlsx")``; an unknown format is a usage error."""
    from zoneanalysis.reporting.batch import REPORT_FORMATS

    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in REPORT_FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"不认识的格式 {'、'.join(unknown) or '（空）'}；可选：{','.join(REPORT_FORMATS)}"
        )
    return chosen


def _add_formats(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--formats",
        type=_formats,
        default=("html", "xlsx", "docx"),
        help="生成哪些格式，逗号分隔：html（报告页）、xlsx（台账工作簿）、docx（简报草稿）；默认全部",
    )


def _add_jobs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="并行进程数（默认 %(default)s）"
    )


def _add_executor(p: argparse.ArgumentParser) -> None:
    # Checked by the command (exit 1 with a Chinese message), not by argparse's choices.
    p.add_argument(
        "--executor",
        default="pool",
        metavar="pool|dask",
        help="在哪里执行报告笔记本：pool（本机进程池，默认）或 dask（dask.distributed；"
        '需 pip install -e ".[dask]"）',
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="dask scheduler 的地址，例如 tcp://10.0.0.5:8786（只与 --executor dask 同用；"
        "不写时在本机起 --jobs 个 worker 的 LocalCluster）",
    )


def _add_scope(p: argparse.ArgumentParser) -> None:
    # Checked by the command (exit 1 with a Chinese message), not by argparse's choices.
    p.add_argument(
        "--scope",
        default="city",
        metavar="city|province",
        help="报告范围：city（郑州市的集聚区和园区，默认）或 province（全省名录中当期的全部集聚区"
        "和园区，另加全省总览）；与 --zones 同用时只生成所列集聚区",
    )


def _step_parser(sub, name: str, help_zh: str, description: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_zh, description=description)
    if name != "clean":
        p.add_argument("--period", required=True, help="期间 YYYY-MM，例如 2016-06")
    return p


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands.

    Kept in one piece (about 80 lines): one declaration per subcommand in ``--help`` order, so
    the command-line contract (docs/design.md) reads in one place.
    """
    parser = argparse.ArgumentParser(
        prog="zoneanalysis",
        description="郑州市产业集聚区月度台账：清洗报表、年末预测、十强/十快/十先排名、离线 HTML 报告。",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = _step_parser(
        sub,
        "clean",
        "清洗 data/raw 下的统计报表",
        "读取目录下所有 .xlsx/.xls/.csv 报表，写出 zone_stats.parquet 与 cleaning_report.csv。",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=paths.PROCESSED_DIR,
        help=f"输出目录（默认 {_shown(paths.PROCESSED_DIR)}；不能在原始报表目录之内）",
    )
    _add_file_options(p, "clean")

    p = _step_parser(
        sub,
        "project",
        "预测年末值并与目标比较",
        "按 YYYY-MM 期间的累计数预测各集聚区及合计的年末值、区间、完成目标概率与剩余月份所需增速。",
    )
    _add_file_options(p, "project")

    p = _step_parser(
        sub,
        "rank",
        "十强/十快/十先排名与星级",
        "计算综合得分、排名、排名区间与进入前 N 的概率，以及星级。",
    )
    p.add_argument("--draws", type=int, default=1000, help="蒙特卡洛抽样次数（默认 %(default)s）")
    p.add_argument("--seed", type=int, default=2016, help="随机种子（默认 %(default)s）")
    _add_file_options(p, "rank")

    p = _step_parser(
        sub,
        "ledger",
        "项目台账、产业集群与计数目标",
        "读取 data/raw/ledger 下该月的项目建设进度台账、主导产业收入表和数量指标表，写出 ledger_*.parquet。",
    )
    _add_file_options(p, "ledger")

    p = _step_parser(
        sub,
        "report",
        "批量生成离线 HTML 报告",
        "用 papermill 并行执行笔记本，为每个集聚区生成报告，并生成总览、排名与 index.html。",
    )
    p.add_argument(
        "--zones",
        dest="report_zones",
        nargs="+",
        metavar="ZONE",
        help="只为这些集聚区生成报告：zone_id、正式名称、简称或别名均可（默认：郑州全部集聚区和园区）",
    )
    _add_scope(p)
    _add_jobs(p)
    _add_executor(p)
    _add_formats(p)
    p.add_argument("--out", type=Path, default=None, help="输出目录（默认 reports/<期间>）")
    _add_file_options(p, "report")

    p = sub.add_parser(
        "run",
        help="一次完成：清洗 → 预测 → 排名 → 台账 → 报告（默认数据）",
        description=(
            "在默认数据上依次运行 clean、project、rank、ledger、report；默认期间为数据中的最新月份。"
            "某一步在该期间没有输入（例如该月没有项目台账）时跳过并说明。"
        ),
    )
    p.add_argument("--period", default=None, help="期间 YYYY-MM（默认：最新月份）")
    _add_scope(p)
    _add_jobs(p)
    _add_executor(p)
    _add_formats(p)
    return parser


def _refuse_inside_raw(out: Path, what: str, raw: Path = paths.RAW_DIR) -> None:
    """Refuse an output folder inside the raw folder: raw data is never written to."""
    out_abs, raw_abs = out.resolve(), raw.resolve()
    if out_abs == raw_abs or raw_abs in out_abs.parents:
        raise ConfigError(
            f"{what}在原始报表目录 {raw} 之内，程序不会往原始数据目录写文件",
            file=out,
            hint="请把输出目录放到原始报表目录之外，例如 data/processed 或 reports/。",
        )


def _check_reference_files(args: argparse.Namespace) -> None:
    """Refuse a reference file that does not exist, naming the path the user passed."""
    for option in STEP_OPTIONS.get(args.command, ()):
        dest, default, label = _FILE_OPTIONS[option]
        path = getattr(args, dest)
        if option in ("--raw", "--processed") or path.is_file():
            continue
        if option in _FOLDER_OR_FILE and path.is_dir():
            continue
        what = "是一个目录，不是文件" if path.is_dir() else "不存在"
        raise ConfigError(
            f"{label}{what}",
            file=path,
            location=option,
            hint=f"请检查 {option} 的路径；不写 {option} 时用默认文件 {_shown(default)}。",
        )


def _cmd_clean(args: argparse.Namespace) -> int:
    from zoneanalysis.cleaning import run_clean

    _refuse_inside_raw(args.out, "输出目录（--out）", args.raw)
    result = run_clean(
        args.raw, args.out, zones_path=args.zones_file, aliases_path=args.aliases_file
    )
    print(result.summary_zh())
    return 0


def _cmd_project(args: argparse.Namespace) -> int:
    from zoneanalysis.pipeline import check_period_has_data
    from zoneanalysis.projection import run_projection

    parse_period(args.period)
    _refuse_inside_raw(args.processed, "已处理数据目录（--processed）")
    check_period_has_data(args.processed, args.period)
    out = run_projection(
        args.period,
        processed=args.processed,
        targets_path=args.targets_file,
        zones_path=args.zones_file,
    )
    print(f"年末预测已写入 {out}")
    return 0


def _cmd_rank(args: argparse.Namespace) -> int:
    from zoneanalysis.pipeline import check_period_has_data
    from zoneanalysis.ranking import run_ranking

    parse_period(args.period)
    _refuse_inside_raw(args.processed, "已处理数据目录（--processed）")
    check_period_has_data(args.processed, args.period)
    outputs = run_ranking(
        args.period,
        processed=args.processed,
        criteria_path=args.criteria_file,
        zones_path=args.zones_file,
        star_rules_path=args.star_rules_file,
        n_draws=args.draws,
        seed=args.seed,
    )
    for out in outputs:
        print(f"已写入 {out}")
    return 0


def _cmd_ledger(args: argparse.Namespace) -> int:
    from zoneanalysis.ledger import build_ledger

    parse_period(args.period)
    _refuse_inside_raw(args.processed, "已处理数据目录（--processed）", args.raw)
    outputs = build_ledger(
        args.period,
        raw_dir=args.raw,
        processed=args.processed,
        targets_path=args.targets_file,
        zones_path=args.zones_file,
        aliases_path=args.aliases_file,
        projects_path=args.projects_file,
    )
    print(f"项目台账 {len(outputs) - 1} 张表和读表报告 {outputs[-1].name} 已写入 {args.processed}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from zoneanalysis.pipeline import check_period_has_data, resolve_zone_ids
    from zoneanalysis.reporting.batch import check_scope, run_reports
    from zoneanalysis.reporting.executors import check_executor

    check_scope(args.scope)
    check_executor(args.executor, args.scheduler)
    year, _ = parse_period(args.period)
    if args.out is not None:
        _refuse_inside_raw(args.out, "报告输出目录（--out）")
    check_period_has_data(args.processed, args.period)
    zone_ids = None
    if args.report_zones:
        zone_ids = resolve_zone_ids(
            args.report_zones, year, zones_path=args.zones_file, aliases_path=args.aliases_file
        )
    return run_reports(
        args.period,
        zone_ids=zone_ids,
        jobs=args.jobs,
        out_dir=args.out,
        processed=args.processed,
        zones_path=args.zones_file,
        targets_path=args.targets_file,
        formats=args.formats,
        scope=args.scope,
        executor=args.executor,
        scheduler=args.scheduler,
    )


def _cmd_run(args: argparse.Namespace) -> int:
    from zoneanalysis.pipeline import run_all
    from zoneanalysis.reporting.batch import check_scope
    from zoneanalysis.reporting.executors import check_executor

    check_scope(args.scope)
    check_executor(args.executor, args.scheduler)
    if args.period is not None:
        parse_period(args.period)
    return run_all(
        period=args.period,
        jobs=args.jobs,
        formats=args.formats,
        scope=args.scope,
        executor=args.executor,
        scheduler=args.scheduler,
    )


_COMMANDS = {
    "clean": _cmd_clean,
    "project": _cmd_project,
    "rank": _cmd_rank,
    "ledger": _cmd_ledger,
    "report": _cmd_report,
    "run": _cmd_run,
}


def _output_of(args: argparse.Namespace) -> Path:
    """The folder a command writes to: named when an OS error carries no file name."""
    if args.command == "clean":
        return args.out
    if args.command == "report":
        return args.out or paths.REPORTS_DIR / args.period
    if args.command == "run":
        return paths.PROCESSED_DIR
    return args.processed


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 success, 1 bad input or a failed report)."""
    args = build_parser().parse_args(argv)
    try:
        _check_reference_files(args)
        return _COMMANDS[args.command](args)
    except ZoneAnalysisError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"错误：{describe_os_error(exc, _output_of(args))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
