"""Run the report notebooks in parallel and write the offline report folder.

Each worker process keeps one warm ``zoneanalysis`` kernel and reuses it for its reports: the
user namespace is reset between reports (``%reset -f``), while imported library modules stay
loaded, so pandas/altair are imported once per worker instead of once per report. Parameters
are injected the way papermill does it and validated before anything runs. One failed report
does not stop the others; a kernel that dies is restarted and the report retried once.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.periods import parse_period, period_label_zh
from zoneanalysis.registry import load_zones, zone_level
from zoneanalysis.reporting.index import ManifestEntry, write_index, write_manifest
from zoneanalysis.reporting.params import check_zone_ids, validate_parameters

KERNEL_NAME = "zoneanalysis"
#: Kernel transport: Unix sockets (no TCP port, no unencrypted-TCP warning); Windows has none.
KERNEL_TRANSPORT = "tcp" if os.name == "nt" else "ipc"
EXECUTED_DIR = "executed"
CELL_TIMEOUT = 300
WORKER_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "ZONEANALYSIS_REPORT_MODE": "batch",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
RESET_CODE = "%reset -f"


@dataclass
class ReportJob:
    """One notebook run: which notebook, its parameters, where its outputs go."""

    key: str
    kind: str
    title: str
    notebook: Path
    params: dict
    html_path: Path
    executed_path: Path
    is_sample: bool
    footer: str = ""
    attempts: list[str] = field(default_factory=list)


def _zone_jobs(zone_ids, zones, period, out_dir, common, is_sample, label):
    names = zones.set_index("zone_id")["zone_name"]
    nb = paths.NOTEBOOKS_DIR / "zone_report.ipynb"
    jobs = []
    for zone_id in zone_ids:
        jobs.append(
            ReportJob(
                key=f"zones/{zone_id}",
                kind="zone",
                title=f"{names[zone_id]} · {label}",
                notebook=nb,
                params={"zone_id": zone_id, **common},
                html_path=out_dir / "zones" / f"{zone_id}.html",
                executed_path=out_dir / EXECUTED_DIR / f"zone_{zone_id}.ipynb",
                is_sample=is_sample,
            )
        )
    return jobs


def plan_reports(
    period: str,
    *,
    zone_ids: list[str] | None,
    out_dir: Path,
    processed: Path,
    zones_path: Path,
    targets_path: Path,
    is_sample: bool,
) -> list[ReportJob]:
    """The jobs for one period: overview, rankings, then one per zone (registry order).

    Parameters are validated against each notebook's declared parameters here, before any run.

    Raises
    ------
    ConfigError
        Unknown zone id, or a parameter a notebook does not declare or of the wrong type.
    """
    year, month = parse_period(period)
    label = period_label_zh(year, month)
    zones = load_zones(zones_path)
    if zone_ids:
        zone_ids = check_zone_ids(list(dict.fromkeys(zone_ids)), zones_path)
    else:
        level = zone_level(zones, year)
        zz = zones[zones["is_zhengzhou"]]
        zone_ids = [z for z in zz["zone_id"] if not _is_na(level.get(z))]
    common = {"period": period, "processed_dir": str(processed), "zones_path": str(zones_path)}
    with_targets = {**common, "targets_path": str(targets_path)}
    jobs = [
        ReportJob(
            key="overview",
            kind="overview",
            title=f"全市总览 · {label}",
            notebook=paths.NOTEBOOKS_DIR / "city_overview.ipynb",
            params=with_targets,
            html_path=out_dir / "overview.html",
            executed_path=out_dir / EXECUTED_DIR / "city_overview.ipynb",
            is_sample=is_sample,
        ),
        ReportJob(
            key="rankings",
            kind="rankings",
            title=f"十强·十快·十先排名 · {label}",
            notebook=paths.NOTEBOOKS_DIR / "rankings.ipynb",
            params=common,
            html_path=out_dir / "rankings.html",
            executed_path=out_dir / EXECUTED_DIR / "rankings.ipynb",
            is_sample=is_sample,
        ),
    ]
    jobs += _zone_jobs(zone_ids, zones, period, out_dir, with_targets, is_sample, label)
    for job in jobs:
        validate_parameters(job.notebook, job.params)
    return jobs


def _is_na(value: object) -> bool:
    return value is None or value is __import__("pandas").NA


# ---------------------------------------------------------------- worker side


class _WarmKernel:
    """One kernel kept alive for a worker's reports.

    The kernel talks over IPC (Unix sockets in a private temporary folder), not TCP: nothing
    listens on a port, and ipykernel does not print its "running over TCP without encryption"
    warning on the user's terminal for every worker. The socket folder must be an absolute path
    because the kernel runs in the notebooks folder while the client does not.
    """

    def __init__(self) -> None:
        self.km = None
        self.kc = None
        self.socket_dir: str | None = None

    def start(self) -> None:
        import tempfile

        from jupyter_client.manager import KernelManager

        self.socket_dir = tempfile.mkdtemp(prefix="za-kernel-")
        self.km = KernelManager(
            kernel_name=KERNEL_NAME,
            transport=KERNEL_TRANSPORT,
            ip=os.path.join(self.socket_dir, "kernel"),
        )
        self.km.start_kernel(env={**os.environ, **WORKER_ENV}, cwd=str(paths.NOTEBOOKS_DIR))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def ensure(self) -> None:
        if self.km is None or not self.km.is_alive():
            self.stop()
            self.start()

    def stop(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None and self.km.has_kernel:
            self.km.shutdown_kernel(now=True)
        if self.socket_dir is not None:
            import shutil

            shutil.rmtree(self.socket_dir, ignore_errors=True)
        self.km = self.kc = None
        self.socket_dir = None


_KERNEL = _WarmKernel()


def _init_worker() -> None:
    os.environ.update(WORKER_ENV)
    from multiprocessing import util

    # Pool workers leave through multiprocessing's exit hook, not atexit.
    util.Finalize(None, _KERNEL.stop, exitpriority=10)


def _execute(job: ReportJob):
    import nbformat
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(job.notebook))
    nb = parameterize_notebook(nb, job.params, kernel_name=KERNEL_NAME, language="python")
    _KERNEL.ensure()
    client = NotebookClient(nb, km=_KERNEL.km, timeout=CELL_TIMEOUT, kernel_name=KERNEL_NAME)
    client.kc = _KERNEL.kc
    client.reset_execution_trackers()
    reset = nbformat.v4.new_code_cell(RESET_CODE, metadata={"tags": []})
    client.execute_cell(reset, 0, store_history=False)
    for index, cell in enumerate(nb.cells):
        client.execute_cell(cell, index)
    return nb


def _error_text(exc: BaseException) -> str:
    from nbclient.exceptions import CellExecutionError

    if isinstance(exc, CellExecutionError):
        return f"{exc.ename}：{exc.evalue}"
    return f"{type(exc).__name__}：{exc}"


def run_job(job: ReportJob) -> ManifestEntry:
    """Execute one report in this worker's warm kernel and export it (never raises)."""
    import nbformat
    from nbclient.exceptions import DeadKernelError

    from zoneanalysis.reporting.exporter import write_report_html

    start = time.perf_counter()
    out_root = job.html_path.parent.parent if job.kind == "zone" else job.html_path.parent
    rel_nb = job.executed_path.relative_to(out_root).as_posix()
    nb = None
    error = None
    for attempt in range(2):
        try:
            nb = _execute(job)
            error = None
            break
        except DeadKernelError as exc:  # retried once on a fresh kernel
            error = f"内核意外退出（第 {attempt + 1} 次）：{exc}"
            _KERNEL.stop()
        except Exception as exc:  # noqa: BLE001 (one report's failure must not stop the batch)
            error = _error_text(exc)
            break
    if nb is None or error:
        return ManifestEntry(
            job.key, job.kind, job.title, None, None, "failed", time.perf_counter() - start, error
        )
    try:
        job.executed_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, job.executed_path)
        write_report_html(
            nb,
            job.html_path,
            title=job.title,
            is_sample=job.is_sample,
            footer=job.footer,
            root=out_root,
        )
    except Exception as exc:  # noqa: BLE001
        return ManifestEntry(
            job.key,
            job.kind,
            job.title,
            None,
            rel_nb,
            "failed",
            time.perf_counter() - start,
            _error_text(exc),
        )
    rel_html = job.html_path.relative_to(out_root).as_posix()
    return ManifestEntry(
        job.key, job.kind, job.title, rel_html, rel_nb, "ok", time.perf_counter() - start
    )


