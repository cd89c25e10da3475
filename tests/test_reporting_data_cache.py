"""The per-process table cache of ``reporting.data`` and the zone-filtered load (示例 fixture data)."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from reporting_fixtures import build_fixture_data

from zoneanalysis import paths
from zoneanalysis.reporting import answer, progress, views
from zoneanalysis.reporting.data import cached_read, clear_cache, load_report_tables, read_table

PERIOD = "2016-06"


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory):
    return build_fixture_data(tmp_path_factory.mktemp("cache") / "processed", n_other=6)


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def _zz_ids(zones: pd.DataFrame) -> list[str]:
    return list(zones.loc[zones["is_zhengzhou"], "zone_id"])


def test_cache_returns_the_new_table_after_the_file_changes(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame({"zone_id": ["a"], "value": [1.0]}).to_parquet(path)
    assert read_table(path, required=True)["value"].tolist() == [1.0]
    pd.DataFrame({"zone_id": ["a", "b"], "value": [2.0, 3.0]}).to_parquet(path)
    assert read_table(path, required=True)["value"].tolist() == [2.0, 3.0]


def test_cache_sees_a_same_size_rewrite_with_an_older_time(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame({"value": [1.0]}).to_parquet(path)
    first = os.stat(path)
    assert read_table(path, required=True)["value"].iloc[0] == 1.0
    pd.DataFrame({"value": [9.0]}).to_parquet(path)
    assert os.stat(path).st_size == first.st_size
    os.utime(path, ns=(first.st_atime_ns, first.st_mtime_ns - 10**9))
    assert read_table(path, required=True)["value"].iloc[0] == 9.0


def test_cache_reads_an_unchanged_file_once(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("a")
    calls = []

    def reader(p):
        calls.append(p)
        return p.read_text()

    assert cached_read(path, reader) == cached_read(path, reader) == "a"
    assert len(calls) == 1
    path.write_text("bb")
    assert cached_read(path, reader) == "bb"
    assert len(calls) == 2


def test_a_page_changing_its_table_does_not_change_the_next_page(fixture_data):
    first = load_report_tables(PERIOD, fixture_data["processed"], fixture_data["zones"])
    first.stats["value"] = 0.0
    first.stats.loc[first.stats.index[0], "indicator"] = "changed"
    del first.zones["city"]
    again = load_report_tables(PERIOD, fixture_data["processed"], fixture_data["zones"])
    assert (again.stats["value"] != 0.0).all()
    assert "changed" not in set(again.stats["indicator"])
    assert "city" in again.zones.columns


def test_targets_are_copied(fixture_data):
    targets = paths.TARGETS_FILE
    first = load_report_tables(PERIOD, fixture_data["processed"], fixture_data["zones"], targets)
    assert first.targets
    first.targets.clear()
    again = load_report_tables(PERIOD, fixture_data["processed"], fixture_data["zones"], targets)
    assert again.targets


def test_filtered_load_equals_the_whole_restricted_to_the_city(fixture_data):
    whole = load_report_tables(PERIOD, fixture_data["processed"], fixture_data["zones"])
    zone_id = _zz_ids(whole.zones)[0]
    part = load_report_tables(
        PERIOD, fixture_data["processed"], fixture_data["zones"], zone_id=zone_id
    )
    others = set(whole.zones.loc[whole.zones["city"] != "郑州市", "zone_id"])
    assert others & set(whole.stats["zone_id"]), "the fixture must hold other cities' zones"
    for name in ("stats", "projections"):
        full, got = getattr(whole, name), getattr(part, name)
        expected = full[~full["zone_id"].isin(others)]
        pd.testing.assert_frame_equal(got, expected)
        assert not set(got["zone_id"]) & others
    for name in ("zones", "rankings", "stars", "cleaning"):
        pd.testing.assert_frame_equal(getattr(part, name), getattr(whole, name))
    assert part.targets == whole.targets
    assert part.is_sample == whole.is_sample


def test_sample_flag_is_decided_on_the_whole_tables(fixture_data, tmp_path):
    whole = load_report_tables(PERIOD, fixture_data["processed"], fixture_data["zones"])
    zone_id = _zz_ids(whole.zones)[0]
    part = load_report_tables(
        PERIOD, fixture_data["processed"], fixture_data["zones"], zone_id=zone_id
    )
    assert part.sample is not None and part.sample == whole.is_sample


@pytest.mark.parametrize("index", range(4))
def test_zone_page_tables_are_the_same_from_filtered_tables(fixture_data, index):
    """What the zone page computes, from the filtered tables and from the whole ones."""
    whole = load_report_tables(PERIOD, fixture_data["processed"], fixture_data["zones"])
    zone_id = _zz_ids(whole.zones)[index]
    part = load_report_tables(
        PERIOD, fixture_data["processed"], fixture_data["zones"], zone_id=zone_id
    )
    for t_a, t_b in [(whole, part)]:
        pairs = [
            (
                views.build_indicator_table(t.projections, zone_id, stats=t.stats),
                progress.build_progress_frame(t.projections, zone_id, t.stats, zones=t.zones),
                views.build_peer_table(t.projections, t.zones, zone_id, ["revenue", "fai"]),
                views.build_data_notes(t.stats, t.cleaning, t.projections, t.zones, zone_id, 2016),
                views.build_rank_table(t.rankings, zone_id),
                views.build_projection_frame(t.stats, t.projections, zone_id, "revenue", 2016, 6),
                pd.DataFrame({"lines": answer.build_answer_lines(t.projections, zone_id)}),
                t.stats.loc[t.stats["indicator"] == "revenue", "unit"]
                .head(1)
                .reset_index(drop=True),
            )
            for t in (t_a, t_b)
        ]
        for a, b in zip(*pairs, strict=True):
            if isinstance(a, pd.Series):
                pd.testing.assert_series_equal(a, b)
            else:
                pd.testing.assert_frame_equal(a, b)
