"""Run the report notebooks in parallel and write the offline report folder.

Each worker process keeps one warm ``zoneanalysis`` kernel and reuses it for its reports: the
user namespace is reset between reports (``%reset -f``), while imported library modules stay
loaded, so pandas/altair are imported once per worker instead of once per report. Parameters
are injected the way papermill does it and validated before anything runs. One failed report
does not stop the others; a kernel that dies is restarted and the report retried once, and a
failed report keeps its partial notebook with the error at the top (as papermill does).

The set is built in a staging folder beside the target (``reports/.2016-06.partial-<pid>``,
marked by a ``未完成.txt`` file) and swapped in only when complete, so a killed run leaves the
previous complete set; the next run removes what a dead run left behind. Workers die with the
batch process, and their kernels with them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.periods import latest_period, parse_period, period_label_zh
from zoneanalysis.registry import load_zones, zone_level
from zoneanalysis.reporting.data import detect_sample_data
from zoneanalysis.reporting.index import (
    ManifestEntry,
    attach_cities,
    write_index,
    write_manifest,
)
from zoneanalysis.reporting.params import check_zone_ids, validate_parameters

KERNEL_NAME = "zoneanalysis"
#: What ``report`` can write: the HTML pages, the 台账 workbook and the drafted 简报.
REPORT_FORMATS = ("html", "xlsx", "docx")
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
#: Run once per kernel, after the first report's namespace is reset: the objects alive then
#: (imported modules, caches) move to the collector's permanent generation, so the full
#: collection every later ``%reset -f`` makes no longer walks them (about 1 s per report).
FREEZE_CODE = "__import__('gc').freeze()"
#: The file that marks a staging folder as incomplete; removed just before the swap.
INCOMPLETE_MARK = "未完成.txt"
STAGING_TAG, OLD_TAG = ".partial-", ".old-"
#: How often a worker checks that the batch process is still alive (seconds).
PARENT_POLL = 0.5


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
    #: The page's navigation links the province overview (a ``province`` scope batch).
    nav_province: bool = False


#: Which zones a batch reports on: ``city`` (Zhengzhou's zones and parks, the default) or
#: ``province`` (every zone registered for the period) and the province overview.
SCOPES = {"city": "郑州市的集聚区和园区", "province": "全省名录中的全部集聚区和园区"}
DEFAULT_SCOPE = "city"


def check_scope(scope: str) -> str:
    """``scope`` if it is one of :data:`SCOPES`.

    Raises
    ------
    ConfigError
        For any other value, naming the ones that exist.
    """
    if scope not in SCOPES:
        known = "；".join(f"{k}（{v}）" for k, v in SCOPES.items())
        raise ConfigError(
            f"不认识的报告范围“{scope}”",
            location="--scope",
            hint=f"可选：{known}；不写 --scope 时为 {DEFAULT_SCOPE}。",
        )
    return scope


def scope_zone_ids(zones, year: int, scope: str = DEFAULT_SCOPE) -> list[str]:
    """The zones a scope reports on by default, in registry order.

    Parameters
    ----------
    zones
        The registry (:func:`zoneanalysis.registry.load_zones`).
    year
        The period's year: only zones registered that year (provincial or city park).
    scope
        ``city``: Zhengzhou's zones and parks; ``province``: every zone of the registry.
    """
    level = zone_level(zones, year)
    chosen = zones if check_scope(scope) == "province" else zones[zones["is_zhengzhou"]]
    return [z for z in chosen["zone_id"] if not _is_na(level.get(z))]


def _province_job(out_dir, params, is_sample, label) -> ReportJob:
    return ReportJob(
        key="province",
        kind="province",
        title=f"全省总览 · {label}",
        notebook=paths.NOTEBOOKS_DIR / "province_overview.ipynb",
        params=params,
        html_path=out_dir / "province.html",
        executed_path=out_dir / EXECUTED_DIR / "province_overview.ipynb",
        is_sample=is_sample,
    )


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
    scope: str = DEFAULT_SCOPE,
) -> list[ReportJob]:
    """The jobs for one period: overview, rankings, then one per zone (registry order).

    Parameters are validated against each notebook's declared parameters here, before any run.
    ``scope`` (:data:`SCOPES`) chooses the zones when ``zone_ids`` is empty
    (:func:`scope_zone_ids`); ``province`` adds the province overview after the rankings.

    Raises
    ------
    ConfigError
        Unknown zone id or scope, or a parameter a notebook does not declare or of the wrong type.
    """
    year, month = parse_period(period)
    label = period_label_zh(year, month)
    zones = load_zones(zones_path)
    check_scope(scope)
    if zone_ids:
        zone_ids = check_zone_ids(list(dict.fromkeys(zone_ids)), zones_path)
    else:
        zone_ids = scope_zone_ids(zones, year, scope)
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
    if scope == "province":
        jobs.append(_province_job(out_dir, with_targets, is_sample, label))
    jobs += _zone_jobs(zone_ids, zones, period, out_dir, with_targets, is_sample, label)
    for job in jobs:
        validate_parameters(job.notebook, job.params)
        job.nav_province = scope == "province"
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
        self.reports = 0

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
        self.reports = 0

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

    def kill(self) -> None:
        """Kill the kernel process at once (the worker is about to exit without cleanup)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()
        if self.socket_dir is not None:
            shutil.rmtree(self.socket_dir, ignore_errors=True)


