"""Rank the zones of a period on every list of the criteria file, with uncertainty and stars."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from zoneanalysis import paths
from zoneanalysis.atomic import write_csv_atomic, write_parquet_atomic
from zoneanalysis.errors import InputDataError
from zoneanalysis.periods import format_period, parse_period, require_period_in_data
from zoneanalysis.ranking.criteria import Criteria, ListCriteria, load_criteria
from zoneanalysis.ranking.indicators import (
    BASIS_ACTUAL,
    IndicatorInputs,
    build_indicator_inputs,
)
from zoneanalysis.ranking.scores import (
    PreparedList,
    prepare_list,
    rank_scores,
    score_matrix,
    sum_pillars,
)
from zoneanalysis.ranking.uncertainty import (
    RANDOM_BLOCK,
    BlockRandom,
    RankCounts,
    SensitivityAccumulator,
    draw_weights,
    iter_chunks,
    order_ranks,
    sample,
    simulate_list,
    simulate_scores,
    summarise_counts,
    valid_pairs,
)
from zoneanalysis.registry import LEVEL_PROVINCIAL, load_zones, zone_level
from zoneanalysis.schema import table_fields, validate_table
from zoneanalysis.stars import assess_stars, evaluate_stars, load_star_rules
from zoneanalysis.targets import find_targets

LOG_COLUMNS = [name for name, _ in table_fields("ranking_log")]
#: Numbers per input draw matrix (draws × zones × codes) held at once: 8 million ≈ 64 MB.
RANK_CHUNK_CELLS = 8_000_000


@dataclass
class RankingResult:
    """Everything one ranking run produces.

    Attributes
    ----------
    rankings
        docs/contracts.md "rankings" (plus ``coverage`` and ``note``).
    stars
        docs/contracts.md "stars".
    log
        Imputations, outliers, coverage flags and fallbacks (``LOG_COLUMNS``).
    sensitivity
        Which assumption drives the rank spread, per list (see
        :func:`zoneanalysis.ranking.uncertainty.summarise_sensitivity`).
    """

    rankings: pd.DataFrame
    stars: pd.DataFrame
    log: pd.DataFrame
    sensitivity: pd.DataFrame
    #: Per composite list, the Zhengzhou zones ranked and their ``(draws, zones)`` draw ranks
    #: (the provincial draws are summarised chunk by chunk and not kept).
    draws: dict[str, tuple[list[str], np.ndarray]] = field(default_factory=dict, repr=False)


@dataclass
class _Nominal:
    """Nominal (no Monte Carlo) ranks of a complete year, for rank change and current stars."""

    ranks: dict[str, pd.Series]
    values: pd.DataFrame
    prepared: dict[str, PreparedList] = field(default_factory=dict)


def select_peer_group(zones: pd.DataFrame, year: int, peer_group: str) -> list[str]:
    """Zone ids of a peer group in ``year`` (registry order)."""
    level = zone_level(zones, year)
    ids = level.index[(level == LEVEL_PROVINCIAL).fillna(False).to_numpy()]
    if peer_group == "zhengzhou_provincial":
        zz = zones.set_index("zone_id")["is_zhengzhou"]
        ids = [z for z in ids if zz[z]]
    return list(ids)


def _rule_codes(rules: pd.DataFrame) -> list[str]:
    return [c for c in dict.fromkeys(rules["indicator"]) if not c.startswith("rank:")]


def _all_codes(criteria: Criteria, rules: pd.DataFrame) -> list[str]:
    codes: list[str] = []
    for lst in criteria.lists.values():
        codes += lst.codes
    return list(dict.fromkeys(codes + _rule_codes(rules)))


def _zones_with_data(stats: pd.DataFrame, year: int, projections: pd.DataFrame | None) -> set:
    have = set(stats.loc[stats["year"] == year, "zone_id"].astype(str))
    if projections is not None:
        have |= set(projections["zone_id"].astype(str))
    return have


def _nominal_year(
    stats: pd.DataFrame, year: int, criteria: Criteria, zones: pd.DataFrame, codes: list[str]
) -> _Nominal | None:
    """Ranks of every composite list on the actuals of a complete year (None without data)."""
    if not ((stats["year"] == year) & (stats["month"] == 12)).any():
        return None
    provincial = select_peer_group(zones, year, "provincial")
    have = set(stats.loc[stats["year"] == year, "zone_id"].astype(str))
    provincial = [z for z in provincial if z in have]
    inputs = build_indicator_inputs(
        stats, year, 12, codes=codes, derived=criteria.derived, zone_ids=provincial
    )
    matrix = inputs.point_matrix()
    ranks: dict[str, pd.Series] = {}
    prepared: dict[str, PreparedList] = {}
    for key, lst in criteria.lists.items():
        if lst.method != "composite":
            continue
        peer = [z for z in select_peer_group(zones, year, lst.peer_group) if z in matrix.index]
        prep = prepare_list(matrix.loc[peer], lst)
        scores, _ = score_matrix(prep.point, lst)
        ranks[key] = pd.Series(rank_scores(scores), index=prep.zone_ids, dtype="Int64")
        prepared[key] = prep
    return _Nominal(ranks=ranks, values=matrix, prepared=prepared)


def _rank_over(
    matrix: pd.DataFrame, ids: list[str], lst: ListCriteria
) -> tuple[pd.Series, PreparedList]:
    """Nominal ranks of ``lst`` over exactly the zones ``ids`` (those that pass coverage)."""
    prep = prepare_list(matrix.loc[[z for z in ids if z in matrix.index]], lst)
    if not prep.zone_ids:
        return pd.Series(dtype="Int64"), prep
    ranks = rank_scores(score_matrix(prep.point, lst)[0])
    return pd.Series(ranks, index=prep.zone_ids, dtype="Int64"), prep


def compare_ranks(
    prev: _Nominal | None,
    key: str,
    lst: ListCriteria,
    ranked: pd.DataFrame,
    matrix: pd.DataFrame,
) -> tuple[pd.Series, _Nominal | None, list[dict]]:
    """Rank change against last year within one peer set (docs/assumptions.md).

    Last year is re-ranked over the zones ranked this year (a month that is not a quarter end
    may rank only the zones with data, e.g. 11 zones, while last year ranked ~180). If some of
    this year's zones were not ranked last year, both years are re-ranked over the zones ranked
    in both, and the others get no change.

    Parameters
    ----------
    prev
        Last year's nominal ranks (``None`` without a complete last year).
    key, lst
        The list.
    ranked
        This year's nominal ``zone_id``, ``rank`` of the list.
    matrix
        This year's input matrix (for re-ranking this year over the common set).

    Returns
    -------
    tuple
        ``rank_change`` by zone id (last year's rank minus this year's, nullable), last year's
        ranks and prepared matrix over this year's set (for 位次提升), and log events.
    """
    if prev is None or key not in prev.ranks or ranked.empty:
        return pd.Series(dtype="Int64"), None, []
    ids = list(ranked["zone_id"])
    before, prep = _rank_over(prev.values, [z for z in ids if z in prev.ranks[key].index], lst)
    same = _Nominal(ranks={key: before}, values=prev.values, prepared={key: prep})
    common = [z for z in ids if z in before.index]
    now = ranked.set_index("zone_id")["rank"].astype("Int64")
    log = []
    if len(common) < len(ids):
        now, _ = _rank_over(matrix, common, lst)
        common = [z for z in common if z in now.index]
        log.append(
            {
                "list": key,
                "action": "rank_change",
                "detail": f"本年参加排名的 {len(ids)} 个集聚区中只有 {len(common)} 个上年也有排名："
                "较上年按这些集聚区两年分别重新排名后比较，其余不比较",
            }
        )
    elif len(ids) != len(prev.ranks[key]):
        log.append(
            {
                "list": key,
                "action": "rank_change",
                "detail": f"本年只有 {len(ids)} 个集聚区参加排名（上年 {len(prev.ranks[key])} 个）："
                "上年名次按这些集聚区重新排名后比较",
            }
        )
    change = before.reindex(common) - now.reindex(common)
    return change.astype("Int64"), same, log


@dataclass
class _ListRun:
    """One composite list: its nominal ranking, and the Monte Carlo accumulated over chunks."""

    lst: ListCriteria
    prep: PreparedList
    rows: list[int]
    cols: list[int]
    frame: pd.DataFrame
    counts: RankCounts
    sens: SensitivityAccumulator
    zz_cols: list[int]
    zz_ranks: list[np.ndarray] = field(default_factory=list)
    chunk_draws: np.ndarray | None = None


def _nominal_composite(
    lst: ListCriteria,
    peer: list[str],
    inputs: IndicatorInputs,
    matrix: pd.DataFrame,
    zz_ids: list[str],
) -> tuple[_ListRun | None, list[dict]]:
    """Prepare, score and rank one composite list on the nominal inputs (no draws yet)."""
    prep = prepare_list(matrix.loc[peer], lst)
    if not prep.zone_ids:
        return None, prep.log
    scores, contributions = score_matrix(prep.point, lst)
    ranks = rank_scores(scores)
    frame = pd.DataFrame({"zone_id": prep.zone_ids, "score": scores, "rank": ranks})
    frame = pd.concat([frame, sum_pillars(contributions, lst)], axis=1)
    run = _ListRun(
        lst=lst,
        prep=prep,
        rows=[inputs.zone_ids.index(z) for z in prep.zone_ids],
        cols=[inputs.codes.index(c) for c in lst.codes],
        frame=frame,
        counts=RankCounts(len(prep.zone_ids)),
        sens=SensitivityAccumulator(lst, inputs.has_spread, ranks),
        zz_cols=[prep.zone_ids.index(z) for z in zz_ids if z in prep.zone_ids],
    )
    return run, prep.log


def _simulate_composite(run: _ListRun, draws_all: np.ndarray | None, rnd: BlockRandom) -> None:
    """Add one chunk of draws to a composite list's rank counts and sensitivity."""
    draws = None
    if draws_all is not None:
        draws = run.prep.treat_draws(draws_all[:, run.rows][:, :, run.cols])
    sim = simulate_list(run.prep.point, draws, run.lst, rnd.n, rnd)
    run.counts.add(sim.ranks)
    run.sens.add(run.prep.point, draws, rnd.n, rnd)
    run.zz_ranks.append(sim.ranks[:, run.zz_cols])
    run.chunk_draws = draws


