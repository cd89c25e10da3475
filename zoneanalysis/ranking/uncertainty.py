"""Monte Carlo rank uncertainty, vectorised over draws (no Python loop per draw).

Each draw perturbs the weights (Dirichlet around the nominal weights, or ±25 % then
renormalised), picks a normalisation × aggregation pair, and, for a mid-year period, uses one
draw of the projected year-end values. Every draw ranks all zones of the peer group
(ordinal ranks, ties broken by the nominal score), so exactly N zones are in the top N of each
draw and P(top N) sums to N over the peer group.

A run's draws come in blocks of ``RANDOM_BLOCK``: block b draws from its own generator seeded
``(seed, b)`` (:class:`BlockRandom`), and the summaries are accumulated block by block
(:class:`RankCounts`: per zone, how often it drew each rank). Memory therefore does not grow with
the number of draws, and the numbers do not depend on how many blocks are computed at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zoneanalysis.ranking.criteria import ListCriteria
from zoneanalysis.ranking.scores import score_matrix

SOURCES_ZH = {
    "weights": "权重",
    "normalisation": "标准化方法",
    "aggregation": "加总方法",
    "inputs": "年末预测值",
    "all": "全部因素",
}


#: Draws per random block (part of the definition of a run's random numbers, like the seed).
RANDOM_BLOCK = 100


@dataclass
class BlockRandom:
    """The random source of consecutive draws ``[start, stop)`` of a run, block by block.

    Every block of ``block`` draws has its own generator, seeded ``(seed, block index)``; a
    chunk holds whole blocks. :meth:`sample` draws one block at a time and stacks the blocks, so
    the numbers of a draw are the same whichever chunk it is computed in.
    """

    seed: int
    start: int
    stop: int
    block: int = RANDOM_BLOCK
    _gens: list[tuple[np.random.Generator, int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.start % self.block:
            raise ValueError("a chunk must start at a block boundary")
        self._gens = [
            (np.random.default_rng([self.seed, b // self.block]), min(self.block, self.stop - b))
            for b in range(self.start, self.stop, self.block)
        ]

    @property
    def n(self) -> int:
        """Draws in this chunk."""
        return self.stop - self.start

    def sample(self, fn: Callable[[np.random.Generator, int], np.ndarray]) -> np.ndarray:
        """``fn(generator, n)`` for each block, stacked along the first axis."""
        return np.concatenate([np.asarray(fn(g, n)) for g, n in self._gens], axis=0)


def iter_chunks(seed: int, n_draws: int, chunk: int, block: int = RANDOM_BLOCK):
    """:class:`BlockRandom` sources of ``chunk`` draws (rounded up to whole blocks) each."""
    step = max(1, -(-int(chunk) // block)) * block
    for start in range(0, n_draws, step):
        yield BlockRandom(seed, start, min(start + step, n_draws), block)


def sample(rng, n: int, fn: Callable[[np.random.Generator, int], np.ndarray]) -> np.ndarray:
    """``fn(rng, n)`` for a plain generator; block by block for a :class:`BlockRandom`."""
    if isinstance(rng, BlockRandom):
        return rng.sample(fn)
    return fn(rng, n)


@dataclass
class Simulation:
    """Per-draw scores and ordinal ranks ``(draws, zones)``."""

    scores: np.ndarray
    ranks: np.ndarray


def draw_input_normals(
    n_draws: int,
    common_share: np.ndarray,
    zone_share: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Standard normals ``(n_draws, zones, indicators)`` for the projected inputs, correlated.

    Each value is ``√a·C + √b·Z_zone + √(1 − a − b)·ε``: C is common to every zone and indicator
    in a draw (the year's common error), Z common to one zone's indicators (revenue, value added,
    tax and profit move together), ε its own. ``a`` and ``b`` are the projections table's
    ``error_common_share`` and ``error_zone_share`` (0 where absent: independent draws).

    Parameters
    ----------
    n_draws
        Number of draws.
    common_share, zone_share
        ``(zones, indicators)`` variance shares.
    rng
        Random generator.
    """
    a = np.clip(np.nan_to_num(np.asarray(common_share, float)), 0.0, 1.0)
    b = np.clip(np.nan_to_num(np.asarray(zone_share, float)), 0.0, 1.0 - a)
    n_zones, n_ind = a.shape
    own = rng.standard_normal((n_draws, n_zones, n_ind))
    if not (a.any() or b.any()):
        return own
    common = rng.standard_normal((n_draws, 1, 1))
    zone = rng.standard_normal((n_draws, n_zones, 1))
    return np.sqrt(a) * common + np.sqrt(b) * zone + np.sqrt(1.0 - a - b) * own


