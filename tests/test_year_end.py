"""The 2015 year-end sample (示例): its ledger, the 评先 precondition and the December pages."""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pandas as pd
import papermill as pm
import pytest
from reporting_fixtures import build_fixture_data

from zoneanalysis import paths
from zoneanalysis.evaluation import (
    NOT_ELIGIBLE,
    describe_evaluation,
    evaluate_year,
    load_evaluation_rules,
    mark_not_eligible,
)
from zoneanalysis.ledger import build_ledger, read_ledger_tables
from zoneanalysis.ledger.run import build_ledger_tables, extra_project_lists
from zoneanalysis.registry import load_zones, zone_level

ZONES = load_zones()
LEDGER = paths.RAW_DIR / "ledger"
PROGRESS_2015 = LEDGER / "progress" / "2015" / "2015-12_重大项目建设进度台账（示例数据）.xlsx"


def _generator():
    """The sample ledger script as a module (its functions, without running it)."""
    spec = importlib.util.spec_from_file_location(
        "make_sample_ledger", paths.PROJECT_ROOT / "scripts" / "make_sample_ledger.py"
    )
    module = importlib.util.module_from_spec(spec)
    before = os.environ.get("OPENPYXL_LXML")
    spec.loader.exec_module(module)
    if before is None:
        os.environ.pop("OPENPYXL_LXML", None)
    else:
        os.environ["OPENPYXL_LXML"] = before
    return module


def _eligible_from_raw() -> dict[str, bool]:
    """Zone short name → has a started new project above its threshold, read from the raw table."""
    raw = pd.read_excel(PROGRESS_2015, header=2, engine="openpyxl")
    raw = raw[pd.to_numeric(raw["序号"], errors="coerce").notna()]
    levels = zone_level(ZONES, 2015)
    short = ZONES.set_index("short_name")["zone_id"]
    out = {}
    for name, rows in raw.groupby("所在集聚区"):
        limit = 10.0 if levels[short[name]] == "provincial" else 5.0
        ok = (
            (rows["新引进"] == "是")
            & (rows["总投资"] / 1e4 >= limit)
            & (rows["开工状态"] == "已开工")
        )
        out[name] = bool(ok.any())
    return out


@pytest.fixture(scope="module")
def ledger_2015(tmp_path_factory):
    processed = tmp_path_factory.mktemp("processed_2015")
    build_ledger("2015-12", processed=processed)
    return read_ledger_tables(processed, "2015-12")


def test_sample_2015_precondition_has_both_outcomes_as_the_raw_ledger_says(ledger_2015):
    ev = evaluate_year(
        pd.DataFrame(columns=["zone_id", "zone_name", "indicator", "ytd_value", "target_value"]),
        pd.DataFrame(),
        pd.DataFrame(),
        ZONES,
        big_projects=ledger_2015["big_projects"],
        names={},
        pillar_names={},
    )
    status = dict(zip(ev.eligibility["集聚区"], ev.eligibility["评先资格"]))
    assert set(status.values()) == {"具备", NOT_ELIGIBLE}
    expected = _eligible_from_raw()
    names = ZONES.set_index("zone_name")["short_name"]
    assert {names[z]: s == "具备" for z, s in status.items()} == expected
    # both levels: a provincial zone (10亿) and a park (5亿) among the zones not eligible
    levels = zone_level(ZONES, 2015)
    ids = ZONES.set_index("zone_name")["zone_id"]
    assert {levels[ids[z]] for z in ev.not_eligible()} == {"provincial", "city_park"}
    said = describe_evaluation(ev)["eligibility"]
    assert all(z in said for z in ev.not_eligible())


def test_each_plan_year_reads_only_its_own_example_projects(ledger_2015):
    ids_2015 = set(ledger_2015["projects"]["project_id"])
    assert ids_2015 and all(i.startswith("ex2015_") for i in ids_2015)
    ids_2016 = set(build_ledger_tables("2016-09")["projects"]["project_id"])
    assert not [i for i in ids_2016 if i.startswith("ex2015_")]
    assert [i for i in ids_2016 if i.startswith("ex2016_")]


def test_year_folders_of_project_lists_belong_to_their_year(tmp_path):
    for rel in ("shared.csv", "2015/a.csv", "2016/b.csv", "extra/c.csv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")

    def names(year):
        return sorted(
            p.relative_to(tmp_path).as_posix() for p in extra_project_lists(tmp_path, year)
        )

    assert names(2015) == ["2015/a.csv"]
    assert names(2016) == ["2016/b.csv"]
    assert names(2017) == ["extra/c.csv", "shared.csv"]


