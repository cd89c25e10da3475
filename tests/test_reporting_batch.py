"""The batch on 示例 fixture data: pages, manifest, index, failures isolated, exit status.

Also the batch's faults: the set is built in a staging folder and swapped in only when done, a
killed batch leaves the previous set and no process behind, a failed report keeps its partial
notebook, and every month of the sample's last year renders.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pandas as pd
import psutil
import pytest
from reporting_fixtures import XSS_NAME, build_fixture_data

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.registry import load_zones
from zoneanalysis.reporting import batch, views
from zoneanalysis.reporting.batch import (
    INCOMPLETE_MARK,
    remove_stale_staging,
    run_reports,
    staging_dir,
    start_staging,
    swap_in,
)

TESTS = Path(__file__).parent


def _previous_set(out: Path) -> None:
    """A complete set from an earlier run (示例)."""
    out.mkdir(parents=True)
    (out / "index.html").write_text("PREVIOUS 示例", encoding="utf-8")
    (out / "stale_page.html").write_text("old", encoding="utf-8")


def _leftovers(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.*"))


@pytest.mark.slow
def test_batch_writes_reports_manifest_and_index(tmp_path):
    data = build_fixture_data(tmp_path / "processed", hostile_name=True)
    out = tmp_path / "reports"
    _previous_set(out)
    status = run_reports(
        "2016-06",
        zone_ids=["zz_jingkai", "zz_baisha"],
        jobs=2,
        out_dir=out,
        processed=data["processed"],
        zones_path=data["zones"],
    )
    assert status == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [r["report"] for r in manifest["reports"]] == [
        "overview",
        "rankings",
        "zones/zz_jingkai",
        "zones/zz_baisha",
        "office/xlsx",
        "office/docx",
    ]
    assert {r["status"] for r in manifest["reports"]} == {"ok"}
    assert (out / "台账_2016-06.xlsx").is_file() and (out / "简报_2016-06.docx").is_file()
    assert manifest["is_sample"] is True
    for name in ["overview.html", "rankings.html", "zones/zz_jingkai.html", "zones/zz_baisha.html"]:
        page = (out / name).read_text(encoding="utf-8")
        assert "示例数据" in page
        assert len(page.encode()) < 1.5 * 1024 * 1024
        assert XSS_NAME not in page  # the hostile zone name only ever appears escaped
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="zones/zz_jingkai.html"' in index and "示例数据" in index
    assert XSS_NAME not in index
    # answer first: the summary table precedes the links, covers the reported zones only
    assert index.index("结论速览") < index.index("<h2>全市总览")
    assert "&lt;script&gt;" in index and "省级集聚区合计" in index
    assert "郑州高新技术产业集聚区" not in index  # not reported in this run
    assert "秒" not in index  # the seconds stay in manifest.json
    assert (out / "executed" / "zone_zz_jingkai.ipynb").exists()
    # the new set replaced the previous one whole; no staging or swapped-out folder is left
    assert not (out / "stale_page.html").exists() and not (out / INCOMPLETE_MARK).exists()
    assert _leftovers(out) == []


@pytest.mark.slow
def test_one_failed_report_does_not_stop_the_others(tmp_path):
    data = build_fixture_data(tmp_path / "processed")
    bad_targets = tmp_path / "targets.yaml"
    bad_targets.write_text("counts: [unclosed\n", encoding="utf-8")
    out = tmp_path / "reports"
    status = run_reports(
        "2016-06",
        zone_ids=["zz_gaoxin"],
        jobs=2,
        out_dir=out,
        processed=data["processed"],
        zones_path=data["zones"],
        targets_path=bad_targets,
    )
    assert status == 1
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    by_key = {r["report"]: r for r in manifest["reports"]}
    assert by_key["rankings"]["status"] == "ok"
    assert by_key["overview"]["status"] == "failed"
    assert "YAML" in by_key["overview"]["error"]
    assert (out / "rankings.html").exists() and not (out / "overview.html").exists()
    assert "失败" in (out / "index.html").read_text(encoding="utf-8")
    # the failed report keeps its partial notebook, the error at the top (papermill's way)
    assert by_key["overview"]["notebook"] == "executed/city_overview.ipynb"
    nb = nbformat.read(out / by_key["overview"]["notebook"], as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "报告生成失败" in first.source
    assert "YAML" in first.source and "#papermill-error-cell" in first.source
    anchor = next(i for i, c in enumerate(nb.cells) if 'id="papermill-error-cell"' in c.source)
    failed = nb.cells[anchor + 1]
    assert any(o.get("output_type") == "error" for o in failed.outputs)


def test_unknown_zone_is_refused_before_any_run(tmp_path):
    data = build_fixture_data(tmp_path / "processed")
    with pytest.raises(ConfigError, match="名录中没有"):
        run_reports(
            "2016-06",
            zone_ids=["../../etc"],
            jobs=1,
            out_dir=tmp_path / "r",
            processed=data["processed"],
            zones_path=data["zones"],
        )
    assert not (tmp_path / "r").exists() and _leftovers(tmp_path / "r") == []


def test_a_failing_batch_leaves_the_previous_set_and_no_staging(tmp_path, monkeypatch):
    data = build_fixture_data(tmp_path / "processed")
    out = tmp_path / "reports"
    _previous_set(out)

    def crash(plan, jobs, out_dir):
        assert (staging_dir(out) / INCOMPLETE_MARK).exists()  # marked while it is built
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch, "_run_plan", crash)
    with pytest.raises(OSError):
        run_reports("2016-06", out_dir=out, processed=data["processed"], zones_path=data["zones"])
    assert (out / "index.html").read_text(encoding="utf-8") == "PREVIOUS 示例"
    assert _leftovers(out) == []


# ---------------------------------------------------------------- staging folder, unit level


def test_swap_in_replaces_the_old_set_whole(tmp_path):
    out = tmp_path / "2016-06"
    _previous_set(out)
    staging = staging_dir(out)
    start_staging(staging, out, "2016-06")
    assert "未完成" in (staging / INCOMPLETE_MARK).read_text(encoding="utf-8")
    (staging / "index.html").write_text("NEW", encoding="utf-8")
    swap_in(staging, out)
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "NEW"
    assert _leftovers(out) == []


def test_swap_in_without_a_previous_set(tmp_path):
    out = tmp_path / "reports" / "2016-06"
    staging = staging_dir(out)
    start_staging(staging, out, "2016-06")
    swap_in(staging, out)
    assert out.is_dir() and not (out / INCOMPLETE_MARK).exists()


def test_stale_staging_of_dead_runs_is_removed_live_ones_kept(tmp_path):
    out = tmp_path / "2016-06"
    _previous_set(out)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead_pid = int(dead.stdout)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = tmp_path / f".2016-06.partial-{dead_pid}"
        old = tmp_path / f".2016-06.old-{dead_pid}"
        busy = tmp_path / f".2016-06.partial-{live.pid}"
        other = tmp_path / f".2016-07.partial-{dead_pid}"
        for folder in (stale, old, busy, other):
            folder.mkdir()
            (folder / INCOMPLETE_MARK).write_text("x", encoding="utf-8")
        removed = remove_stale_staging(out)
        assert sorted(removed) == sorted([stale, old])
        assert busy.exists() and other.exists() and (out / "index.html").exists()
    finally:
        live.kill()
        live.wait()


# ---------------------------------------------------------------- killed batch


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return predicate()


@pytest.mark.slow
def test_kill_9_leaves_the_previous_set_and_no_process(tmp_path):
    data = build_fixture_data(tmp_path / "processed")
    out = tmp_path / "reports"
    _previous_set(out)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from zoneanalysis.reporting.batch import run_reports
        run_reports(
            "2016-06", zone_ids=["zz_jingkai", "zz_gaoxin", "zz_baisha"], jobs=2,
            out_dir=Path({str(out)!r}), processed=Path({str(data["processed"])!r}),
            zones_path=Path({str(data["zones"])!r}),
        )
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.DEVNULL)
    children: list[psutil.Process] = []
    try:

        def kernels_running() -> bool:
            kids = _descendants(proc.pid)
            return sum("ipykernel" in " ".join(_cmdline(k)) for k in kids) >= 2

        assert _wait_for(kernels_running, 240), "the batch never started two kernels"
        children = _descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _wait_for(lambda: not any(_alive(c) for c in children), 60), [
            " ".join(_cmdline(c)) for c in children if _alive(c)
        ]
    finally:  # never leave a process behind, even when the test fails
        if proc.poll() is None:
            proc.kill()
        for child in children + _descendants(proc.pid):
            if _alive(child):
                child.kill()
    assert (out / "index.html").read_text(encoding="utf-8") == "PREVIOUS 示例"
    assert (out / "stale_page.html").exists()
    partial = staging_dir(out).with_name(f".{out.name}.partial-{proc.pid}")
    assert (partial / INCOMPLETE_MARK).exists()  # clearly marked incomplete
    assert remove_stale_staging(out) == [partial]  # and cleaned up by the next run


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return []


def test_worker_leaves_when_its_parent_is_gone(monkeypatch):
    """The worker's watchdog: a parent pid that is not ours makes it leave at once."""
    left = []
    monkeypatch.setattr(batch, "_exit_with_kernel", lambda *a: left.append(True))
    monkeypatch.setattr(batch.signal, "signal", lambda *a: None)
    monkeypatch.setattr(batch, "_set_parent_death_signal", lambda signum: None)
    monkeypatch.setattr(batch.threading, "Thread", _NoThread)
    batch._die_with_parent(os.getppid() + 999_999)
    assert left == [True]


