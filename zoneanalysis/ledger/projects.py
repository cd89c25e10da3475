"""The project reference: the projects a plan year names, plus example project lists.

One list per plan year: ``data/raw/reference/projects/<year>.csv``.

The 2016 plan's text (郑政办〔2016〕49号, section 三) names about seventy projects; its attachments 5–7
(新开/续建/竣工项目一览表) are not public, so the category of every project is an example
assumption, and the sample ledger adds example projects (labelled 示例) from a stand-in list.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from zoneanalysis import paths
from zoneanalysis.errors import ConfigError
from zoneanalysis.names import normalise_name
from zoneanalysis.reference import read_reference_csv
from zoneanalysis.rules.plan_years import plan_year_file

#: The folder of per-year project lists (``<year>.csv``); a single file may be passed instead.
PROJECTS_FILE = paths.PROJECTS_DIR
PROJECTS_SUFFIX = ".csv"

PROJECT_COLUMNS = [
    "project_id",
    "project_name",
    "industry",
    "zone_id",
    "plan_zones",
    "category",
    "category_is_example",
    "kind",
    "is_example",
    "note",
    "source",
]

#: Plan category of a project (the plan's attachments 5, 6 and 7).
CATEGORIES = ("新开工", "续建", "竣工")
#: ``major``: 重大项目增效工程 (三（二）); ``recruit``: 集群招商提质工程 (三（一）); ``example``: 示例.
KINDS = ("major", "recruit", "example")

_TRUE = {"true", "1", "是", "yes"}
_BOOL = _TRUE | {"false", "0", "否", "no", ""}


def load_projects(
    path: str | Path | None = None,
    *,
    extra_paths: Sequence[str | Path] = (),
    zone_ids: Sequence[str] | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Read and check the project reference, optionally with extra (example) project lists.

    Parameters
    ----------
    path
        A project list, or a folder of per-year lists ``<year>.csv`` (the shipped ``projects/``
        folder by default).
    year
        With a folder: the plan year (a year without a list contributes no projects); the latest
        year in the folder by default.
    extra_paths
        More lists in the same columns (e.g. the sample's stand-in for the plan's attachments 5–7).
    zone_ids
        Known zone ids (the registry's); ``zone_id`` and ``plan_zones`` must use them.

    Returns
    -------
    pandas.DataFrame
        One row per project, columns of ``PROJECT_COLUMNS`` plus ``name_key`` (the normalised
        name used for matching); ``zone_id`` is ``<NA>`` where the plan does not tie the project
        to a zone; boolean columns are bool.

    Raises
    ------
    ConfigError
        On a missing column, a repeated or non-ASCII id, a repeated name, an unknown category,
        kind or zone id, or a non-boolean flag; the message names the file and row.
    """
    own = plan_year_file(path if path is not None else PROJECTS_FILE, year, PROJECTS_SUFFIX)
    files = [*([own] if own is not None else []), *map(Path, extra_paths)]
    frames = [_read_one(f, zone_ids) for f in files]
    if not frames:
        return pd.DataFrame(columns=[*PROJECT_COLUMNS, "name_key"])
    projects = pd.concat(frames, ignore_index=True)
    for col, what in (("project_id", "project_id"), ("name_key", "项目名称")):
        dup = projects[projects[col].duplicated(keep="first")]
        if not dup.empty:
            row = dup.iloc[0]
            raise ConfigError(
                f"{what}“{row[col]}”重复登记",
                file=row["_file"],
                location=f"第 {int(row['_row'])} 行",
                hint="每个项目只能登记一次；同名项目请在名称中加上区别（如所在集聚区）。",
            )
    return projects.drop(columns=["_file", "_row"])


def _read_one(path: Path, zone_ids: Sequence[str] | None) -> pd.DataFrame:
    frame = read_reference_csv(
        path,
        columns=PROJECT_COLUMNS,
        label="项目名录",
        hint="按 docs/contracts.md（项目台账一节）的说明补齐列。",
    )
    frame = frame[PROJECT_COLUMNS].apply(lambda s: s.str.strip())
    known = set(zone_ids) if zone_ids is not None else None
    for i, row in enumerate(frame.itertuples(index=False)):
        where = f"第 {i + 2} 行"
        if not row.project_id or not row.project_id.isascii() or " " in row.project_id:
            raise ConfigError(
                f"project_id“{row.project_id}”必须是非空、无空格的 ASCII", file=path, location=where
            )
        if not row.project_name:
            raise ConfigError("项目名称为空", file=path, location=where)
        if row.category not in CATEGORIES:
            raise ConfigError(
                f"category“{row.category}”不是 {list(CATEGORIES)} 之一", file=path, location=where
            )
        if row.kind not in KINDS:
            raise ConfigError(f"kind“{row.kind}”不是 {list(KINDS)} 之一", file=path, location=where)
        for col in ("category_is_example", "is_example"):
            if getattr(row, col).lower() not in _BOOL:
                raise ConfigError(
                    f"列 {col} 的值“{getattr(row, col)}”不是 True/False", file=path, location=where
                )
        if known is not None:
            ids = [row.zone_id] if row.zone_id else []
            ids += [z for z in row.plan_zones.split(";") if z]
            unknown = [z for z in ids if z not in known]
            if unknown:
                raise ConfigError(
                    f"zone_id {unknown} 不在集聚区名录中",
                    file=path,
                    location=where,
                    hint="使用 data/raw/reference/zones.csv 中的 zone_id。",
                )
    for col in ("category_is_example", "is_example"):
        frame[col] = frame[col].str.lower().isin(_TRUE)
    frame["zone_id"] = frame["zone_id"].replace("", pd.NA).astype("string")
    frame["name_key"] = frame["project_name"].map(normalise_name)
    frame["_file"] = str(path)
    frame["_row"] = range(2, len(frame) + 2)
    return frame


class ProjectMatcher:
    """Map a project name as written in a ledger table to its ``project_id``.

    Parameters
    ----------
    projects
        The reference from :func:`load_projects`.
    """

    def __init__(self, projects: pd.DataFrame) -> None:
        self.projects = projects.set_index("project_id", drop=False)
        self._by_key = dict(zip(projects["name_key"], projects["project_id"], strict=True))

    def match(self, raw_name: object) -> str | None:
        """The project id for ``raw_name`` (normalised), or ``None`` if it is not registered."""
        return self._by_key.get(normalise_name(raw_name))

    def suggest(self, raw_name: object, n: int = 3) -> list[str]:
        """The ``n`` registered names closest to ``raw_name`` (for an error message)."""
        import difflib

        keys = difflib.get_close_matches(normalise_name(raw_name), self._by_key, n=n, cutoff=0.3)
        return [self.projects.loc[self._by_key[k], "project_name"] for k in keys]