def draw_weights(
    nominal: np.ndarray, scheme: str, concentration: float, n_draws: int, rng: np.random.Generator
) -> np.ndarray:
    """``(n_draws, indicators)`` weight vectors summing to 1.

    ``dirichlet``: Dirichlet(concentration × nominal) (zero weights stay zero); ``uniform25``:
    each weight × U(0.75, 1.25), renormalised; ``none``: the nominal weights.
    """
    nominal = np.asarray(nominal, dtype=float)
    if scheme == "none":
        return np.broadcast_to(nominal, (n_draws, nominal.size)).copy()
    if scheme == "uniform25":
        w = nominal * rng.uniform(0.75, 1.25, size=(n_draws, nominal.size))
    else:
        alpha = concentration * nominal * nominal.size
        w = np.zeros((n_draws, nominal.size))
        pos = alpha > 0
        w[:, pos] = rng.dirichlet(alpha[pos], size=n_draws)
    return w / w.sum(axis=1, keepdims=True)


def valid_pairs(normalisations: tuple[str, ...], aggregations: tuple[str, ...]) -> list[tuple]:
    """Normalisation × aggregation pairs allowed (geometric needs positive values: no z-score)."""
    return [
        (n, a)
        for n in normalisations
        for a in aggregations
        if not (n == "zscore" and a == "geometric")
    ]