class _NoThread:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def start(self) -> None:
        pass


# ---------------------------------------------------------------- every period renders


def test_rank_rows_with_unranked_zones():
    """A month without province-wide figures: most zones have no rank; no error, one gap row."""
    rows = pd.DataFrame(
        {
            "zone_id": ["a", "b", "c", "d"],
            "zone_name": ["示例甲", "示例乙", "示例丙", "示例丁"],
            "rank": pd.array([2, 1, pd.NA, pd.NA], dtype="Int64"),
            "rank_p05": pd.array([1, 1, pd.NA, pd.NA], dtype="Int64"),
            "rank_p95": pd.array([3, 2, pd.NA, pd.NA], dtype="Int64"),
            "p_top_n": [0.5, 0.9, 0.0, 0.0],
            "score": [1.0, 2.0, float("nan"), float("nan")],
            "rank_change": pd.array([pd.NA] * 4, dtype="Int64"),
            "is_zhengzhou": [True, False, True, False],
        }
    )
    out = views.select_rank_rows(rows, head=1)
    assert list(out["row_label"][:2]) == ["示例乙", "示例甲"]
    assert list(out["is_gap"]) == [False, False, True]
    assert out["row_label"].iloc[-1] == "⋯ 另有 2 个未参加排名（数据不足），其中郑州：示例丙"
    blocks = views.split_rank_blocks(out)
    assert [len(b.rows) for b in blocks] == [2]


