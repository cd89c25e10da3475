"""Property: random bureau tables written by the sample writer clean back to their truth.

Random column order and subsets, role columns (本月, 上年同期, growth) present or absent, growth
header words, parks in a stacked second table, title and unit-line variants, 万元/亿元 and 人/万人,
totals and notes rows, footnote markers on headers, .xlsx/.xls/CSV in several encodings, and a
revision marked in the title or only in the file name.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zoneanalysis.cleaning import clean_tables
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.registry import LEVEL_PROVINCIAL, load_zones, zone_level
from zoneanalysis.sample.bureau_files import CITY_INDICATORS, CityVariant, write_city_file
from zoneanalysis.sample.truth import DECIMALS

ZONES = load_zones()
CATALOGUE = load_indicator_catalogue()
YEARS = (2014, 2015, 2016)
LEVELS = {year: zone_level(ZONES, year) for year in YEARS}
ZHENGZHOU = set(ZONES.loc[ZONES["is_zhengzhou"].astype(bool), "zone_id"])


def _zones_of(year: int, level: str) -> list[str]:
    lv = LEVELS[year]
    return sorted(z for z in lv.index[lv == level] if z in ZHENGZHOU)


PROVINCIAL = {y: _zones_of(y, LEVEL_PROVINCIAL) for y in YEARS}
PARKS = {y: _zones_of(y, "city_park") for y in YEARS}
GROWTH_HEADERS = ("同比增长±%", "增幅(%)", "增减(%)", "增长率(%)", "比上年同期增长(%)", "增速")
TITLES = (
    "{period}郑州市产业集聚区主要经济指标{suffix}",
    "郑州市产业集聚区主要经济指标（{period}）{suffix}",
    "{period}郑州市产业集聚区主要经济指标完成情况{suffix}",
)
UNIT_LINES = (
    "单位：{money}、{people}、%",
    "单位:{money},{people},%",
    "计量单位：{money}/{people}/%",
    "金额单位：{money}；人数单位：{people}",
)
ENCODINGS = ("gbk", "gb18030", "utf-8-sig", "utf-8")
MARKERS = ("", "*", "①", "※")
KEY = ["zone_id", "year", "month", "indicator"]


@st.composite
def variants(draw: st.DrawFn, has_parks: bool) -> CityVariant:
    fmt = draw(st.sampled_from(("xlsx", "xls", "csv")))
    unit_line = draw(st.booleans())
    unit_in_header = draw(st.booleans())
    units_row = draw(st.booleans())
    wan = (unit_line or unit_in_header or units_row) and draw(st.booleans())  # none: canonical
    order = draw(st.permutations(CITY_INDICATORS))
    n = draw(st.integers(1, len(order)))
    encoding = draw(st.sampled_from(ENCODINGS))
    marker = draw(st.sampled_from(MARKERS))
    if fmt == "csv" and encoding.startswith("gb") and marker == "①":
        marker = "*"  # keep to what the encoding can hold
    return CityVariant(
        fmt=fmt,
        money_unit="万元" if wan else "亿元",
        people_unit="人" if wan else "万人",
        encoding=encoding,
        three_col=draw(st.booleans()),
        unit_in_header=unit_in_header,
        name_header=draw(st.sampled_from(("集聚区名称", "单位名称", "名称"))),
        december=draw(st.sampled_from(("1-12月", "全年"))),
        thousands=fmt == "csv" and draw(st.booleans()),
        pct_suffix=draw(st.booleans()),
        indicators=tuple(order[:n]),
        growth_columns=draw(st.booleans()),
        growth_header=draw(st.sampled_from(GROWTH_HEADERS)),
        prior_year=draw(st.booleans()),
        stacked=has_parks and draw(st.booleans()),
        totals=draw(st.booleans()),
        notes=draw(st.booleans()),
        unit_line=unit_line,
        unit_line_format=draw(st.sampled_from(UNIT_LINES)),
        units_row=units_row,
        title_format=draw(st.sampled_from(TITLES)),
        header_marker=marker,
    )


def _value(draw: st.DrawFn, indicator: str) -> float:
    """A canonical value at the printed precision, inside the catalogue's range (with room)."""
    scale = 10 ** DECIMALS[indicator]
    ind = CATALOGUE[indicator]
    low, top = math.ceil(ind.min * 0.9), math.floor(ind.max * 0.9)
    return draw(st.integers(low * scale, top * scale)) / scale


