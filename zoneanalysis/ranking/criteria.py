"""Load and validate the ranking criteria (``ranking_criteria.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.textfiles import read_text_file

NORMALISATIONS = ("minmax", "zscore", "rank", "goalposts")
AGGREGATIONS = ("arithmetic", "geometric")
PEER_GROUPS = ("provincial", "zhengzhou_provincial")
METHODS = ("composite", "rank_improvement")
WEIGHT_SCHEMES = ("dirichlet", "uniform25", "none")
OUTLIER_METHODS = ("winsorise", "none")
DERIVED_KINDS = ("growth", "ratio")
NORMALISATION_NAMES_ZH = {
    "minmax": "极差标准化",
    "zscore": "Z 标准分",
    "rank": "位次百分位",
    "goalposts": "固定标尺",
}
AGGREGATION_NAMES_ZH = {"arithmetic": "加权算术平均", "geometric": "加权几何平均"}


@dataclass(frozen=True)
class DerivedSpec:
    """A derived indicator: a growth rate or a ratio of two catalogue indicators."""

    code: str
    name_zh: str
    kind: str
    unit: str
    of: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0

    @property
    def base_codes(self) -> tuple[str, ...]:
        """The catalogue indicators this one is computed from."""
        if self.kind == "growth":
            return (str(self.of),)
        return (str(self.numerator), str(self.denominator))


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of a list: code, pillar, direction, nominal weight (normalised to sum 1)."""

    code: str
    pillar: str
    direction: int
    weight: float
    goalposts: tuple[float, float] | None = None


@dataclass(frozen=True)
class OutlierSpec:
    """Outlier treatment: iterative winsorisation while skew and kurtosis are both too high."""

    method: str = "winsorise"
    skew: float = 2.0
    kurtosis: float = 3.5
    max_points: int = 5


@dataclass(frozen=True)
class UncertaintySpec:
    """What the Monte Carlo analysis perturbs."""

    weights: str = "dirichlet"
    concentration: float = 60.0
    normalisations: tuple[str, ...] = ("minmax", "zscore", "rank")
    aggregations: tuple[str, ...] = ("arithmetic", "geometric")
    inputs: bool = True


@dataclass(frozen=True)
class ListCriteria:
    """One ranking list (十强, 十快 …) fully resolved."""

    key: str
    name_zh: str
    description: str
    method: str
    base: str | None
    indicators: tuple[IndicatorSpec, ...]
    pillars: dict[str, str]
    normalisation: str
    aggregation: str
    top_n: int
    peer_group: str
    min_coverage: float
    outliers: OutlierSpec
    uncertainty: UncertaintySpec

    @property
    def codes(self) -> list[str]:
        """Indicator codes in file order."""
        return [i.code for i in self.indicators]

    @property
    def weights(self) -> list[float]:
        """Nominal weights (sum 1)."""
        return [i.weight for i in self.indicators]


@dataclass(frozen=True)
class Criteria:
    """All lists of a criteria file plus its derived indicators."""

    lists: dict[str, ListCriteria]
    derived: dict[str, DerivedSpec]
    path: str = field(default="")


def _fail(path: Path, key: str, message: str, hint: str) -> ConfigError:
    return ConfigError(message, file=path, location=f"键 {key}", hint=hint)


def _choice(value: Any, allowed: tuple[str, ...], path: Path, key: str) -> str:
    if value not in allowed:
        raise _fail(
            path,
            key,
            f"不认识的取值“{value}”",
            f"可选：{'、'.join(allowed)}；请改正排名指标体系文件。",
        )
    return str(value)


def _number(value: Any, path: Path, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, key, f"“{value}”不是数字", "请写一个数字。")
    return float(value)


