"""Every text file the suite reads: encodings, CSV dialects, quoting faults, long cells, names."""

import csv
import dataclasses
import io
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zoneanalysis import paths
from zoneanalysis.cleaning import clean_tables
from zoneanalysis.cleaning.rules import load_cleaning_rules
from zoneanalysis.cli import main
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.ledger.projects import load_projects
from zoneanalysis.ledger.rules import load_ledger_rules
from zoneanalysis.ranking.criteria import load_criteria
from zoneanalysis.registry import load_zone_aliases, load_zones
from zoneanalysis.stars import load_star_rules
from zoneanalysis.targets import load_targets
from zoneanalysis.textfiles import (
    MAX_CELL_CHARS,
    decode_text,
    display_name,
    parse_csv_text,
    read_csv_rows,
    read_text_file,
    sniff_delimiter,
)

TITLE = "2016年1-6月郑州市产业集聚区主要经济指标"
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"]
REF = paths.PROJECT_ROOT / "data" / "raw" / "reference"


def table(zone="经开区", revenue="100.5"):
    return [
        [TITLE],
        ["单位：亿元、%"],
        ["集聚区名称", "规模以上工业主营业务收入", ""],
        ["", "1-6月", "同比增长±%"],
        ["全市合计", "1,300", "9.0"],
        [zone, revenue, "12.3"],
        ["高新区", "50", "1.0"],
        ["注：示例数据", "", ""],
    ]