@st.composite
def cases(draw: st.DrawFn) -> dict:
    year = draw(st.sampled_from(YEARS))
    month = draw(st.integers(2, 12))
    provincial = draw(
        st.lists(st.sampled_from(PROVINCIAL[year]), min_size=1, max_size=4, unique=True)
    )
    parks = draw(st.lists(st.sampled_from(PARKS[year]), max_size=3, unique=True))
    variant = draw(variants(bool(parks)))
    rows = []
    for zone_id in provincial + parks:
        for indicator in variant.indicators:
            for y, m in ((year, month), (year - 1, month), (year, month - 1)):
                if draw(st.integers(0, 5)) == 0:
                    continue  # a missing cell, printed as —, －, …, / or blank
                yoy = draw(st.one_of(st.none(), st.integers(-400, 1200)))
                growth = math.nan if yoy is None or not variant.growth_columns else yoy / 10
                rows.append((zone_id, y, m, indicator, _value(draw, indicator), growth))
    truth = pd.DataFrame(rows, columns=[*KEY, "value", "yoy_pct"])
    revision = draw(st.sampled_from((None, "title", "file_name", "sidecar")))
    return {
        "year": year,
        "month": month,
        "provincial": provincial,
        "parks": parks,
        "variant": variant,
        "truth": truth,
        "revision": revision,
    }


def _write(case: dict, raw: Path) -> None:
    variant: CityVariant = case["variant"]
    year, month = case["year"], case["month"]
    name = f"{year}-{month:02d}_郑州市产业集聚区主要经济指标"
    common = dict(year=year, month=month, provincial=case["provincial"], parks=case["parks"])
    truth = case["truth"]
    if case["revision"] is not None:  # an original with other values, superseded by the truth
        original = truth.assign(value=(truth["value"] * 0.97 + 1).round(2))
        write_city_file(original, raw / f"{name}.{variant.fmt}", variant=variant, **common)
        if case["revision"] == "title":
            title = variant.title_format.replace("{suffix}", "（修订）{suffix}")
            variant = CityVariant(**{**variant.__dict__, "title_format": title})
            name = f"{name}_v2"
        elif case["revision"] == "sidecar":
            name = f"{name}_v2"
            sidecar = raw / f"{name}.{variant.fmt}.layout.yaml"
            sidecar.write_text("revision: true\n", encoding="utf-8")
        else:
            name = f"{name}（修订）"
    write_city_file(truth, raw / f"{name}.{variant.fmt}", variant=variant, **common)


def _expected(case: dict) -> pd.DataFrame:
    truth = case["truth"]
    now = truth[(truth["year"] == case["year"]) & (truth["month"] == case["month"])]
    return _tidy(now)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[[*KEY, "value", "yoy_pct"]].astype(
        {"zone_id": object, "indicator": object, "year": "int64", "month": "int64"}
    )
    out = out.astype({"value": "float64", "yoy_pct": "float64"})
    out["zone_id"] = out["zone_id"].map(str)
    out["indicator"] = out["indicator"].map(str)
    return out.sort_values(KEY, ignore_index=True)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=cases())
def test_random_bureau_tables_clean_back_to_their_truth(case):
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp)
        _write(case, raw)
        result = clean_tables(raw)
    got = _tidy(result.stats)
    want = _expected(case)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, atol=1e-12)
    if case["revision"] is not None and not want.empty:
        assert (result.report["severity"] == "superseded").any()
