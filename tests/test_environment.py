"""The conda route: environment.yml is generated from the pip pins, and the documented steps work."""

import importlib.util
import re
import tomllib
from pathlib import Path

import yaml

from zoneanalysis.reporting.batch import KERNEL_NAME

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_environment", ROOT / "scripts" / "make_environment.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_environment_yml_is_the_generated_one():
    assert (ROOT / "environment.yml").read_text(encoding="utf-8") == _generator().render(ROOT)


def test_environment_pins_every_runtime_dependency_at_the_constraint():
    gen = _generator()
    pins = gen.read_pins(ROOT)
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            conda[gen.normalise(name)] = version
    pip_section = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    for dep in pip_section:
        if "==" in dep:
            name, version = dep.split("==", 1)
            conda[gen.normalise(name)] = version
    runtime = gen.runtime_dependencies(ROOT)
    assert set(runtime) <= set(conda), set(runtime) - set(conda)
    for name in runtime:
        assert gen.conda_version(pins[name]) == conda[name] or pins[name] == conda[name], name
    assert "-e ." in pip_section
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]["dev"]
    assert not {gen.requirement_name(s) for s in dev} & set(conda), "dev tools must stay optional"


def test_documented_conda_steps_register_the_batch_kernel():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    header = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for text in (readme, header):
        assert "conda env create -f environment.yml" in text
        assert re.search(rf"ipykernel install --sys-prefix --name {KERNEL_NAME}\b", text)


def test_constraints_pin_every_dependency():
    gen = _generator()
    pins = gen.read_pins(ROOT)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {gen.requirement_name(s) for s in project["dependencies"]}
    assert wanted <= set(pins), wanted - set(pins)


def test_constraints_pin_every_optional_dependency():
    gen = _generator()
    pins = gen.read_pins(ROOT)
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    wanted = {gen.requirement_name(s) for specs in extras.values() for s in specs}
    wanted.discard("zoneanalysis")  # dev includes the dask extra
    assert {"distributed", "pytest"} <= wanted
    assert wanted <= set(pins), wanted - set(pins)
