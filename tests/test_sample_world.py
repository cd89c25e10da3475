"""The larger sample world (--zones N --out DIR): deterministic, safe to write, and clean."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from zoneanalysis import paths
from zoneanalysis.cleaning.rows import REASONS_ZH, ROW_EMPTY_DATA
from zoneanalysis.errors import ZoneAnalysisError
from zoneanalysis.registry import load_zones, zone_level
from zoneanalysis.sample.world import HENAN_CITIES, example_zone_rows, shipped_zone_count

SCRIPT = paths.PROJECT_ROOT / "scripts" / "make_sample_data.py"


def _script():
    spec = importlib.util.spec_from_file_location("make_sample_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPENPYXL_LXML": "False"}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd, check=False
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_example_rows_are_marked_numbered_and_spread_over_henan():
    shipped = shipped_zone_count()
    rows = example_zone_rows(shipped + 40, seed=7)
    assert len(rows) == 40
    assert rows["zone_id"].iloc[0] == f"ex_{shipped + 1:04d}"
    assert rows["zone_name"].str.startswith("示例集聚区").all()
    assert (rows["is_example"] == "True").all() and (rows["is_zhengzhou"] == "False").all()
    assert set(rows["city"]) <= set(HENAN_CITIES) and rows["city"].nunique() > 5
    assert rows.equals(example_zone_rows(shipped + 40, seed=7))
    assert example_zone_rows(shipped, seed=7).empty


def test_fewer_zones_than_shipped_is_refused():
    with pytest.raises(ZoneAnalysisError, match="至少"):
        example_zone_rows(shipped_zone_count() - 1, seed=1)


def test_world_target_must_be_new_empty_or_made_by_the_script(tmp_path):
    script = _script()
    assert script.check_world_target(tmp_path / "new") == (tmp_path / "new").resolve()
    assert script.check_world_target(tmp_path) == tmp_path.resolve()  # empty
    (tmp_path / "real.xlsx").write_bytes(b"x")
    with pytest.raises(ZoneAnalysisError, match="不是空的"):
        script.check_world_target(tmp_path)
    (tmp_path / script.WORLD_MANIFEST).write_text("bureau/a.xlsx\n", encoding="utf-8")
    with pytest.raises(ZoneAnalysisError, match="不是示例脚本生成"):
        script.check_world_target(tmp_path)
    (tmp_path / script.WORLD_MANIFEST).write_text("real.xlsx\n", encoding="utf-8")
    assert script.check_world_target(tmp_path) == tmp_path.resolve()
    for inside in (paths.RAW_DIR, paths.RAW_DIR / "scale", paths.PROJECT_ROOT / "data"):
        with pytest.raises(ZoneAnalysisError, match="data/raw"):
            script.check_world_target(inside)


def test_zones_without_out_is_refused_and_writes_nothing():
    before = _tree(paths.RAW_DIR / "bureau")
    done = _run(str(SCRIPT), "--zones", "300")
    assert done.returncode == 1 and "--out" in done.stderr and "Traceback" not in done.stderr
    assert _tree(paths.RAW_DIR / "bureau") == before


@pytest.mark.slow
def test_default_generator_reproduces_the_shipped_bureau_files(tmp_path):
    code = (
        "import sys; from zoneanalysis.sample import make_truth, write_bureau_files; "
        "write_bureau_files(make_truth(2016), sys.argv[1])"
    )
    done = _run("-c", code, str(tmp_path))
    assert done.returncode == 0, done.stderr
    shipped = _tree(paths.RAW_DIR / "bureau")
    shipped.pop(".sample_manifest", None)
    assert _tree(tmp_path) == shipped


@pytest.fixture(scope="module")
def world_300(tmp_path_factory):
    out = tmp_path_factory.mktemp("world") / "w300"
    done = _run(str(SCRIPT), "--zones", "300", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.slow
def test_world_is_deterministic_and_rewritable(world_300, tmp_path):
    again = tmp_path / "again"
    assert _run(str(SCRIPT), "--zones", "300", "--out", str(again)).returncode == 0
    assert _tree(again) == _tree(world_300)
    # a folder the script made may be rewritten in place
    assert _run(str(SCRIPT), "--zones", "300", "--out", str(again)).returncode == 0
    assert _tree(again) == _tree(world_300)


@pytest.mark.slow
def test_world_registry_has_the_zones_and_keeps_the_shipped_rows(world_300):
    zones_file = world_300 / "reference" / "zones.csv"
    shipped = paths.ZONES_FILE.read_bytes()
    assert zones_file.read_bytes().startswith(shipped)
    level = zone_level(load_zones(zones_file), 2016)
    assert int((level == "provincial").sum()) == 300
    for name in ("zone_aliases.csv", "ranking_criteria.yaml", "projection_settings.yaml"):
        assert (world_300 / "reference" / name).read_bytes() == (
            paths.REFERENCE_DIR / name
        ).read_bytes()


@pytest.mark.slow
def test_world_cleans_with_no_refused_rows_and_every_zone(world_300, tmp_path):
    ref = world_300 / "reference"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "zoneanalysis.cli",
            "clean",
            "--raw",
            str(world_300 / "bureau"),
            "--zones-file",
            str(ref / "zones.csv"),
            "--aliases-file",
            str(ref / "zone_aliases.csv"),
            "--out",
            str(tmp_path / "processed"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    stats = pd.read_parquet(tmp_path / "processed" / paths.ZONE_STATS_NAME)
    registry = load_zones(ref / "zones.csv")
    assert set(stats["zone_id"]) == set(registry["zone_id"])
    report = pd.read_csv(tmp_path / "processed" / paths.CLEANING_REPORT_NAME)
    dropped = report.loc[report["severity"] == "dropped", "reason"]
    structural = {v for k, v in REASONS_ZH.items() if k != ROW_EMPTY_DATA}
    assert set(dropped) <= structural