def order_ranks(scores: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Ordinal ranks along the last axis (1 = best): by score, then by ``tiebreak``, then order."""
    s = np.round(np.asarray(scores, dtype=float), 9)
    tb = np.broadcast_to(np.asarray(tiebreak, dtype=float), s.shape)
    order = np.lexsort((-tb, -s), axis=-1)
    ranks = np.empty_like(order)
    positions = np.broadcast_to(np.arange(1, s.shape[-1] + 1), s.shape)
    np.put_along_axis(ranks, order, positions, axis=-1)
    return ranks


def simulate_scores(
    x: np.ndarray,
    lst: ListCriteria,
    weights: np.ndarray,
    pairs: list[tuple[str, str]],
    pair_idx: np.ndarray,
) -> np.ndarray:
    """Scores ``(draws, zones)`` for per-draw inputs, weights and method pairs.

    Parameters
    ----------
    x
        ``(draws, zones, indicators)`` or ``(zones, indicators)`` (the same inputs every draw).
    lst
        The list's criteria.
    weights
        ``(draws, indicators)``.
    pairs
        Allowed (normalisation, aggregation) pairs.
    pair_idx
        ``(draws,)`` index into ``pairs``.
    """
    n_draws = weights.shape[0]
    x = np.broadcast_to(x, (n_draws, *x.shape[-2:]))
    scores = np.empty((n_draws, x.shape[1]))
    for p, (norm, agg) in enumerate(pairs):
        mask = pair_idx == p
        if mask.any():
            scores[mask], _ = score_matrix(
                x[mask], lst, weights=weights[mask], normalisation=norm, aggregation=agg
            )
    return scores


def simulate_list(
    point: np.ndarray,
    draws: np.ndarray | None,
    lst: ListCriteria,
    n_draws: int,
    rng: np.random.Generator,
    *,
    vary: frozenset[str] = frozenset({"weights", "normalisation", "aggregation", "inputs"}),
) -> Simulation:
    """Run the Monte Carlo for one composite list.

    Parameters
    ----------
    point
        ``(zones, indicators)`` nominal treated inputs.
    draws
        ``(n_draws, zones, indicators)`` treated input draws, or ``None`` (actuals).
    lst
        The list's criteria (nominal weights, methods and the uncertainty settings).
    n_draws
        Number of draws.
    rng
        Random generator, or the :class:`BlockRandom` of a chunk.
    vary
        Which sources to perturb (the others stay nominal): for the sensitivity summary.
    """
    u = lst.uncertainty
    nominal = np.asarray(lst.weights, dtype=float)
    scheme = u.weights if "weights" in vary else "none"
    weights = sample(
        rng, n_draws, lambda g, n: draw_weights(nominal, scheme, u.concentration, n, g)
    )
    norms = u.normalisations if "normalisation" in vary else (lst.normalisation,)
    aggs = u.aggregations if "aggregation" in vary else (lst.aggregation,)
    pairs = valid_pairs(tuple(dict.fromkeys(norms)), tuple(dict.fromkeys(aggs)))
    if not pairs:
        pairs = [(lst.normalisation, lst.aggregation)]
    pair_idx = sample(rng, n_draws, lambda g, n: g.integers(0, len(pairs), size=n))
    x = draws if (draws is not None and u.inputs and "inputs" in vary) else point
    scores = simulate_scores(x, lst, weights, pairs, pair_idx)
    nominal_scores, _ = score_matrix(point, lst)
    return Simulation(scores=scores, ranks=order_ranks(scores, nominal_scores))


class RankCounts:
    """Per zone, how many draws gave it each rank: the rank summaries without the draws.

    Memory is zones × (zones + 1) counts whatever the number of draws; the quantiles are those
    of :func:`numpy.quantile` with ``method="inverted_cdf"`` over all draws added.
    """

    def __init__(self, n_zones: int) -> None:
        self.n_zones = int(n_zones)
        self.counts = np.zeros((self.n_zones, self.n_zones + 1), dtype=np.int32)
        self.n = 0

    def add(self, ranks: np.ndarray) -> None:
        """Count ``(draws, zones)`` ranks (1 … zones)."""
        ranks = np.asarray(ranks, dtype=np.int64)
        if ranks.size == 0:
            self.n += ranks.shape[0]
            return
        flat = ranks + np.arange(self.n_zones) * (self.n_zones + 1)
        size = self.counts.size
        self.counts += np.bincount(flat.ravel(), minlength=size).reshape(self.counts.shape)
        self.n += ranks.shape[0]

    def quantiles(self, qs: tuple[float, ...]) -> np.ndarray:
        """``(len(qs), zones)`` rank quantiles (inverted CDF, as numpy computes them)."""
        cum = np.cumsum(self.counts, axis=1)
        out = np.empty((len(qs), self.n_zones), dtype=np.int64)
        for i, q in enumerate(qs):
            k = int(np.clip(np.ceil(self.n * q - 1), 0, self.n - 1))  # 0-based order statistic
            out[i] = (cum <= k).sum(axis=1)
        return out

    def share_at_most(self, top_n: int) -> np.ndarray:
        """Share of draws with rank ≤ ``top_n``, per zone."""
        return self.counts[:, : top_n + 1].sum(axis=1) / self.n


def summarise_counts(counts: RankCounts, top_n: int) -> pd.DataFrame:
    """Per zone: rank_p05, rank_median, rank_p95 (ranks actually drawn) and p_top_n."""
    q = counts.quantiles((0.05, 0.5, 0.95))
    return pd.DataFrame(
        {
            "rank_p05": q[0].astype(int),
            "rank_median": q[1].astype(int),
            "rank_p95": q[2].astype(int),
            "p_top_n": counts.share_at_most(top_n),
        }
    )


def summarise_ranks(ranks: np.ndarray, top_n: int) -> pd.DataFrame:
    """Per zone: rank_p05, rank_median, rank_p95 (ranks actually drawn) and p_top_n."""
    q = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf")
    return pd.DataFrame(
        {
            "rank_p05": q[0].astype(int),
            "rank_median": q[1].astype(int),
            "rank_p95": q[2].astype(int),
            "p_top_n": (ranks <= top_n).mean(axis=0),
        }
    )


class SensitivityAccumulator:
    """Which assumption drives the spread, accumulated chunk by chunk.

    One source varied at a time, then all together; see :func:`summarise_sensitivity`.
    """

    def __init__(self, lst: ListCriteria, has_draws: bool, nominal_ranks: np.ndarray) -> None:
        u = lst.uncertainty
        sources = []
        if u.weights != "none":
            sources.append("weights")
        if len(valid_pairs(u.normalisations, (lst.aggregation,))) > 1:
            sources.append("normalisation")
        if len(valid_pairs((lst.normalisation,), u.aggregations)) > 1:
            sources.append("aggregation")
        if has_draws and u.inputs:
            sources.append("inputs")
        self.lst = lst
        self.sources = sources
        self.nominal = np.asarray(nominal_ranks)
        self.counts = {s: RankCounts(self.nominal.size) for s in [*sources, "all"]}
        self.shift = dict.fromkeys(self.counts, 0)

    def add(self, point: np.ndarray, draws: np.ndarray | None, n_draws: int, rng) -> None:
        """Simulate ``n_draws`` more draws per source (``rng``: generator or chunk source)."""
        for source in self.counts:
            vary = frozenset(self.sources) if source == "all" else frozenset({source})
            sim = simulate_list(point, draws, self.lst, n_draws, rng, vary=vary)
            self.counts[source].add(sim.ranks)
            self.shift[source] += int(np.abs(sim.ranks - self.nominal).sum())

    def frame(self) -> pd.DataFrame:
        """One row per source (columns as :func:`summarise_sensitivity`)."""
        rows = []
        for source, counts in self.counts.items():
            q = counts.quantiles((0.05, 0.95))
            cells = counts.n * self.nominal.size
            rows.append(
                {
                    "list": self.lst.key,
                    "source": source,
                    "source_zh": SOURCES_ZH[source],
                    "mean_interval_width": float((q[1] - q[0]).mean()),
                    "mean_abs_rank_shift": self.shift[source] / cells if cells else np.nan,
                }
            )
        out = pd.DataFrame(rows)
        single = out["source"] != "all"
        total = out.loc[single, "mean_interval_width"].sum()
        share = out["mean_interval_width"] / total if total > 0 else 0.0
        out["share"] = np.where(single, share, 1.0)
        return out


def summarise_sensitivity(
    point: np.ndarray,
    draws: np.ndarray | None,
    lst: ListCriteria,
    n_draws: int,
    rng: np.random.Generator,
    nominal_ranks: np.ndarray,
) -> pd.DataFrame:
    """Which assumption drives the spread: one source varied at a time, then all together.

    Returns
    -------
    pandas.DataFrame
        One row per source: ``list``, ``source``, ``source_zh``, ``mean_interval_width`` (mean
        over zones of rank_p95 − rank_p05), ``mean_abs_rank_shift`` (mean |rank − nominal rank|),
        ``share`` (the source's width over the sum of the single-source widths).
    """
    acc = SensitivityAccumulator(lst, draws is not None, nominal_ranks)
    acc.add(point, draws, n_draws, rng)
    return acc.frame()
