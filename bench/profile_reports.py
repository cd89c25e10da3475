"""Where a report's time goes: a breakdown of the city batch's reports, run one after another.

One warm kernel (as a batch worker has) runs every report of the plan, ``--repeat`` times; the
first pass warms the kernel (imports) and is not counted. Per report and step (seconds):

- 参数注入: reading the notebook and injecting the parameters (papermill's parameterize);
- 内核重置: the ``%reset -f`` between reports;
- 读数据: ``load_report_tables`` and ``read_ledger_tables`` inside the kernel;
- 建图: the ``charts.*`` / ``province_charts.*`` functions (altair objects);
- 图表规格: ``build_chart_bundle`` (``to_dict``, the spec stored in the notebook);
- vl-convert: every ``vl_convert`` call, in the kernel and in the export;
- 其余计算: the rest of the cells' time (views, tables, messaging);
- 导出: ``export_report_html`` (nbconvert) without its vl-convert calls;
- 写文件: the executed notebook and the page.

In-kernel figures come from timers wrapped around those functions in the kernel (the modules
stay loaded across ``%reset``, so the wrappers are installed once).

Usage: python bench/profile_reports.py [--period 2016-06] [--processed DIR]
       [--zones-file F] [--targets DIR] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from zoneanalysis import paths
from zoneanalysis.reporting import batch

STEPS = (
    "参数注入",
    "内核重置",
    "读数据",
    "建图",
    "图表规格",
    "vl-convert",
    "其余计算",
    "导出",
    "写文件",
)

# Installed once in the kernel: timers around the functions a step is made of. Run as a module
# of its own (not in the user namespace, which ``%reset -f`` empties between reports).
WRAPPERS = r"""
import functools, time, zoneanalysis, vl_convert
from zoneanalysis.reporting import charts, display, data, province_charts
from zoneanalysis import ledger
zoneanalysis._za_profile = {}
def _za_wrap(module, name, step):
    fn = getattr(module, name)
    @functools.wraps(fn)
    def timed(*a, **k):
        t0 = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            acc = zoneanalysis._za_profile
            acc[step] = acc.get(step, 0.0) + time.perf_counter() - t0
    setattr(module, name, timed)
for _m in (charts, province_charts):
    for _n in [n for n in dir(_m) if n.startswith("chart_")]:
        _za_wrap(_m, _n, "建图")
_za_wrap(display, "build_chart_bundle", "图表规格")
_za_wrap(data, "load_report_tables", "读数据")
_za_wrap(ledger, "read_ledger_tables", "读数据")
for _n in [n for n in dir(vl_convert) if not n.startswith("_") and callable(getattr(vl_convert, n))]:
    _za_wrap(vl_convert, _n, "vl-convert")