def test_year_end_example_projects_are_deterministic_and_mix_outcomes():
    gen = _generator()
    levels = zone_level(ZONES, 2015)
    levels = levels[ZONES.set_index("zone_id")["is_zhengzhou"]].dropna()
    a, status_a = gen.year_end_example_projects(np.random.default_rng(5), levels)
    b, status_b = gen.year_end_example_projects(np.random.default_rng(5), levels)
    pd.testing.assert_frame_equal(a, b)
    assert status_a == status_b
    assert {"met", "none", "not_started"} <= set(status_a.values())
    assert a["project_name"].str.contains("示例").all() and a["is_example"].eq("True").all()


def test_rankings_table_marks_only_the_zones_not_eligible():
    view = pd.DataFrame({"名次": ["第 1 名", "⋯", "第 9 名"], "集聚区": ["甲", "⋯ 略去", "乙"]})
    marked = mark_not_eligible(view, ["乙"])
    assert list(marked.columns) == ["名次", "集聚区", "评先资格"]
    assert list(marked["评先资格"]) == ["", "", NOT_ELIGIBLE]
    assert "评先资格" not in view.columns


def _run(name, data, tmp_path, period):
    params = {"period": period, "processed_dir": str(data["processed"])}
    params["zones_path"] = str(data["zones"])
    if name == "city_overview":
        params["targets_path"] = ""
    nb = pm.execute_notebook(
        str(paths.NOTEBOOKS_DIR / f"{name}.ipynb"),
        str(tmp_path / f"{name}_{period}.ipynb"),
        parameters=params,
        kernel_name="zoneanalysis",
        cwd=str(paths.NOTEBOOKS_DIR),
        progress_bar=False,
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)


def _add_marked_lists(path):
    """The fixture ranks no 十先: give it the marked lists (a copy of its first list's ranks)."""
    rankings = pd.read_parquet(path)
    first = rankings[rankings["list"] == rankings["list"].iloc[0]]
    extra = [
        first.assign(list=code, list_name_zh=f"榜单{code}")
        for code in load_evaluation_rules().precondition.marked_lists
    ]
    pd.concat([rankings, *extra], ignore_index=True).to_parquet(path)


@pytest.mark.slow
def test_december_pages_show_the_year_end_evaluation(tmp_path_factory, tmp_path):
    data = build_fixture_data(tmp_path_factory.mktemp("processed_dec"), period="2015-12")
    build_ledger("2015-12", processed=data["processed"])
    _add_marked_lists(data["processed"] / "rankings_2015-12.parquet")
    html = _run("city_overview", data, tmp_path, "2015-12")
    for text in ("年度考评", "评先前置条件", "星级：对照上年与目标", "发展靠后的集聚区"):
        assert text in html
    assert NOT_ELIGIBLE in html
    html = _run("rankings", data, tmp_path, "2015-12")
    assert "<th>评先资格</th>" in html and f'data-label="评先资格">{NOT_ELIGIBLE}' in html


@pytest.mark.slow
def test_other_months_have_no_year_end_section(tmp_path_factory, tmp_path):
    data = build_fixture_data(tmp_path_factory.mktemp("processed_jun"), period="2016-06")
    build_ledger("2016-06", processed=data["processed"])
    html = _run("city_overview", data, tmp_path, "2016-06")
    assert "年度考评" not in html
    assert "<th>评先资格</th>" not in _run("rankings", data, tmp_path, "2016-06")


def test_workbook_and_brief_of_a_december_without_targets(tmp_path_factory, tmp_path):
    import docx
    from openpyxl import load_workbook

    from zoneanalysis.office import write_office_files

    data = build_fixture_data(tmp_path_factory.mktemp("processed_notargets"), period="2015-12")
    build_ledger("2015-12", processed=data["processed"])
    path = data["processed"] / "projections_2015-12.parquet"
    projections = pd.read_parquet(path)
    projections["target_value"] = np.nan  # as in a plan year without a targets file
    projections.to_parquet(path)
    written = write_office_files(
        "2015-12", tmp_path, processed_dir=data["processed"], zones_path=data["zones"]
    )
    book = next(p for p in written if p.suffix == ".xlsx")
    assert "考评-评先资格" in load_workbook(book).sheetnames
    text = "\n".join(
        p.text for p in docx.Document(next(p for p in written if p.suffix == ".docx")).paragraphs
    )
    assert "年度考评" in text and NOT_ELIGIBLE in text
