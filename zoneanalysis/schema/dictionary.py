"""The field dictionary (``fields.yaml``): every column once, every table once.

PUDL's ``fields`` + ``resources`` pattern: a field is described once (dtype, unit, Chinese label,
nullability, range or allowed values); a table lists its fields in order, with a primary key, and
may override a field's attributes where the same name means something slightly different there.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from zoneanalysis.errors import ConfigError

FIELDS_FILE = Path(__file__).with_name("fields.yaml")
#: The unit word of a field whose unit is in the same row's ``unit`` column.
UNIT_IN_COLUMN = "见 unit 列"

DType = Literal["string", "integer", "float", "boolean", "datetime"]


class FieldSpec(BaseModel):
    """One column: dtype, Chinese label, unit, nullability, range or allowed values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dtype: DType
    label: str = Field(min_length=1)
    description: str = Field(min_length=1)
    nullable: bool = False
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _range_in_order(self) -> FieldSpec:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} 大于 max {self.max}")
        return self


class TableSpec(BaseModel):
    """One table: its file, producer, columns in order (with overrides) and primary key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    written_by: str
    description: str
    primary_key: tuple[str, ...] = ()
    columns: tuple[str | dict[str, dict], ...]
    patterns: dict[str, dict] = {}


class Dictionary(BaseModel):
    """The whole dictionary: ``fields`` and ``tables``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: dict[str, FieldSpec]
    tables: dict[str, TableSpec]


def _column_entry(entry: str | dict[str, dict]) -> tuple[str, dict]:
    if isinstance(entry, str):
        return entry, {}
    if len(entry) != 1:
        raise ValueError(f"列的写法应为 列名 或 {{列名: {{属性}}}}：{entry}")
    ((name, override),) = entry.items()
    return name, dict(override or {})


def _check_tables(book: Dictionary) -> None:
    for table, spec in book.tables.items():
        names = [_column_entry(c)[0] for c in spec.columns]
        unknown = [n for n in names if n not in book.fields]
        if unknown:
            raise ValueError(f"表 {table} 的列 {'、'.join(unknown)} 不在 fields 中")
        doubled = sorted({n for n in names if names.count(n) > 1})
        if doubled:
            raise ValueError(f"表 {table} 的列 {'、'.join(doubled)} 出现了两次")
        stray = [k for k in spec.primary_key if k not in names]
        if stray:
            raise ValueError(f"表 {table} 的主键列 {'、'.join(stray)} 不在它的列中")
        table_fields(table, book)  # every override must still give a valid field


@cache
def load_dictionary(path: Path = FIELDS_FILE) -> Dictionary:
    """Read and check the field dictionary.

    Raises
    ------
    ConfigError
        Naming the file and what is wrong (unknown column, bad override, range out of order).
    """
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        book = Dictionary.model_validate(raw)
        _check_tables(book)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise ConfigError(f"字段字典有误：{exc}", file=path) from None
    return book


def table_fields(table: str, book: Dictionary | None = None) -> list[tuple[str, FieldSpec]]:
    """The columns of ``table`` in order, each with its field (table overrides applied).

    Raises
    ------
    ConfigError
        If ``table`` is not in the dictionary.
    """
    book = book or load_dictionary()
    if table not in book.tables:
        raise ConfigError(
            f"字段字典中没有表 {table}",
            file=FIELDS_FILE,
            hint=f"已有的表：{'、'.join(book.tables)}",
        )
    out = []
    for entry in book.tables[table].columns:
        name, override = _column_entry(entry)
        base = book.fields[name].model_dump()
        out.append((name, FieldSpec.model_validate(base | override)))
    return out


def table_patterns(table: str, book: Dictionary | None = None) -> list[tuple[str, FieldSpec]]:
    """The pattern columns of ``table`` (regular expression → field), after its named columns."""
    book = book or load_dictionary()
    return [(rx, FieldSpec.model_validate(f)) for rx, f in book.tables[table].patterns.items()]
