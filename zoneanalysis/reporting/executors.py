"""Where the report notebooks run: the local process pool (default) or dask.distributed.

Both executors run the same :func:`zoneanalysis.reporting.batch.run_job` in a worker that keeps
one warm kernel, and both hand back one :class:`~zoneanalysis.reporting.index.ManifestEntry` per
job, in plan order, so the manifest, the index and the exit status do not depend on the executor.
"""

from __future__ import annotations

from pathlib import Path

from zoneanalysis.errors import ConfigError
from zoneanalysis.reporting.index import ManifestEntry

#: ``--executor`` values: what each one runs the reports on.
EXECUTORS = {
    "pool": "本机的进程池（默认）",
    "dask": "dask.distributed 集群（不写 --scheduler 时在本机起一个 LocalCluster）",
}
DEFAULT_EXECUTOR = "pool"


def check_executor(executor: str, scheduler: str | None = None) -> str:
    """``executor`` if it is one of :data:`EXECUTORS` and ``scheduler`` fits it.

    Raises
    ------
    ConfigError
        For an unknown executor, or a scheduler address given with the process pool.
    """
    if executor not in EXECUTORS:
        known = "；".join(f"{k}（{v}）" for k, v in EXECUTORS.items())
        raise ConfigError(
            f"不认识的执行方式“{executor}”",
            location="--executor",
            hint=f"可选：{known}。",
        )
    if scheduler and executor != "dask":
        raise ConfigError(
            "--scheduler 只对 --executor dask 有意义",
            location="--scheduler",
            hint="要把报告交给 dask 集群，请同时写 --executor dask --scheduler 地址。",
        )
    return executor


def run_plan(
    plan: list,
    jobs: int | None,
    out_dir: Path,
    *,
    executor: str = DEFAULT_EXECUTOR,
    scheduler: str | None = None,
) -> list[ManifestEntry]:
    """Run every job of ``plan`` on ``executor``; one manifest entry per job, in plan order.

    Parameters
    ----------
    plan
        From :func:`zoneanalysis.reporting.batch.plan_reports`.
    jobs
        Pool: worker processes. Dask without ``scheduler``: workers of the LocalCluster.
        Ignored with ``scheduler`` (the cluster has the workers it has).
    out_dir
        Where the set will be (shown in the progress line).
    executor
        ``pool`` or ``dask`` (:data:`EXECUTORS`).
    scheduler
        Address of a running dask scheduler, e.g. ``tcp://10.0.0.5:8786``.

    Raises
    ------
    ConfigError
        Unknown executor, or ``dask`` without ``distributed`` installed.
    """
    check_executor(executor, scheduler)
    if executor == "dask":
        from zoneanalysis.reporting.dask_executor import run_plan_on_dask

        return run_plan_on_dask(plan, jobs, out_dir, scheduler=scheduler)
    from zoneanalysis.reporting.batch import _run_plan

    return _run_plan(plan, jobs, out_dir)
