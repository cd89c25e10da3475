"""Read the reference CSV files under data/raw/reference (registry, aliases, projects, star rules)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from zoneanalysis.errors import ConfigError
from zoneanalysis.textfiles import display_name, read_csv_rows


def read_reference_csv(
    path: str | Path, *, columns: Sequence[str], label: str, hint: str | None = None
) -> pd.DataFrame:
    """Read a reference CSV as text and check that it has the required columns.

    Every cell stays a string (blank cells are ``""``), so each loader converts its own columns
    and reports the row at fault. The file is read by :func:`zoneanalysis.textfiles.read_csv_rows`:
    UTF-8 with or without BOM (Excel's "CSV UTF-8"), GBK/GB18030 (Excel's plain "CSV" on Chinese
    Windows), UTF-16 with BOM; comma, tab or semicolon; quoting faults refused with the line.

    Parameters
    ----------
    path
        The CSV file.
    columns
        Columns that must be present.
    label
        What the file is, in Chinese, for the messages (e.g. ``"集聚区名录"``).
    hint
        What to do about missing columns; by default the list of required columns.

    Returns
    -------
    pandas.DataFrame
        The file's rows, all columns as strings.

    Raises
    ------
    ConfigError
        If the file cannot be read or decoded, or a required column is missing.
    """
    rows = read_csv_rows(path, label=display_name(path), error=ConfigError)
    frame = _rows_frame([row for row in rows if row], path, label)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ConfigError(
            f"缺少列 {missing}", file=path, hint=hint or f"需要列：{'、'.join(columns)}。"
        )
    return frame


def _rows_frame(rows: list[list[str]], path: str | Path, label: str) -> pd.DataFrame:
    """Header row + data rows → a frame of strings; a row wider than the header is refused."""
    if not rows:
        raise ConfigError(f"{label}是空文件，没有表头", file=display_name(path))
    header = [h.strip() for h in rows[0]]
    for line, row in enumerate(rows[1:], start=2):
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            raise ConfigError(
                f"这一行有 {len(row)} 个单元格，比表头的 {len(header)} 列多",
                file=display_name(path),
                location=f"第 {line} 行",
                hint="检查该行是否多了逗号；含逗号的文字要用英文双引号括起来。",
            )
    width = len(header)
    body = [(row + [""] * width)[:width] for row in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=str)
