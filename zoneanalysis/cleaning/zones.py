"""Match the zone names written in a table to registry ids, for every reader of table files.

Every rule applies in one place: :func:`zoneanalysis.names.normalise_name` (NFKC, whitespace,
OpenCC t2s, local overrides), the registry's official and short names and dated aliases
(:class:`zoneanalysis.registry.ZoneMatcher`), and brackets around part of a name
("巩义市（产业集聚区）" is 巩义市产业集聚区). Unknown names are collected, so that a run fails once,
listing every unknown name with its places and the closest registry names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zoneanalysis.cleaning.values import cell_text
from zoneanalysis.errors import InputDataError
from zoneanalysis.names import normalise_name
from zoneanalysis.registry import ZoneMatcher

_BRACKET_CHARS = re.compile(r"[()\[\]]")

ALIAS_HINT = (
    "若这是某个已登记集聚区的别称，把它加入 data/raw/reference/zone_aliases.csv"
    "（alias,zone_id,valid_from,valid_to,note）；否则改正表格中的名称。"
)


@dataclass
class ZoneLookup:
    """Zone names → zone ids with a cache, collecting the unknown names of a run.

    Parameters
    ----------
    matcher
        The registry's matcher.
    """

    matcher: ZoneMatcher
    cache: dict[tuple[str, int], str | None] = field(default_factory=dict)
    #: unknown names of the whole run: (name, year) → places "a.csv（第 6 行第 A 列）"
    unknown: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    zone_names: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        zones = self.matcher.zones
        self.zone_names = dict(zip(zones["zone_id"], zones["zone_name"], strict=True))

    def match(self, raw: object, year: int) -> str | None:
        """The zone id of a raw name in ``year``, or ``None`` if the registry does not know it."""
        key = (normalise_name(raw), year)  # a new string: the key must not keep the table alive
        if key not in self.cache:
            zone_id = self.matcher.match(raw, year)
            if zone_id is None:  # "巩义市（产业集聚区）": brackets around part of the name
                zone_id = self.matcher.match(_BRACKET_CHARS.sub("", normalise_name(raw)), year)
            self.cache[key] = zone_id
        return self.cache[key]

    def match_at(self, raw: object, year: int, place: str) -> str | None:
        """:meth:`match`, noting ``place`` (file and cell) when the name is unknown."""
        zone_id = self.match(raw, year)
        if zone_id is None:
            self.unknown.setdefault((cell_text(raw), year), []).append(place)
        return zone_id

    def raise_unknown(self) -> None:
        """Fail once, listing every unknown name with its places and closest registry names.

        Raises
        ------
        InputDataError
            If any name was unknown.
        """
        if not self.unknown:
            return
        lines = []
        for (name, year), places in self.unknown.items():
            close = self.matcher.suggest(name)
            more = f" 等 {len(places)} 处" if len(places) > 1 else ""
            line = f"“{name}”（{year} 年）：{places[0]}{more}"
            lines.append(line + (f"；最接近的已知名称：{'、'.join(close)}" if close else ""))
        if len(lines) == 1:
            message = f"不认识的集聚区名称{lines[0]}"
        else:
            message = f"有 {len(lines)} 个不认识的集聚区名称：\n  " + "\n  ".join(lines)
        raise InputDataError(message, hint=ALIAS_HINT)