"""
KERNEL_SETUP = (
    "import sys, types\n"
    "_za_mod = types.ModuleType('_za_profile_wrappers')\n"
    f"exec({WRAPPERS!r}, _za_mod.__dict__)\n"
    "sys.modules['_za_profile_wrappers'] = _za_mod\n"
)
KERNEL_READ = "import json, zoneanalysis; print(json.dumps(zoneanalysis._za_profile)); zoneanalysis._za_profile.clear()"


def _kernel_run(code: str) -> str:
    """Run ``code`` in the warm kernel; its stdout."""
    out: list[str] = []

    def hook(msg: dict) -> None:
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])

    batch._KERNEL.kc.execute_interactive(code, output_hook=hook, timeout=120)
    return "".join(out)


class _VlTimer:
    """Timers around vl_convert's functions in this (the exporting) process."""

    def __init__(self) -> None:
        import vl_convert

        self.seconds = 0.0
        for name in [n for n in dir(vl_convert) if not n.startswith("_")]:
            fn = getattr(vl_convert, name)
            if callable(fn):
                setattr(vl_convert, name, self._wrap(fn))

    def _wrap(self, fn):
        def timed(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.seconds += time.perf_counter() - t0

        return timed


def profile_job(job: batch.ReportJob, vl: _VlTimer) -> dict[str, float]:
    """One report's seconds per step (see the module docstring)."""
    import nbformat
    from nbclient import NotebookClient

    from zoneanalysis.atomic import write_text_atomic
    from zoneanalysis.reporting.exporter import export_report_html

    t0 = time.perf_counter()
    nb = batch._load(job)
    t1 = time.perf_counter()
    client = NotebookClient(nb, km=batch._KERNEL.km, timeout=batch.CELL_TIMEOUT)
    client.kc = batch._KERNEL.kc
    client.reset_execution_trackers()
    client.execute_cell(nbformat.v4.new_code_cell(batch.RESET_CODE), 0, store_history=False)
    if getattr(batch, "FREEZE_CODE", None) and batch._KERNEL.reports == 1:
        client.execute_cell(nbformat.v4.new_code_cell(batch.FREEZE_CODE), 0, store_history=False)
    batch._KERNEL.reports = getattr(batch._KERNEL, "reports", 0) + 1
    t2 = time.perf_counter()
    for index, cell in enumerate(nb.cells):
        client.execute_cell(cell, index)
    t3 = time.perf_counter()
    inside = json.loads(_kernel_run(KERNEL_READ))
    job.executed_path.parent.mkdir(parents=True, exist_ok=True)
    t4 = time.perf_counter()
    nbformat.write(nb, job.executed_path)
    t5 = time.perf_counter()
    vl_before = vl.seconds
    prefix = "../" if job.kind == "zone" else ""
    page = export_report_html(nb, title=job.title, is_sample=job.is_sample, root=prefix)
    t6 = time.perf_counter()
    write_text_atomic(page, job.html_path)
    t7 = time.perf_counter()
    vl_export = vl.seconds - vl_before
    kernel_named = sum(inside.values())
    return {
        "参数注入": t1 - t0,
        "内核重置": t2 - t1,
        "读数据": inside.get("读数据", 0.0),
        "建图": inside.get("建图", 0.0),
        "图表规格": inside.get("图表规格", 0.0),
        "vl-convert": inside.get("vl-convert", 0.0) + vl_export,
        "其余计算": (t3 - t2) - kernel_named,
        "导出": (t6 - t5) - vl_export,
        "写文件": (t5 - t4) + (t7 - t6),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2016-06")
    parser.add_argument("--processed", type=Path, default=paths.PROCESSED_DIR)
    parser.add_argument("--zones-file", type=Path, default=paths.ZONES_FILE)
    parser.add_argument("--targets", type=Path, default=paths.TARGETS_FILE)
    parser.add_argument("--repeat", type=int, default=3, help="measured passes after the warm-up")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    import os

    os.environ.update(batch.WORKER_ENV)
    vl = _VlTimer()
    with tempfile.TemporaryDirectory(prefix="zoneanalysis_profile_") as tmp:
        plan = batch.plan_reports(
            args.period,
            zone_ids=None,
            out_dir=Path(tmp),
            processed=args.processed.resolve(),
            zones_path=args.zones_file.resolve(),
            targets_path=args.targets.resolve(),
            is_sample=True,
        )
        batch._KERNEL.start()
        try:
            _kernel_run(KERNEL_SETUP)
            passes = [[profile_job(job, vl) for job in plan] for _ in range(args.repeat + 1)]
        finally:
            batch._KERNEL.stop()
    measured = passes[1:]
    totals = {s: statistics.median(sum(r[s] for r in p) for p in measured) for s in STEPS}
    zone_rows = [i for i, job in enumerate(plan) if job.kind == "zone"]
    zone = {
        s: statistics.median(sum(p[i][s] for i in zone_rows) for p in measured) / len(zone_rows)
        for s in STEPS
    }
    print_table(totals, len(plan), args)
    print("\n每份集聚区报告（s）：" + "，".join(f"{s} {zone[s]:.3f}" for s in STEPS))
    print(f"合计 {sum(zone.values()):.3f}")
    if args.json:
        payload = {"totals": totals, "zone_report": zone, "reports": len(plan)}
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    return 0


def print_table(totals: dict[str, float], n: int, args: argparse.Namespace) -> None:
    """The breakdown as markdown: seconds for the whole plan and per report, and the share."""
    whole = sum(totals.values())
    print(f"\n## 单份报告的时间构成（{n} 份报告依次运行，{args.repeat} 遍的中位数）\n")
    print("| 步骤 | 全部报告 s | 每份 s | 占比 |\n|---|---:|---:|---:|")
    for step in STEPS:
        s = totals[step]
        print(f"| {step} | {s:.2f} | {s / n:.3f} | {s / whole:.0%} |")
    print(f"| 合计 | {whole:.2f} | {whole / n:.3f} | 100% |")
    print("命令：python bench/profile_reports.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
