"""Plan-year files: one targets file and one project list per plan year.

``targets/<year>.yaml`` and ``projects/<year>.csv``: adding a plan is adding files. A folder is
searched for ``<year><suffix>``; a single file is used as it is (callers check that its plan year
is the one they need).
"""

from __future__ import annotations

import re
from pathlib import Path

_YEAR_NAME = re.compile(r"^(\d{4})$")


def list_plan_years(folder: str | Path, suffix: str) -> list[int]:
    """The plan years that have a file ``<year><suffix>`` in ``folder``, ascending.

    Examples
    --------
    >>> list_plan_years("/nonexistent", ".yaml")
    []
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    years = []
    for file in folder.iterdir():
        match = _YEAR_NAME.match(file.stem)
        if file.is_file() and file.suffix == suffix and match:
            years.append(int(match.group(1)))
    return sorted(years)


def plan_year_file(path: str | Path, year: int | None, suffix: str) -> Path | None:
    """The file for plan ``year`` under ``path``.

    Parameters
    ----------
    path
        A folder of ``<year><suffix>`` files, or one file.
    year
        The plan year; ``None`` means the latest year in the folder.
    suffix
        ``".yaml"`` (targets) or ``".csv"`` (projects).

    Returns
    -------
    Path or None
        ``path`` itself if it is a file; ``<path>/<year><suffix>`` if it exists; ``None`` if the
        folder has no file for that year (or no year file at all when ``year`` is ``None``).
    """
    path = Path(path)
    if not path.is_dir():
        return path
    if year is None:
        years = list_plan_years(path, suffix)
        return path / f"{years[-1]}{suffix}" if years else None
    file = path / f"{int(year)}{suffix}"
    return file if file.is_file() else None
