"""The indicator catalogue: codes, Chinese names, header aliases, units and kinds."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.names import normalise_name
from zoneanalysis.textfiles import read_text_file

KINDS = ("ytd_flow", "stock", "rate", "count")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue.

    Attributes
    ----------
    code
        Stable ASCII code (``revenue``, ``fai`` …).
    name_zh
        Chinese name shown to readers.
    aliases
        Header texts that mean this indicator, normalised.
    unit
        Canonical unit of ``value``.
    units
        Raw unit → factor that converts it to the canonical unit.
    kind
        ``ytd_flow``, ``stock``, ``rate`` or ``count``.
    direction
        +1 if larger is better, -1 if smaller is better.
    min, max
        Allowed range of canonical values.
    """

    code: str
    name_zh: str
    aliases: tuple[str, ...]
    unit: str
    units: dict[str, float]
    kind: str
    direction: int
    min: float
    max: float

    def to_canonical(self, value: float, unit: str | None) -> float:
        """Convert ``value`` given in ``unit`` (``None`` = canonical) to the canonical unit."""
        if unit is None or unit == self.unit:
            return value
        try:
            return value * self.units[unit]
        except KeyError:
            raise ConfigError(
                f"指标“{self.name_zh}”不认识单位“{unit}”（已知：{', '.join(self.units)}）",
                file=paths.INDICATORS_FILE,
                location=self.code,
                hint="在指标目录的 units 中加上该单位及换算系数。",
            ) from None


@lru_cache(maxsize=8)
def load_indicator_catalogue(path: str | Path | None = None) -> dict[str, Indicator]:
    """Read and check the indicator catalogue.

    Parameters
    ----------
    path
        ``indicators.yaml``; the shipped catalogue by default.

    Returns
    -------
    dict
        Code → :class:`Indicator`, in file order.

    Raises
    ------
    ConfigError
        If an entry lacks a key, has an unknown kind, or two indicators share an alias.
    """
    path = Path(path) if path is not None else paths.INDICATORS_FILE
    try:
        raw = yaml.safe_load(read_text_file(path)) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"无法读取指标目录：{exc}", file=path) from None
    catalogue: dict[str, Indicator] = {}
    owner: dict[str, str] = {}
    required = ("name_zh", "aliases", "unit", "units", "kind", "direction", "min", "max")
    for code, spec in raw.items():
        missing = [k for k in required if k not in (spec or {})]
        if missing:
            raise ConfigError(f"指标缺少键 {missing}", file=path, location=str(code))
        if spec["kind"] not in KINDS:
            raise ConfigError(
                f"未知的 kind“{spec['kind']}”（可选：{', '.join(KINDS)}）", file=path, location=code
            )
        if spec["unit"] not in spec["units"]:
            raise ConfigError("units 中必须包含规范单位本身（系数 1）", file=path, location=code)
        aliases = tuple(
            dict.fromkeys(normalise_name(a) for a in [spec["name_zh"], *spec["aliases"]])
        )
        for alias in aliases:
            if alias in owner and owner[alias] != code:
                raise ConfigError(
                    f"表头别名“{alias}”同时属于 {owner[alias]} 和 {code}", file=path, location=code
                )
            owner[alias] = code
        catalogue[str(code)] = Indicator(
            code=str(code),
            name_zh=str(spec["name_zh"]),
            aliases=aliases,
            unit=str(spec["unit"]),
            units={str(k): float(v) for k, v in spec["units"].items()},
            kind=str(spec["kind"]),
            direction=int(spec["direction"]),
            min=float(spec["min"]),
            max=float(spec["max"]),
        )
    return catalogue


def match_indicator(header: object, catalogue: dict[str, Indicator] | None = None) -> str | None:
    """Return the indicator code whose alias matches a header text, or ``None``.

    An exact alias match wins; otherwise the longest alias contained in the header (so
    "规模以上工业主营业务收入（万元）" matches ``revenue``).
    """
    catalogue = catalogue if catalogue is not None else load_indicator_catalogue()
    key = normalise_name(header)
    if not key:
        return None
    best: tuple[int, str] | None = None
    for code, ind in catalogue.items():
        for alias in ind.aliases:
            if key == alias:
                return code
            if alias in key and (best is None or len(alias) > best[0]):
                best = (len(alias), code)
    return best[1] if best else None


def indicator_names_zh(catalogue: dict[str, Indicator] | None = None) -> dict[str, str]:
    """Code → Chinese name, for labels."""
    catalogue = catalogue if catalogue is not None else load_indicator_catalogue()
    return {code: ind.name_zh for code, ind in catalogue.items()}
