"""Read the reference CSV files under data/raw/reference (registry, aliases, projects, star rules)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from zoneanalysis.errors import ConfigError


def read_reference_csv(
    path: str | Path, *, columns: Sequence[str], label: str, hint: str | None = None
) -> pd.DataFrame:
    """Read a reference CSV as text and check that it has the required columns.

    Every cell stays a string (blank cells are ``""``), so each loader converts its own columns
    and reports the row at fault. A byte-order mark (Excel's "CSV UTF-8") is accepted.

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
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ConfigError(f"无法读取{label}：{exc}", file=path) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ConfigError(
            f"缺少列 {missing}", file=path, hint=hint or f"需要列：{'、'.join(columns)}。"
        )
    return frame
