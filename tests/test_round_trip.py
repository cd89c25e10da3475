"""Round trip: synthetic truth → bureau-style files → clean_tables → equal to the truth."""

import pandas as pd
import pytest

from zoneanalysis.sample import make_truth, write_bureau_files
from zoneanalysis.sample.bureau_files import ORIGINAL_FACTOR, REVISED_CELLS, REVISION_PERIOD

KEY = ["zone_id", "year", "month", "indicator"]
COLUMNS = [*KEY, "value", "unit", "yoy_pct"]


@pytest.fixture(scope="module")
def truth():
    return make_truth()


@pytest.fixture(scope="module")
def cleaned(truth, tmp_path_factory):
    from zoneanalysis.cleaning import clean_tables  # the cleaner (its own part of the project)

    raw = tmp_path_factory.mktemp("raw")
    write_bureau_files(truth, raw / "bureau")
    return clean_tables(raw)


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[COLUMNS].copy()
    for col in ["zone_id", "indicator", "unit"]:
        out[col] = out[col].astype(str)
    for col in ["year", "month"]:
        out[col] = out[col].astype("int64")
    for col in ["value", "yoy_pct"]:
        out[col] = out[col].astype("float64")
    return out.sort_values(KEY, ignore_index=True)


def test_cleaned_tables_equal_the_truth(truth, cleaned):
    got = _normalise(cleaned.stats)
    want = _normalise(truth)
    missing = want.merge(got[KEY], on=KEY, how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"]
    extra = got.merge(want[KEY], on=KEY, how="left", indicator=True)
    extra = extra[extra["_merge"] == "left_only"]
    assert missing.empty, f"{len(missing)} truth rows not in the cleaned table:\n{missing.head(10)}"
    assert extra.empty, f"{len(extra)} cleaned rows not in the truth:\n{extra.head(10)}"
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, atol=0)


def test_the_revision_wins_and_is_flagged(truth, cleaned):
    year, month = REVISION_PERIOD
    stats = cleaned.stats.set_index(KEY)
    for zone_id, indicator in REVISED_CELLS:
        revised = truth.set_index(KEY).loc[(zone_id, year, month, indicator), "value"]
        assert stats.loc[(zone_id, year, month, indicator), "value"] == pytest.approx(revised)
        assert revised * ORIGINAL_FACTOR != pytest.approx(revised)
        assert stats.loc[(zone_id, year, month, indicator), "quality_flag"] == "revised"


def test_totals_notes_and_superseded_rows_go_to_the_report(cleaned):
    report = cleaned.report
    assert {"source_file", "source_row", "raw_text", "reason"} <= set(report.columns)
    text = " ".join(report["raw_text"].astype(str))
    for label in ["全市合计", "全省合计", "小计", "市级工业专业园区", "注："]:
        assert label in text
    # the superseded original of the revised month is reported
    assert report["source_file"].astype(str).str.contains(f"{REVISION_PERIOD[0]}-05_").any()


def test_sources_point_into_the_raw_folder(cleaned):
    stats = cleaned.stats
    assert stats["source_file"].astype(str).str.startswith("bureau/").all()
    assert (stats["source_row"] >= 1).all()