def _empty_frame() -> pd.DataFrame:
    """The frame of a list where no zone passes the coverage check."""
    return pd.DataFrame({"zone_id": [], "score": [], "rank": []})


def _composite_frame(run: _ListRun) -> pd.DataFrame:
    """The list's nominal frame with the rank summaries of all draws."""
    summary = summarise_counts(run.counts, run.lst.top_n)
    pillars = [c for c in run.frame.columns if c.startswith("pillar_")]
    base = run.frame.drop(columns=pillars)
    return pd.concat([base, summary, run.frame[pillars]], axis=1)


def simulate_paired_ranks(
    lst: ListCriteria,
    this_point: np.ndarray,
    this_draws: np.ndarray | None,
    prev_point: np.ndarray,
    n_draws: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ranks of this year and of last year, drawn with the same scoring method in each draw.

    Each draw picks one weight vector and one normalisation × aggregation pair and scores both
    years with them (this year on its input draws, last year on its actuals), so a rank change
    in a draw is a change of the zones, never a change of the method.

    Parameters
    ----------
    lst
        The base list (e.g. 十强).
    this_point, prev_point
        Treated ``(zones, indicators)`` matrices of this year and last year (each its own peer
        group).
    this_draws
        ``(draws, zones, indicators)`` treated input draws of this year, or ``None``.
    n_draws, rng
        Monte Carlo settings (``rng``: a generator or the :class:`BlockRandom` of a chunk).

    Returns
    -------
    tuple of numpy.ndarray
        ``this_ranks`` and ``prev_ranks`` ``(draws, zones)`` (ordinal, ties by nominal score)
        and this year's per-draw scores.
    """
    u = lst.uncertainty
    nominal = np.asarray(lst.weights, float)
    weights = sample(
        rng, n_draws, lambda g, n: draw_weights(nominal, u.weights, u.concentration, n, g)
    )
    pairs = valid_pairs(
        tuple(dict.fromkeys(u.normalisations)), tuple(dict.fromkeys(u.aggregations))
    )
    pairs = pairs or [(lst.normalisation, lst.aggregation)]
    pair_idx = sample(rng, n_draws, lambda g, n: g.integers(0, len(pairs), size=n))
    x = this_draws if (this_draws is not None and u.inputs) else this_point
    this_scores = simulate_scores(x, lst, weights, pairs, pair_idx)
    prev_scores = simulate_scores(prev_point, lst, weights, pairs, pair_idx)
    this_ranks = order_ranks(this_scores, score_matrix(this_point, lst)[0])
    prev_ranks = order_ranks(prev_scores, score_matrix(prev_point, lst)[0])
    return this_ranks, prev_ranks, this_scores


@dataclass
class _ImprovementRun:
    """A rank-improvement list: its nominal ranking and its accumulated draw ranks."""

    lst: ListCriteria
    base: _ListRun
    prev_point: np.ndarray
    ok: np.ndarray
    prev_col: list[int]
    frame: pd.DataFrame
    counts: RankCounts


def _nominal_improvement(
    lst: ListCriteria, base: _ListRun | None, prev: _Nominal | None
) -> tuple[_ImprovementRun | None, list[dict]]:
    """Nominal 位次提升 of ``lst`` over its base list (None, with a log entry, if impossible)."""
    key = str(lst.base)
    ids = base.prep.zone_ids if base is not None else []
    prev_rank = prev.ranks[key].reindex(ids) if prev is not None else pd.Series(pd.NA, index=ids)
    ok = prev_rank.notna().to_numpy()
    if base is None or not ok.any() or prev is None or key not in prev.prepared:
        entry = {"list": lst.key, "action": "coverage", "detail": "没有上年排名，无法计算位次提升"}
        return None, [entry]
    elig = [z for z, k in zip(ids, ok, strict=True) if k]
    nominal_base = base.frame.set_index("zone_id").loc[elig]
    improvement = prev_rank[ok].to_numpy(dtype=float) - nominal_base["rank"].to_numpy(float)
    rank = order_ranks(improvement, nominal_base["score"].to_numpy())
    prep_prev = prev.prepared[key]
    log = [
        {
            "list": lst.key,
            "zone_id": z,
            "action": "coverage",
            "detail": "上年无排名，不参加位次提升排名",
        }
        for z in np.array(ids)[~ok]
    ]
    run = _ImprovementRun(
        lst=lst,
        base=base,
        prev_point=prep_prev.point,
        ok=ok,
        prev_col=[prep_prev.zone_ids.index(z) for z in elig],
        frame=pd.DataFrame({"zone_id": elig, "score": improvement, "rank": rank}),
        counts=RankCounts(len(elig)),
    )
    return run, log


def _simulate_improvement(run: _ImprovementRun, rnd: BlockRandom) -> None:
    """Add one chunk of paired draws (same method both years) to the improvement counts."""
    base = run.base
    this_ranks, prev_ranks, this_scores = simulate_paired_ranks(
        base.lst, base.prep.point, base.chunk_draws, run.prev_point, rnd.n, rnd
    )
    draws = prev_ranks[:, run.prev_col] - this_ranks[:, run.ok]
    run.counts.add(order_ranks(draws, this_scores[:, run.ok]))


def _star_values(
    codes: list[str], matrix: pd.DataFrame | None, ranks: dict[str, pd.Series], ids: list[str]
) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for c in codes:
        if matrix is None or c not in matrix.columns:
            out[c] = np.full(len(ids), np.nan)
        else:
            out[c] = matrix[c].reindex(ids).to_numpy(dtype=float)
    for key, r in ranks.items():
        out[f"rank:{key}"] = r.reindex(ids).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return out


def rank_zones(
    stats: pd.DataFrame,
    year: int,
    month: int,
    *,
    criteria: Criteria,
    zones: pd.DataFrame,
    projections: pd.DataFrame | None = None,
    n_draws: int = 1000,
    seed: int = 2016,
    star_rules: pd.DataFrame | None = None,
    star_targets: Mapping[str, int] | None = None,
    chunk: int | None = None,
) -> RankingResult:
    """Rank the zones of one period on every list, with rank uncertainty and star levels.

    Parameters
    ----------
    stats
        ``zone_stats`` (docs/contracts.md).
    year, month
        The period; ``month == 12`` ranks on actuals, otherwise on ``projections``.
    criteria
        From :func:`zoneanalysis.ranking.criteria.load_criteria`.
    zones
        The registry (:func:`zoneanalysis.registry.load_zones`).
    projections
        The projections table of the period (required when ``month < 12``).
    n_draws
        Monte Carlo draws (≥ 1).
    seed
        Random seed (results are reproducible).
    star_rules
        From :func:`zoneanalysis.stars.load_star_rules`; the shipped rules by default.
    star_targets
        Zone id → star target of plan ``year`` (``Targets.stars``); by default the shipped
        targets file of ``year`` (none if that year has no file).
    chunk
        Draws computed at once (rounded up to whole blocks of ``RANDOM_BLOCK``; by default
        about ``RANK_CHUNK_CELLS`` numbers per input matrix). Only the memory depends on it.

    Returns
    -------
    RankingResult
    """
    rules = star_rules if star_rules is not None else load_star_rules()
    codes = _all_codes(criteria, rules)
    have = _zones_with_data(stats, year, projections)
    provincial = [z for z in select_peer_group(zones, year, "provincial") if z in have]
    inputs = build_indicator_inputs(
        stats,
        year,
        month,
        codes=codes,
        derived=criteria.derived,
        zone_ids=provincial,
        projections=projections if month < 12 else None,
    )
    matrix = inputs.point_matrix()
    prev = _nominal_year(stats, year - 1, criteria, zones, codes)
    current_year = _nominal_year(stats, year, criteria, zones, codes) if month == 12 else prev
    zz = zones[zones["zone_id"].isin(select_peer_group(zones, year, "zhengzhou_provincial"))]
    ids = list(zz["zone_id"])

    log = [dict(e, list="") for e in inputs.log]
    peers = {
        key: [z for z in select_peer_group(zones, year, lst.peer_group) if z in have]
        for key, lst in criteria.lists.items()
        if lst.method == "composite"
    }
    composites, improvements = _nominal_lists(criteria, peers, inputs, matrix, ids, prev, log)
    zz_draws = _run_monte_carlo(
        inputs, composites, improvements, ids, n_draws=n_draws, seed=seed, chunk=chunk
    )
    frames = _list_frames(criteria, composites, improvements, peers, prev, matrix, log)
    parts = _label_list_frames(frames, matrix, zones.set_index("zone_id"), inputs)
    rankings, widened = contain_point_ranks(_finish_rankings(parts))
    log += widened
    if star_targets is None:
        star_targets = _star_targets(None, year, zones)
    stars = _assess_zone_stars(
        rules, zz, inputs, matrix, zz_draws, composites, prev, current_year, year, star_targets
    )
    log_frame = pd.DataFrame(log).reindex(columns=LOG_COLUMNS)
    sens_frames = [run.sens.frame() for run in composites.values() if run is not None]
    sensitivity = pd.concat(sens_frames, ignore_index=True) if sens_frames else pd.DataFrame()
    draws = {
        k: ([run.prep.zone_ids[c] for c in run.zz_cols], np.concatenate(run.zz_ranks))
        for k, run in composites.items()
        if run is not None and run.zz_ranks
    }
    return RankingResult(rankings, stars, log_frame, sensitivity, draws=draws)


def _nominal_lists(
    criteria: Criteria,
    peers: dict[str, list[str]],
    inputs: IndicatorInputs,
    matrix: pd.DataFrame,
    zz_ids: list[str],
    prev: _Nominal | None,
    log: list[dict],
) -> tuple[dict[str, _ListRun | None], dict[str, _ImprovementRun | None]]:
    """Every list ranked on the nominal inputs (composites first, then 位次提升), no draws yet."""
    composites: dict[str, _ListRun | None] = {}
    improvements: dict[str, _ImprovementRun | None] = {}
    for key, lst in criteria.lists.items():
        if lst.method != "composite":
            continue
        if not peers[key]:
            log.append({"list": key, "action": "coverage", "detail": "同组没有集聚区有数据"})
            continue
        composites[key], events = _nominal_composite(lst, peers[key], inputs, matrix, zz_ids)
        log += events
    for key, lst in criteria.lists.items():
        if lst.method == "rank_improvement":
            improvements[key], events = _nominal_improvement(
                lst, composites.get(str(lst.base)), prev
            )
            log += events
    return composites, improvements


def _list_frames(
    criteria: Criteria,
    composites: dict[str, _ListRun | None],
    improvements: dict[str, _ImprovementRun | None],
    peers: dict[str, list[str]],
    prev: _Nominal | None,
    matrix: pd.DataFrame,
    log: list[dict],
) -> list[tuple[ListCriteria, pd.DataFrame, list[str]]]:
    """Each list's frame (nominal ranks, draw summaries, change on last year) and its peers."""
    frames = []
    for key, run in composites.items():
        frame = _composite_frame(run) if run is not None else _empty_frame()
        lst = criteria.lists[key]
        change, _same, events_change = compare_ranks(prev, key, lst, frame, matrix)
        frame = frame.set_index("zone_id").reindex(peers[key]).reset_index()
        if prev is not None and key in prev.ranks:
            frame["rank_change"] = change.reindex(frame["zone_id"]).to_numpy()
        log += events_change
        frames.append((lst, frame, peers[key]))
    for key, run in improvements.items():
        lst = criteria.lists[key]
        if run is None:
            frames.append((lst, pd.DataFrame({"zone_id": []}), []))
            continue
        frame = pd.concat([run.frame, summarise_counts(run.counts, lst.top_n)], axis=1)
        peer = run.base.prep.zone_ids
        frames.append((lst, frame.set_index("zone_id").reindex(peer).reset_index(), peer))
    return frames


def _label_list_frames(
    frames: list[tuple[ListCriteria, pd.DataFrame, list[str]]],
    matrix: pd.DataFrame,
    names: pd.DataFrame,
    inputs: IndicatorInputs,
) -> list[pd.DataFrame]:
    """Each list's frame with its list, names, N, basis and indicator coverage per zone."""
    parts = []
    for lst, frame, peer in frames:
        if frame.empty:
            continue
        cov = (
            matrix.reindex(index=peer, columns=lst.codes).notna().mean(axis=1) if lst.codes else 1.0
        )
        frame = frame.assign(
            list=lst.key,
            list_name_zh=lst.name_zh,
            zone_name=names.loc[frame["zone_id"], "zone_name"].to_numpy(),
            top_n=lst.top_n,
            is_zhengzhou=names.loc[frame["zone_id"], "is_zhengzhou"].to_numpy(dtype=bool),
            basis=inputs.basis.reindex(frame["zone_id"]).fillna(BASIS_ACTUAL).to_numpy(),
            coverage=np.asarray(cov if np.ndim(cov) == 0 else cov.reindex(frame["zone_id"])),
        )
        parts.append(frame)
    return parts


def _assess_zone_stars(
    rules: pd.DataFrame,
    zz: pd.DataFrame,
    inputs: IndicatorInputs,
    matrix: pd.DataFrame,
    zz_draws: np.ndarray | None,
    composites: dict[str, _ListRun | None],
    prev: _Nominal | None,
    current_year: _Nominal | None,
    year: int,
    star_targets: Mapping[str, int] | None,
) -> pd.DataFrame:
    """Star levels of the Zhengzhou provincial zones: current, projected (with draws), previous."""
    ids = list(zz["zone_id"])
    rule_codes = _rule_codes(rules)
    rank_lists = [c.split(":", 1)[1] for c in rules["indicator"] if c.startswith("rank:")]
    empty = pd.Series(dtype="Int64")
    now_ranks = {k: current_year.ranks.get(k, empty) if current_year else empty for k in rank_lists}
    proj_ranks = {
        k: composites[k].frame.set_index("zone_id")["rank"]
        if composites.get(k) is not None
        else empty
        for k in rank_lists
    }
    current = _star_values(
        rule_codes, current_year.values if current_year else None, now_ranks, ids
    )
    projected = _star_values(rule_codes, matrix, proj_ranks, ids)
    projected_draws = _star_draws(rule_codes, rank_lists, inputs, zz_draws, composites, ids)
    stars = assess_stars(
        rules,
        zz,
        current=current,
        projected=projected,
        projected_draws=projected_draws,
        star_targets=star_targets,
        plan_year=year,
    )
    stars["star_previous"] = _previous_stars(rules, rule_codes, rank_lists, prev, ids)
    return stars


def _previous_stars(
    rules: pd.DataFrame,
    rule_codes: list[str],
    rank_lists: list[str],
    prev: _Nominal | None,
    ids: list[str],
) -> pd.Series:
    """Star level of the year before the period's year (NA where unknown), for the evaluation."""
    if prev is None:
        return pd.Series(pd.NA, index=range(len(ids)), dtype="Int64")
    ranks = {k: prev.ranks.get(k, pd.Series(dtype="Int64")) for k in rank_lists}
    values = _star_values(rule_codes, prev.values, ranks, ids)
    plain = [v for k, v in values.items() if not k.startswith("rank:")]
    known = np.all([~np.isnan(v) for v in plain], axis=0) if plain else np.ones(len(ids), bool)
    levels = pd.array(evaluate_stars(rules, values), dtype="Int64")
    return pd.Series(levels).where(known, pd.NA)


def _run_monte_carlo(
    inputs: IndicatorInputs,
    composites: dict[str, _ListRun | None],
    improvements: dict[str, _ImprovementRun | None],
    ids: list[str],
    *,
    n_draws: int,
    seed: int,
    chunk: int | None,
) -> np.ndarray | None:
    """Run every list's Monte Carlo chunk by chunk; return the Zhengzhou zones' input draws.

    Each chunk draws the inputs once (``(chunk, zones, codes)``) and every list scores them, so
    the memory is that of one chunk whatever ``n_draws``; the random numbers of a draw depend
    only on the seed and the draw's block (:class:`BlockRandom`), not on ``chunk``.

    Returns
    -------
    numpy.ndarray or None
        ``(n_draws, len(present), codes)`` input draws of the zones of ``ids`` that are in the
        inputs (``None`` when the inputs have no spread), for the projected star levels.
    """
    zz_rows = [inputs.zone_ids.index(z) for z in ids if z in inputs.zone_ids]
    step = chunk or chunk_draws(len(inputs.zone_ids), len(inputs.codes))
    zz_parts = []
    for rnd in iter_chunks(seed, n_draws, step):
        draws_all = inputs.draw_matrix(rnd.n, rnd) if inputs.has_spread else None
        for run in composites.values():
            if run is not None:
                _simulate_composite(run, draws_all, rnd)
        for run in improvements.values():
            if run is not None:
                _simulate_improvement(run, rnd)
        if draws_all is not None:
            zz_parts.append(draws_all[:, zz_rows])
    return np.concatenate(zz_parts) if zz_parts else None


def chunk_draws(n_zones: int, n_codes: int, cells: int = RANK_CHUNK_CELLS) -> int:
    """Draws per chunk so that one input draw matrix holds about ``cells`` numbers."""
    return max(RANDOM_BLOCK, int(cells) // max(1, n_zones * n_codes))


def _star_draws(
    rule_codes: list[str],
    rank_lists: list[str],
    inputs: IndicatorInputs,
    zz_draws: np.ndarray | None,
    composites: dict[str, _ListRun | None],
    ids: list[str],
) -> dict[str, np.ndarray]:
    """Per star rule code, ``(draws, len(ids))`` drawn values (NaN where a zone has none)."""
    present = np.array([z in inputs.zone_ids for z in ids], dtype=bool)
    runs = [r for r in composites.values() if r is not None and r.zz_ranks]
    n_draws = sum(len(x) for x in runs[0].zz_ranks) if runs else 1
    if zz_draws is not None:
        n_draws = zz_draws.shape[0]
    out: dict[str, np.ndarray] = {}
    for c in rule_codes:
        arr = np.full((n_draws, len(ids)), np.nan)
        k = inputs.codes.index(c)
        if zz_draws is not None:
            arr[:, present] = zz_draws[..., k]
        else:
            point = inputs.point_matrix()[c].reindex(np.array(ids)[present]).to_numpy()
            arr[:, present] = point[None, :]
        out[c] = arr
    for key in rank_lists:
        arr = np.full((n_draws, len(ids)), np.nan)
        run = composites.get(key)
        if run is not None and run.zz_ranks:
            ranks = np.concatenate(run.zz_ranks)
            zz_ids = [run.prep.zone_ids[c] for c in run.zz_cols]
            for j, z in enumerate(ids):
                if z in zz_ids:
                    arr[:, j] = ranks[:, zz_ids.index(z)]
        out[f"rank:{key}"] = arr
    return out


def contain_point_ranks(rankings: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Widen a rank interval that misses its own point rank, so a page never contradicts itself.

    With ordinal ranks and ties (the rank-improvement list's whole-number improvements), the
    nominal rank can sit just outside the 5–95 % of the draws; the interval is then extended to
    it, as the projections extend an aggregate's interval to its point. Each case is logged.

    Returns
    -------
    tuple
        The rankings and one log entry per widened interval.
    """
    out = rankings.copy()
    ranked = out["rank"].notna() & out["rank_p05"].notna() & out["rank_p95"].notna()
    low = ranked & (out["rank"] < out["rank_p05"])
    high = ranked & (out["rank"] > out["rank_p95"])
    log = [
        {
            "list": r.list,
            "zone_id": r.zone_id,
            "action": "interval",
            "detail": f"名义名次 {int(r.rank)} 在抽样区间 {int(r.rank_p05)}–{int(r.rank_p95)} 之外，"
            "区间扩展到名义名次",
        }
        for r in out[low | high].itertuples()
    ]
    out.loc[low, "rank_p05"] = out.loc[low, "rank"]
    out.loc[high, "rank_p95"] = out.loc[high, "rank"]
    return out, log


def _finish_rankings(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate the lists in the column order of the field dictionary (``rankings``)."""
    front = [name for name, _ in table_fields("rankings")]
    if not parts:
        return pd.DataFrame(columns=front)
    out = pd.concat(parts, ignore_index=True)
    for col in ["rank", "rank_p05", "rank_median", "rank_p95", "rank_change"]:
        if col not in out:
            out[col] = pd.NA
        out[col] = out[col].astype("Int64")
    out["p_top_n"] = out["p_top_n"].fillna(0.0)
    out["in_top_n"] = (out["rank"] <= out["top_n"]).fillna(False).astype(bool)
    out["note"] = np.where(out["rank"].isna(), "覆盖率不足或缺少上年排名，未参加排名", "")
    pillars = sorted(c for c in out.columns if c.startswith("pillar_"))
    return out[front + pillars]


def _star_targets(path: Path | None, year: int, zones: pd.DataFrame) -> dict[str, int] | None:
    """The star targets of plan ``year`` (``None`` when the year has no targets file)."""
    plan = find_targets(path, year, zones=zones)
    return None if plan.is_missing else plan.stars


def run_ranking(
    period: str,
    *,
    processed: Path = paths.PROCESSED_DIR,
    criteria_path: Path = paths.CRITERIA_FILE,
    zones_path: Path = paths.ZONES_FILE,
    star_rules_path: Path = paths.STAR_RULES_FILE,
    targets_path: Path | None = paths.TARGETS_FILE,
    n_draws: int = 1000,
    seed: int = 2016,
) -> list[Path]:
    """Rank a period from the processed tables and write rankings, stars and the log.

    Parameters
    ----------
    period
        ``YYYY-MM``.
    processed
        Folder with ``zone_stats.parquet`` (and ``projections_YYYY-MM.parquet`` for a mid-year
        period); outputs are written there.
    criteria_path, zones_path, star_rules_path
        Reference files.
    targets_path
        Folder of per-year targets files (or one file): the star targets of the period's year
        come from its ``stars``; a year without a file has no star targets.
    n_draws, seed
        Monte Carlo settings.

    Returns
    -------
    list of Path
        ``rankings_YYYY-MM.parquet``, ``stars_YYYY-MM.parquet``, ``ranking_log_YYYY-MM.csv``,
        ``ranking_sensitivity_YYYY-MM.csv``.
    """
    year, month = parse_period(period)
    period = format_period(year, month)
    criteria = load_criteria(criteria_path)
    zones = load_zones(zones_path)
    known = set(_all_codes(criteria, pd.DataFrame({"indicator": []})))
    from zoneanalysis.indicators import load_indicator_catalogue

    known |= set(load_indicator_catalogue()) | set(criteria.derived)
    known |= {f"rank:{k}" for k, v in criteria.lists.items() if v.method == "composite"}
    rules = load_star_rules(star_rules_path, known=known)
    if n_draws < 1:
        raise InputDataError(f"抽样次数 {n_draws} 必须至少为 1", hint="例如 --draws 1000。")
    stats_file = Path(processed) / paths.ZONE_STATS_NAME
    if not stats_file.exists():
        raise InputDataError(
            "找不到清洗后的统计表", file=stats_file, hint="请先运行 zoneanalysis clean。"
        )
    stats = pd.read_parquet(stats_file)
    require_period_in_data(stats, year, month, str(stats_file))
    projections = None
    if month < 12:
        proj_file = paths.projections_path(processed, period)
        if not proj_file.exists():
            raise InputDataError(
                f"{period} 不是完整年度，排名需要年末预测，但预测表不存在",
                file=proj_file,
                hint=f"请先运行 zoneanalysis project --period {period}。",
            )
        projections = pd.read_parquet(proj_file)
    result = rank_zones(
        stats,
        year,
        month,
        criteria=criteria,
        zones=zones,
        projections=projections,
        n_draws=n_draws,
        seed=seed,
        star_rules=rules,
        star_targets=_star_targets(targets_path, year, zones),
    )
    rankings_file = paths.rankings_path(processed, period)
    stars_file = paths.stars_path(processed, period)
    validate_table(result.rankings, "rankings", file=rankings_file)
    validate_table(result.stars, "stars", file=stars_file)
    log_file = Path(processed) / f"ranking_log_{period}.csv"
    sensitivity_file = Path(processed) / f"ranking_sensitivity_{period}.csv"
    validate_table(result.log, "ranking_log", file=log_file)
    validate_table(result.sensitivity, "ranking_sensitivity", file=sensitivity_file)
    out = [
        write_parquet_atomic(result.rankings, rankings_file),
        write_parquet_atomic(result.stars, stars_file),
        write_csv_atomic(result.log, log_file),
        write_csv_atomic(result.sensitivity, sensitivity_file),
    ]
    return out