_KERNEL = _WarmKernel()


def _init_worker(parent_pid: int) -> None:
    os.environ.update(WORKER_ENV)
    from multiprocessing import util

    # Pool workers leave through multiprocessing's exit hook, not atexit.
    util.Finalize(None, _KERNEL.stop, exitpriority=10)
    _die_with_parent(parent_pid)


def _exit_with_kernel(*_: object) -> None:
    """Kill this worker's kernel and leave at once (the batch process is gone or ends us)."""
    _KERNEL.kill()
    os._exit(1)


def _set_parent_death_signal(signum: int) -> None:
    """Ask Linux to send ``signum`` to this process when its parent dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, int(signum), 0, 0, 0)


def _die_with_parent(parent_pid: int) -> None:
    """Make this worker exit, taking its kernel along, when the batch process dies.

    On Linux the kernel sends SIGTERM at the parent's death (``prctl(PR_SET_PDEATHSIG)``);
    everywhere a daemon thread also polls the parent pid, which covers other systems and a
    death between fork and ``prctl``. A kernel would also leave by itself once its worker is
    gone (ipykernel polls its parent), but not before the worker exits.
    """
    signal.signal(signal.SIGTERM, _exit_with_kernel)
    _set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent_pid:
        _exit_with_kernel()

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL)
        _exit_with_kernel()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _load(job: ReportJob):
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(job.notebook))
    return parameterize_notebook(nb, job.params, kernel_name=KERNEL_NAME, language="python")


def _execute(nb) -> None:
    """Run ``nb``'s cells in the warm kernel; outputs land in ``nb`` even if a cell fails."""
    import nbformat
    from nbclient import NotebookClient

    _KERNEL.ensure()
    client = NotebookClient(nb, km=_KERNEL.km, timeout=CELL_TIMEOUT, kernel_name=KERNEL_NAME)
    client.kc = _KERNEL.kc
    client.reset_execution_trackers()
    reset = nbformat.v4.new_code_cell(RESET_CODE, metadata={"tags": []})
    client.execute_cell(reset, 0, store_history=False)
    if _KERNEL.reports == 1:
        freeze = nbformat.v4.new_code_cell(FREEZE_CODE, metadata={"tags": []})
        client.execute_cell(freeze, 0, store_history=False)
    _KERNEL.reports += 1
    for index, cell in enumerate(nb.cells):
        client.execute_cell(cell, index)


