"""What the rows above a table's header say: the unit line, the period and the revision mark.

Bureau tables and ledger tables put the same things above their header (a title naming the
period, perhaps "（修订）", and a unit line such as "单位：万元、%"); both readers read them here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from zoneanalysis.cleaning.period import detect_period, is_revision_title
from zoneanalysis.cleaning.rules import CleaningRules
from zoneanalysis.cleaning.values import cell_text, is_blank
from zoneanalysis.errors import InputDataError
from zoneanalysis.names import normalise_name

_UNIT_LABEL = re.compile(r"^[^:：]*单位[:：]")  # "人数单位：人" → "人"

Rows = list[list]


class TitleFacts(Protocol):
    """The facts a table stacked below another one inherits (a :class:`Layout` has them)."""

    year: int
    month: int
    is_revision: bool


def find_unit_line(rows: Rows, rules: CleaningRules) -> tuple[list[int], list[str]]:
    """Find the unit lines among the title rows and the units they name.

    Parameters
    ----------
    rows
        The rows above the header.
    rules
        The cleaning rules (``unit_line_prefixes``, ``unit_separators``).

    Returns
    -------
    tuple
        ``(row indices of unit lines, unit words in order)``; "单位：万元、%" gives
        ``["万元", "%"]``, "金额单位：万元；人数单位：人" gives ``["万元", "人"]``.
    """
    found_rows: list[int] = []
    tokens: list[str] = []
    for r, row in enumerate(rows):
        for cell in row:
            if not isinstance(cell, str):
                continue
            text = normalise_name(cell)
            for prefix in rules.unit_line_prefixes:
                if text.startswith(prefix):
                    rest = text[len(prefix) :]
                    for sep in rules.unit_separators:
                        rest = rest.replace(normalise_name(sep) or sep, "\x00")
                    pieces = (_UNIT_LABEL.sub("", t) for t in rest.split("\x00"))
                    tokens += [t for t in pieces if t]
                    found_rows.append(r)
                    break
    return found_rows, tokens


def title_texts(rows: Rows) -> list[str]:
    """The non-empty title rows, each row's cells joined by spaces."""
    texts = [" ".join(cell_text(c) for c in row if not is_blank(c)) for row in rows]
    return [t for t in texts if t]


def is_revision(
    rows: Rows,
    rel: str,
    rules: CleaningRules,
    *,
    revision: bool | None = None,
    inherit: TitleFacts | None = None,
) -> bool:
    """Whether a table is a revised release: its title or its file name says so.

    A table stacked below a revised one inherits the mark only if its own title rows are empty;
    ``revision`` (a sidecar's ``revision: true/false``), when given, decides.
    """
    if revision is not None:
        return revision
    texts = title_texts(rows)
    return (
        any(is_revision_title(t, rules) for t in texts)
        or is_revision_title(Path(rel).name, rules)
        or (inherit is not None and not texts and inherit.is_revision)
    )


def find_period(
    rows: Rows,
    rel: str,
    rules: CleaningRules,
    *,
    period: tuple[int, int] | None = None,
    revision: bool | None = None,
    inherit: TitleFacts | None = None,
) -> tuple[int, int, bool]:
    """Period and revision mark: sidecar, else title, else the table above, else file name.

    Parameters
    ----------
    rows
        The rows above the header.
    rel
        The file's path relative to the raw folder (its name is the last place for the period).
    rules
        The cleaning rules.
    period, revision
        A sidecar's ``period`` and ``revision``, when given (they decide).
    inherit
        The table stacked above this one in the same sheet, if any.

    Returns
    -------
    tuple
        ``(year, month, is_revision)``.

    Raises
    ------
    InputDataError
        If neither the title nor the file name names a complete period.
    """
    mark = is_revision(rows, rel, rules, revision=revision, inherit=inherit)
    if period:
        return period[0], period[1], mark
    year = month = None
    for text in title_texts(rows):
        y, m = detect_period(text, rules)
        if y and m:
            year, month = y, m
            break
        year, month = year or y, month or m
    if (year is None or month is None) and inherit is not None:
        year, month = year or inherit.year, month or inherit.month
    if year is None or month is None:
        y, m = detect_period(Path(rel).name, rules)
        year, month = year or y, month or m
    if year is None or month is None:
        raise InputDataError(
            "找不到报表期间：标题和文件名中都没有“YYYY年1-N月”“一季度”“上半年”之类的期间",
            file=rel,
            hint=(
                "在标题中写明期间，或在同目录放一个 <文件名>.layout.yaml，写 period: YYYY-MM"
                "（例如 2016-06）。"
            ),
        )
    return year, month, mark
