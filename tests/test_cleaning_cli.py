"""Bad input through the CLI: exit 1, one clear message on stderr, nothing written."""

import csv

import pytest

from zoneanalysis.cli import main

TITLE = "2016年1-6月郑州市产业集聚区主要经济指标"


def table(title=TITLE, zone="经开区", revenue="100.5", header="规模以上工业主营业务收入"):
    return [
        [title, "", ""],
        ["单位：亿元、%", "", ""],
        ["集聚区名称", header, ""],
        ["", "1-6月", "同比增长±%"],
        ["全市合计", "300", "9.0"],
        [zone, revenue, "12.3"],
        ["高新区", "50", "1.0"],
        ["注：示例数据", "", ""],
    ]


def write_csv(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)


def run(tmp_path, capsys):
    raw_before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "raw").rglob("*"))
    bytes_before = {p: p.read_bytes() for p in (tmp_path / "raw").rglob("*") if p.is_file()}
    out = tmp_path / "out"
    code = main(["clean", "--raw", str(tmp_path / "raw"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert err.startswith("错误：")
    assert "处理办法" in err
    assert not out.exists() or not any(out.iterdir())
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "raw").rglob("*")) == raw_before
    assert {p: p.read_bytes() for p in bytes_before} == bytes_before
    return err


def test_good_input_exits_0(tmp_path, capsys):
    write_csv(tmp_path / "raw" / "a.csv", table())
    assert main(["clean", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    assert "读取报表 1 个，保留数据 2 行" in capsys.readouterr().out
    assert (tmp_path / "out" / "zone_stats.parquet").exists()


def test_unknown_zone_name(tmp_path, capsys):
    write_csv(tmp_path / "raw" / "a.csv", table(zone="经开去"))
    err = run(tmp_path, capsys)
    assert "a.csv（第 6 行第 A 列）" in err
    assert "经开去" in err
    assert "zone_aliases.csv" in err
    assert "经开区" in err  # the suggestion


@pytest.mark.parametrize("bad", ["12.3.4", "abc"])
def test_unparsable_number_names_the_cell(tmp_path, capsys, bad):
    write_csv(tmp_path / "raw" / "a.csv", table(revenue=bad))
    err = run(tmp_path, capsys)
    assert "a.csv（第 6 行第 B 列" in err
    assert f"“{bad}”不是数字" in err


def test_two_files_disagree(tmp_path, capsys):
    write_csv(tmp_path / "raw" / "a.csv", table())
    write_csv(tmp_path / "raw" / "b.csv", table(revenue="101.5"))
    err = run(tmp_path, capsys)
    assert "a.csv 第 6 行为 100.5" in err
    assert "b.csv 第 6 行为 101.5" in err
    assert "修订" in err


def test_empty_file(tmp_path, capsys):
    write_csv(tmp_path / "raw" / "a.csv", table())
    (tmp_path / "raw" / "b.csv").write_bytes(b"")
    err = run(tmp_path, capsys)
    assert "b.csv" in err and "为空" in err


def test_corrupt_workbook(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.xlsx").write_bytes(bytes(range(256)) * 8)
    err = run(tmp_path, capsys)
    assert "a.xlsx" in err and "损坏" in err


def test_no_period(tmp_path, capsys):
    write_csv(tmp_path / "raw" / "table.csv", table(title="郑州市产业集聚区主要经济指标"))
    err = run(tmp_path, capsys)
    assert "table.csv" in err and "期间" in err and ".layout.yaml" in err


def test_no_recognised_indicator(tmp_path, capsys):
    write_csv(tmp_path / "raw" / "a.csv", table(header="某个不认识的指标"))
    err = run(tmp_path, capsys)
    assert "a.csv" in err and "indicators.yaml" in err


def test_missing_raw_folder(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    err = run(tmp_path, capsys)
    assert "没有找到任何" in err


def test_value_outside_the_catalogue_range(tmp_path, capsys):
    write_csv(tmp_path / "raw" / "a.csv", table(revenue="-5"))
    err = run(tmp_path, capsys)
    assert "a.csv（第 6 行）" in err and "超出允许范围" in err and "min/max" in err
