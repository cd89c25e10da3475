"""The batch on a 2-worker dask LocalCluster: the same pages as the process pool, byte for byte.

Also: a failed report on a worker is a failed manifest entry with its error, each worker's warm
kernel imports the package under test, and a page rendered after another page in the same warm
kernel is the page rendered first. All on 示例 fixture data; every test here runs notebooks.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from reporting_fixtures import build_fixture_data

import zoneanalysis
from zoneanalysis import paths
from zoneanalysis.reporting import batch
from zoneanalysis.reporting.batch import run_reports

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

ZONES = ["zz_jingkai", "zz_baisha", "zzp_ex01"]
EPOCH = "1764763200"  # 2025-12-03 12:00 UTC: the pages' generation time, fixed


def _pages(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.html"))}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return build_fixture_data(tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="module")
def both_sets(data, tmp_path_factory):
    """The same batch (3 zone pages, overview, rankings, index) from the pool and from dask."""
    root = tmp_path_factory.mktemp("sets")
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        status = {}
        for executor in ("pool", "dask"):
            status[executor] = run_reports(
                "2016-06",
                zone_ids=ZONES,
                jobs=2,
                out_dir=root / executor,
                processed=data["processed"],
                zones_path=data["zones"],
                formats=("html",),
                executor=executor,
            )
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return status, root / "pool", root / "dask"


def test_dask_pages_are_byte_identical_to_the_pool(both_sets):
    status, pool, dask = both_sets
    assert status == {"pool": 0, "dask": 0}
    pool_pages, dask_pages = _pages(pool), _pages(dask)
    wanted = ["index.html", "overview.html", "rankings.html", *(f"zones/{z}.html" for z in ZONES)]
    assert sorted(pool_pages) == sorted(wanted)
    assert sorted(dask_pages) == sorted(pool_pages)
    differ = [name for name in pool_pages if pool_pages[name] != dask_pages[name]]
    assert differ == []
    assert "生成于 2025-12-03 12:00" in pool_pages["index.html"].decode()


def test_dask_manifest_lists_the_same_reports(both_sets):
    _, pool, dask = both_sets

    def rows(folder):
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return [(r["report"], r["status"], r["html"], r["notebook"]) for r in manifest["reports"]]

    assert rows(dask) == rows(pool)
    assert rows(dask)[0] == ("overview", "ok", "overview.html", "executed/city_overview.ipynb")


def test_a_failed_report_on_a_worker_is_a_failed_entry(data, tmp_path):
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
        formats=("html",),
        executor="dask",
    )
    assert status == 1
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    by_key = {r["report"]: r for r in manifest["reports"]}
    assert by_key["rankings"]["status"] == "ok"
    assert by_key["overview"]["status"] == "failed" and "YAML" in by_key["overview"]["error"]
    assert by_key["overview"]["notebook"] == "executed/city_overview.ipynb"  # partial kept
    assert not (out / "overview.html").exists()


def test_each_workers_kernel_imports_the_package_under_test():
    from distributed import Client, LocalCluster

    from zoneanalysis.reporting import dask_executor

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        client.register_plugin(dask_executor.make_plugin(), name=dask_executor.PLUGIN_NAME)
        workers = list(client.scheduler_info()["workers"])
        seen = [
            client.submit(dask_executor.kernel_package_file, workers=[w], pure=False).result()
            for w in workers
        ]
    assert len(seen) == 2
    assert set(seen) == {zoneanalysis.__file__}


def _zone_page(data, out: Path, zone_id: str) -> bytes:
    """Render one zone page in this process's warm kernel (as a worker does) and read it back."""
    (job,) = [
        j
        for j in batch.plan_reports(
            "2016-06",
            zone_ids=[zone_id],
            out_dir=out,
            processed=data["processed"],
            zones_path=data["zones"],
            targets_path=paths.TARGETS_FILE,
            is_sample=True,
        )
        if j.kind == "zone"
    ]
    assert batch.run_job(job).status == "ok"
    return job.html_path.read_bytes()


def test_a_page_after_another_in_the_same_kernel_is_the_page_rendered_first(
    data, tmp_path, monkeypatch
):
    for name, value in batch.WORKER_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        batch._KERNEL.stop()
        first = _zone_page(data, tmp_path / "first", "zz_baisha")
        batch._KERNEL.stop()
        _zone_page(data, tmp_path / "after", "zzp_ex01")
        after = _zone_page(data, tmp_path / "after", "zz_baisha")
    finally:
        batch._KERNEL.stop()
    assert after == first
