"""The page views split by page: every submodule's examples hold, every name stays on ``views``."""

import doctest
import importlib
import pkgutil

import pytest

from zoneanalysis.reporting import views

SUBMODULES = [
    importlib.import_module(f"zoneanalysis.reporting.views.{m.name}")
    for m in pkgutil.iter_modules(views.__path__)
]


@pytest.mark.parametrize("module", SUBMODULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_submodule_examples_hold(module):
    result = doctest.testmod(module)
    assert result.failed == 0


def test_every_public_name_of_a_submodule_is_on_views():
    missing = [
        f"{module.__name__}.{name}"
        for module in SUBMODULES
        for name, value in vars(module).items()
        if not name.startswith("_")
        and getattr(value, "__module__", module.__name__) == module.__name__
        and callable(value)
        and getattr(views, name, None) is not value
    ]
    assert missing == []


def test_doctests_are_found():
    attempted = sum(doctest.testmod(m).attempted for m in SUBMODULES)
    assert attempted >= 6
