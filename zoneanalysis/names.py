"""Normalise zone and header names so that spelling variants compare equal.

Traditional characters are converted with OpenCC (configuration ``t2s``), a maintained
conversion table, not a hand-written list.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import opencc
import yaml

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.textfiles import read_text_file

_WHITESPACE = re.compile(r"\s+")
OPENCC_CONFIG = "t2s"


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(OPENCC_CONFIG)


@lru_cache(maxsize=8)
def load_name_rules(path: str | Path | None = None) -> tuple[dict[str, str], tuple[str, ...]]:
    """Read the local character overrides and the characters to drop.

    Parameters
    ----------
    path
        YAML file with keys ``traditional_to_simplified`` (optional overrides applied after
        OpenCC, for local variants it does not know) and ``drop``; the shipped file by default.

    Returns
    -------
    tuple
        ``(translation map, characters to drop)``.
    """
    path = Path(path) if path is not None else paths.NAME_RULES_FILE
    try:
        rules = yaml.safe_load(read_text_file(path)) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"无法读取名称规则：{exc}", file=path) from None
    mapping = {str(k): str(v) for k, v in (rules.get("traditional_to_simplified") or {}).items()}
    drop = tuple(str(c) for c in (rules.get("drop") or []))
    return mapping, drop


def normalise_name(text: object, rules_path: str | Path | None = None) -> str:
    """Normalise a name: no footnote numbers, NFKC, no whitespace, simplified characters, no markers.

    Characters that merely have a numeric value (circled ①, superscript ², Unicode category
    "No") are footnote markers in names and headers: they are dropped before NFKC, which would
    otherwise turn them into digits.

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
    return _normalise_text(str(text), str(rules_path) if rules_path else None)


@lru_cache(maxsize=65536)
def _normalise_text(text: str, rules_path: str | None) -> str:
    s = "".join(ch for ch in text if unicodedata.category(ch) != "No")
    s = unicodedata.normalize("NFKC", s)
    s = _WHITESPACE.sub("", s)
    if not s.isascii():
        s = _converter().convert(s)
    mapping, drop = load_name_rules(rules_path)
    if mapping:
        s = s.translate(str.maketrans(mapping))
    for ch in drop:
        s = s.replace(ch, "")
    return s
