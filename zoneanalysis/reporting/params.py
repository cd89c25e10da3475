"""Notebook parameters: read what a notebook declares, refuse bad names or types before a run.

papermill shows parameter types but does not enforce them, and a misspelt name only warns; the
batch therefore checks every parameter set here first. :func:`check_notebook_inputs` is what
each notebook's second cell calls on the values it received.
"""

from __future__ import annotations

import ast
import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

import nbformat

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError, InputDataError
from zoneanalysis.periods import parse_period, period_label_zh
from zoneanalysis.registry import load_zones

_TYPE_NAMES_ZH = {
    "str": "文本",
    "int": "整数",
    "float": "数",
    "bool": "是/否",
    "list": "列表",
    "dict": "映射",
    "NoneType": "空值",
}


@dataclass(frozen=True)
class NotebookParameter:
    """One declared parameter: its name, the type of its default, and the default."""

    name: str
    type_name: str
    default: object


@functools.cache
def read_notebook_parameters(notebook: str | Path) -> dict[str, NotebookParameter]:
    """The parameters declared in a notebook's cell tagged ``parameters``.

    Parameters
    ----------
    notebook
        Path to the ``.ipynb``.

    Returns
    -------
    dict
        Name → :class:`NotebookParameter`, in declaration order.

    Raises
    ------
    ConfigError
        If there is no tagged cell, or it holds anything but ``name = literal`` lines.
    """
    path = Path(notebook)
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise ConfigError(
            "笔记本没有标记为 parameters 的单元格",
            file=path,
            hint="给第一个代码单元格加标签 parameters。",
        )
    declared: dict[str, NotebookParameter] = {}
    tree = ast.parse(cells[0].source)
    for node in tree.body:
        target = (
            node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
        )
        if isinstance(node, ast.AnnAssign):
            target = node.target
        if not isinstance(target, ast.Name) or node.value is None:
            raise ConfigError(
                "parameters 单元格只能写“名称 = 字面值”",
                file=path,
                location=f"第 {node.lineno} 行",
                hint="派生值放到下一个单元格计算。",
            )
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            raise ConfigError(
                f"参数 {target.id} 的默认值不是字面值",
                file=path,
                location=f"第 {node.lineno} 行",
                hint="只写文本、数字、True/False、列表等字面值。",
            ) from None
        declared[target.id] = NotebookParameter(target.id, type(value).__name__, value)
    return declared


def validate_parameters(notebook: str | Path, values: dict[str, object]) -> None:
    """Refuse unknown parameter names and values whose type differs from the declared default.

    An ``int`` is accepted where a ``float`` is declared.

    Raises
    ------
    ConfigError
        Naming the notebook, the parameter, the value and the expected type.
    """
    declared = read_notebook_parameters(Path(notebook))
    for name, value in values.items():
        if name not in declared:
            close = difflib.get_close_matches(name, list(declared), n=1)
            hint = f"是不是 {close[0]}？" if close else f"可用参数：{', '.join(declared)}。"
            raise ConfigError(
                f"笔记本没有参数“{name}”", file=notebook, location=f"参数 {name}", hint=hint
            )
        want = declared[name].type_name
        got = type(value).__name__
        if want == "NoneType" or got == want or (want == "float" and got == "int"):
            continue
        raise ConfigError(
            f"参数 {name} 应为{_TYPE_NAMES_ZH.get(want, want)}，收到的是{_TYPE_NAMES_ZH.get(got, got)}“{value!r}”",
            file=notebook,
            location=f"参数 {name}",
            hint=f"请传入{_TYPE_NAMES_ZH.get(want, want)}，例如 {declared[name].default!r}。",
        )


@dataclass(frozen=True)
class NotebookInputs:
    """Checked inputs of a report notebook."""

    period: str
    year: int
    month: int
    period_label: str
    processed_dir: Path
    zones_path: Path
    targets_path: Path
    zone_id: str | None


def _resolve(value: str, fallback: Path, what: str, *, must_exist: bool = True) -> Path:
    path = Path(value) if value else fallback
    if must_exist and not path.exists():
        raise InputDataError(f"找不到{what}", file=path, hint="请检查路径，或先运行 make report。")
    return path


def check_notebook_inputs(
    period: str,
    *,
    processed_dir: str = "",
    zones_path: str = "",
    targets_path: str = "",
    zone_id: str | None = None,
) -> NotebookInputs:
    """Check a report notebook's parameter values (empty path = the project default).

    Raises
    ------
    ZoneAnalysisError
        A bad period, a missing folder or file, or a zone id not in the registry.
    """
    year, month = parse_period(period)
    processed = _resolve(processed_dir, paths.PROCESSED_DIR, "已处理数据目录")
    zones_file = _resolve(zones_path, paths.ZONES_FILE, "集聚区名录")
    targets_file = _resolve(targets_path, paths.TARGETS_FILE, "目标任务文件", must_exist=False)
    if zone_id is not None:
        check_zone_ids([zone_id], zones_file)
    return NotebookInputs(
        period,
        year,
        month,
        period_label_zh(year, month),
        processed,
        zones_file,
        targets_file,
        zone_id,
    )


def check_zone_ids(zone_ids: list[str], zones_path: str | Path | None = None) -> list[str]:
    """Return ``zone_ids`` if every one is in the registry, else raise a clear error.

    Output file names are built from these ids, so this is also what keeps file names safe.
    """
    zones = load_zones(zones_path)
    known = set(zones["zone_id"])
    for zone_id in zone_ids:
        if zone_id not in known:
            close = difflib.get_close_matches(str(zone_id), sorted(known), n=3)
            hint = (
                f"是不是 {'、'.join(close)}？"
                if close
                else "zone_id 见 data/raw/reference/zones.csv。"
            )
            raise ConfigError(
                f"名录中没有 zone_id“{zone_id}”",
                file=zones_path or paths.ZONES_FILE,
                location=f"zone_id={zone_id}",
                hint=hint,
            )
    return list(zone_ids)