def csv_bytes(rows, encoding="utf-8-sig", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def clean_one(tmp_path, data: bytes, name="a.csv"):
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    (raw / name).write_bytes(data)
    return clean_tables(raw)


def values(result):
    s = result.stats
    return dict(zip(s.zone_id + "/" + s.indicator, s.value, strict=True))


# --- decoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", [*ENCODINGS, "utf-16-le", "utf-16-be"])
def test_every_supported_encoding_decodes(encoding):
    text = "集聚区名称,規模以上工業\n郑州航空港,1082\n"
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # as saved by Windows "Unicode text": with a BOM
        data = ("\ufeff" + text).encode(encoding)
    assert decode_text(data, label="a.csv") == text


def test_gb18030_only_characters():
    text = "䶮,€,𠀀\n"  # not in GBK
    assert decode_text(text.encode("gb18030"), label="a.csv") == text


@pytest.mark.parametrize("data", [b"\x80\xff\xfe\x81", b"abc\ndef\n\xff\xff\xff"])
def test_undecodable_bytes_give_a_chinese_message_with_the_file_and_line(data):
    with pytest.raises(ConfigError) as err:
        decode_text(data, label="zones.csv")
    text = str(err.value)
    assert text.startswith("zones.csv（第 ")
    assert "编码无法识别" in text and "处理办法" in text
    assert "codec" not in text


def test_utf16_without_bom_is_refused_not_garbled():
    with pytest.raises(InputDataError, match="空字符"):
        decode_text("名称,1\n".encode("utf-16-le"), label="a.csv", error=InputDataError)


def test_missing_file_is_one_message(tmp_path):
    with pytest.raises(ConfigError, match="无法打开文件"):
        read_text_file(tmp_path / "nope.yaml")


# --- CSV dialect and quoting ------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiter_is_sniffed(delimiter):
    text = csv_bytes(table(), "utf-8", delimiter).decode()
    assert sniff_delimiter(text) == delimiter
    assert parse_csv_text(text, label="a.csv")[5] == ["经开区", "100.5", "12.3"]


def test_tab_file_with_thousands_commas_is_a_tab_file():
    rows = [["名称", "收入", "投资", "增长"]] + [
        [f"区{i}", "1,082.5", "2,001", "3"] for i in range(9)
    ]
    text = "\n".join("\t".join(r) for r in rows)
    assert sniff_delimiter(text) == "\t"


def test_multiline_header_cell_is_kept():
    text = '名称,"规模以上工业\n主营业务收入"\n经开区,1\n'
    assert parse_csv_text(text, label="a.csv") == [
        ["名称", "规模以上工业\n主营业务收入"],
        ["经开区", "1"],
    ]


def stray_quote_rows():
    rows = [",".join(r) for r in table()]
    rows[5] = '"经开区,100.5,12.3'  # an opening quote that never closes on its line
    return "\r\n".join(rows) + "\r\n"


def test_stray_quote_never_swallows_rows(tmp_path):
    with pytest.raises(InputDataError) as err:
        clean_one(tmp_path, stray_quote_rows().encode("utf-8"))
    text = str(err.value)
    assert "a.csv（第 6 行" in text
    assert "引号" in text


def test_stray_quote_closed_later_is_refused_too():
    text = '名称,收入\n"经开区,1\n高新区,2\n上街区",3\n'
    with pytest.raises(ConfigError, match="第 2 至 4 行被读成了同一个单元格"):
        parse_csv_text(text, label="a.csv")


def test_quote_followed_by_text_is_refused():
    with pytest.raises(ConfigError, match="第 2 行"):
        parse_csv_text('名称,收入\n"经开"区,1\n', label="a.csv")


def test_stray_quote_through_the_cli(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.csv").write_bytes(stray_quote_rows().encode("gbk"))
    code = main(["clean", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err and "第 6 行" in err
    assert not (tmp_path / "out").exists()


def test_a_huge_cell_is_refused_with_the_line(tmp_path):
    rows = table()
    rows.insert(7, ["注：" + "很" * (MAX_CELL_CHARS + 10)])
    with pytest.raises(InputDataError) as err:
        clean_one(tmp_path, csv_bytes(rows))
    assert "a.csv（第 8 行" in str(err.value)
    assert "单元格过长" in str(err.value)


def test_a_long_but_allowed_cell_is_read():
    long = "很" * MAX_CELL_CHARS
    assert parse_csv_text(f"名称\n{long}\n", label="a.csv")[1] == [long]


# --- bureau CSVs: round trips -----------------------------------------------------------------


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    encoding=st.sampled_from(ENCODINGS),
    delimiter=st.sampled_from([",", "\t", ";"]),
    revenue=st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False),
    zone=st.sampled_from(["经开区", "經開區", "郑州经济技术开发区", "鄭州經濟技術開發區"]),
)
def test_encoded_csv_round_trips_through_the_cleaner(tmp_path, encoding, delimiter, revenue, zone):
    result = clean_one(tmp_path, csv_bytes(table(zone, f"{revenue:,}"), encoding, delimiter))
    assert values(result) == {
        "zz_jingkai/revenue": pytest.approx(float(revenue)),
        "zz_gaoxin/revenue": 50.0,
    }


def test_gbk_file_name_is_read_and_shown(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    name = "2016年1-6月郑州.csv".encode("gbk")
    with open(os.path.join(os.fsencode(raw), name), "wb") as fh:
        fh.write(csv_bytes(table()))
    result = clean_tables(raw)
    assert result.files == ["2016年1-6月郑州.csv"]
    assert set(result.stats["source_file"]) == {"2016年1-6月郑州.csv"}
    assert main(["clean", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 0
    assert pd.read_parquet(tmp_path / "out" / "zone_stats.parquet")["source_file"].iloc[0] == (
        "2016年1-6月郑州.csv"
    )


def test_gbk_file_name_in_an_error(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    with open(os.path.join(os.fsencode(raw), "坏表.csv".encode("gbk")), "wb") as fh:
        fh.write(csv_bytes(table(revenue="abc")))
    assert main(["clean", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "坏表.csv（第 6 行第 B 列" in err


def test_display_name_of_undecodable_bytes_is_printable():
    shown = display_name(b"\xff\xfe.csv")
    shown.encode("utf-8")  # no surrogates
    assert shown.endswith(".csv")


# --- reference CSVs, sidecars and YAML rules --------------------------------------------------


def copy_as(src, dst, encoding):
    dst.write_bytes(src.read_text(encoding="utf-8-sig").encode(encoding))
    return dst


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_reference_csvs_saved_by_excel_on_chinese_windows(tmp_path, encoding):
    zones = load_zones(copy_as(REF / "zones.csv", tmp_path / "zones.csv", encoding))
    pd.testing.assert_frame_equal(zones, load_zones())
    aliases = load_zone_aliases(copy_as(REF / "zone_aliases.csv", tmp_path / "al.csv", encoding))
    pd.testing.assert_frame_equal(aliases, load_zone_aliases())
    stars = load_star_rules(copy_as(REF / "star_rules.csv", tmp_path / "st.csv", encoding))
    pd.testing.assert_frame_equal(stars, load_star_rules())
    (tmp_path / "projects").mkdir()
    projects = load_projects(
        copy_as(REF / "projects" / "2016.csv", tmp_path / "projects" / "2016.csv", encoding)
    )
    pd.testing.assert_frame_equal(projects, load_projects())


def test_reference_csv_with_a_tab_delimiter(tmp_path):
    rows = read_csv_rows(REF / "zone_aliases.csv")
    path = tmp_path / "al.csv"
    path.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="gbk")
    pd.testing.assert_frame_equal(load_zone_aliases(path), load_zone_aliases())


def test_undecodable_reference_csv_through_the_cli(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.csv").write_bytes(csv_bytes(table()))
    bad = tmp_path / "zones.csv"
    bad.write_bytes(b"zone_id,zone_name\n\x81\xff\xfe\n")
    code = main(
        ["clean", "--raw", str(raw), "--out", str(tmp_path / "o"), "--zones-file", str(bad)]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "zones.csv（第 2 行）" in err and "编码无法识别" in err
    assert "Traceback" not in err and "codec" not in err


def test_reference_row_wider_than_its_header(tmp_path):
    path = tmp_path / "al.csv"
    path.write_text("alias,zone_id,valid_from,valid_to,note\n经开,zz_jingkai,,,a,b\n", "utf-8")
    with pytest.raises(ConfigError, match="第 2 行"):
        load_zone_aliases(path)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-16"])
def test_yaml_rules_in_other_encodings(tmp_path, encoding):
    def copy(name):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        return copy_as(REF / name, tmp_path / name, encoding)

    def same(a, b):
        return dataclasses.replace(a, path="") == dataclasses.replace(b, path="")

    assert same(load_targets(copy("targets/2016.yaml")), load_targets())
    assert same(load_criteria(copy("ranking_criteria.yaml")), load_criteria())
    assert load_cleaning_rules(copy("cleaning_rules.yaml")) == load_cleaning_rules()
    assert load_indicator_catalogue(str(copy("indicators.yaml"))) == load_indicator_catalogue()
    assert load_ledger_rules(copy("ledger_rules.yaml")) == load_ledger_rules()


def test_undecodable_targets_file_is_a_config_error(tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_bytes("zones:\n  名称: 1\n".encode("gbk") + b"\xff\xff\n")
    with pytest.raises(ConfigError, match="targets.yaml（第 3 行）"):
        load_targets(path)


def write_sidecar(tmp_path, text, encoding="utf-8"):
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    (raw / "a.csv").write_bytes(csv_bytes(table()))
    (raw / "a.csv.layout.yaml").write_bytes(text.encode(encoding))
    return raw


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-16"])
def test_sidecar_saved_as_gbk(tmp_path, encoding):
    raw = write_sidecar(
        tmp_path, "# 版式说明：示例\nheader_rows: [3, 4]\nname_column: A\n", encoding
    )
    assert values(clean_tables(raw))["zz_jingkai/revenue"] == 100.5


def test_undecodable_sidecar(tmp_path):
    raw = write_sidecar(tmp_path, "header_rows: [3, 4]\n")
    (raw / "a.csv.layout.yaml").write_bytes(b"header_rows: [3]\n\xff\xfe\x81")
    with pytest.raises(ConfigError, match=r"a\.csv\.layout\.yaml（第 2 行）"):
        clean_tables(raw)


@pytest.mark.parametrize("column", ["9", "Z"])
def test_sidecar_name_column_beyond_the_table(tmp_path, capsys, column):
    raw = write_sidecar(tmp_path, f"name_column: {column}\n")
    code = main(["clean", "--raw", str(raw), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "a.csv.layout.yaml（name_column）" in err
    assert "表格只有 3 列" in err and "Traceback" not in err


def test_errors_show_an_undecodable_file_name_readably(tmp_path):
    name = os.fsdecode(b"\xd6\xa3\xd6\xdd.csv")  # GBK bytes of 郑州.csv, as Python sees them
    error = ConfigError("坏了", file=tmp_path / name)
    text = str(error)
    text.encode("utf-8")  # printable: no surrogates
    assert "郑州.csv：坏了" in text


def test_registry_error_with_a_gbk_named_registry(tmp_path):
    path = os.path.join(os.fsencode(tmp_path), "名录.csv".encode("gbk"))
    with open(path, "wb") as fh:
        fh.write("zone_id,zone_name\nzz_a,甲\n".encode("gbk"))
    with pytest.raises(ConfigError) as err:
        load_zones(os.fsdecode(path))
    assert "名录.csv" in str(err.value) and "缺少列" in str(err.value)
