"""Normalise zone and header names so that spelling variants compare equal."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError

_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=8)
def load_name_rules(path: str | Path | None = None) -> tuple[dict[str, str], tuple[str, ...]]:
    """Read the traditional→simplified map and the characters to drop.

    Parameters
    ----------
    path
        YAML file with keys ``traditional_to_simplified`` and ``drop``; the shipped file by default.

    Returns
    -------
    tuple
        ``(translation map, characters to drop)``.
    """
    path = Path(path) if path is not None else paths.NAME_RULES_FILE
    try:
        rules = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"无法读取名称规则：{exc}", file=path) from None
    mapping = {str(k): str(v) for k, v in (rules.get("traditional_to_simplified") or {}).items()}
    drop = tuple(str(c) for c in (rules.get("drop") or []))
    return mapping, drop


def normalise_name(text: object, rules_path: str | Path | None = None) -> str:
    """Normalise a name: NFKC, no whitespace, simplified characters, no markers.

    Parameters
    ----------
    text
        A raw cell value (anything; ``None`` gives ``""``).
    rules_path
        Optional name-rules YAML file.

    Returns
    -------
    str
        The normalised name.

    Examples
    --------
    >>> normalise_name("　郑州 航空港（产业集聚区）")
    '郑州航空港(产业集聚区)'
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = _WHITESPACE.sub("", s)
    mapping, drop = load_name_rules(str(rules_path) if rules_path else None)
    if mapping:
        s = s.translate(str.maketrans(mapping))
    for ch in drop:
        s = s.replace(ch, "")
    return s