def _mark_failed(nb, error: str) -> None:
    """Put the error at the top of a partial notebook, as papermill does, with a link to it."""
    import html

    import nbformat

    failed = next(
        (
            i
            for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.outputs)
        ),
        None,
    )
    where = ""
    if failed is not None:
        anchor = '<span id="papermill-error-cell" style="color:red">⬇ 出错的单元格</span>'
        nb.cells.insert(failed, nbformat.v4.new_markdown_cell(anchor, metadata={"tags": []}))
        where = '（<a href="#papermill-error-cell">跳到出错的单元格</a>）'
    top = (
        f'<span style="color:red;font-size:1.5em">报告生成失败{where}</span>\n\n'
        f"错误：{html.escape(error)}"
    )
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(top, metadata={"tags": ["papermill-error"]}))


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
            nb = _load(job)
            _execute(nb)
            error = None
            break
        except DeadKernelError as exc:  # retried once on a fresh kernel
            error = f"内核意外退出（第 {attempt + 1} 次）：{exc}"
            _KERNEL.stop()
        except Exception as exc:  # noqa: BLE001 (one report's failure must not stop the batch)
            error = _error_text(exc)
            break
    if nb is None or error:
        return _failed_entry(job, nb, error or "", rel_nb, time.perf_counter() - start)
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
            province=job.nav_province,
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


def _failed_entry(job: ReportJob, nb, error: str, rel_nb: str, seconds: float) -> ManifestEntry:
    """The manifest entry of a failed report; its partial notebook is kept when there is one."""
    import nbformat

    kept = None
    if nb is not None:
        try:
            _mark_failed(nb, error)
            job.executed_path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, job.executed_path)
            kept = rel_nb
        except Exception as exc:  # noqa: BLE001 (the report failed already; say both)
            error += f"；部分执行的笔记本也没能保存：{_error_text(exc)}"
    return ManifestEntry(job.key, job.kind, job.title, None, kept, "failed", seconds, error)


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
    formats: tuple[str, ...] = REPORT_FORMATS,
    scope: str = DEFAULT_SCOPE,
    executor: str = "pool",
    scheduler: str | None = None,
) -> int:
    """Generate every report for ``period`` and the index; return the exit status.

    The set is built in a staging folder beside ``out_dir`` and swapped in when complete
    (:func:`swap_in`); a run killed half-way leaves the previous set untouched.

    Parameters
    ----------
    period
        ``YYYY-MM``.
    zone_ids
        Zones to report on (registry ids); all Zhengzhou zones and parks registered that year by
        default.
    jobs
        Worker processes (one per core by default).
    out_dir
        ``reports/<period>`` by default.
    processed
        Folder with the processed tables.
    zones_path, targets_path
        Registry and targets.
    formats
        Any of :data:`REPORT_FORMATS`: ``html`` (the pages), ``xlsx`` (台账_<period>.xlsx),
        ``docx`` (简报_<period>.docx). The index and manifest are always written.
    scope
        ``city`` (Zhengzhou's zones and parks) or ``province`` (every registered zone and the
        province overview); see :func:`plan_reports`. ``zone_ids`` narrows either.
    executor, scheduler
        Where the notebooks run: ``pool`` (local processes, the default) or ``dask`` (the
        dask.distributed scheduler at ``scheduler``, a LocalCluster of ``jobs`` workers when
        ``None``); see :mod:`zoneanalysis.reporting.executors`.

    Returns
    -------
    int
        0 if every report was written, 1 if any failed (the others are still written).

    Raises
    ------
    InputDataError
        If the processed tables for the period are missing.
    ConfigError
        If ``out_dir`` is a file, a zone id is unknown, a notebook parameter is refused, or the
        executor is unknown or not installed.
    """
    from zoneanalysis.reporting.executors import check_executor, run_plan

    check_executor(executor, scheduler)
    year, month = parse_period(period)
    processed = Path(processed) if processed else paths.PROCESSED_DIR
    zones_path = Path(zones_path) if zones_path else paths.ZONES_FILE
    targets_path = Path(targets_path) if targets_path else paths.TARGETS_FILE
    out_dir = Path(out_dir) if out_dir else paths.REPORTS_DIR / period
    _check_inputs(
        period, processed, out_dir, {"集聚区名录": zones_path, "目标任务文件": targets_path}
    )
    _check_kernel()
    stats_sources = _read_sources(processed)
    is_sample = detect_sample_data(stats_sources, load_zones(zones_path))
    provenance = _describe_provenance(stats_sources, zones_path)
    staging = staging_dir(out_dir)
    plan = plan_reports(
        period,
        zone_ids=zone_ids,
        out_dir=staging,
        processed=processed.resolve(),
        zones_path=zones_path.resolve(),
        targets_path=targets_path.resolve(),
        is_sample=is_sample,
        scope=scope,
    )
    for job in plan:
        job.footer = provenance
    for stale in remove_stale_staging(out_dir):
        print(f"已清理上次中断留下的未完成目录：{stale}", file=sys.stderr)
    start_staging(staging, out_dir, period)
    try:
        entries = []
        if "html" in formats:
            entries = run_plan(plan, jobs, out_dir, executor=executor, scheduler=scheduler)
        entries += _write_office(period, staging, processed, zones_path, targets_path, formats)
        entries = attach_cities(entries, load_zones(zones_path))
        write_manifest(entries, staging, period=period, is_sample=is_sample, scope=scope)
        reported = [job.params["zone_id"] for job in plan if job.kind == "zone"]
        summary = _load_summary(period, processed, zones_path, targets_path, reported)
        write_index(
            entries,
            staging,
            period_label=period_label_zh(year, month),
            is_sample=is_sample,
            summary=summary,
            provenance=provenance,
            zones=load_zones(zones_path),
            scope=scope,
        )
        swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    failed = [e for e in entries if e.status != "ok"]
    print(f"报告索引：{out_dir / 'index.html'}", file=sys.stderr)
    if failed:
        print(f"{len(failed)} 份报告失败，见 manifest.json。", file=sys.stderr)
        return 1
    return 0


