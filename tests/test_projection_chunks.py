"""The projection's simulation in chunks of series gives the numbers of a single pass."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_projection_run import _stats

from zoneanalysis.projection import project_year_end
from zoneanalysis.projection.correlation import combine_factors, draw_factors
from zoneanalysis.projection.methods import shape_ets_draws, simulate_year_end
from zoneanalysis.projection.run import QUANTILES, _actuals_part, _simulate_zones, chunk_rows
from zoneanalysis.registry import load_zones
from zoneanalysis.targets import load_targets


def _part(n_series: int, n_sims: int, seed: int):
    """A zone part with random points, spreads and a few ETS-shaped series."""
    rng = np.random.default_rng(seed)
    ytd = rng.uniform(10, 100, n_series)
    part = _actuals_part(ytd, n_sims)
    part.point = ytd * rng.uniform(1.2, 2.5, n_series)
    part.sigma = rng.uniform(0.01, 0.4, n_series)
    part.rho = rng.uniform(0, 0.9, n_series)
    part.zone_share = 0.4
    ets = np.flatnonzero(rng.random(n_series) < 0.3)
    part.ets_paths = part.point[ets, None] * rng.lognormal(0, 0.1, (ets.size, n_sims))
    part.ets_row[ets] = np.arange(ets.size)
    part.ets_scale[ets] = rng.uniform(0.5, 1.5, ets.size)
    part.ets_rho[ets] = rng.uniform(0, 0.8, ets.size)
    zone_ids = [f"z{k}" for k in rng.integers(0, max(2, n_series // 3), n_series)]
    keys = pd.DataFrame({"zone_id": zone_ids})
    is_flow = rng.random(n_series) < 0.7
    needed = np.where(rng.random(n_series) < 0.5, part.point, np.nan)
    return part, keys, ytd, is_flow, needed


def _single_pass(part, keys, ytd, is_flow, n_sims, seed):
    """The simulation as one (series × sims) matrix, written out from the building blocks."""
    rng = np.random.default_rng(seed)
    common = rng.standard_normal(n_sims)
    shaped = part.ets_shaped()
    rho = np.where(shaped, part.ets_rho, part.rho)
    zone_share = (1.0 - np.clip(rho, 0.0, 1.0)) * part.zone_share
    codes = pd.factorize(keys["zone_id"])[0]
    common, zone = draw_factors(codes, n_sims, rng, common)
    z = combine_factors(common, zone, rho, zone_share, rng)
    draws = simulate_year_end(ytd, part.point, part.sigma, is_flow, z)
    draws[shaped] = shape_ets_draws(
        ytd[shaped],
        part.point[shaped],
        part.ets_paths[part.ets_row[shaped]],
        part.ets_scale[shaped],
        rho[shaped],
        is_flow[shaped],
        common,
        zone=zone[shaped],
        zone_share=zone_share[shaped],
    )
    return draws


@settings(max_examples=40, deadline=None)
@given(
    n_series=st.integers(1, 40),
    n_sims=st.integers(1, 60),
    chunk=st.integers(1, 45),
    seed=st.integers(0, 2**16),
)
def test_chunked_simulation_equals_the_single_pass(n_series, n_sims, chunk, seed):
    part, keys, ytd, is_flow, needed = _part(n_series, n_sims, seed)
    keep = np.flatnonzero(np.random.default_rng(seed + 1).random(n_series) < 0.4)
    got = _simulate_zones(
        part, keys, ytd, is_flow, n_sims, seed, needed=needed, keep=keep, chunk=chunk
    )
    draws = _single_pass(part, keys, ytd, is_flow, n_sims, seed)
    np.testing.assert_array_equal(got.quantiles, np.quantile(draws, QUANTILES, axis=1))
    with np.errstate(invalid="ignore"):
        meets = (draws >= needed[:, None]).mean(axis=1)
    np.testing.assert_array_equal(got.p_meet, meets)
    np.testing.assert_array_equal(got.kept, draws[keep])


def test_chunk_size_bounds_the_cells_whatever_the_sims():
    assert chunk_rows(2000, cells=4_000_000) == 2000
    assert chunk_rows(16_000, cells=4_000_000) * 16_000 <= 4_000_000
    assert chunk_rows(10**9, cells=4_000_000) == 1


@pytest.mark.slow
def test_projection_table_is_the_same_for_any_chunk():
    zones = load_zones()
    targets = load_targets(zones=zones)
    stats = _stats()
    args = dict(targets=targets, zones=zones, n_sims=300, with_ets=True)
    whole = project_year_end(stats, 2016, 6, **args)
    one = project_year_end(stats, 2016, 6, sim_chunk=1, **args)
    pd.testing.assert_frame_equal(whole, one, check_exact=True)
