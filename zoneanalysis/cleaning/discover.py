"""Find the bureau tables under a raw folder, with their optional layout sidecars."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zoneanalysis.errors import InputDataError
from zoneanalysis.textfiles import display_name

TABLE_SUFFIXES = (".xlsx", ".xls", ".csv")
SIDECAR_SUFFIX = ".layout.yaml"
SKIPPED_FOLDERS = ("reference",)


@dataclass(frozen=True)
class SourceFile:
    """One bureau table to read.

    Attributes
    ----------
    path
        Absolute path of the table.
    rel
        Path relative to the raw folder, with POSIX separators (used in every output); a file
        name not in the system's encoding (GBK bytes) is decoded for display.
    sidecar
        ``<file>.layout.yaml`` beside the table, if present.
    """

    path: Path
    rel: str
    sidecar: Path | None


def discover_files(
    raw_dir: str | Path, skip_folders: tuple[str, ...] = SKIPPED_FOLDERS
) -> list[SourceFile]:
    """List every .xlsx/.xls/.csv under ``raw_dir`` (recursively), in sorted path order.

    Folders named in ``skip_folders`` (``reference`` by default), hidden files and folders, and
    Excel lock files (``~$…``) are skipped.

    Parameters
    ----------
    raw_dir
        The raw data folder.
    skip_folders
        Names of folders that hold no bureau tables (``skip_folders`` of the cleaning rules).

    Returns
    -------
    list of SourceFile
        Sorted by relative path.

    Raises
    ------
    InputDataError
        If the folder does not exist or holds no table.
    """
    root = Path(raw_dir)
    if not root.is_dir():
        raise InputDataError(
            "原始报表目录不存在", file=root, hint="用 --raw 指定存放 .xlsx/.xls/.csv 报表的目录。"
        )
    found = find_tables(root, skip_folders)
    if not found:
        raise InputDataError(
            "目录下没有找到任何 .xlsx/.xls/.csv 报表",
            file=root,
            hint="把统计报表放进该目录（reference 子目录除外），或用 --raw 指定正确的目录。",
        )
    return found


def find_tables(root: str | Path, skip_folders: tuple[str, ...] = ()) -> list[SourceFile]:
    """Every .xlsx/.xls/.csv under ``root`` (recursively), sorted by relative path.

    Hidden files and folders, Excel lock files (``~$…``) and folders named in ``skip_folders``
    are skipped; a missing folder or one without tables gives an empty list.
    """
    root = Path(root)
    if not root.is_dir():
        return []
    found: list[SourceFile] = []
    for path in root.rglob("*"):
        rel_parts = path.relative_to(root).parts
        if any(p.startswith(".") for p in rel_parts) or any(
            p in skip_folders for p in rel_parts[:-1]
        ):
            continue
        name = path.name
        if name.startswith("~$") or not path.is_file():
            continue
        if not name.lower().endswith(TABLE_SUFFIXES):
            continue
        sidecar = path.with_name(name + SIDECAR_SUFFIX)
        found.append(
            SourceFile(
                path=path,
                rel=display_name(Path(*rel_parts).as_posix()),
                sidecar=sidecar if sidecar.is_file() else None,
            )
        )
    return sorted(found, key=lambda f: f.rel)