def _load_derived(raw: Any, path: Path, catalogue: dict) -> dict[str, DerivedSpec]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(path, "derived", "derived 必须是“代码: 定义”的映射", "参照文件开头的示例。")
    out: dict[str, DerivedSpec] = {}
    for code, spec in raw.items():
        key = f"derived.{code}"
        if code in catalogue:
            raise _fail(path, key, "派生指标与指标目录中的代码重名", "换一个代码。")
        if not isinstance(spec, dict) or "name_zh" not in spec or "kind" not in spec:
            raise _fail(
                path, key, "派生指标需要 name_zh 和 kind", "例如 {name_zh: …, kind: ratio …}。"
            )
        kind = _choice(spec["kind"], DERIVED_KINDS, path, f"{key}.kind")
        needed = ("of",) if kind == "growth" else ("numerator", "denominator")
        for k in needed:
            if spec.get(k) not in catalogue:
                raise _fail(
                    path,
                    f"{key}.{k}",
                    f"“{spec.get(k)}”不是指标目录中的指标",
                    f"已知指标：{'、'.join(catalogue)}。",
                )
        out[str(code)] = DerivedSpec(
            code=str(code),
            name_zh=str(spec["name_zh"]),
            kind=kind,
            unit=str(spec.get("unit", "")),
            of=spec.get("of"),
            numerator=spec.get("numerator"),
            denominator=spec.get("denominator"),
            scale=_number(spec.get("scale", 1.0), path, f"{key}.scale"),
        )
    return out


def _load_outliers(raw: Any, path: Path, key: str) -> OutlierSpec:
    raw = raw or {}
    if not isinstance(raw, dict):
        raise _fail(path, key, "outliers 必须是映射", "例如 {method: winsorise}。")
    return OutlierSpec(
        method=_choice(raw.get("method", "winsorise"), OUTLIER_METHODS, path, f"{key}.method"),
        skew=_number(raw.get("skew", 2.0), path, f"{key}.skew"),
        kurtosis=_number(raw.get("kurtosis", 3.5), path, f"{key}.kurtosis"),
        max_points=int(_number(raw.get("max_points", 5), path, f"{key}.max_points")),
    )


def _load_uncertainty(raw: Any, path: Path, key: str) -> UncertaintySpec:
    raw = raw or {}
    if not isinstance(raw, dict):
        raise _fail(path, key, "uncertainty 必须是映射", "参照文件开头 defaults 中的写法。")
    norms = tuple(raw.get("normalisations", ("minmax", "zscore", "rank")))
    aggs = tuple(raw.get("aggregations", ("arithmetic", "geometric")))
    for i, n in enumerate(norms):
        _choice(n, NORMALISATIONS, path, f"{key}.normalisations[{i}]")
    for i, a in enumerate(aggs):
        _choice(a, AGGREGATIONS, path, f"{key}.aggregations[{i}]")
    if not norms or not aggs:
        raise _fail(path, key, "normalisations 和 aggregations 不能为空", "至少列出一种方法。")
    concentration = _number(raw.get("concentration", 60.0), path, f"{key}.concentration")
    if concentration <= 0:
        raise _fail(path, f"{key}.concentration", "concentration 必须为正", "例如 60。")
    return UncertaintySpec(
        weights=_choice(raw.get("weights", "dirichlet"), WEIGHT_SCHEMES, path, f"{key}.weights"),
        concentration=concentration,
        normalisations=norms,
        aggregations=aggs,
        inputs=bool(raw.get("inputs", True)),
    )


