"""A larger sample world (示例数据): the shipped registry plus example zones, for scale tests.

The shipped registry has 180 provincial zones in 2016 (the real Zhengzhou ones and example
zones elsewhere). :func:`make_world_registry` keeps every one of them and adds example zones
(``ex_0181`` 示例集聚区0181 …, ``is_example=True``) spread over Henan's cities other than
Zhengzhou, until the province has ``n_zones`` provincial zones. :func:`write_world` writes a
complete raw data set for that registry: ``bureau/`` (the bureau files of the synthetic truth),
``reference/`` (the shipped reference files, with ``zones.csv`` and ``zone_aliases.csv``
covering the world) and ``ledger/`` (the shipped ledger files, which only name Zhengzhou zones).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.registry import LEVEL_PROVINCIAL, load_zones, zone_level
from zoneanalysis.sample.bureau_files import write_bureau_files
from zoneanalysis.sample.truth import YEARS, make_truth

#: Henan's prefecture-level cities (and 济源) other than Zhengzhou: homes of the example zones.
HENAN_CITIES = (
    "开封市",
    "洛阳市",
    "平顶山市",
    "安阳市",
    "鹤壁市",
    "新乡市",
    "焦作市",
    "濮阳市",
    "许昌市",
    "漯河市",
    "三门峡市",
    "南阳市",
    "商丘市",
    "信阳市",
    "周口市",
    "驻马店市",
    "济源市",
)
EXAMPLE_SOURCE = "示例（非真实集聚区，规模测试用）"
WORLD_YEAR = max(YEARS)


def shipped_zone_count() -> int:
    """Provincial zones of the shipped registry in the last sample year (180)."""
    level = zone_level(load_zones(), WORLD_YEAR)
    return int((level == LEVEL_PROVINCIAL).sum())


def example_zone_rows(n_zones: int, seed: int) -> pd.DataFrame:
    """The registry rows (all text, as in ``zones.csv``) of the zones added to reach ``n_zones``.

    Parameters
    ----------
    n_zones
        Provincial zones wanted in the world; at least :func:`shipped_zone_count`.
    seed
        Seed for the cities the example zones are placed in (same seed, same cities).

    Returns
    -------
    pandas.DataFrame
        One row per added zone, with the columns of ``zones.csv``; empty for ``n_zones`` equal
        to the shipped count.
    """
    shipped = shipped_zone_count()
    if n_zones < shipped:
        raise ConfigError(
            f"集聚区个数 {n_zones} 小于自带名录的 {shipped} 个省级产业集聚区",
            hint=f"--zones 至少为 {shipped}；不指定时生成自带的示例数据。",
        )
    numbers = np.arange(shipped + 1, n_zones + 1)
    rng = np.random.default_rng([seed, 14])
    cities = rng.choice(np.array(HENAN_CITIES), size=numbers.size)
    return pd.DataFrame(
        {
            "zone_id": [f"ex_{k:04d}" for k in numbers],
            "zone_name": [f"示例集聚区{k:04d}" for k in numbers],
            "short_name": [f"示例{k:04d}" for k in numbers],
            "host_area": "",
            "city": cities,
            "valid_from": "2008",
            "valid_to": "",
            "provincial_from": "2008",
            "provincial_to": "",
            "leading_industries": "",
            "is_zhengzhou": "False",
            "is_example": "True",
            "source": EXAMPLE_SOURCE,
        }
    )


def _append_rows(path: Path, rows: pd.DataFrame) -> None:
    """Append ``rows`` to the CSV ``path``, in its column order and line ending (shipped bytes kept)."""
    text = path.read_bytes().decode("utf-8")
    ending = "\r\n" if "\r\n" in text else "\n"
    if not text.endswith(ending):
        text += ending
    header = next(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=ending)
    writer.writerows(rows.reindex(columns=header, fill_value="").itertuples(index=False))
    path.write_bytes((text + buffer.getvalue()).encode("utf-8"))


def write_world(out_dir: str | Path, n_zones: int, seed: int = 2016) -> list[Path]:
    """Write a complete raw data set of ``n_zones`` provincial zones under ``out_dir``.

    Parameters
    ----------
    out_dir
        A new (or emptied) folder; ``bureau/``, ``reference/`` and ``ledger/`` are made in it.
        The caller checks that writing there is safe.
    n_zones
        Provincial zones in the world (at least the shipped 180).
    seed
        Seed of the truth and of the example zones' cities; the same seed gives the same bytes.

    Returns
    -------
    list of Path
        Every file written.
    """
    out_dir = Path(out_dir)
    reference = out_dir / "reference"
    shutil.copytree(paths.REFERENCE_DIR, reference)
    ledger = paths.RAW_DIR / "ledger"
    if ledger.is_dir():
        shutil.copytree(ledger, out_dir / "ledger")
    _append_rows(reference / "zones.csv", example_zone_rows(n_zones, seed))
    zones = load_zones(reference / "zones.csv")
    truth = make_truth(seed, zones=zones)
    write_bureau_files(truth, out_dir / "bureau", zones=zones)
    return sorted(p for p in out_dir.rglob("*") if p.is_file())
