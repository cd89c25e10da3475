"""The field dictionary, the schemas built from it, the producers and fixtures checked against it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ranking_fixtures import make_projections, make_stats
from reporting_fixtures import build_fixture_data

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.ledger.clusters import CLUSTER_COLUMNS
from zoneanalysis.ledger.projects import PROJECT_COLUMNS
from zoneanalysis.ledger.run import TABLES as LEDGER_TABLES
from zoneanalysis.projection.run import LOG_COLUMNS, project_year_end
from zoneanalysis.ranking import load_criteria, rank_zones
from zoneanalysis.registry import load_zones
from zoneanalysis.schema import load_dictionary, schema_for, table_fields, validate_table
from zoneanalysis.schema.contracts import contracts_text
from zoneanalysis.targets import load_targets

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ROOT / "docs" / "contracts.md"
TABLES = list(load_dictionary().tables)
PERIOD = "2016-06"


def _columns(table: str) -> list[str]:
    return [name for name, _ in table_fields(table)]


def test_every_field_is_used_and_every_table_has_a_schema():
    book = load_dictionary()
    used = {name for table in book.tables for name in _columns(table)}
    assert set(book.fields) - used == set()
    assert {"zone_stats", "cleaning_report", "projections", "rankings", "stars"} <= set(TABLES)
    assert set(LEDGER_TABLES) <= set(TABLES)
    for table in TABLES:
        assert list(schema_for(table).columns)[: len(_columns(table))] == _columns(table)


def test_money_and_people_carry_a_unit():
    for table in ("projections", "clusters", "investment", "big_projects"):
        for name, spec in table_fields(table):
            if name.endswith(("_value", "_investment", "_80", "_95")) or name == "threshold":
                assert spec.unit, f"{table}.{name} 没有单位"
    assert "unit" in _columns("projections")


def test_unknown_table_is_a_config_error():
    with pytest.raises(ConfigError, match="没有表"):
        schema_for("no_such_table")


def test_ledger_column_lists_are_the_dictionary():
    # the projection and ranking column lists are read from the dictionary; the ledger keeps its own
    assert _columns("projects") == PROJECT_COLUMNS
    assert _columns("clusters") == CLUSTER_COLUMNS


@pytest.fixture(scope="module")
def reporting_tables(tmp_path_factory) -> dict[str, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("fixtures")
    build_fixture_data(folder, PERIOD)
    return {
        "zone_stats": pd.read_parquet(folder / paths.ZONE_STATS_NAME),
        "cleaning_report": pd.read_csv(folder / paths.CLEANING_REPORT_NAME),
        "projections": pd.read_parquet(paths.projections_path(folder, PERIOD)),
        "rankings": pd.read_parquet(paths.rankings_path(folder, PERIOD)),
        "stars": pd.read_parquet(paths.stars_path(folder, PERIOD)),
    }


@pytest.mark.parametrize(
    "table", ["zone_stats", "cleaning_report", "projections", "rankings", "stars"]
)
def test_reporting_fixtures_pass_their_schema(reporting_tables, table):
    validate_table(reporting_tables[table], table)


def test_ranking_fixtures_pass_their_schema():
    stats = make_stats()
    validate_table(stats, "zone_stats")
    validate_table(make_projections(stats), "projections")


@pytest.fixture(scope="module")
def ranked():
    stats = make_stats()
    return rank_zones(
        stats,
        2016,
        6,
        criteria=load_criteria(),
        zones=load_zones(),
        projections=make_projections(stats),
        n_draws=50,
        seed=1,
    )


def test_ranking_producer_output_passes_its_schema(ranked):
    validate_table(ranked.rankings, "rankings")
    validate_table(ranked.stars, "stars")
    validate_table(ranked.log, "ranking_log")
    validate_table(ranked.sensitivity, "ranking_sensitivity")
    assert ranked.rankings.columns.str.startswith("pillar_").any()


def test_projection_producer_output_passes_its_schema():
    zones = load_zones()
    stats = make_stats()
    log: list[dict] = []
    out = project_year_end(
        stats,
        2016,
        6,
        targets=load_targets(zones=zones),
        zones=zones,
        n_sims=200,
        with_ets=False,
        log=log,
    )
    validate_table(out, "projections")
    validate_table(pd.DataFrame(log, columns=LOG_COLUMNS), "projection_log")
    units = stats.drop_duplicates("indicator").set_index("indicator")["unit"]
    assert (out["unit"] == out["indicator"].map(units)).all()
    assert set(out.loc[out["indicator"] == "revenue", "unit"]) == {"亿元"}


def test_ledger_producer_output_passes_its_schema(tmp_path):
    from zoneanalysis.ledger import build_ledger, read_ledger_tables

    build_ledger(PERIOD, raw_dir=paths.RAW_DIR, processed=tmp_path)
    tables = read_ledger_tables(tmp_path, PERIOD)
    assert set(tables) == set(LEDGER_TABLES)
    for name, frame in tables.items():
        validate_table(frame, name)


@given(data=st.data())
def test_a_drifted_table_fails_naming_table_and_column(reporting_tables, data):
    table = data.draw(st.sampled_from(["projections", "rankings", "stars", "zone_stats"]))
    frame = reporting_tables[table]
    column = data.draw(st.sampled_from(_columns(table)))
    drift = data.draw(st.sampled_from(["drop", "rename", "retype", "move"]))
    if drift == "drop":
        bad = frame.drop(columns=[column])
    elif drift == "rename":
        bad = frame.rename(columns={column: f"{column}_old"})
    elif drift == "retype":
        bad = frame.assign(**{column: [object()] * len(frame)})
    else:
        bad = frame[[c for c in frame.columns if c != column] + [column]]
        if list(bad.columns) == list(frame.columns):
            bad = frame[[column] + [c for c in frame.columns if c != column]]
        if list(bad.columns) == list(frame.columns):
            return
    with pytest.raises(InputDataError) as err:
        validate_table(bad, table)
    text = str(err.value)
    assert f"表 {table}" in text
    if drift in ("drop", "retype"):
        assert column in text


def test_values_outside_the_dictionary_fail(reporting_tables):
    report = reporting_tables["cleaning_report"].assign(severity="info")
    with pytest.raises(InputDataError, match="severity 列"):
        validate_table(report, "cleaning_report")
    projections = reporting_tables["projections"].copy()
    projections.loc[0, "p_meet_target"] = 1.5
    with pytest.raises(InputDataError, match="p_meet_target 列（完成目标概率）"):
        validate_table(projections, "projections")
    doubled = pd.concat([reporting_tables["stars"]] * 2, ignore_index=True)
    with pytest.raises(InputDataError, match="表 stars"):
        validate_table(doubled, "stars")


def test_contracts_md_agrees_with_the_dictionary():
    text = CONTRACTS.read_text(encoding="utf-8")
    assert text == contracts_text(CONTRACTS), "运行 python scripts/make_contracts.py"
    for table in TABLES:
        assert f"### `{table}`" in text


def test_make_contracts_check_fails_on_a_stale_copy(tmp_path):
    stale = tmp_path / "contracts.md"
    stale.write_text(
        CONTRACTS.read_text(encoding="utf-8").replace("| `unit` |", "| `units` |", 1),
        encoding="utf-8",
    )
    script = ROOT / "scripts" / "make_contracts.py"
    run = [sys.executable, str(script), "--file", str(stale)]
    assert subprocess.run([*run, "--check"], capture_output=True).returncode == 1
    assert subprocess.run(run, capture_output=True).returncode == 0
    assert subprocess.run([*run, "--check"], capture_output=True).returncode == 0
    assert stale.read_text(encoding="utf-8") == CONTRACTS.read_text(encoding="utf-8")


def test_a_drifted_producer_writes_nothing_and_exits_1(tmp_path, monkeypatch, capsys):
    import zoneanalysis.projection.run as projection_run
    from zoneanalysis.cli import main

    make_stats().to_parquet(tmp_path / paths.ZONE_STATS_NAME)
    real = projection_run.project_year_end

    def without_unit(*args, **kwargs):
        return real(*args, **kwargs).drop(columns=["unit"])

    monkeypatch.setattr(projection_run, "project_year_end", without_unit)
    code = main(["project", "--period", PERIOD, "--processed", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "表 projections 缺少列 unit（单位）" in err and "Traceback" not in err
    assert not paths.projections_path(tmp_path, PERIOD).exists()
    assert not (tmp_path / f"projection_log_{PERIOD}.csv").exists()


def test_a_list_level_ranking_log_row_has_no_zone():
    from zoneanalysis.schema import validate_table

    log = pd.DataFrame(
        {
            "list": ["shiqiang"],
            "zone_id": [None],
            "indicator": [None],
            "action": ["rank_change"],
            "detail": ["上年名次按本年参与排名的 11 个集聚区重排"],
            "value_before": [float("nan")],
            "value_after": [float("nan")],
        }
    )
    validate_table(log, "ranking_log")
