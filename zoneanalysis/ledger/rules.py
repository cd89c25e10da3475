"""The ledger tables' reading rules (header aliases, status words, industries), from YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from zoneanalysis.errors import ConfigError
from zoneanalysis.names import normalise_name
from zoneanalysis.textfiles import read_text_file

LEDGER_RULES_FILE = Path(__file__).with_name("ledger_rules.yaml")


@dataclass(frozen=True)
class LedgerRules:
    """Normalised words that identify the columns and values of the ledger tables."""

    progress_headers: dict[str, str]
    required_progress_headers: tuple[str, ...]
    ignored_headers: frozenset[str]
    ytd_header_pattern: re.Pattern[str]
    yes_words: frozenset[str]
    no_words: frozenset[str]
    categories: dict[str, str]
    industries: dict[str, str]
    industry_name_headers: frozenset[str]
    count_aliases: dict[str, str]
    count_name_headers: frozenset[str]
    count_value_headers: frozenset[str]
    count_value_pattern: re.Pattern[str]


def _invert(mapping: dict[str, list[str]], path: Path, key: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, words in (mapping or {}).items():
        if not isinstance(words, list):
            raise ConfigError(f"{key}.{code} 应是列表", file=path, location=f"{key}.{code}")
        for word in [code, *words]:
            out[normalise_name(word)] = str(code)
    return out


@lru_cache(maxsize=4)
def load_ledger_rules(path: str | Path | None = None) -> LedgerRules:
    """Read the ledger reading rules.

    Parameters
    ----------
    path
        The YAML file; ``zoneanalysis/ledger/ledger_rules.yaml`` by default.

    Returns
    -------
    LedgerRules
        Every word normalised with :func:`zoneanalysis.names.normalise_name`.

    Raises
    ------
    ConfigError
        If the file cannot be read, a key is missing or a pattern is not a valid regex.
    """
    path = Path(path) if path is not None else LEDGER_RULES_FILE
    try:
        raw = yaml.safe_load(read_text_file(path)) or {}
        headers = _invert(raw["progress_headers"], path, "progress_headers")
        counts = raw["count_headers"]
        return LedgerRules(
            progress_headers=headers,
            required_progress_headers=tuple(raw["required_progress_headers"]),
            ignored_headers=frozenset(normalise_name(w) for w in raw["ignored_headers"]),
            ytd_header_pattern=re.compile(raw["ytd_header_pattern"]),
            yes_words=frozenset(normalise_name(w) for w in raw["yes_words"]),
            no_words=frozenset(normalise_name(w) for w in raw["no_words"]),
            categories=_invert(raw["category_aliases"], path, "category_aliases"),
            industries=_invert(raw["industries"], path, "industries"),
            industry_name_headers=frozenset(
                normalise_name(w) for w in raw["industry_name_headers"]
            ),
            count_aliases=_invert(raw["count_aliases"], path, "count_aliases"),
            count_name_headers=frozenset(normalise_name(w) for w in counts["name"]),
            count_value_headers=frozenset(normalise_name(w) for w in counts["value"]),
            count_value_pattern=re.compile(counts["value_pattern"]),
        )
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"无法读取台账读取规则：{exc}", file=path) from None
    except KeyError as exc:
        raise ConfigError(f"台账读取规则缺少键 {exc}", file=path) from None
    except re.error as exc:
        raise ConfigError(f"台账读取规则中的正则表达式无效：{exc}", file=path) from None
