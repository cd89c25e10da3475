"""pandera schemas built from the field dictionary: :func:`schema_for`."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa
from pandas.api import types as ptypes

from zoneanalysis.schema.dictionary import FieldSpec, load_dictionary, table_fields, table_patterns


def _is_strings(s: pd.Series) -> bool:
    """A text dtype, or ``object`` holding text only (the values of a ``str`` column are text)."""
    if not ptypes.is_object_dtype(s):
        return (
            ptypes.is_string_dtype(s)
            or isinstance(s.dtype, pd.CategoricalDtype)
            and _is_strings(s.cat.categories.to_series())
        )
    return bool(s.dropna().map(lambda v: isinstance(v, str)).all())


#: dtype of the dictionary → test on a column (pandas' nullable dtypes count as the same kind).
DTYPE_TESTS: dict[str, Callable[[pd.Series], bool]] = {
    "string": _is_strings,
    "integer": lambda s: ptypes.is_integer_dtype(s) and not ptypes.is_bool_dtype(s),
    "float": ptypes.is_float_dtype,
    "boolean": ptypes.is_bool_dtype,
    "datetime": ptypes.is_datetime64_any_dtype,
}


def _dtype_check(dtype: str) -> pa.Check:
    test = DTYPE_TESTS[dtype]
    # a column without values carries no dtype worth checking (empty frames and all-null columns
    # come out untyped); nullability is checked on its own
    return pa.Check(
        lambda s: bool(s.isna().all()) or test(s),
        element_wise=False,
        ignore_na=False,
        name=f"dtype_{dtype}",
    )


def field_checks(spec: FieldSpec) -> list[pa.Check]:
    """The checks of one field: its dtype, range and allowed values."""
    checks = [_dtype_check(spec.dtype)]
    if spec.min is not None and spec.max is not None:
        checks.append(pa.Check.in_range(spec.min, spec.max))
    elif spec.min is not None:
        checks.append(pa.Check.ge(spec.min))
    elif spec.max is not None:
        checks.append(pa.Check.le(spec.max))
    if spec.allowed is not None:
        checks.append(pa.Check.isin(list(spec.allowed)))
    return checks


def _column_order_check(names: list[str], patterns: list[str]) -> pa.Check:
    """Named columns first, in the dictionary's order, then the pattern columns."""

    def ordered(df: pd.DataFrame) -> bool:
        cols = list(df.columns)
        rest = cols[len(names) :]
        return cols[: len(names)] == names and all(
            any(re.fullmatch(p, c) for p in patterns) for c in rest
        )

    return pa.Check(ordered, name="column_order")


def schema_for(table: str) -> pa.DataFrameSchema:
    """The pandera schema of ``table``, built from ``fields.yaml``.

    Parameters
    ----------
    table
        A table of the dictionary (``zone_stats``, ``projections``, ``rankings``, ``counts`` …).

    Returns
    -------
    pandera.DataFrameSchema
        One column per field (dtype kind, nullability, range, allowed values), pattern columns
        (``pillar_.+``) as regex columns, no other column, the dictionary's column order and a
        unique primary key.
    """
    fields = table_fields(table)
    patterns = table_patterns(table)
    columns = {
        name: pa.Column(checks=field_checks(spec), nullable=spec.nullable, title=spec.label)
        for name, spec in fields
    }
    for rx, spec in patterns:
        columns[rx] = pa.Column(
            checks=field_checks(spec),
            nullable=spec.nullable,
            regex=True,
            required=False,
            title=spec.label,
        )
    key = list(load_dictionary().tables[table].primary_key)
    return pa.DataFrameSchema(
        columns,
        checks=[_column_order_check([n for n, _ in fields], [rx for rx, _ in patterns])],
        strict=True,
        unique=key or None,
        name=table,
    )
