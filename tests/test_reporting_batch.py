"""The batch on 示例 fixture data: pages, manifest, index, failures isolated, exit status."""

import json

import pytest
from reporting_fixtures import XSS_NAME, build_fixture_data

from zoneanalysis.errors import ConfigError
from zoneanalysis.reporting.batch import run_reports

pytestmark = pytest.mark.slow


def test_batch_writes_reports_manifest_and_index(tmp_path):
    data = build_fixture_data(tmp_path / "processed", hostile_name=True)
    out = tmp_path / "reports"
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
    ]
    assert {r["status"] for r in manifest["reports"]} == {"ok"}
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
    assert not (tmp_path / "r").exists()
