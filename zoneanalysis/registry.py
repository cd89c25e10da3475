"""The zone registry: official names, ids, levels by year, and the aliases bureau tables use."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.names import normalise_name
from zoneanalysis.reference import read_reference_csv

ZONE_COLUMNS = [
    "zone_id",
    "zone_name",
    "short_name",
    "host_area",
    "city",
    "valid_from",
    "valid_to",
    "provincial_from",
    "provincial_to",
    "leading_industries",
    "is_zhengzhou",
    "is_example",
    "source",
]

LEVEL_PROVINCIAL = "provincial"
LEVEL_CITY_PARK = "city_park"


def load_zones(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the zone registry.

    Parameters
    ----------
    path
        ``zones.csv``; the shipped registry by default.

    Returns
    -------
    pandas.DataFrame
        One row per zone, indexed by nothing, with the columns of ``ZONE_COLUMNS``. Year columns
        are nullable integers (blank = open-ended). Star targets belong to a plan year and live
        in that year's targets file (``targets/<year>.yaml`` ``stars``), not here.

    Raises
    ------
    ConfigError
        If a column is missing, an id is repeated or not ASCII, or a year is not a number.
    """
    path = Path(path) if path is not None else paths.ZONES_FILE
    zones = read_reference_csv(
        path, columns=ZONE_COLUMNS, label="集聚区名录", hint="按 data/raw/README.md 的说明补齐列。"
    )
    dup = zones["zone_id"][zones["zone_id"].duplicated()].tolist()
    if dup:
        raise ConfigError(f"zone_id 重复：{dup}", file=path, hint="每个集聚区只能有一行。")
    bad_ids = [z for z in zones["zone_id"] if not z.isascii() or not z or " " in z]
    if bad_ids:
        raise ConfigError(f"zone_id 必须是非空 ASCII：{bad_ids}", file=path)
    for col in ["valid_from", "valid_to", "provincial_from", "provincial_to"]:
        converted = pd.to_numeric(zones[col].replace("", None), errors="coerce")
        bad = zones.loc[converted.isna() & (zones[col] != ""), col]
        if not bad.empty:
            row = int(bad.index[0]) + 2
            raise ConfigError(
                f"列 {col} 的值“{bad.iloc[0]}”不是年份或整数", file=path, location=f"第 {row} 行"
            )
        zones[col] = converted.astype("Int64")
    for col in ["is_zhengzhou", "is_example"]:
        zones[col] = zones[col].str.lower().isin(["true", "1", "是", "yes"])
    return zones[ZONE_COLUMNS]


def load_zone_aliases(path: str | Path | None = None) -> pd.DataFrame:
    """Read the alias table (alias, zone_id, valid_from, valid_to, note).

    Parameters
    ----------
    path
        ``zone_aliases.csv``; the shipped table by default.

    Returns
    -------
    pandas.DataFrame
        The aliases, with nullable integer validity years.
    """
    path = Path(path) if path is not None else paths.ZONE_ALIASES_FILE
    aliases = read_reference_csv(
        path, columns=["alias", "zone_id", "valid_from", "valid_to"], label="别名表"
    )
    for col in ["valid_from", "valid_to"]:
        aliases[col] = pd.to_numeric(aliases[col].replace("", None), errors="coerce").astype(
            "Int64"
        )
    aliases.attrs["source"] = str(path)  # errors name the file the user passed
    return aliases


def zone_level(zones: pd.DataFrame, year: int) -> pd.Series:
    """Each zone's level in ``year``: provincial, city_park, or ``<NA>`` if not registered.

    Parameters
    ----------
    zones
        The registry from :func:`load_zones`.
    year
        Calendar year.

    Returns
    -------
    pandas.Series
        Indexed by ``zone_id``.
    """
    z = zones.set_index("zone_id")
    registered = (z["valid_from"].fillna(0) <= year) & (z["valid_to"].fillna(9999) >= year)
    provincial = (
        z["provincial_from"].notna()
        & (z["provincial_from"].fillna(9999) <= year)
        & (z["provincial_to"].fillna(9999) >= year)
    )
    level = pd.Series(LEVEL_CITY_PARK, index=z.index, dtype="string")
    level[provincial] = LEVEL_PROVINCIAL
    level[~registered] = pd.NA
    return level


@dataclass
class ZoneMatcher:
    """Map raw zone names to zone ids through official names, short names and aliases.

    Parameters
    ----------
    zones
        The registry from :func:`load_zones`.
    aliases
        The alias table from :func:`load_zone_aliases`.
    """

    zones: pd.DataFrame
    aliases: pd.DataFrame
    _exact: dict[str, str] = field(init=False, repr=False)
    _dated: dict[str, list[tuple[int, int, str]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._exact = {}
        self._dated = {}
        known = set(self.zones["zone_id"])
        for row in self.zones.itertuples():
            for name in (row.zone_name, row.short_name):
                key = normalise_name(name)
                if key:
                    self._exact.setdefault(key, row.zone_id)
        for i, row in enumerate(self.aliases.itertuples()):
            if row.zone_id not in known:
                raise ConfigError(
                    f"别名“{row.alias}”指向未登记的 zone_id“{row.zone_id}”",
                    file=self.aliases.attrs.get("source", paths.ZONE_ALIASES_FILE),
                    location=f"第 {i + 2} 行",
                )
            key = normalise_name(row.alias)
            lo = 0 if pd.isna(row.valid_from) else int(row.valid_from)
            hi = 9999 if pd.isna(row.valid_to) else int(row.valid_to)
            self._dated.setdefault(key, []).append((lo, hi, row.zone_id))

    @classmethod
    def from_files(
        cls, zones_path: str | Path | None = None, aliases_path: str | Path | None = None
    ) -> ZoneMatcher:
        """Build a matcher from the registry files (the shipped ones by default)."""
        return cls(load_zones(zones_path), load_zone_aliases(aliases_path))

    def match(self, raw_name: object, year: int | None = None) -> str | None:
        """Return the zone id for ``raw_name`` in ``year``, or ``None`` if it is unknown.

        Official and short names always match; an alias matches only within its validity years.
        """
        key = normalise_name(raw_name)
        if not key:
            return None
        if key in self._exact:
            return self._exact[key]
        for lo, hi, zone_id in self._dated.get(key, []):
            if year is None or lo <= year <= hi:
                return zone_id
        # "XX产业集聚区" written without the suffix, or with it where the registry has none
        for suffix in ("产业集聚区", "集聚区"):
            if key.endswith(suffix) and key[: -len(suffix)] in self._exact:
                return self._exact[key[: -len(suffix)]]
            if key + suffix in self._exact:
                return self._exact[key + suffix]
        return None

    def suggest(self, raw_name: object, n: int = 3) -> list[str]:
        """The ``n`` registry names closest to ``raw_name`` (official names, for the message)."""
        key = normalise_name(raw_name)
        candidates = list(self._exact) + list(self._dated)
        close = difflib.get_close_matches(key, candidates, n=n * 3, cutoff=0.3)
        names = self.zones.set_index("zone_id")["zone_name"]
        out: list[str] = []
        for c in close:
            zone_id = self._exact.get(c) or self._dated[c][0][2]
            label = f"{c}（{names[zone_id]}）" if c != names[zone_id] else c
            if label not in out:
                out.append(label)
            if len(out) == n:
                break
        return out
