"""Number cells: footnote markers, full-width digits, minus signs, finite values, growth limits."""

import csv
import math
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zoneanalysis import paths
from zoneanalysis.cleaning import clean_tables
from zoneanalysis.cleaning.rules import load_cleaning_rules
from zoneanalysis.cleaning.values import NumberFormatError, parse_number, parse_number_note
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.names import normalise_name

RULES = load_cleaning_rules()
TITLE = "2016年1-6月郑州市产业集聚区主要经济指标"

CIRCLED = [chr(c) for c in range(0x2460, 0x2474)]  # ①–⑳
SUPERSCRIPTS = list("⁰¹²³⁴⁵⁶⁷⁸⁹")
OTHER_NUMBERS = CIRCLED + SUPERSCRIPTS + list("₁₂₃⑴⒈❶➀㉑½")
MARKERS = OTHER_NUMBERS + sorted(RULES.footnote_markers)
FULL_WIDTH = str.maketrans("0123456789.,-+%", "０１２３４５６７８９．，－＋％")


# --- parse_number: examples -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value", "note"),
    [
        ("1082①", 1082.0, "①"),
        ("1082 ⑳", 1082.0, "⑳"),
        ("1082²", 1082.0, "²"),
        ("¹1082", 1082.0, "¹"),
        ("1,082.5³", 1082.5, "³"),
        ("*12.5", 12.5, "*"),
        ("12.5#", 12.5, "#"),
        ("3.2△", 3.2, "△"),
        ("▲3.2", 3.2, "▲"),
        ("12.3%①", 12.3, "①"),
        ("12.3①%", 12.3, "①"),
        ("１，０８２．５", 1082.5, ""),
        ("－３．５％", -3.5, ""),
        ("\u22123.5", -3.5, ""),  # U+2212 MINUS SIGN
        ("\u20133.5", -3.5, ""),  # en dash
        ("\u2012 3.5", -3.5, ""),  # figure dash and a space
        ("1,234,567", 1234567.0, ""),
        ("1 082", 1082.0, ""),
        ("\u00a01082\u3000", 1082.0, ""),
        ("—①", None, "①"),  # a missing value with a footnote
        ("—", None, ""),
        (12.5, 12.5, ""),
    ],
)
def test_markers_are_notes_and_digits_read_right(cell, value, note):
    parsed = parse_number_note(cell, RULES)
    assert parsed.value == value
    assert parsed.note == note
    assert parse_number(cell, RULES) == value


@pytest.mark.parametrize(
    "cell",
    [
        "①",
        "10²3",  # a superscript inside the number
        "1②2",
        "inf",
        "-inf",
        "nan",
        "NaN",
        "Infinity",
        "1e999",
        float("inf"),
        float("-inf"),
        "1,08,2",
        "12.3%%",
        "▼3.1",
        "3-2",
        True,
    ],
)
def test_refused(cell):
    with pytest.raises(NumberFormatError):
        parse_number(cell, RULES)


def test_nan_cell_is_missing_not_a_value():
    assert parse_number(float("nan"), RULES) is None


def test_normalised_names_drop_footnote_numbers():
    # NFKC alone would turn ① into 1 and ² into 2
    assert normalise_name("航空港区①") == "航空港区"
    assert normalise_name("规模以上工业主营业务收入²") == "规模以上工业主营业务收入"


# --- parse_number: properties -----------------------------------------------------------------

numbers = st.decimals(
    min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=3
)
spaces = st.sampled_from(["", " ", "\u3000", "\u00a0", "\t"])
markers = st.lists(st.sampled_from(MARKERS), max_size=3).map("".join)


@settings(max_examples=400, deadline=None)
@given(
    number=numbers,
    grouped=st.booleans(),
    wide=st.booleans(),
    minus=st.sampled_from(sorted(RULES.minus_signs)),
    before=markers,
    after=markers,
    pad=spaces,
    percent=st.booleans(),
)
def test_decorated_number_reads_as_its_value_or_is_refused(
    number, grouped, wide, minus, before, after, pad, percent
):
    text = f"{abs(number):,f}" if grouped else f"{abs(number):f}"
    if number < 0:
        text = minus + text
    if percent:
        text += "%"
    if wide:
        text = text.translate(FULL_WIDTH)
    cell = f"{pad}{before}{pad}{text}{pad}{after}{pad}"
    try:
        parsed = parse_number_note(cell, RULES)
    except NumberFormatError:
        return
    assert parsed.value == pytest.approx(float(number), abs=1e-9)
    assert sorted(parsed.note) == sorted(before + after)


