"""The ledger reads its files with the bureau cleaner's table reader: same zones, cells, revisions."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import opencc
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_ledger_read import GOOD, HEADER, _projects

from zoneanalysis.cleaning import clean_tables
from zoneanalysis.cleaning.grid import open_table, read_title
from zoneanalysis.cleaning.layout import LayoutHints, detect_layout
from zoneanalysis.cleaning.rules import load_cleaning_rules
from zoneanalysis.cleaning.zones import ZoneLookup
from zoneanalysis.errors import InputDataError
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.ledger.read import read_industry_table, read_ledger_folder
from zoneanalysis.registry import ZoneMatcher

MATCHER = ZoneMatcher.from_files()
LOOKUP = ZoneLookup(MATCHER)  # to pick test names only: every rule, brackets included
TITLE = "2016年1-6月郑州市产业集聚区主导产业主营业务收入（示例数据）"
INDUSTRY_HEADER = ["集聚区名称", "电子信息", "同比增长%"]


def _write_csv(path: Path, rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def _industry_rows(body: list[list], title: str = TITLE, unit: str = "单位：亿元、%") -> list:
    return [[title], [unit], INDUSTRY_HEADER, ["全市合计", "999", "—"], *body, ["注：示例数据"]]


def _no_projects(year: int):
    raise AssertionError("no progress table in this folder")


def _read_folder(ledger: Path):
    return read_ledger_folder(
        ledger, raw_dir=ledger.parent, projects=_no_projects, zones=MATCHER, count_names={}
    )


def test_bracketed_zone_name_matches_in_a_ledger_file(tmp_path):
    """ "巩义市（产业集聚区）" matches in bureau tables; in ledger files too (it failed before)."""
    path = _write_csv(tmp_path / "i.csv", _industry_rows([["巩义市（产业集聚区）", "12.5", "3.1"]]))
    out = read_industry_table(path, rel="i.csv", zones=MATCHER)
    assert out["zone_id"].tolist() == ["zz_gongyi"]
    assert out["zone_name"].tolist() == ["巩义市产业集聚区"]
    assert out["value"].tolist() == [12.5]


def test_unknown_zones_fail_once_naming_every_cell(tmp_path):
    body = [["火星产业集聚区", "1", "1"], ["航空港区", "2", "2"], ["月球园区", "3", "3"]]
    path = _write_csv(tmp_path / "i.csv", _industry_rows(body))
    with pytest.raises(InputDataError) as err:
        read_industry_table(path, rel="ledger/i.csv", zones=MATCHER)
    text = str(err.value)
    assert "有 2 个不认识的集聚区名称" in text
    assert "ledger/i.csv（第 5 行第 A 列）" in text and "ledger/i.csv（第 7 行第 A 列）" in text


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("2016-06_主导产业（修订）.csv", TITLE),  # the file name says so
        ("2016-06_主导产业_b.csv", TITLE.replace("（示例数据）", "（修订）")),  # the title says so
    ],
)
def test_a_revised_ledger_file_replaces_the_earlier_one(tmp_path, name, title):
    ledger = tmp_path / "ledger"
    first = [["航空港区", "100", "5"], ["马寨", "40", "1"]]
    _write_csv(ledger / "industry" / "2016-06_主导产业_a.csv", _industry_rows(first))
    revised = [["航空港区", "110", "6"]]
    _write_csv(ledger / "industry" / name, _industry_rows(revised, title=title))
    data = _read_folder(ledger)
    got = data.industry.set_index("zone_id")
    assert got.loc["zz_hangkonggang", "value"] == 110 and got.loc["zz_hangkonggang", "yoy_pct"] == 6
    assert got.loc["zz_hangkonggang", "source_file"] == f"ledger/industry/{name}"
    assert got.loc["zz_mazhai", "value"] == 40  # not in the revision: the first file's record
    superseded = data.report[data.report["severity"] == "superseded"]
    assert superseded[["source_file", "source_row"]].values.tolist() == [
        ["ledger/industry/2016-06_主导产业_a.csv", 5]
    ]
    reason = (
        f"被修订版 ledger/industry/{name} 第 5 行 取代（郑州航空港产业集聚区·电子信息：100 → 110）"
    )
    assert superseded["reason"].tolist() == [reason]


def test_two_unrevised_files_that_disagree_are_an_error_without_replacing_raw_files(tmp_path):
    ledger = tmp_path / "ledger"
    _write_csv(ledger / "industry" / "a.csv", _industry_rows([["航空港区", "100", "5"]]))
    _write_csv(ledger / "industry" / "b.csv", _industry_rows([["航空港区", "101", "5"]]))
    with pytest.raises(InputDataError) as err:
        _read_folder(ledger)
    text = str(err.value)
    assert "ledger/industry/a.csv 第 5 行" in text and "ledger/industry/b.csv 第 5 行" in text
    assert "（修订）" in text and "不要改动原表" in text and "替换原文件" not in text
    # equal records in two files: a duplicate, the first file kept and the other listed
    _write_csv(ledger / "industry" / "b.csv", _industry_rows([["航空港区", "100", "5"]]))
    data = _read_folder(ledger)
    assert data.industry["source_file"].tolist() == ["ledger/industry/a.csv"]
    assert data.report["severity"].tolist().count("duplicate") == 1


def test_a_revised_progress_table_replaces_the_earlier_month(tmp_path):
    """The main ledger table follows the same rule: the revision's project rows win."""
    ledger = tmp_path / "ledger"
    title = "2016年1-6月重大项目建设进度台账"
    _write_csv(ledger / "progress" / "2016-06.csv", [[title], ["单位：万元"], HEADER, *GOOD])
    revised = [list(GOOD[0])]
    revised[0][7] = "30000"  # 1-6月完成投资 2 → 3 亿元
    rows = [[title + "（修订）"], ["单位：万元"], HEADER, *revised]
    _write_csv(ledger / "progress" / "2016-06_b.csv", rows)
    data = read_ledger_folder(
        ledger,
        raw_dir=tmp_path,
        projects=_projects(tmp_path),
        zones=MATCHER,
        count_names={},
    )
    got = data.progress.set_index("project_id")
    assert got.loc["p1", "ytd_investment"] == pytest.approx(3.0)
    assert got.loc["p1", "source_file"] == "ledger/progress/2016-06_b.csv"
    assert got.loc["p2", "source_file"] == "ledger/progress/2016-06.csv"
    superseded = data.report[data.report["severity"] == "superseded"]
    assert superseded["source_row"].tolist() == [4]
    assert "累计完成投资 2 → 3" in superseded["reason"].iloc[0]


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        for name, rows in sheets.items():
            width = max(len(r) for r in rows)
            padded = [[*r, *[""] * (width - len(r))] for r in rows]
            pd.DataFrame(padded).to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def test_ledger_errors_name_the_excel_cell(tmp_path):
    rows = _industry_rows([["航空港区", "12.3.4", "5"]])
    one = _workbook(tmp_path / "one.xlsx", {"台账": rows})
    with pytest.raises(InputDataError) as err:
        read_industry_table(one, rel="ledger/one.xlsx", zones=MATCHER)
    assert str(err.value).startswith("ledger/one.xlsx（第 5 行第 B 列）：")
    two = _workbook(tmp_path / "two.xlsx", {"台账": rows, "说明": [["说明：示例"]]})
    with pytest.raises(InputDataError) as err:
        read_industry_table(two, rel="ledger/two.xlsx", zones=MATCHER)
    assert str(err.value).startswith("ledger/two.xlsx!台账!B5：")
    notes: list[dict] = []
    rows[4][1] = "12.3"
    _workbook(two, {"台账": rows, "说明": [["说明：示例"]]})
    out = read_industry_table(two, rel="ledger/two.xlsx", zones=MATCHER, report=notes)
    assert out["source_file"].tolist() == ["ledger/two.xlsx!台账"]  # as the cleaner names sheets
    assert {"source_file": "ledger/two.xlsx!说明", "severity": "warning"}.items() <= notes[
        0
    ].items()


