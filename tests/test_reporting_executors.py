"""Choosing the executor, and what runs before any report: the fast half of the dask tests.

The batches themselves (byte-identical pages from the pool and from a 2-worker LocalCluster,
a failed report on a worker) are in test_reporting_dask.py, marked slow.
"""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from zoneanalysis.cli import build_parser, main
from zoneanalysis.errors import ConfigError
from zoneanalysis.reporting import dask_executor
from zoneanalysis.reporting.executors import check_executor, run_plan
from zoneanalysis.reporting.exporter import describe_provenance, generation_time


def test_pool_and_dask_are_the_executors():
    assert check_executor("pool") == "pool"
    assert check_executor("dask", "tcp://127.0.0.1:8786") == "dask"
    with pytest.raises(ConfigError, match="不认识的执行方式“spark”"):
        check_executor("spark")


def test_a_scheduler_without_dask_is_refused():
    with pytest.raises(ConfigError, match="--scheduler 只对 --executor dask"):
        check_executor("pool", "tcp://127.0.0.1:8786")


def test_missing_distributed_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    with pytest.raises(ConfigError) as info:
        run_plan([], 1, tmp_path, executor="dask")
    text = str(info.value)
    assert "dask.distributed" in text and "pip install" in text and ".[dask]" in text


@pytest.mark.parametrize("command", ["report", "run"])
def test_report_and_run_take_the_executor_options(command):
    args = [command, "--period", "2016-06", "--executor", "dask", "--scheduler", "tcp://h:8786"]
    parsed = build_parser().parse_args(args)
    assert (parsed.executor, parsed.scheduler) == ("dask", "tcp://h:8786")
    assert build_parser().parse_args([command, "--period", "2016-06"]).executor == "pool"


@pytest.mark.parametrize("command", ["clean", "project", "rank", "ledger"])
def test_steps_without_reports_do_not_take_an_executor(command, capsys):
    args = [command] if command == "clean" else [command, "--period", "2016-06"]
    with pytest.raises(SystemExit):
        build_parser().parse_args([*args, "--executor", "dask"])
    assert "--executor" in capsys.readouterr().err


def test_cli_refuses_an_unknown_executor_before_any_run(capsys):
    assert main(["run", "--period", "2016-06", "--executor", "spark"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "spark" in err and "Traceback" not in err


def test_source_date_epoch_fixes_the_generation_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert generation_time() == dt.datetime(2023, 11, 14, 22, 13, 20)
    assert describe_provenance("2016年1-6月").startswith("生成于 2023-11-14 22:13 ·")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        generation_time()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert generation_time().year >= 2026  # now


def test_workers_run_their_own_copy_of_the_notebooks(monkeypatch, tmp_path):
    from zoneanalysis.reporting import batch

    seen = []
    monkeypatch.setattr(batch, "run_job", lambda job: seen.append(job.notebook) or "entry")
    monkeypatch.setattr(dask_executor.paths, "NOTEBOOKS_DIR", tmp_path / "here")
    job = batch.ReportJob(
        "overview",
        "overview",
        "t",
        tmp_path / "elsewhere" / "city_overview.ipynb",
        {},
        *[None] * 2,
        True,
    )
    assert dask_executor.run_job_on_worker(job) == "entry"
    assert seen == [tmp_path / "here" / "city_overview.ipynb"]