#: The sample's last year: every published month (1-2月 … 1-9月), and a month without ledger.
SAMPLE_MONTHS = [f"2016-{m:02d}" for m in range(2, 10)] + ["2015-06"]


@pytest.fixture(scope="module")
def sample_processed(tmp_path_factory):
    """The shipped sample cleaned, then projected, ranked and ledgered for every month.

    Returns the processed folder and what the ledger step said (stderr).
    """
    import contextlib
    import io

    from zoneanalysis.cleaning import run_clean
    from zoneanalysis.pipeline import _run_ledger_step
    from zoneanalysis.projection import run_projection
    from zoneanalysis.ranking import run_ranking

    processed = tmp_path_factory.mktemp("sample_processed")
    run_clean(paths.RAW_DIR, processed)
    said = io.StringIO()
    for period in SAMPLE_MONTHS:
        run_projection(period, processed=processed, n_sims=200)
        run_ranking(period, processed=processed, n_draws=100)
        with contextlib.redirect_stderr(said):
            _run_ledger_step(period, processed)
    return processed, said.getvalue()


#: Months whose city overview is rendered too: a month that is not a quarter end, and one
#: without ledger tables (the overview is the page that shows the ledger).
OVERVIEW_MONTHS = {"2016-08", "2015-06"}


@pytest.mark.slow
def test_every_month_of_the_sample_renders(sample_processed, tmp_path):
    """Rankings and one zone or park page per month (the overview for two), in one warm pool."""
    from zoneanalysis.reporting.summary import load_index_summary

    processed, ledger_said = sample_processed
    zones = load_zones()
    zz = zones.loc[zones["is_zhengzhou"], "zone_id"].tolist()
    jobs = []
    for i, period in enumerate(SAMPLE_MONTHS):
        zone_id = zz[i % len(zz)]  # a different zone or park each month
        plan = batch.plan_reports(
            period,
            zone_ids=[zone_id],
            out_dir=tmp_path / period,
            processed=processed,
            zones_path=paths.ZONES_FILE,
            targets_path=paths.TARGETS_FILE,
            is_sample=True,
        )
        kinds = {"rankings", "zone"} | ({"overview"} if period in OVERVIEW_MONTHS else set())
        for job in plan:
            if job.kind in kinds:
                job.key = f"{period}/{job.key}"
                jobs.append(job)
        summary = load_index_summary(period, processed=processed, zone_ids=[zone_id])
        assert not summary.empty, period
    entries = batch._run_plan(jobs, 2, tmp_path)
    failed = {e.report: e.error for e in entries if e.status != "ok"}
    assert not failed
    assert len(entries) == 2 * len(SAMPLE_MONTHS) + len(OVERVIEW_MONTHS)
    # 2015 has no ledger tables: the step is skipped with a note, and the reports still render
    assert "跳过项目台账这一步" in ledger_said and "2015-06" in ledger_said
    assert ledger_said.count("跳过") == 1
    assert not list(processed.glob("ledger_*_2015-06.parquet"))
    assert len(list(processed.glob("ledger_*_2016-08.parquet"))) == 7
