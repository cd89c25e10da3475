"""One copy of every Chinese label: the words are in zoneanalysis/labels.py and nowhere else."""

import ast
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import zoneanalysis
from zoneanalysis import labels
from zoneanalysis.reporting import views

PACKAGE = Path(zoneanalysis.__file__).parent
WORDS = {
    *labels.VERDICT_ORDER,
    *labels.STAR_WORDS,
    *labels.LEVEL_NAMES_ZH.values(),
    *labels.LEVEL_SHORT_NAMES_ZH.values(),
    *labels.AGGREGATE_SHORT_NAMES_ZH.values(),
    *labels.AGGREGATE_SCOPE_NAMES_ZH.values(),
    *labels.BASIS_ZH.values(),
    labels.EXAMPLE_TARGET,
    "未评星",
}


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(PACKAGE.rglob("*.py")) if p.name != "labels.py" and "sample" not in p.parts],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_module_keeps_its_own_copy_of_a_label(path):
    assert _string_constants(path) & WORDS == set()


def test_pages_and_office_read_the_same_words():
    assert views.ON_TRACK is labels.ON_TRACK and views.format_stars is labels.format_stars
    assert list(labels.VERDICT_ORDER) == views.VERDICT_ORDER


@given(st.integers(min_value=-50, max_value=50))
def test_rank_change_words_agree_with_the_quarter_words(n):
    page = views.describe_rank_change(n)
    assert page.removeprefix("↑ ").removeprefix("↓ ") == labels.describe_places(n)
    assert (labels.RANK_UP in page) == (n > 0) and (labels.RANK_DOWN in page) == (n < 0)


def test_star_words_cover_every_level():
    assert [labels.format_stars(n) for n in range(7)] == list(labels.STAR_WORDS)
    assert labels.format_stars(pd.NA) == labels.NA_TEXT


def test_no_notebook_picks_a_unit_by_hand():
    """Units come with the data (the projections' ``unit`` column, the catalogue), never a literal."""
    import json

    root = PACKAGE.parent / "notebooks"
    found = []
    for path in sorted(root.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        found += [f"{path.name}: {u}" for u in ('"亿元"', '"万人"') if u in code]
    assert found == []
