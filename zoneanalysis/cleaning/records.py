"""The cleaned records of a run, kept column by column (a large table must not cost a dict per cell).

A record is one zone × period × indicator value read from one row of one file. Row-level facts
(zone, file, row, its text) are shared by the row's records; numbers live in typed arrays.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

# per-row facts (one object shared by the row's records)
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
# per-record facts
VALUE_FIELDS = ("indicator", "value", "unit", "yoy_pct")
TEXT_FIELDS = ("zone_id", "zone_name", "indicator", "unit", "source_file", "raw_text")


class RecordColumns:
    """Records appended row by row, stored as one list or array per column."""

    def __init__(self) -> None:
        self._objects: dict[str, list] = {
            name: [] for name in (*ROW_FIELDS, "indicator", "unit") if name != "source_row"
        }
        self._value = array("d")
        self._yoy = array("d")
        self._source_row = array("q")
        self._file_order = array("q")

    def __len__(self) -> int:
        return len(self._value)

    def add_row(self, row: dict, values: list[dict]) -> None:
        """Append the records of one table row.

        Parameters
        ----------
        row
            The row's facts: every name of :data:`ROW_FIELDS`.
        values
            One dict per indicator with ``indicator``, ``value``, ``unit``, ``yoy_pct``.
        """
        for rec in values:
            for name in ("indicator", "unit"):
                self._objects[name].append(rec[name])
            self._value.append(rec["value"])
            self._yoy.append(rec["yoy_pct"])
        n = len(values)
        for name in ROW_FIELDS:
            if name == "source_row":
                self._source_row.extend([int(row[name])] * n)
            else:
                self._objects[name].extend([row[name]] * n)

    def extend(self, other: RecordColumns, file_order: int) -> None:
        """Append another file's records, marking them with the file's order.

        The first file's columns are taken over, not copied (``other`` must not be used after).
        """
        if not len(self):
            self._objects, self._value, self._yoy = other._objects, other._value, other._yoy
            self._source_row = other._source_row
            self._file_order = array("q", [file_order]) * len(other)
            return
        for name, values in other._objects.items():
            self._objects[name].extend(values)
        self._value.extend(other._value)
        self._yoy.extend(other._yoy)
        self._source_row.extend(other._source_row)
        self._file_order.extend(array("q", [file_order]) * len(other))

    def frame(self) -> pd.DataFrame:
        """The records as a frame: texts categorical (few distinct values), numbers typed.

        The object columns are released as they are converted (call once).
        """
        data: dict[str, object] = {}
        for name in (*ROW_FIELDS[:4], "indicator", "value", "unit", "yoy_pct", *ROW_FIELDS[4:]):
            if name == "value":
                data[name] = np.frombuffer(self._value, dtype=np.float64)
            elif name == "yoy_pct":
                data[name] = np.frombuffer(self._yoy, dtype=np.float64)
            elif name == "source_row":
                data[name] = np.frombuffer(self._source_row, dtype=np.int64)
            elif name in TEXT_FIELDS:
                data[name] = _categorical(self._objects.pop(name))
            elif name == "is_revision":
                data[name] = np.array(self._objects.pop(name), dtype=bool)
            else:
                data[name] = np.array(self._objects.pop(name), dtype=np.int64)
        data["file_order"] = np.frombuffer(self._file_order, dtype=np.int64)
        return pd.DataFrame(data)


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
    return pd.Categorical.from_codes(position[np.frombuffer(codes, dtype=np.int32)], categories)


def categorical_as_str(column: pd.Series) -> pd.Series:
    """A categorical text column as a ``str`` column, built by taking from its categories.

    Cheaper in memory and time than ``astype("str")``, which goes through one object per value.
    """
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column.astype("str")
    categories = pd.array(column.cat.categories.astype(object), dtype="str")
    values = categories.take(column.cat.codes.to_numpy(), allow_fill=True)
    return pd.Series(values, index=column.index, name=column.name)
