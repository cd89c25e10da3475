"""Validate a table against its schema on write, with a message that names table and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from zoneanalysis.errors import InputDataError
from zoneanalysis.schema.build import schema_for
from zoneanalysis.schema.contracts import DTYPE_ZH
from zoneanalysis.schema.dictionary import FIELDS_FILE, load_dictionary, table_fields

_HINT = (
    "这是程序与字段字典（zoneanalysis/schema/fields.yaml）不一致：请把这条信息交给维护者；"
    "改动列时同时改字段字典并运行 scripts/make_contracts.py。"
)


def _labels(table: str) -> dict[str, str]:
    return {name: spec.label for name, spec in table_fields(table)}


def _columns_message(table: str, frame: pd.DataFrame) -> str | None:
    """A message for missing, extra or misordered columns (``None`` if the columns are right)."""
    wanted = [name for name, _ in table_fields(table)]
    labels = _labels(table)
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        names = "、".join(f"{c}（{labels[c]}）" for c in missing)
        return f"表 {table} 缺少列 {names}"
    return None


def validate_table(
    frame: pd.DataFrame, table: str, *, file: str | Path | None = None
) -> pd.DataFrame:
    """Validate ``frame`` against :func:`~zoneanalysis.schema.schema_for` ``(table)``.

    Parameters
    ----------
    frame
        The table about to be written.
    table
        Its name in the field dictionary.
    file
        The file it goes to (named in the message).

    Returns
    -------
    pandas.DataFrame
        ``frame`` unchanged.

    Raises
    ------
    InputDataError
        Naming the table, the column (with its Chinese label), the failed check, the first failing
        value and how many failed.
    """
    message = _columns_message(table, frame)
    if message is None:
        try:
            return schema_for(table).validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            message = _failure_message(table, exc.failure_cases, frame)
    raise InputDataError(message, file=file, hint=_HINT)


#: Frame-wide checks, reported after the checks of single columns.
_FRAME_CHECKS = {"multiple_fields_uniqueness", "column_order", "column_in_schema"}


def _where(table: str, column: object, check: object) -> str:
    labels = _labels(table)
    if check == "multiple_fields_uniqueness":
        key = "、".join(load_dictionary().tables[table].primary_key)
        return f"主键（{key}）"
    if column is None or pd.isna(column) or column == table or check == "column_order":
        return "整表"
    return f"{column} 列" + (f"（{labels[column]}）" if column in labels else "")


def _failure_message(table: str, cases: pd.DataFrame, frame: pd.DataFrame) -> str:
    """The first failure of a single column (frame-wide ones last), and the other columns."""
    frame_wide = cases["check"].astype(str).isin(_FRAME_CHECKS)
    ordered = pd.concat([cases[~frame_wide], cases[frame_wide]])
    first = ordered.iloc[0]
    check, value = str(first.get("check")), first.get("failure_case")
    if check == "column_in_schema":
        message = f"表 {table} 多出列 {value}（字段字典中没有）"
    elif check == "column_order":
        wanted = "、".join(name for name, _ in table_fields(table))
        message = f"表 {table} 的列次序与字段字典不同（应为 {wanted}）"
    elif check.startswith("dtype_"):
        column = first.get("column")
        kind = DTYPE_ZH.get(check.removeprefix("dtype_"), check)
        message = (
            f"表 {table} {_where(table, column, check)}的类型应为{kind}，实为 {frame[column].dtype}"
        )
    else:
        message = (
            f"表 {table} 未通过字段字典校验：{_where(table, first.get('column'), check)}"
            f"检查“{check}”失败（值 {value}，共 {len(cases)} 处）"
        )
    others = [
        str(c)
        for c in ordered.loc[~frame_wide, "column"].dropna().unique()
        if c != first.get("column")
    ]
    if others:
        message += f"；另有 {'、'.join(others)} 列未通过"
    return message


__all__ = ["FIELDS_FILE", "validate_table"]
