"""Faults at the CLI boundary: one Chinese message, exit 1, no traceback, nothing half-written.

OS errors on output (read-only folder, disk full, file-size limit, ``--out`` a file, permission
denied), unknown zone names listed together, outputs inside the raw folder refused, ``--zones``
by id/name/alias, a period after the data, and each subcommand taking only what it reads.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pandas as pd
import pytest
from reporting_fixtures import build_fixture_data
from test_cleaning_cli import table, write_csv

from zoneanalysis import paths
from zoneanalysis.cli import STEP_OPTIONS, build_parser, main
from zoneanalysis.errors import ConfigError
from zoneanalysis.oserrors import describe_os_error
from zoneanalysis.pipeline import check_period_has_data, resolve_zone_ids


def _err(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("错误：")
    assert "处理办法" in err
    return err


def _clean(tmp_path: Path, out: Path) -> int:
    return main(["clean", "--raw", str(tmp_path / "raw"), "--out", str(out)])


@pytest.fixture
def raw(tmp_path):
    write_csv(tmp_path / "raw" / "a.csv", table())
    return tmp_path / "raw"


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory):
    return build_fixture_data(tmp_path_factory.mktemp("processed"))


# ---------------------------------------------------------------- OS errors on output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder(tmp_path, raw, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        assert _clean(tmp_path, locked / "out") == 1
    finally:
        locked.chmod(0o755)
    err = _err(capsys)
    assert str(locked / "out") in err and "权限" in err


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EACCES, "没有读写权限"),
        (errno.EROFS, "该位置在只读的文件系统上"),
        (errno.EPERM, "操作不被允许"),
    ],
)
def test_refused_write_names_the_folder(tmp_path, raw, capsys, monkeypatch, code, words):
    out = tmp_path / "out"

    def refuse(path, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr("zoneanalysis.atomic.tempfile.mkstemp", lambda **kw: refuse(kw["dir"]))
    assert _clean(tmp_path, out) == 1
    err = _err(capsys)
    assert f"{out}：{words}" in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("code", "method", "words", "todo"),
    [
        (errno.ENOSPC, "to_parquet", "磁盘空间不足", "清理"),
        (errno.EFBIG, "to_csv", "单个文件大小上限", "ulimit -f"),
    ],
)
def test_disk_full_or_file_too_big(tmp_path, raw, capsys, monkeypatch, code, method, words, todo):
    out = tmp_path / "out"

    def fail(self, path, *args, **kwargs):
        Path(path).write_bytes(b"half")  # the partial bytes a full disk leaves
        raise OSError(code, os.strerror(code))  # a write error carries no file name

    monkeypatch.setattr(pd.DataFrame, method, fail)
    assert _clean(tmp_path, out) == 1
    err = _err(capsys)
    assert f"{out}：" in err and words in err and todo in err
    assert list(out.iterdir()) == []  # nothing half-written left behind


def test_out_is_a_file(tmp_path, raw, capsys):
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    assert _clean(tmp_path, out) == 1
    err = _err(capsys)
    assert str(out) in err and "是一个文件，不是目录" in err
    assert out.read_text(encoding="utf-8") == "not a folder"


def test_report_out_is_a_file(tmp_path, fixture_data, capsys):
    out = tmp_path / "report.html"
    out.write_text("x", encoding="utf-8")
    args = ["report", "--period", "2016-06", "--processed", str(fixture_data["processed"])]
    assert main([*args, "--zones-file", str(fixture_data["zones"]), "--out", str(out)]) == 1
    err = _err(capsys)
    assert str(out) in err and "是一个文件" in err


def test_report_into_a_read_only_folder(tmp_path, fixture_data, capsys, monkeypatch):
    out = tmp_path / "reports" / "2016-06"

    def refuse(staging, out_dir, period):
        raise PermissionError(errno.EACCES, "Permission denied", str(staging))

    monkeypatch.setattr("zoneanalysis.reporting.batch.start_staging", refuse)
    args = ["report", "--period", "2016-06", "--processed", str(fixture_data["processed"])]
    assert main([*args, "--zones-file", str(fixture_data["zones"]), "--out", str(out)]) == 1
    err = _err(capsys)
    # the hidden staging folder is shown as the folder the user can act on
    assert f"{out.parent}：没有读写权限" in err and ".partial-" not in err


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EFBIG, "文件大小上限"),
        (errno.EEXIST, "是一个文件"),
        (errno.ENOTDIR, "不是目录"),
        (errno.ENOENT, "找不到"),
        (errno.EIO, "系统错误"),
    ],
)
def test_describe_os_error(code, expected):
    text = describe_os_error(OSError(code, os.strerror(code), "/d/f.csv"), "/fallback")
    assert text.startswith("/d/f.csv：") and expected in text and "处理办法：" in text
    bare = describe_os_error(OSError(code, os.strerror(code)), "/fallback")
    assert bare.startswith("/fallback：")
    hidden = describe_os_error(OSError(code, "x", "/d/.zone_stats.parquet.ab12.tmp"))
    assert hidden.startswith("/d：")


# ---------------------------------------------------------------- unknown names, raw folder


def test_every_unknown_zone_name_listed_at_once(tmp_path, capsys):
    write_csv(tmp_path / "raw" / "a.csv", table(zone="经开去"))
    rows = table(zone="经开去")
    rows[6][0] = "高心区"
    write_csv(tmp_path / "raw" / "b.csv", rows)
    out = tmp_path / "out"
    assert _clean(tmp_path, out) == 1
    err = _err(capsys)
    assert "有 2 个不认识的集聚区名称" in err
    assert err.count("“经开去”") == 1 and "等 2 处" in err  # one line per name, places counted
    assert "a.csv（第 6 行第 A 列）" in err and "b.csv（第 7 行第 A 列）" in err
    assert "经开区" in err and "高新区" in err  # each with its closest registry names
    assert "zone_aliases.csv" in err
    assert not out.exists()


@pytest.mark.parametrize("inside", ["", "processed", "bureau/out"])
def test_out_inside_raw_is_refused(tmp_path, raw, capsys, inside):
    before = sorted(raw.rglob("*"))
    assert _clean(tmp_path, raw / inside if inside else raw) == 1
    err = _err(capsys)
    assert "原始报表目录" in err and "之外" in err
    assert sorted(raw.rglob("*")) == before


def test_report_out_inside_the_raw_folder_is_refused(fixture_data, capsys):
    target = paths.RAW_DIR / "reports_here"
    args = ["report", "--period", "2016-06", "--processed", str(fixture_data["processed"])]
    assert main([*args, "--out", str(target)]) == 1
    assert "原始报表目录" in _err(capsys)
    assert not target.exists()


def test_processed_inside_raw_is_refused(capsys):
    target = paths.RAW_DIR / "processed"
    assert main(["project", "--period", "2016-06", "--processed", str(target)]) == 1
    assert "原始报表目录" in _err(capsys)
    assert not target.exists()


# ---------------------------------------------------------------- --zones, periods


def test_zones_by_id_official_name_short_name_and_alias():
    got = resolve_zone_ids(
        ["zz_jingkai", "郑州航空港产业集聚区", "高新区", "郑州经济技术开发区", "经开区"], 2016
    )
    assert got == ["zz_jingkai", "zz_hangkonggang", "zz_gaoxin"]


def test_unknown_report_zones_are_listed_together_with_suggestions():
    with pytest.raises(ConfigError) as info:
        resolve_zone_ids(["航空港区", "经开去", "高心区"], 2016)
    text = str(info.value)
    assert "找不到 2 个集聚区" in text
    assert "“经开去”" in text and "“高心区”" in text
    assert "经开区" in text and "高新区" in text


def test_report_zones_through_the_cli_refused_before_any_run(tmp_path, fixture_data, capsys):
    out = tmp_path / "r"
    args = ["report", "--period", "2016-06", "--processed", str(fixture_data["processed"])]
    code = main(
        [*args, "--zones-file", str(fixture_data["zones"]), "--out", str(out)]
        + [
            "--zones",
            "经开去",
            "zz_nowhere",
        ]
    )
    assert code == 1
    err = _err(capsys)
    assert "“经开去”" in err and "“zz_nowhere”" in err
    assert not out.exists()


@pytest.mark.parametrize("step", ["project", "rank", "report"])
def test_period_after_the_data_says_what_data_exist(fixture_data, capsys, step):
    args = [step, "--period", "2016-09", "--processed", str(fixture_data["processed"])]
    assert main(args) == 1
    err = _err(capsys)
    assert "没有 2016-09 的数据" in err and "数据最新到 2016-06" in err
    assert "先用 zoneanalysis clean" not in err and "先运行 zoneanalysis project" not in err


def test_period_before_the_data_and_a_gap(tmp_path):
    stats = pd.DataFrame({"year": [2015, 2015, 2016], "month": [3, 4, 2]})
    stats.to_parquet(tmp_path / paths.ZONE_STATS_NAME)
    with pytest.raises(Exception, match="数据最早从 2015-03 开始"):
        check_period_has_data(tmp_path, "2014-06")
    with pytest.raises(Exception, match="缺 2015-08 这一期"):
        check_period_has_data(tmp_path, "2015-08")
    check_period_has_data(tmp_path, "2015-04")


# ---------------------------------------------------------------- options per step

#: a path no step can read; its name must come back in the error
MISSING = "/nonexistent/folder/用户的文件.csv"


def _step_args(step: str, fixture: dict) -> list[str]:
    base = {"clean": [], "report": ["--period", "2016-06", "--zones", "航空港区"]}
    args = [step, *base.get(step, ["--period", "2016-06"])]
    if "--processed" in STEP_OPTIONS[step]:
        args += ["--processed", str(fixture["processed"])]
    return args


@pytest.mark.parametrize(
    ("step", "option"),
    [(s, o) for s, options in STEP_OPTIONS.items() for o in options if o != "--processed"],
)
def test_a_missing_file_is_named_as_the_user_wrote_it(
    tmp_path, fixture_data, capsys, monkeypatch, step, option
):
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")  # clean's default --out
    args = _step_args(step, fixture_data)
    if step == "clean":
        write_csv(tmp_path / "raw" / "a.csv", table())
        args += ["--out", str(tmp_path / "out")]
        if option != "--raw":
            args += ["--raw", str(tmp_path / "raw")]
    assert main([*args, option, MISSING]) == 1
    err = _err(capsys)
    assert "用户的文件.csv" in err


@pytest.mark.parametrize(
    ("step", "option"),
    [
        (s, o)
        for s, options in STEP_OPTIONS.items()
        for o in options
        if o not in ("--processed", "--raw") and (s, o) != ("report", "--targets")
    ],
)
def test_every_file_option_is_read(tmp_path, fixture_data, capsys, monkeypatch, step, option):
    """An empty file given for an option makes the step fail naming it: the step reads it.

    (``report --targets`` is read by the notebooks: the batch test with broken targets.)
    """
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    empty = tmp_path / "用户的文件.csv"
    empty.write_bytes(b"")
    args = _step_args(step, fixture_data)
    if step == "clean":
        write_csv(tmp_path / "raw" / "a.csv", table())
        args += ["--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]
    assert main([*args, option, str(empty)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(empty) in err, err


@pytest.mark.parametrize(
    ("step", "option"),
    [
        ("project", "--aliases-file"),
        ("project", "--star-rules"),
        ("project", "--criteria"),
        ("rank", "--aliases-file"),
        ("rank", "--targets"),
        ("report", "--star-rules"),
        ("report", "--criteria"),
        ("clean", "--targets"),
    ],
)
def test_options_a_step_does_not_read_are_refused(step, option, capsys):
    args = [step] if step == "clean" else [step, "--period", "2016-06"]
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args([*args, option, "x"])
    assert info.value.code == 2
    assert option in capsys.readouterr().err


def test_bad_alias_file_names_the_users_file(tmp_path, raw, capsys):
    aliases = tmp_path / "my_aliases.csv"
    aliases.write_text("alias,zone_id,valid_from,valid_to,note\n某区,zz_nowhere,,,\n", "utf-8")
    code = main(
        [
            "clean",
            "--raw",
            str(raw),
            "--out",
            str(tmp_path / "out"),
            "--aliases-file",
            str(aliases),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert str(aliases) in err and "zz_nowhere" in err
    assert "reference/zone_aliases.csv" not in err


def test_help_lists_every_step(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for step in ("clean", "project", "rank", "ledger", "report", "run"):
        assert step in out
