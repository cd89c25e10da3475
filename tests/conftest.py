"""Shared test settings."""

from hypothesis import settings

# Property tests check behaviour, not speed: a loaded CI machine must not fail them on time
# (timings belong in bench/). Examples stay deterministic per test run of the same code.
settings.register_profile("zoneanalysis", deadline=None, print_blob=True)
settings.load_profile("zoneanalysis")