def _check_inputs(period: str, processed: Path, out_dir: Path, references: dict[str, Path]) -> None:
    """Refuse before any run: missing tables or reference files, or an output that is a file."""
    for required in (processed / paths.ZONE_STATS_NAME, paths.projections_path(processed, period)):
        if not required.exists():
            raise InputDataError(
                "找不到生成报告所需的数据表",
                file=required,
                hint=f"请先运行 zoneanalysis project --period {period}（或 make report）。",
            )
    for what, path in references.items():
        if not path.exists():  # a file, or a folder of plan-year files (targets)
            raise InputDataError(f"找不到{what}", file=path, hint="请检查路径是否写对。")
    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(
            "报告输出位置是一个文件，不是目录",
            file=out_dir,
            hint="请用 --out 指定一个目录，或先移走这个同名文件。",
        )


def _read_sources(processed: Path):
    """The columns of zone_stats the batch itself needs (sample detection, data cut-off)."""
    import pandas as pd

    return pd.read_parquet(
        processed / paths.ZONE_STATS_NAME, columns=["zone_id", "source_file", "year", "month"]
    )


def _write_office(
    period: str,
    staging: Path,
    processed: Path,
    zones_path: Path,
    targets_path: Path,
    formats: tuple[str, ...],
) -> list[ManifestEntry]:
    """The ledger workbook and the drafted brief, as manifest entries (a failure is recorded)."""
    from zoneanalysis.office import OFFICE_FORMATS, write_office_files

    wanted = tuple(f for f in formats if f in OFFICE_FORMATS)
    if not wanted:
        return []
    titles = {
        "xlsx": f"台账_{period}.xlsx（Excel 工作簿）",
        "docx": f"简报_{period}.docx（Word 草稿）",
    }
    started = time.perf_counter()
    try:
        files = write_office_files(
            period,
            staging,
            processed_dir=processed,
            formats=wanted,
            zones_path=zones_path,
            targets_path=targets_path,
        )
    except Exception as exc:  # recorded in the manifest like a failed page; the run exits 1
        error = _error_text(exc)
        print(f"  台账/简报未能生成：{error}", file=sys.stderr, flush=True)
        return [
            ManifestEntry(f"office/{f}", "office", titles[f], None, None, "failed", 0.0, error)
            for f in wanted
        ]
    seconds = round(time.perf_counter() - started, 2)
    print(f"  台账与简报 {seconds:.1f} 秒", file=sys.stderr, flush=True)
    return [
        ManifestEntry(f"office/{f}", "office", titles[f], path.name, None, "ok", seconds)
        for f, path in zip(wanted, files, strict=True)
    ]


