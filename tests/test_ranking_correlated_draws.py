"""Ranking Monte Carlo: projected inputs drawn with the common year factor and the zone factor."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zoneanalysis.ranking.uncertainty import draw_input_normals


def _corr(x, y):
    return float(np.corrcoef(x, y)[0, 1])


@given(a=st.floats(0.0, 0.8), b=st.floats(0.0, 0.8))
@settings(max_examples=15, deadline=None)
def test_draws_have_unit_variance_and_the_stated_correlations(a, b):
    b = min(b, 1.0 - a)
    shares_a = np.full((3, 2), a)
    shares_b = np.full((3, 2), b)
    z = draw_input_normals(20000, shares_a, shares_b, np.random.default_rng(0))
    assert z.shape == (20000, 3, 2)
    assert z.reshape(20000, -1).std(axis=0) == pytest.approx(np.ones(6), abs=0.03)
    # two zones, same indicator: only the common factor → a
    assert _corr(z[:, 0, 0], z[:, 1, 0]) == pytest.approx(a, abs=0.03)
    # one zone, two indicators: common and zone factor → a + b
    assert _corr(z[:, 0, 0], z[:, 0, 1]) == pytest.approx(a + b, abs=0.03)


def test_without_shares_the_draws_are_the_old_independent_ones():
    z = draw_input_normals(5, np.zeros((2, 3)), np.zeros((2, 3)), np.random.default_rng(7))
    old = np.random.default_rng(7).standard_normal((5, 2, 3))
    np.testing.assert_array_equal(z, old)