# ---------------------------------------------------------------- parent side


def run_reports(
    period: str,
    *,
    zone_ids: list[str] | None = None,
    jobs: int | None = None,
    out_dir: Path | None = None,
    processed: Path | None = None,
    zones_path: Path | None = None,
    targets_path: Path | None = None,
    criteria_path: Path | None = None,
    star_rules_path: Path | None = None,
) -> int:
    """Generate every report for ``period`` and the index; return the exit status.

    Parameters
    ----------
    period
        ``YYYY-MM``.
    zone_ids
        Zones to report on; all Zhengzhou zones and parks registered that year by default.
    jobs
        Worker processes (one per core by default).
    out_dir
        ``reports/<period>`` by default.
    processed
        Folder with the processed tables.
    zones_path, targets_path
        Registry and targets.
    criteria_path, star_rules_path
        Accepted for a uniform CLI; the notebooks read the ranking results, not the rules.

    Returns
    -------
    int
        0 if every report was written, 1 if any failed (the others are still written).
    """
    import pandas as pd

    from zoneanalysis.reporting.data import detect_sample_data

    year, month = parse_period(period)
    processed = Path(processed) if processed else paths.PROCESSED_DIR
    zones_path = Path(zones_path) if zones_path else paths.ZONES_FILE
    targets_path = Path(targets_path) if targets_path else paths.TARGETS_FILE
    out_dir = Path(out_dir) if out_dir else paths.REPORTS_DIR / period
    for required in (processed / paths.ZONE_STATS_NAME, paths.projections_path(processed, period)):
        if not required.exists():
            raise InputDataError(
                "找不到生成报告所需的数据表",
                file=required,
                hint=f"请先运行 zoneanalysis project --period {period}（或 make report）。",
            )
    _check_kernel()
    stats_sources = pd.read_parquet(
        processed / paths.ZONE_STATS_NAME, columns=["zone_id", "source_file", "year", "month"]
    )
    is_sample = detect_sample_data(stats_sources, load_zones(zones_path))
    plan = plan_reports(
        period,
        zone_ids=zone_ids,
        out_dir=out_dir,
        processed=processed.resolve(),
        zones_path=zones_path.resolve(),
        targets_path=targets_path.resolve(),
        is_sample=is_sample,
    )
    provenance = _describe_provenance(stats_sources, zones_path)
    for job in plan:
        job.footer = provenance
    n_jobs = max(1, min(jobs or os.cpu_count() or 1, len(plan)))
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, ManifestEntry] = {}
    total = len(plan)
    print(f"生成 {total} 份报告（{n_jobs} 个并行进程）→ {out_dir}", file=sys.stderr, flush=True)
    with ProcessPoolExecutor(max_workers=n_jobs, initializer=_init_worker) as pool:
        futures = {pool.submit(run_job, job): job for job in plan}
        for done, future in enumerate(as_completed(futures), start=1):
            job = futures[future]
            try:
                entry = future.result()
            except Exception as exc:  # noqa: BLE001 (a crashed worker fails only its report)
                entry = ManifestEntry(
                    job.key, job.kind, job.title, None, None, "failed", 0.0, _error_text(exc)
                )
            results[job.key] = entry
            mark = "" if entry.status == "ok" else f" 失败：{entry.error}"
            print(
                f"[{done}/{total}] {job.title} … {entry.seconds:.1f} s{mark}",
                file=sys.stderr,
                flush=True,
            )
    entries = [results[job.key] for job in plan]
    write_manifest(entries, out_dir, period=period, is_sample=is_sample)
    reported = [job.params["zone_id"] for job in plan if job.kind == "zone"]
    summary = _load_summary(period, processed, zones_path, targets_path, reported)
    index = write_index(
        entries,
        out_dir,
        period_label=period_label_zh(year, month),
        is_sample=is_sample,
        summary=summary,
        provenance=provenance,
    )
    failed = [e for e in entries if e.status != "ok"]
    print(f"报告索引：{index}", file=sys.stderr)
    if failed:
        print(f"{len(failed)} 份报告失败，见 manifest.json。", file=sys.stderr)
        return 1
    return 0


def _describe_provenance(stats, zones_path: Path) -> str:
    """Every page's line: generation time and the data cut-off (latest period in the data)."""
    from zoneanalysis.pipeline import latest_period
    from zoneanalysis.reporting.exporter import describe_provenance

    cutoff = parse_period(latest_period(stats, load_zones(zones_path)))
    return describe_provenance(period_label_zh(*cutoff))


def _load_summary(
    period: str, processed: Path, zones_path: Path, targets_path: Path, zone_ids: list[str]
):
    """The index's summary table for the reported zones, or ``None`` (with a message)."""
    from zoneanalysis.errors import ZoneAnalysisError
    from zoneanalysis.reporting.summary import load_index_summary

    try:
        return load_index_summary(
            period,
            processed=processed,
            zones_path=zones_path,
            targets_path=targets_path,
            zone_ids=zone_ids,
        )
    except ZoneAnalysisError as exc:
        print(f"报告索引不含结论速览：{exc}", file=sys.stderr)
        return None


def _check_kernel() -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise ConfigError(
            f"没有找到名为 {KERNEL_NAME} 的 Jupyter 内核",
            hint="请运行 make setup（会执行 ipykernel install --sys-prefix --name zoneanalysis）。",
        ) from None