def _load_indicators(
    raw: Any, path: Path, key: str, known: dict[str, int], pillars: dict[str, str]
) -> tuple[IndicatorSpec, ...]:
    """A list's indicators, each checked key by key.

    Kept in one piece (about 60 lines): one check per indicator key (code, pillar, direction,
    weight, goalposts, transform), each with its own message naming ``key[i].field``.
    """
    if not isinstance(raw, list) or not raw:
        raise _fail(
            path, key, "indicators 必须是非空列表", "每行写 {code, pillar, direction, weight}。"
        )
    specs: list[IndicatorSpec] = []
    for i, item in enumerate(raw):
        k = f"{key}[{i}]"
        if not isinstance(item, dict) or "code" not in item:
            raise _fail(path, k, "指标项必须是含 code 的映射", "例如 {code: revenue, weight: 1}。")
        code = item["code"]
        if code not in known:
            raise _fail(
                path,
                f"{k}.code",
                f"不认识的指标“{code}”",
                f"code 必须是指标目录或 derived 中的代码：{'、'.join(known)}。",
            )
        if code in [s.code for s in specs]:
            raise _fail(path, f"{k}.code", f"指标“{code}”重复", "每个指标只写一次。")
        pillar = str(item.get("pillar", "main"))
        if pillars and pillar not in pillars:
            raise _fail(
                path,
                f"{k}.pillar",
                f"分项“{pillar}”未在 pillars 中定义",
                f"可选：{'、'.join(pillars)}。",
            )
        if not pillar.isidentifier() or not pillar.isascii():
            raise _fail(
                path, f"{k}.pillar", f"分项代码“{pillar}”必须是 ASCII 标识符", "例如 scale。"
            )
        direction = item.get("direction", known[code])
        if direction not in (1, -1):
            raise _fail(
                path,
                f"{k}.direction",
                f"direction“{direction}”只能是 1 或 -1",
                "1 越大越好，-1 越小越好。",
            )
        weight = _number(item.get("weight", 1.0), path, f"{k}.weight")
        if weight < 0:
            raise _fail(path, f"{k}.weight", f"权重 {weight} 为负", "权重必须非负。")
        goalposts = item.get("goalposts")
        if goalposts is not None:
            if (
                not isinstance(goalposts, list)
                or len(goalposts) != 2
                or _number(goalposts[0], path, f"{k}.goalposts")
                >= _number(goalposts[1], path, f"{k}.goalposts")
            ):
                raise _fail(
                    path,
                    f"{k}.goalposts",
                    "goalposts 必须是 [下限, 上限] 且下限小于上限",
                    "例如 [0, 3000]。",
                )
            goalposts = (float(goalposts[0]), float(goalposts[1]))
        specs.append(IndicatorSpec(str(code), pillar, int(direction), weight, goalposts))
    total = sum(s.weight for s in specs)
    if total <= 0:
        raise _fail(path, key, "权重全为 0", "至少给一个指标正权重。")
    return tuple(
        IndicatorSpec(s.code, s.pillar, s.direction, s.weight / total, s.goalposts) for s in specs
    )


def _resolve(name: str, presets: dict, path: Path, seen: tuple[str, ...] = ()) -> dict:
    spec = presets[name]
    if not isinstance(spec, dict):
        raise _fail(path, f"presets.{name}", "名单定义必须是映射", "参照文件中的 shiqiang。")
    parent = spec.get("based_on")
    if parent is None:
        return dict(spec)
    if parent not in presets or parent in seen:
        raise _fail(
            path,
            f"presets.{name}.based_on",
            f"based_on 指向不存在或循环的名单“{parent}”",
            "写一个已定义的名单。",
        )
    merged = _resolve(parent, presets, path, (*seen, name))
    merged.update({k: v for k, v in spec.items() if k != "based_on"})
    return merged


