"""Read one rules YAML file into a pydantic model, with Chinese errors naming file and key."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from zoneanalysis.errors import ConfigError
from zoneanalysis.textfiles import read_text_file

M = TypeVar("M", bound=BaseModel)

#: pydantic error types → what went wrong, in Chinese.
_ERROR_ZH = {
    "missing": "缺少必需的键",
    "extra_forbidden": "未知的键",
    "float_parsing": "应是数字",
    "float_type": "应是数字",
    "int_parsing": "应是整数",
    "int_type": "应是整数",
    "int_from_float": "应是整数",
    "bool_parsing": "应是 true 或 false",
    "bool_type": "应是 true 或 false",
    "string_type": "应是文字",
    "list_type": "应是列表",
    "tuple_type": "应是列表",
    "dict_type": "应是映射（键: 值）",
    "greater_than": "应大于",
    "greater_than_equal": "应不小于",
    "less_than": "应小于",
    "less_than_equal": "应不大于",
    "too_short": "不能为空",
    "literal_error": "取值无效",
}


class RulesModel(BaseModel):
    """Base of every rules model: unknown keys are an error (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _describe(error: dict) -> tuple[str, str]:
    """(key, Chinese message) for one pydantic error."""
    key = ".".join(str(part) for part in error["loc"]) or "（顶层）"
    kind = error["type"]
    text = _ERROR_ZH.get(kind)
    ctx = error.get("ctx") or {}
    limit = next((ctx[k] for k in ("gt", "ge", "lt", "le") if k in ctx), None)
    if text is None:
        text = str(ctx.get("error") or error["msg"])
    elif limit is not None:
        text = f"{text} {limit}"
    elif kind == "literal_error" and "expected" in ctx:
        text = f"{text}，可选：{ctx['expected']}"
    if kind not in {"missing", "extra_forbidden"} and "input" in error:
        text = f"值“{error['input']}”{text}"
    return key, text


def read_yaml_mapping(path: Path, label: str) -> dict:
    """The YAML file as a mapping (an empty file is ``{}``).

    Raises
    ------
    ConfigError
        If the file cannot be read, is not valid YAML, or is not a mapping.
    """
    try:
        raw = yaml.safe_load(read_text_file(path))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"无法读取{label}：{exc}", file=path) from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{label}应是一个 YAML 映射（键: 值）", file=path)
    return raw


def load_rules_file(path: str | Path, model: type[M], label: str) -> M:
    """Read ``path`` and validate it against ``model``.

    Parameters
    ----------
    path
        The YAML file.
    model
        The pydantic model the file must match.
    label
        What the file is, in Chinese (``"报告规则"``), for the messages.

    Returns
    -------
    model
        The validated rules.

    Raises
    ------
    ConfigError
        Naming the file and the key at fault (the first error), with what to do.
    """
    path = Path(path)
    raw = read_yaml_mapping(path, label)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        key, text = _describe(exc.errors()[0])
        raise ConfigError(
            f"{label}：{text}",
            file=path,
            location=f"键 {key}",
            hint="参照仓库中的原文件改正（每个键的含义写在文件开头的注释里）。",
        ) from None