# ---------------------------------------------------------------- both paths, one grid


def _zone_spellings() -> list[str]:
    """Spellings of registered zones that every rule must resolve, valid in 2012–2016."""
    to_traditional = opencc.OpenCC("s2t")
    out = []
    for row in MATCHER.zones.itertuples():
        names = [row.zone_name, row.short_name, to_traditional.convert(row.zone_name)]
        if row.zone_name.endswith("产业集聚区"):
            names.append(row.zone_name.removesuffix("产业集聚区") + "（产业集聚区）")
        out += [n for n in names if all(LOOKUP.match(n, y) for y in range(2012, 2017))]
    aliases = MATCHER.aliases
    out += aliases.loc[aliases["valid_from"].isna() & aliases["valid_to"].isna(), "alias"].tolist()
    return sorted(set(out))


SPELLINGS = _zone_spellings()
UNIT_LINES = [None, "单位：亿元", "单位：万元、%", "金额单位：万元；增速单位：%"]
NUMBER = st.one_of(st.just("—"), st.decimals(0, 5000, places=2).map(str))
GROWTH = st.one_of(st.just("—"), st.decimals(-50, 50, places=1).map(str))


@st.composite
def grids(draw):
    """A random table: title (period maybe only in the file name, maybe revised), unit line, rows."""
    year, month = draw(st.integers(2012, 2016)), draw(st.integers(2, 12))
    in_title = draw(st.booleans())
    revised = draw(st.sampled_from(["", "（修订）"]))
    title = (
        f"{year}年1-{month}月郑州市产业集聚区主要指标{revised}" if in_title else "郑州市产业集聚区"
    )
    name = f"{year}-{month:02d}_表.csv" if not in_title else "表.csv"
    names = draw(st.lists(st.sampled_from(SPELLINGS), min_size=1, max_size=8))
    names = list({LOOKUP.match(n, year): n for n in names}.values())  # one row per zone
    body = [[n, draw(NUMBER), draw(GROWTH)] for n in names]
    extras = [["全市合计", "999", "1"], ["其中：省级产业集聚区", "", ""], ["", "", ""]]
    for row in draw(st.lists(st.sampled_from(extras), max_size=3)):
        body.insert(draw(st.integers(0, len(body))), row)
    unit = draw(st.sampled_from(UNIT_LINES))
    top = [[title]] + ([[unit]] if unit else [])
    return name, top, body, ["注：示例数据"]