def _load_list(
    name: str,
    spec: dict,
    defaults: dict,
    path: Path,
    known: dict[str, int],
    all_names: list[str],
) -> ListCriteria:
    key = f"presets.{name}"
    if not str(name).isidentifier() or not str(name).isascii():
        raise _fail(path, key, "名单代码必须是 ASCII 标识符", "例如 shiqiang。")

    def get(k: str, fallback: Any) -> Any:
        return spec.get(k, defaults.get(k, fallback))

    method = _choice(spec.get("method", "composite"), METHODS, path, f"{key}.method")
    top_n = spec.get("top_n", defaults.get("top_n", 10))
    if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1:
        raise _fail(path, f"{key}.top_n", f"top_n“{top_n}”必须是正整数", "例如 10。")
    peer = _choice(get("peer_group", "provincial"), PEER_GROUPS, path, f"{key}.peer_group")
    norm = _choice(get("normalisation", "minmax"), NORMALISATIONS, path, f"{key}.normalisation")
    agg = _choice(get("aggregation", "arithmetic"), AGGREGATIONS, path, f"{key}.aggregation")
    if norm == "zscore" and agg == "geometric":
        raise _fail(
            path,
            f"{key}.aggregation",
            "几何平均不能与 zscore 搭配（标准分有负值）",
            "改用 minmax 或 arithmetic。",
        )
    coverage = _number(get("min_coverage", 0.65), path, f"{key}.min_coverage")
    if not 0 <= coverage <= 1:
        raise _fail(path, f"{key}.min_coverage", "min_coverage 必须在 0 到 1 之间", "例如 0.65。")
    uncertainty = _load_uncertainty(get("uncertainty", None), path, f"{key}.uncertainty")
    outliers = _load_outliers(get("outliers", None), path, f"{key}.outliers")
    base = None
    indicators: tuple[IndicatorSpec, ...] = ()
    pillars: dict[str, str] = {}
    if method == "rank_improvement":
        base = spec.get("base")
        if base not in all_names or base == name:
            raise _fail(
                path, f"{key}.base", f"base“{base}”不是已定义的其他名单", "例如 base: shiqiang。"
            )
    else:
        needs_goalposts = norm == "goalposts" or "goalposts" in uncertainty.normalisations
        indicators, pillars = _load_composite(spec, key, path, known, needs_goalposts)
    return ListCriteria(
        key=str(name),
        name_zh=str(spec.get("name_zh", name)),
        description=str(spec.get("description", "")),
        method=method,
        base=base,
        indicators=indicators,
        pillars=pillars,
        normalisation=norm,
        aggregation=agg,
        top_n=int(top_n),
        peer_group=peer,
        min_coverage=coverage,
        outliers=outliers,
        uncertainty=uncertainty,
    )


def _load_composite(
    spec: dict, key: str, path: Path, known: dict[str, int], needs_goalposts: bool
) -> tuple[tuple[IndicatorSpec, ...], dict[str, str]]:
    """A composite list's indicators and pillars (pillar names default to the pillar codes)."""
    pillars = {str(k): str(v) for k, v in (spec.get("pillars") or {}).items()}
    indicators = _load_indicators(spec.get("indicators"), path, f"{key}.indicators", known, pillars)
    if not pillars:
        pillars = {p: p for p in dict.fromkeys(i.pillar for i in indicators)}
    for i, ind in enumerate(indicators):
        if needs_goalposts and ind.goalposts is None:
            raise _fail(
                path,
                f"{key}.indicators[{i}].goalposts",
                f"固定标尺标准化需要指标“{ind.code}”的 goalposts",
                "补上 goalposts: [下限, 上限]，或不用 goalposts。",
            )
    return indicators, pillars


def load_criteria(path: str | Path | None = None) -> Criteria:
    """Read and validate the ranking criteria file.

    Parameters
    ----------
    path
        ``ranking_criteria.yaml``; the shipped file by default.

    Returns
    -------
    Criteria
        Every preset resolved (``based_on`` applied, defaults filled in, weights normalised).

    Raises
    ------
    ConfigError
        Naming the file and the key at fault: unknown indicator, negative or all-zero weights,
        unknown normalisation/aggregation/peer group, bad ``top_n`` …
    """
    path = Path(path) if path is not None else paths.CRITERIA_FILE
    try:
        raw = yaml.safe_load(read_text_file(path))
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"无法读取排名指标体系：{exc}", file=path, hint="检查文件路径和 YAML 缩进。"
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("presets"), dict) or not raw["presets"]:
        raise _fail(
            path, "presets", "缺少 presets（名单定义）", "参照随项目提供的 ranking_criteria.yaml。"
        )
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise _fail(path, "defaults", "defaults 必须是映射", "参照随项目提供的文件。")
    catalogue = load_indicator_catalogue()
    derived = _load_derived(raw.get("derived"), path, catalogue)
    known = {code: ind.direction for code, ind in catalogue.items()}
    known.update({code: 1 for code in derived})
    presets = raw["presets"]
    names = [str(n) for n in presets]
    lists = {
        str(name): _load_list(
            str(name), _resolve(name, presets, path), defaults, path, known, names
        )
        for name in presets
    }
    for name, crit in lists.items():
        if crit.method == "rank_improvement" and lists[str(crit.base)].method != "composite":
            raise _fail(path, f"presets.{name}.base", "base 必须是综合得分名单", "例如 shiqiang。")
    return Criteria(lists=lists, derived=derived, path=str(path))
