from pathlib import Path

import pytest
import yaml
from ranking_fixtures import make_stats

from zoneanalysis import paths
from zoneanalysis.cli import main
from zoneanalysis.errors import ConfigError
from zoneanalysis.ranking.criteria import load_criteria


def _shipped() -> dict:
    return yaml.safe_load(paths.CRITERIA_FILE.read_text(encoding="utf-8"))


def _write(tmp_path: Path, raw: dict) -> Path:
    p = tmp_path / "criteria.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


def test_shipped_file_has_every_required_list():
    c = load_criteria()
    assert {"shiqiang", "shikuai", "shikuai_rank_improvement", "shixian", "zz_liangqiang",
            "zz_liangkuai"} <= set(c.lists)  # fmt: skip
    assert c.lists["zz_liangqiang"].top_n == 2
    assert c.lists["zz_liangqiang"].peer_group == "zhengzhou_provincial"
    assert c.lists["zz_liangqiang"].codes == c.lists["shiqiang"].codes
    for lst in c.lists.values():
        assert lst.method == "rank_improvement" or sum(lst.weights) == pytest.approx(1.0)
    energy = [i for i in c.lists["shixian"].indicators if i.code == "energy_per_va"]
    assert energy[0].direction == -1
    assert len(c.lists["area4_2017"].indicators) == 10


def test_weights_are_renormalised(tmp_path):
    raw = _shipped()
    for item in raw["presets"]["shikuai"]["indicators"]:
        item["weight"] = 2
    c = load_criteria(_write(tmp_path, raw))
    assert c.lists["shikuai"].weights == [0.25] * 4


def _break(raw, what):
    ind = raw["presets"]["shiqiang"]["indicators"]
    if what == "indicator":
        ind[0]["code"] = "revenu"
    elif what == "negative":
        ind[1]["weight"] = -0.1
    elif what == "zero":
        for i in ind:
            i["weight"] = 0
    elif what == "normalisation":
        raw["presets"]["shiqiang"]["normalisation"] = "maxmin"
    elif what == "aggregation":
        raw["presets"]["shikuai"]["aggregation"] = "harmonic"
    elif what == "top_n":
        raw["presets"]["zz_liangkuai"]["top_n"] = 0
    elif what == "peer":
        raw["presets"]["shixian"]["peer_group"] = "全省"
    elif what == "goalposts":
        raw["presets"]["shikuai"]["normalisation"] = "goalposts"
    return raw


@pytest.mark.parametrize(
    ("what", "key"),
    [
        ("indicator", "presets.shiqiang.indicators[0].code"),
        ("negative", "presets.shiqiang.indicators[1].weight"),
        ("zero", "presets.shiqiang.indicators"),
        ("normalisation", "presets.shiqiang.normalisation"),
        ("aggregation", "presets.shikuai.aggregation"),
        ("top_n", "presets.zz_liangkuai.top_n"),
        ("peer", "presets.shixian.peer_group"),
        ("goalposts", "presets.shikuai.indicators[0].goalposts"),
    ],
)
def test_bad_criteria_name_file_and_key(tmp_path, what, key):
    path = _write(tmp_path, _break(_shipped(), what))
    with pytest.raises(ConfigError) as err:
        load_criteria(path)
    assert err.value.file == str(path)
    assert err.value.location == f"键 {key}"
    assert err.value.hint


@pytest.fixture
def processed(tmp_path):
    out = tmp_path / "processed"
    out.mkdir()
    make_stats().to_parquet(out / "zone_stats.parquet")
    return out


def test_cli_rank_with_bad_criteria_exits_1(tmp_path, processed, capsys):
    bad = _write(tmp_path, _break(_shipped(), "indicator"))
    code = main(
        [
            "rank",
            "--period",
            "2015-12",
            "--processed",
            str(processed),
            "--criteria",
            str(bad),
            "--draws",
            "20",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "revenu" in err and "criteria.yaml" in err and "Traceback" not in err
    assert not list(processed.glob("rankings_*"))


def test_cli_rank_writes_outputs(processed, capsys):
    code = main(["rank", "--period", "2015-12", "--processed", str(processed), "--draws", "50"])
    assert code == 0, capsys.readouterr().err
    names = {p.name for p in processed.iterdir()}
    assert {"rankings_2015-12.parquet", "stars_2015-12.parquet", "ranking_log_2015-12.csv"} <= names


def test_cli_rank_mid_year_without_projections_says_what_to_do(processed, capsys):
    code = main(["rank", "--period", "2016-06", "--processed", str(processed), "--draws", "20"])
    err = capsys.readouterr().err
    assert code == 1
    assert "zoneanalysis project --period 2016-06" in err
