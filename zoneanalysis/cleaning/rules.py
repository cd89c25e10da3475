"""The cleaning rules (markers and words of bureau tables), read from ``cleaning_rules.yaml``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.names import normalise_name
from zoneanalysis.textfiles import read_text_file

COLUMN_ROLES = ("current_month", "derived", "growth", "prior_year", "cumulative")
PRIOR_YEAR_USES = ("skip",)

_LIST_KEYS = (
    "missing_markers",
    "total_words",
    "note_prefixes",
    "section_words",
    "name_header_words",
    "ignore_header_words",
    "growth_words",
    "current_month_words",
    "cumulative_words",
    "derived_words",
    "prior_year_words",
    "header_footnote_markers",
    "column_role_order",
    "revision_words",
    "unit_line_prefixes",
    "unit_separators",
    "skip_folders",
    "footnote_markers",
    "minus_signs",
)
GROWTH_LIMIT_KINDS = ("ytd_flow", "stock", "rate", "count")  # the indicator kinds


@dataclass(frozen=True)
class GrowthLimit:
    """How large a reported growth rate (%) may be for one indicator kind.

    Attributes
    ----------
    max_abs
        Beyond ``±max_abs`` the cell is refused.
    warn_abs
        Beyond ``±warn_abs`` the value is kept and the cleaning report notes it.
    """

    max_abs: float
    warn_abs: float


@dataclass(frozen=True)
class CleaningRules:
    """Words and markers that classify cells, rows and header columns.

    Every text is stored normalised (see :func:`zoneanalysis.names.normalise_name`), except
    ``missing_markers`` and ``unit_separators``, which are also kept as written,
    ``header_footnote_markers`` (removed from raw header text before normalisation),
    ``skip_folders`` (folder names), ``footnote_markers`` and ``minus_signs`` (single characters),
    compared as written. ``growth_limits`` maps an indicator kind to its :class:`GrowthLimit`.
    ``column_role_order`` is the order in which the column roles (:data:`COLUMN_ROLES`) are
    tried; ``revision_words`` are lower-case.
    """

    missing_markers: frozenset[str]
    total_words: tuple[str, ...]
    note_prefixes: tuple[str, ...]
    section_words: tuple[str, ...]
    name_header_words: frozenset[str]
    ignore_header_words: frozenset[str]
    growth_words: tuple[str, ...]
    current_month_words: tuple[str, ...]
    cumulative_words: tuple[str, ...]
    revision_words: tuple[str, ...]
    unit_line_prefixes: tuple[str, ...]
    unit_separators: tuple[str, ...]
    period_words: tuple[tuple[str, int], ...]
    skip_folders: tuple[str, ...] = ("reference",)
    footnote_markers: frozenset[str] = frozenset()
    minus_signs: frozenset[str] = frozenset("-")
    growth_limits: tuple[tuple[str, GrowthLimit], ...] = ()
    derived_words: tuple[str, ...] = ()
    prior_year_words: tuple[str, ...] = ()
    header_footnote_markers: tuple[str, ...] = ()
    column_role_order: tuple[str, ...] = COLUMN_ROLES
    prior_year_use: str = "skip"
    magnitude_jump_factor: float = 1000.0

    def growth_limit(self, kind: str) -> GrowthLimit | None:
        """The growth-rate limit of an indicator kind, or ``None`` if the rules set none."""
        return dict(self.growth_limits).get(kind)


@lru_cache(maxsize=8)
def load_cleaning_rules(path: str | Path | None = None) -> CleaningRules:
    """Read and check the cleaning rules.

    Parameters
    ----------
    path
        ``cleaning_rules.yaml``; the shipped file by default.

    Returns
    -------
    CleaningRules
        The rules, with texts normalised; period words sorted longest first.

    Raises
    ------
    ConfigError
        If the file cannot be read, a key is missing, or a period word maps to no month 1-12.
    """
    path = Path(path) if path is not None else paths.CLEANING_RULES_FILE
    try:
        raw = yaml.safe_load(read_text_file(path)) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"无法读取清洗规则：{exc}", file=path) from None
    required = (*_LIST_KEYS, "period_words", "growth_limits", "prior_year_use")
    missing = [k for k in required if k not in raw]
    if missing:
        raise ConfigError(f"清洗规则缺少键 {missing}", file=path, hint="参照仓库中的原文件补齐。")
    lists: dict[str, tuple[str, ...]] = {}
    for key in _LIST_KEYS:
        values = raw[key]
        if not isinstance(values, list):
            raise ConfigError("应为列表", file=path, location=key)
        lists[key] = tuple(str(v) for v in values)
    periods: list[tuple[str, int]] = []
    for word, month in (raw["period_words"] or {}).items():
        if not isinstance(month, int) or not 1 <= month <= 12:
            raise ConfigError(
                f"期间词“{word}”对应的月份“{month}”不在 1-12 之间",
                file=path,
                location="period_words",
            )
        periods.append((normalise_name(word), month))
    periods.sort(key=lambda p: -len(p[0]))
    _check_roles(lists["column_role_order"], str(raw["prior_year_use"]), path)

    def norm(key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (normalise_name(v) for v in lists[key]) if n))

    markers = set(lists["missing_markers"]) | {normalise_name(m) for m in lists["missing_markers"]}
    markers.discard("")
    return CleaningRules(
        missing_markers=frozenset(markers),
        total_words=norm("total_words"),
        note_prefixes=norm("note_prefixes"),
        section_words=norm("section_words"),
        name_header_words=frozenset(norm("name_header_words")),
        ignore_header_words=frozenset(norm("ignore_header_words")),
        growth_words=norm("growth_words"),
        current_month_words=norm("current_month_words"),
        cumulative_words=norm("cumulative_words"),
        revision_words=tuple(w.lower() for w in norm("revision_words")),
        unit_line_prefixes=norm("unit_line_prefixes"),
        unit_separators=lists["unit_separators"],
        period_words=tuple(periods),
        skip_folders=lists["skip_folders"],
        footnote_markers=_characters(lists, "footnote_markers", path),
        minus_signs=_characters(lists, "minus_signs", path),
        growth_limits=_growth_limits(raw["growth_limits"], path),
        derived_words=norm("derived_words"),
        prior_year_words=norm("prior_year_words"),
        header_footnote_markers=tuple(m for m in lists["header_footnote_markers"] if m),
        column_role_order=lists["column_role_order"],
        prior_year_use=str(raw["prior_year_use"]),
        magnitude_jump_factor=_jump_factor(raw.get("magnitude_jump_factor", 1000), path),
    )


def _jump_factor(raw: object, path: Path) -> float:
    """``magnitude_jump_factor``: a number above 1 (``.inf`` turns the check off)."""
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = math.nan
    if isinstance(raw, bool) or not value > 1:
        raise ConfigError(
            f"magnitude_jump_factor“{raw}”应为大于 1 的数",
            file=path,
            location="magnitude_jump_factor",
            hint="例如 1000；写 .inf 关闭这项检查。",
        )
    return value


def _characters(lists: dict[str, tuple[str, ...]], key: str, path: Path) -> frozenset[str]:
    bad = [v for v in lists[key] if len(v) != 1 or v.isdigit() or v in ".,%"]
    if bad:
        raise ConfigError(
            f"{key} 中的“{bad[0]}”不是单个字符，或是数字、小数点、逗号、百分号",
            file=path,
            location=key,
            hint='每项写一个字符，例如 "*" 或 "①"。',
        )
    return frozenset(lists[key])


def _growth_limits(raw: object, path: Path) -> tuple[tuple[str, GrowthLimit], ...]:
    if not isinstance(raw, dict):
        raise ConfigError(
            "应为“指标类别: {max_abs: …, warn_abs: …}”", file=path, location="growth_limits"
        )
    limits: list[tuple[str, GrowthLimit]] = []
    for kind, spec in raw.items():
        where = f"growth_limits.{kind}"
        if kind not in GROWTH_LIMIT_KINDS:
            raise ConfigError(
                f"未知的指标类别“{kind}”",
                file=path,
                location=where,
                hint=f"可用：{'、'.join(GROWTH_LIMIT_KINDS)}。",
            )
        values = spec if isinstance(spec, dict) else {}
        numbers = [values.get(k) for k in ("max_abs", "warn_abs")]
        if not all(
            isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in numbers
        ):
            raise ConfigError(
                f"值“{spec}”不对",
                file=path,
                location=where,
                hint="写成 {max_abs: 5000, warn_abs: 300}，两个正数（单位 %）。",
            )
        max_abs, warn_abs = (float(v) for v in numbers)
        if not math.isfinite(max_abs) or warn_abs > max_abs:
            raise ConfigError(
                "max_abs 须为有限数且不小于 warn_abs",
                file=path,
                location=where,
            )
        limits.append((str(kind), GrowthLimit(max_abs=max_abs, warn_abs=warn_abs)))
    return tuple(limits)


def _check_roles(order: tuple[str, ...], prior_year_use: str, path: Path) -> None:
    if sorted(order) != sorted(COLUMN_ROLES):
        raise ConfigError(
            f"column_role_order 应恰好列出 {', '.join(COLUMN_ROLES)} 各一次（现为 {list(order)}）",
            file=path,
            location="column_role_order",
            hint="按希望的先后顺序写出全部五个角色。",
        )
    if prior_year_use not in PRIOR_YEAR_USES:
        raise ConfigError(
            f"prior_year_use 的值“{prior_year_use}”不对",
            file=path,
            location="prior_year_use",
            hint=f"可用的值：{', '.join(PRIOR_YEAR_USES)}。",
        )
