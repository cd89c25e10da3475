"""The projection's method settings: one validated model, every field described."""

import pydantic
import pytest

from zoneanalysis.projection.settings import DEFAULT_SETTINGS, ProjectionSettings


def test_every_setting_has_a_description():
    missing = [n for n, f in ProjectionSettings.model_fields.items() if not f.description]
    assert missing == []


def test_bad_settings_are_refused():
    with pytest.raises(pydantic.ValidationError):
        ProjectionSettings(min_seasonal_years=0)
    with pytest.raises(pydantic.ValidationError):
        ProjectionSettings(unknown_knob=1)


def test_defaults_round_trip_through_a_dict():
    assert ProjectionSettings(**DEFAULT_SETTINGS.model_dump()) == DEFAULT_SETTINGS
