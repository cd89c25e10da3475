"""Run the report jobs on dask.distributed: a LocalCluster, or the scheduler at an address.

Each dask worker keeps one warm kernel, started by :class:`WarmKernelPlugin` when the worker
joins and shut down when it leaves: the same :class:`~zoneanalysis.reporting.batch._WarmKernel`
holder and environment the process pool's workers use. A task is
:func:`~zoneanalysis.reporting.batch.run_job`, which never raises: a failed report comes back as
a failed manifest entry (with its partial notebook), and a kernel that dies is restarted and the
report retried once, as in the pool. A worker that dies is replaced by dask, which reruns its
task elsewhere; a task that kills every worker it lands on comes back as a failed entry.

Workers read the processed tables and write the pages at the paths the batch gives them, so on a
real cluster those folders must be shared storage mounted at the same path on every machine
(checked before any report runs). Workers run their own copy of the notebooks
(``notebooks/`` of the package they import), which must be the same version.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.reporting import batch
from zoneanalysis.reporting.index import ManifestEntry

#: What to install when ``distributed`` is missing (the optional extra of pyproject.toml).
INSTALL_HINT = (
    '请安装可选依赖：pip install -e ".[dask]" -c requirements/constraints.txt'
    "（或 pip install distributed，版本见 requirements/constraints.txt）。"
)
PLUGIN_NAME = "zoneanalysis-warm-kernel"
#: Seconds to wait for a scheduler to answer and for its first worker.
CONNECT_TIMEOUT = 60
#: One warm kernel per worker process: tasks of a worker with several threads take turns.
_KERNEL_LOCK = threading.Lock()


def import_distributed():
    """The ``distributed`` module, or a Chinese error saying how to install it.

    Raises
    ------
    ConfigError
        If ``distributed`` is not installed.
    """
    try:
        import distributed
    except ImportError:
        raise ConfigError(
            "--executor dask 需要 dask.distributed，但当前环境没有安装", hint=INSTALL_HINT
        ) from None
    return distributed


async def _in_task_thread(worker, func: Callable[[], object]) -> None:
    """Call ``func`` in the worker's task thread (the kernel's client is used from there)."""
    executor = worker.executors.get("default")
    try:
        await asyncio.get_running_loop().run_in_executor(executor, func)
    except RuntimeError:  # the executor is already shut down (worker closing)
        func()


def make_plugin():
    """A :class:`WarmKernelPlugin` instance (defined once ``distributed`` is importable)."""
    distributed = import_distributed()

    class WarmKernelPlugin(distributed.WorkerPlugin):
        """Start the worker's warm kernel when it joins; shut it down when it leaves."""

        name = PLUGIN_NAME

        async def setup(self, worker) -> None:
            os.environ.update(batch.WORKER_ENV)
            await _in_task_thread(worker, batch._KERNEL.ensure)

        async def teardown(self, worker) -> None:
            await _in_task_thread(worker, batch._KERNEL.stop)

    return WarmKernelPlugin()


def run_job_on_worker(job: batch.ReportJob) -> ManifestEntry:
    """Task body: :func:`~zoneanalysis.reporting.batch.run_job` with this worker's notebooks."""
    local = dataclasses.replace(job, notebook=paths.NOTEBOOKS_DIR / Path(job.notebook).name)
    with _KERNEL_LOCK:
        return batch.run_job(local)


def kernel_package_file() -> str:
    """``zoneanalysis.__file__`` as this worker's warm kernel sees it (which package it runs)."""
    batch._KERNEL.ensure()
    kc = batch._KERNEL.kc
    msg_id = kc.execute("import zoneanalysis as _za; print(_za.__file__, end='')", silent=False)
    text = ""
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            text += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return text


def _missing_paths(wanted: list[str]) -> list[str]:
    """Runs on each worker: the paths of ``wanted`` this machine does not see."""
    return [p for p in wanted if not os.path.exists(p)]


def _check_shared_paths(client, plan: list[batch.ReportJob]) -> None:
    """Refuse before any run when a worker does not see the inputs or the staging folder."""
    wanted = sorted(
        {job.params["processed_dir"] for job in plan} | {str(job.html_path.parent) for job in plan}
    )
    wanted = [p for p in wanted if os.path.exists(p)]
    missing = client.run(_missing_paths, wanted)
    bad = {worker: gone for worker, gone in missing.items() if gone}
    if bad:
        worker, gone = next(iter(bad.items()))
        raise ConfigError(
            f"{len(bad)} 个 dask worker 看不到报告的输入或输出目录（例如 {worker} 看不到 {gone[0]}）",
            hint="各台机器须在同一路径挂载共享存储（已处理数据目录与报告输出目录），见 docs/scale.md。",
        )


def _connect(distributed, scheduler: str | None, n_workers: int):
    """A client of the scheduler at ``scheduler``, or of a new LocalCluster; and the cluster."""
    if scheduler is None:
        cluster = distributed.LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return distributed.Client(cluster), cluster
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ConfigError(
            f"连不上 dask scheduler {scheduler}，或它在 {CONNECT_TIMEOUT} 秒内没有 worker：{exc}",
            location="--scheduler",
            hint="请先运行 dask scheduler 与 dask worker 地址（见 docs/scale.md），再检查地址与端口。",
        ) from None
    return client, None


def run_plan_on_dask(
    plan: list[batch.ReportJob], jobs: int | None, out_dir: Path, *, scheduler: str | None = None
) -> list[ManifestEntry]:
    """Run every job on dask; entries in plan order, progress printed as the pool does.

    Parameters
    ----------
    plan
        From :func:`~zoneanalysis.reporting.batch.plan_reports`.
    jobs
        Workers of the LocalCluster (one per core by default); ignored with ``scheduler``.
    out_dir
        Where the set will be (shown in the progress line).
    scheduler
        Address of a running scheduler (``tcp://host:8786``); a LocalCluster when ``None``.

    Raises
    ------
    ConfigError
        ``distributed`` missing, scheduler unreachable, or a worker without the shared folders.
    """
    distributed = import_distributed()
    n_workers = max(1, min(jobs or os.cpu_count() or 1, len(plan)))
    client, cluster = _connect(distributed, scheduler, n_workers)
    try:
        client.register_plugin(make_plugin(), name=PLUGIN_NAME)
        _check_shared_paths(client, plan)
        where = scheduler or "本机 LocalCluster"
        workers = len(client.scheduler_info()["workers"])
        print(
            f"生成 {len(plan)} 份报告（dask：{where}，{workers} 个 worker）→ {out_dir}",
            file=sys.stderr,
            flush=True,
        )
        return _gather(distributed, client, plan)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _gather(distributed, client, plan: list[batch.ReportJob]) -> list[ManifestEntry]:
    """Submit one task per job and collect the entries as they finish."""
    futures = {
        client.submit(run_job_on_worker, job, key=f"report-{i:05d}-{job.key}", pure=False): job
        for i, job in enumerate(plan)
    }
    results: dict[str, ManifestEntry] = {}
    for done, future in enumerate(distributed.as_completed(futures), start=1):
        job = futures[future]
        try:
            entry = future.result()
        except Exception as exc:  # noqa: BLE001 (a lost worker or task fails only its report)
            entry = batch.crashed_entry(job, exc)
        results[job.key] = entry
        batch.print_progress(done, len(plan), job, entry)
    return [results[job.key] for job in plan]
