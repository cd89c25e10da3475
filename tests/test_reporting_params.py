import nbformat
import pytest

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError, ZoneAnalysisError
from zoneanalysis.reporting.params import (
    check_notebook_inputs,
    check_zone_ids,
    read_notebook_parameters,
    validate_parameters,
)

NOTEBOOK = paths.NOTEBOOKS_DIR / "zone_report.ipynb"


def test_reads_declared_parameters():
    declared = read_notebook_parameters(NOTEBOOK)
    assert list(declared) == ["zone_id", "period", "processed_dir", "zones_path", "targets_path"]
    assert declared["period"].type_name == "str"


def test_misspelt_name_is_refused_with_suggestion():
    with pytest.raises(ConfigError, match="zone_id"):
        validate_parameters(NOTEBOOK, {"zoneid": "zz_jingkai"})


def test_wrong_type_is_refused_before_running():
    with pytest.raises(ConfigError, match="应为文本"):
        validate_parameters(NOTEBOOK, {"period": 201606})


def test_good_parameters_pass():
    validate_parameters(NOTEBOOK, {"zone_id": "zz_jingkai", "period": "2016-06"})


def test_non_literal_parameter_cell_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("a = 1\nb = a + 1")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ConfigError, match="字面值"):
        read_notebook_parameters(path)


def test_unknown_zone_id_suggests_close_ones():
    with pytest.raises(ConfigError, match="zz_jingkai"):
        check_zone_ids(["zz_jingkia"])


def test_bad_period_in_notebook_inputs():
    with pytest.raises(ZoneAnalysisError):
        check_notebook_inputs("2016-13")


@pytest.mark.parametrize("name", ["zone_report", "city_overview", "rankings", "explore"])
def test_notebooks_committed_clean(name):
    nb = nbformat.read(paths.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    # the first cell after the parameters validates them (explore: its loader does, see
    # zoneanalysis.reporting.explore.load_explore)
    checker = "load_explore" if name == "explore" else "check_notebook_inputs"
    assert checker in code[1].source
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
    read_notebook_parameters(paths.NOTEBOOKS_DIR / f"{name}.ipynb")