alphabet = st.sampled_from([*MARKERS, *"0123456789０１２３.,-−%  e", *"万亿元abc"])


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet, max_size=12))
def test_non_digits_never_become_digits(text):
    """Removing every non-decimal-digit numeral never changes a value that was read."""
    try:
        value = parse_number(text, RULES)
    except NumberFormatError:
        return
    digits = [c for c in text if unicodedata.category(c) == "Nd"]
    if not digits:
        assert value is None
        return
    stripped = "".join(c for c in text if c not in OTHER_NUMBERS)
    assert value == parse_number(stripped, RULES)
    if value is not None:
        assert math.isfinite(value)


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_float_cells_are_finite_or_refused(x):
    try:
        value = parse_number(x, RULES)
    except NumberFormatError:
        assert math.isinf(x)
        return
    assert value is None if math.isnan(x) else value == x


# --- through the cleaner ----------------------------------------------------------------------


def table(revenue="100.5", growth="12.3", header="规模以上工业主营业务收入", zone="经开区"):
    return [
        [TITLE, "", ""],
        ["单位：亿元、%", "", ""],
        ["集聚区名称", header, ""],
        ["", "1-6月", "同比增长±%"],
        [zone, revenue, growth],
        ["高新区", "50", "1.0"],
        ["注：①为快报数。", "", ""],
    ]


def write_csv(path, rows, encoding="utf-8-sig"):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def revenue_of(result, zone_id="zz_jingkai"):
    s = result.stats
    return s[(s.zone_id == zone_id) & (s.indicator == "revenue")].iloc[0]


def test_footnote_marker_is_kept_as_a_note_not_a_digit(tmp_path):
    write_csv(tmp_path / "raw" / "a.csv", table(revenue="1082①", growth="12.3*"))
    result = clean_tables(tmp_path / "raw")
    row = revenue_of(result)
    assert row["value"] == 1082.0
    assert row["yoy_pct"] == 12.3
    notes = result.report[result.report["reason"].str.contains("脚注标记")]
    assert len(notes) == 2
    assert set(notes["source_row"]) == {5}
    assert notes["reason"].str.contains("“1082①”带脚注标记“①”").any()
    assert (notes["severity"] == "warning").all()


def test_traditional_header_maps_through_opencc(tmp_path):
    write_csv(tmp_path / "raw" / "a.csv", table(header="規模以上工業主營業務收入", zone="經開區"))
    result = clean_tables(tmp_path / "raw")
    assert revenue_of(result)["value"] == 100.5
    assert not result.report["reason"].str.contains("未对应任何指标").any()


@pytest.mark.parametrize("growth", ["1e308", "6000", "-6000", "-150"])
def test_impossible_growth_is_refused_with_the_cell(tmp_path, growth):
    write_csv(tmp_path / "raw" / "a.csv", table(growth=growth))
    with pytest.raises(InputDataError) as err:
        clean_tables(tmp_path / "raw")
    text = str(err.value)
    assert "a.csv（第 5 行第 C 列" in text
    assert "growth_limits.ytd_flow" in text


def test_overflowing_growth_text_is_not_a_number(tmp_path):
    write_csv(tmp_path / "raw" / "a.csv", table(growth="1e999"))
    with pytest.raises(InputDataError, match="第 5 行第 C 列"):
        clean_tables(tmp_path / "raw")


def test_unusual_growth_is_kept_and_noted(tmp_path):
    write_csv(tmp_path / "raw" / "a.csv", table(growth="450"))
    result = clean_tables(tmp_path / "raw")
    assert revenue_of(result)["yoy_pct"] == 450.0
    assert result.report["reason"].str.contains("增速 450% 超过 ±300%").any()


def rules_file(tmp_path, replace_from: str, text: str):
    """The shipped cleaning rules with everything from ``replace_from`` on replaced by ``text``."""
    src = paths.CLEANING_RULES_FILE.read_text(encoding="utf-8")
    path = tmp_path / "rules.yaml"
    path.write_text(src[: src.index(replace_from)] + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "limits",
    [
        "growth_limits:\n  ytd_flow: {max_abs: 100, warn_abs: 300}\n",
        "growth_limits:\n  ytd_flow: {max_abs: .inf, warn_abs: 3}\n",
        "growth_limits:\n  flows: {max_abs: 100, warn_abs: 30}\n",
        "growth_limits:\n  ytd_flow: 100\n",
        "growth_limits: [1, 2]\n",
    ],
)
def test_bad_growth_limits_are_config_errors(tmp_path, limits):
    with pytest.raises(ConfigError, match="growth_limits"):
        load_cleaning_rules(rules_file(tmp_path, "growth_limits:", limits))


def test_a_digit_as_footnote_marker_is_refused(tmp_path):
    src = paths.CLEANING_RULES_FILE.read_text(encoding="utf-8")
    path = tmp_path / "rules.yaml"
    path.write_text(src.replace('footnote_markers: ["*"', 'footnote_markers: ["1", "*"'), "utf-8")
    with pytest.raises(ConfigError, match="footnote_markers"):
        load_cleaning_rules(path)
