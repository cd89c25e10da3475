"""The cleaned records of a run, kept column by column (a large table must not cost a dict per cell).

A record is one zone × period × indicator value read from one row of one file. Row-level facts
(zone, file, row, its text) are stored once per row, and each record points to its row; numbers
live in typed arrays.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

# per-row facts (stored once per table row)
ROW_FIELDS = (
    "zone_id",
    "zone_name",
    "year",
    "month",
    "source_file",
    "source_row",
    "is_revision",
    "raw_text",
)
TEXT_FIELDS = ("zone_id", "zone_name", "indicator", "unit", "source_file", "raw_text")
# column order of the frame (the zone_stats columns, then the fields the overlap checks need)
FRAME_COLUMNS = (
    "zone_id",
    "zone_name",
    "year",
    "month",
    "indicator",
    "value",
    "unit",
    "yoy_pct",
    "source_file",
    "source_row",
    "is_revision",
    "raw_text",
    "file_order",
    "source_column",
)


class RecordColumns:
    """Records appended row by row, stored as one list or array per column."""

    def __init__(self) -> None:
        self._rows: dict[str, list] = {name: [] for name in (*ROW_FIELDS, "file_order")}
        self._indicator: list[str] = []
        self._unit: list[str] = []
        self._value = array("d")
        self._yoy = array("d")
        self._column = array("i")  # each record's sheet column (0-based; -1 unknown)
        self._row = array("i")  # each record's row, an index into the row lists

    def __len__(self) -> int:
        return len(self._value)

    def add_row(self, row: dict, values: list[dict]) -> None:
        """Append the records of one table row.

        Parameters
        ----------
        row
            The row's facts: every name of :data:`ROW_FIELDS`.
        values
            One dict per indicator with ``indicator``, ``value``, ``unit``, ``yoy_pct`` and
            optionally ``column`` (the value's sheet column, 0-based).
        """
        index = len(self._rows["zone_id"])
        for name in ROW_FIELDS:
            self._rows[name].append(row[name])
        self._rows["file_order"].append(0)
        for rec in values:
            self._indicator.append(rec["indicator"])
            self._unit.append(rec["unit"])
            self._value.append(rec["value"])
            self._yoy.append(rec["yoy_pct"])
            self._column.append(rec.get("column", -1))
            self._row.append(index)

    def extend(self, other: RecordColumns, file_order: int) -> None:
        """Append another file's records, marking them with the file's order."""
        offset = len(self._rows["zone_id"])
        for name, values in other._rows.items():
            if name == "file_order":
                values = [file_order] * len(values)
            self._rows[name].extend(values)
        self._indicator.extend(other._indicator)
        self._unit.extend(other._unit)
        self._value.extend(other._value)
        self._yoy.extend(other._yoy)
        self._column.extend(other._column)
        if len(other):
            shifted = np.frombuffer(other._row, dtype=np.int32) + np.int32(offset)
            self._row.frombytes(shifted.astype(np.int32).tobytes())

    def frame(self) -> pd.DataFrame:
        """The records as a frame: texts categorical (few distinct values), numbers typed.

        The lists are released as they are converted (call once).
        """
        rows = np.frombuffer(self._row, dtype=np.int32) if len(self) else np.empty(0, np.int32)
        data: dict[str, object] = {
            "indicator": _categorical(self._indicator),
            "unit": _categorical(self._unit),
            "value": np.array(self._value, dtype=np.float64),
            "yoy_pct": np.array(self._yoy, dtype=np.float64),
            "source_column": np.array(self._column, dtype=np.int32),
        }
        for name in (*ROW_FIELDS, "file_order"):
            values = self._rows.pop(name)
            if name in TEXT_FIELDS:
                per_row = _categorical(values)
                data[name] = pd.Categorical.from_codes(
                    per_row.codes[rows], categories=per_row.categories
                )
            else:
                dtype = bool if name == "is_revision" else np.int64
                data[name] = np.array(values, dtype=dtype)[rows]
        return pd.DataFrame({name: data[name] for name in FRAME_COLUMNS}, copy=False)


def _categorical(values: list) -> pd.Categorical:
    """Texts → a categorical with sorted object categories (no per-value string copies).

    Sorted categories make sorting by the column sort by its text.
    """
    codes_of: dict[object, int] = {}
    codes = array("i", [codes_of.setdefault(v, len(codes_of)) for v in values])
    values.clear()
    keys = list(codes_of)
    order = sorted(range(len(keys)), key=lambda i: str(keys[i]))
    position = np.empty(len(keys), dtype=np.int32)
    position[order] = np.arange(len(keys), dtype=np.int32)
    categories = pd.Index([keys[i] for i in order], dtype=object)
    codes_np = np.frombuffer(codes, dtype=np.int32) if len(codes) else np.empty(0, np.int32)
    return pd.Categorical.from_codes(position[codes_np], categories)


def categorical_as_str(column: pd.Series) -> pd.Series:
    """A categorical text column as a ``str`` column, built by taking from its categories.

    Cheaper in memory and time than ``astype("str")``, which goes through one object per value.
    """
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column.astype("str")
    categories = pd.array(column.cat.categories.astype(object), dtype="str")
    values = categories.take(column.cat.codes.to_numpy(), allow_fill=True)
    return pd.Series(values, index=column.index, name=column.name)