def _run_plan(plan: list[ReportJob], jobs: int | None, out_dir: Path) -> list[ManifestEntry]:
    """Run every job in a process pool whose workers die with this process; entries in plan order."""
    n_jobs = max(1, min(jobs or os.cpu_count() or 1, len(plan)))
    results: dict[str, ManifestEntry] = {}
    total = len(plan)
    print(f"生成 {total} 份报告（{n_jobs} 个并行进程）→ {out_dir}", file=sys.stderr, flush=True)
    with ProcessPoolExecutor(
        max_workers=n_jobs, initializer=_init_worker, initargs=(os.getpid(),)
    ) as pool:
        futures = {pool.submit(run_job, job): job for job in plan}
        for done, future in enumerate(as_completed(futures), start=1):
            job = futures[future]
            try:
                entry = future.result()
            except Exception as exc:  # noqa: BLE001 (a crashed worker fails only its report)
                entry = crashed_entry(job, exc)
            results[job.key] = entry
            print_progress(done, total, job, entry)
    return [results[job.key] for job in plan]


def crashed_entry(job: ReportJob, exc: BaseException) -> ManifestEntry:
    """The failed manifest entry of a job whose worker raised instead of returning an entry."""
    return ManifestEntry(job.key, job.kind, job.title, None, None, "failed", 0.0, _error_text(exc))


def print_progress(done: int, total: int, job: ReportJob, entry: ManifestEntry) -> None:
    """The progress line of one finished report (``[3/22] 标题 … 4.1 s``, with the error)."""
    mark = "" if entry.status == "ok" else f" 失败：{entry.error}"
    print(
        f"[{done}/{total}] {job.title} … {entry.seconds:.1f} s{mark}", file=sys.stderr, flush=True
    )


# ---------------------------------------------------------------- staging and swap


def staging_dir(out_dir: Path) -> Path:
    """The staging folder of this run, beside ``out_dir``: ``reports/.2016-06.partial-<pid>``."""
    out_dir = Path(out_dir)
    return out_dir.parent / f".{out_dir.name}{STAGING_TAG}{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Remove staging and swapped-out folders of ``out_dir`` left by runs that are not alive.

    A folder of a run still alive (a concurrent batch) is left alone.

    Returns
    -------
    list of Path
        The folders removed.
    """
    out_dir = Path(out_dir)
    if not out_dir.parent.is_dir():
        return []
    removed = []
    for tag in (STAGING_TAG, OLD_TAG):
        for folder in sorted(out_dir.parent.glob(f".{out_dir.name}{tag}*")):
            pid_text = folder.name.rsplit(tag, 1)[-1]
            pid = int(pid_text) if pid_text.isdigit() else None
            if pid is not None and (pid == os.getpid() or _pid_alive(pid)):
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def start_staging(staging: Path, out_dir: Path, period: str) -> None:
    """Create an empty staging folder holding only the ``未完成.txt`` mark."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    started = dt.datetime.now().isoformat(timespec="seconds")
    (staging / INCOMPLETE_MARK).write_text(
        f"本目录是 {period} 报告的未完成版本（进程 {os.getpid()}，{started} 开始生成）。\n"
        f"生成完成后它会替换 {out_dir.name}；若生成被中断，完整的上一版仍在 {out_dir.name}，"
        "下次运行 make report 时本目录会被自动删除。请不要使用本目录中的文件。\n",
        encoding="utf-8",
    )


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by the complete ``staging`` folder.

    The old set is renamed away, the new one renamed in (both renames within one folder, so
    each is atomic), then the old set is deleted.
    """
    (staging / INCOMPLETE_MARK).unlink(missing_ok=True)
    old = out_dir.parent / f".{out_dir.name}{OLD_TAG}{os.getpid()}"
    if out_dir.exists():
        os.rename(out_dir, old)
    os.rename(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _describe_provenance(stats, zones_path: Path) -> str:
    """Every page's line: generation time and the data cut-off (latest period in the data)."""
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