def _bureau_path(tmp: Path, name: str, rows: list[list]):
    raw = tmp / "raw"
    _write_csv(raw / name, rows)
    result = clean_tables(raw)
    stats = result.stats
    data = {
        (int(r.source_row), r.zone_id, int(r.year), int(r.month), r.value, r.yoy_pct)
        for r in stats.itertuples()
    }
    report = {(int(r.source_row), r.reason, r.severity) for r in result.report.itertuples()}
    return data, {x for x in report if "列表头" not in x[1]}


def _ledger_path(tmp: Path, name: str, rows: list[list]):
    path = _write_csv(tmp / "ledger" / name, rows)
    notes: list[dict] = []
    frame = read_industry_table(path, rel=name, zones=MATCHER, report=notes)
    data = {
        (r.source_row, r.zone_id, r.year, r.month, r.value, r.yoy_pct) for r in frame.itertuples()
    }
    return data, {(n["source_row"], n["reason"], n["severity"]) for n in notes}


def _rounded(rows: set) -> set:
    def clean(x):
        if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
            return None
        return round(float(x), 8) if isinstance(x, float) else x

    return {tuple(clean(x) for x in row) for row in rows}


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(grid=grids())
def test_one_grid_read_by_both_paths_gives_the_same_title_unit_period_and_zones(
    tmp_path_factory, grid
):
    name, top, body, notes = grid
    tmp = tmp_path_factory.mktemp("both")
    bureau = [*top, ["集聚区名称", "主营业务收入", "同比增长%"], *body, notes]
    ledger = [*top, INDUSTRY_HEADER, *body, notes]
    stats, bureau_report = _bureau_path(tmp, name, bureau)
    values, ledger_report = _ledger_path(tmp, name, ledger)
    # rows, zones, period and unit conversion: the same records, the same report
    assert _rounded(values) == _rounded(stats)
    assert ledger_report == bureau_report
    # the title facts themselves (revision mark, unit words) agree
    rules = load_cleaning_rules()
    table = open_table(tmp / "ledger" / name, rel=name)
    title = read_title(table, len(top), rules)
    layout = detect_layout(
        [list(r) + [""] * (3 - len(r)) for r in bureau],
        rel=name,
        hints=LayoutHints(),
        rules=rules,
        catalogue=load_indicator_catalogue(),
    )
    assert (title.year, title.month, title.is_revision) == (
        layout.year,
        layout.month,
        layout.is_revision,
    )
    assert title.unit_tokens == layout.unit_tokens
