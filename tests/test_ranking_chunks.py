"""The rank Monte Carlo in chunks: the same numbers whatever the chunk, memory bounded."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ranking_fixtures import make_projections, make_stats

from zoneanalysis.ranking import load_criteria, rank_zones
from zoneanalysis.ranking.run import chunk_draws
from zoneanalysis.ranking.uncertainty import (
    RANDOM_BLOCK,
    BlockRandom,
    RankCounts,
    iter_chunks,
    summarise_counts,
    summarise_ranks,
)
from zoneanalysis.registry import load_zones


@settings(max_examples=60, deadline=None)
@given(
    n_draws=st.integers(1, 120),
    n_zones=st.integers(1, 12),
    split=st.integers(1, 119),
    seed=st.integers(0, 2**16),
)
def test_counts_summarise_like_the_full_rank_matrix(n_draws, n_zones, split, seed):
    rng = np.random.default_rng(seed)
    ranks = np.array([rng.permutation(n_zones) + 1 for _ in range(n_draws)])
    counts = RankCounts(n_zones)
    for part in np.array_split(ranks, min(split, n_draws)):
        counts.add(part)
    top_n = int(rng.integers(1, n_zones + 1))
    pd.testing.assert_frame_equal(summarise_counts(counts, top_n), summarise_ranks(ranks, top_n))


@given(n_draws=st.integers(1, 700), chunk=st.integers(1, 700), seed=st.integers(0, 99))
def test_blocks_give_the_same_numbers_in_any_chunk(n_draws, chunk, seed):
    def draw(rnd):
        return rnd.sample(lambda g, n: g.standard_normal((n, 3)))

    whole = draw(BlockRandom(seed, 0, n_draws))
    parts = np.concatenate([draw(r) for r in iter_chunks(seed, n_draws, chunk)])
    np.testing.assert_array_equal(parts, whole)
    assert sum(r.n for r in iter_chunks(seed, n_draws, chunk)) == n_draws


def test_chunk_must_start_on_a_block():
    with pytest.raises(ValueError):
        BlockRandom(1, RANDOM_BLOCK // 2, RANDOM_BLOCK)


def test_chunk_size_bounds_the_input_matrix():
    assert chunk_draws(2700, 30, cells=8_000_000) == RANDOM_BLOCK
    assert chunk_draws(180, 30, cells=8_000_000) * 180 * 30 <= 8_000_000


@pytest.fixture(scope="module")
def inputs():
    stats = make_stats()
    return dict(
        stats=stats,
        year=2016,
        month=6,
        criteria=load_criteria(),
        zones=load_zones(),
        projections=make_projections(stats),
        n_draws=250,
        seed=3,
    )


@pytest.fixture(scope="module")
def unchunked(inputs):
    return rank_zones(**inputs, chunk=10_000)


@pytest.mark.slow
@settings(max_examples=3, deadline=None)
@given(chunk=st.integers(1, 260))
def test_rankings_stars_and_sensitivity_do_not_depend_on_the_chunk(inputs, unchunked, chunk):
    got = rank_zones(**inputs, chunk=chunk)
    pd.testing.assert_frame_equal(got.rankings, unchunked.rankings, check_exact=True)
    pd.testing.assert_frame_equal(got.stars, unchunked.stars, check_exact=True)
    pd.testing.assert_frame_equal(got.sensitivity, unchunked.sensitivity, check_exact=True)
    for key, (ids, ranks) in unchunked.draws.items():
        assert got.draws[key][0] == ids
        np.testing.assert_array_equal(got.draws[key][1], ranks)
