"""Keep one ledger record per key and month, by the bureau cleaner's revision rule.

The rule (:func:`zoneanalysis.cleaning.validate.resolve_overlaps`): a revised release ("（修订）"
in the title or file name, or ``revision: true`` in a ``<file>.layout.yaml``) wins over the other
files (they are listed as ``superseded``); equal records in several files are ``duplicate`` and
the first file in path order is kept; different records without one revision between them, or
two revisions, are an error naming both files and rows.
"""

from __future__ import annotations

import pandas as pd

from zoneanalysis.errors import InputDataError
from zoneanalysis.ledger.columns import COUNT_COLUMNS, INDUSTRY_COLUMNS, PROGRESS_COLUMNS

#: Each table's key (one record per key) and columns.
KEYS = {
    "progress": ["project_id", "year", "month"],
    "industry": ["zone_id", "industry", "year", "month"],
    "counts": ["code", "year", "month"],
}
COLUMNS = {"progress": PROGRESS_COLUMNS, "industry": INDUSTRY_COLUMNS, "counts": COUNT_COLUMNS}
_SOURCE = ("source_file", "source_row", "_revision", "_order")

_HINT_TWO_REVISIONS = (
    "两个文件都标为修订版：确认哪一个是最新的，把另一个移出台账目录（或在它的 "
    "<文件名>.layout.yaml 中写 revision: false）；不要改动原表。"
)
_HINT_CONFLICT = (
    "确认哪个数是对的。不要改动原表：若其中一个是修订版，在它的文件名或标题中加上“（修订）”，"
    "或在同目录放一个 <文件名>.layout.yaml 写 revision: true；否则移走有误的文件。"
)


def resolve_revisions(
    parts: list[tuple[pd.DataFrame, bool, int]], table: str, texts: dict[tuple[str, int], str]
) -> tuple[pd.DataFrame, list[dict]]:
    """Keep one record per key of ``table`` from the frames read file by file.

    Parameters
    ----------
    parts
        ``(frame, is_revision, file_order)`` per file read.
    table
        ``progress``, ``industry`` or ``counts``.
    texts
        ``(source_file, source_row)`` → the row's text, for the report.

    Returns
    -------
    tuple
        ``(kept records with the table's columns, report rows)``.

    Raises
    ------
    InputDataError
        If two files give different records and not exactly one of them is a revision.
    """
    key, columns = KEYS[table], COLUMNS[table]
    frames = [f.assign(_revision=rev, _order=order) for f, rev, order in parts if not f.empty]
    if not frames:
        return pd.DataFrame(columns=columns), []
    frame = pd.concat(frames, ignore_index=True)
    frame = frame.sort_values(["_order", "source_row"], kind="stable").reset_index(drop=True)
    dup = frame[frame.duplicated(key, keep=False)]
    dropped: list[int] = []
    report: list[dict] = []
    for _, group in dup.groupby(key, sort=False):
        keep, others, severity = _choose(group, table)
        for idx in others:
            dropped.append(idx)
            report.append(_note(group.loc[keep], group.loc[idx], severity, table, texts))
    kept = frame.drop(index=dropped)[columns].reset_index(drop=True)
    return kept, report


def _same(a: pd.Series, b: pd.Series) -> bool:
    values = [c for c in a.index if c not in _SOURCE]
    return a[values].fillna("\x00").equals(b[values].fillna("\x00"))


def _choose(group: pd.DataFrame, table: str) -> tuple[int, list[int], str]:
    """``(kept index, other indices, severity)`` for one key's records, in file order."""
    revisions = group.index[group["_revision"].to_numpy()].tolist()
    if len(revisions) > 1:
        _raise(group.loc[revisions[0]], group.loc[revisions[1]], table, _HINT_TWO_REVISIONS)
    if revisions:
        keep = revisions[0]
        return keep, [i for i in group.index if i != keep], "superseded"
    keep = group.index[0]
    for other in group.index[1:]:
        if not _same(group.loc[keep], group.loc[other]):
            _raise(group.loc[keep], group.loc[other], table, _HINT_CONFLICT)
    return keep, list(group.index[1:]), "duplicate"


def _label(rec: pd.Series, table: str) -> str:
    """What the record is about: the project, the zone's industry, the count target."""
    if table == "industry":
        return f"{rec['zone_name']}·{rec['industry']}"
    return str(rec["project_name"] if table == "progress" else rec["name_zh"])


def _change(old: pd.Series, new: pd.Series, table: str) -> str:
    """``1-6月完成投资 2.1 → 2.4`` or ``100 → 110``, as the cleaner's report words a revision."""
    column = "ytd_investment" if table == "progress" else "value"
    a, b = old[column], new[column]
    if pd.isna(a) or pd.isna(b):
        return "数值有变"
    return f"{'累计完成投资 ' if table == 'progress' else ''}{a:g} → {b:g}"


def _where(rec: pd.Series) -> str:
    return f"{rec['source_file']} 第 {rec['source_row']} 行"


def _raise(a: pd.Series, b: pd.Series, table: str, hint: str) -> None:
    raise InputDataError(
        f"同一期间（{int(a['year'])}年1-{int(a['month'])}月）的“{_label(a, table)}”在两处数值不同："
        f"{_where(a)} 与 {_where(b)}",
        file=b["source_file"],
        location=f"第 {b['source_row']} 行",
        hint=hint,
    )


def _note(
    keep: pd.Series, other: pd.Series, severity: str, table: str, texts: dict[tuple[str, int], str]
) -> dict:
    label = _label(keep, table)
    if severity == "superseded":
        changed = "数值未变" if _same(keep, other) else _change(other, keep, table)
        reason = f"被修订版 {_where(keep)} 取代（{label}：{changed}）"
    else:
        reason = f"与 {_where(keep)} 重复，保留前者（{label}）"
    return {
        "source_file": other["source_file"],
        "source_row": int(other["source_row"]),
        "raw_text": texts.get((other["source_file"], int(other["source_row"])), ""),
        "reason": reason,
        "severity": severity,
    }
