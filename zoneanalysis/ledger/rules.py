"""The ledger tables' reading rules (header aliases, status words, industries).

Read from ``data/raw/reference/ledger_rules.yaml`` and validated by one pydantic model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator

from zoneanalysis import paths
from zoneanalysis.names import normalise_name
from zoneanalysis.rules.loader import RulesModel, load_rules_file

LEDGER_RULES_FILE = paths.LEDGER_RULES_FILE

# YAML reads yes/no as booleans and 1/0 as numbers: keep them, compared as written (str).
Words = list[str | bool | int | float]


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"正则表达式无效：{exc}") from None
    return value


class CountHeaders(RulesModel):
    """Header words of the count tables."""

    name: Words = Field(min_length=1)
    value_pattern: str
    value: Words

    _check_pattern = field_validator("value_pattern")(_regex)


class LedgerRulesFile(RulesModel):
    """The keys of ``ledger_rules.yaml`` as written (see the comments in the file)."""

    progress_headers: dict[str, Words]
    required_progress_headers: list[str] = Field(min_length=1)
    ignored_headers: Words
    ytd_header_pattern: str
    yes_words: Words
    no_words: Words
    category_aliases: dict[str, Words]
    industries: dict[str, Words]
    industry_name_headers: Words = Field(min_length=1)
    count_aliases: dict[str, Words]
    count_headers: CountHeaders

    _check_pattern = field_validator("ytd_header_pattern")(_regex)


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


def _invert(mapping: dict[str, Words]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, words in mapping.items():
        for word in [code, *words]:
            out[normalise_name(str(word))] = str(code)
    return out


def _norm(words: Words) -> frozenset[str]:
    return frozenset(normalise_name(str(w)) for w in words)


@lru_cache(maxsize=4)
def load_ledger_rules(path: str | Path | None = None) -> LedgerRules:
    """Read the ledger reading rules.

    Parameters
    ----------
    path
        The YAML file; ``data/raw/reference/ledger_rules.yaml`` by default.

    Returns
    -------
    LedgerRules
        Every word normalised with :func:`zoneanalysis.names.normalise_name`.

    Raises
    ------
    ConfigError
        Naming the file and key, if the file cannot be read, a key is missing or unknown, a value
        has the wrong type, or a pattern is not a valid regular expression.
    """
    raw = load_rules_file(
        Path(path) if path is not None else LEDGER_RULES_FILE, LedgerRulesFile, "台账读取规则"
    )
    counts = raw.count_headers
    return LedgerRules(
        progress_headers=_invert(raw.progress_headers),
        required_progress_headers=tuple(raw.required_progress_headers),
        ignored_headers=_norm(raw.ignored_headers),
        ytd_header_pattern=re.compile(raw.ytd_header_pattern),
        yes_words=_norm(raw.yes_words),
        no_words=_norm(raw.no_words),
        categories=_invert(raw.category_aliases),
        industries=_invert(raw.industries),
        industry_name_headers=_norm(raw.industry_name_headers),
        count_aliases=_invert(raw.count_aliases),
        count_name_headers=_norm(counts.name),
        count_value_headers=_norm(counts.value),
        count_value_pattern=re.compile(counts.value_pattern),
    )
