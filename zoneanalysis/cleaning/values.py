"""Parse numeric cells: missing markers, thousands separators, a ``%`` suffix."""

from __future__ import annotations

import math
import re
import unicodedata

from zoneanalysis.cleaning.rules import CleaningRules

_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")


class NumberFormatError(ValueError):
    """A cell that should hold a number holds something else."""


def is_blank(cell: object) -> bool:
    """True if the cell is empty (``None``, ``""`` or only whitespace)."""
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return isinstance(cell, float) and math.isnan(cell)


def cell_text(cell: object) -> str:
    """The cell as stripped text (numbers without a spurious ``.0``)."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        if math.isnan(cell):
            return ""
        if cell.is_integer():
            return str(int(cell))
    return str(cell).strip()


def parse_number(cell: object, rules: CleaningRules) -> float | None:
    """Parse a numeric cell.

    Parameters
    ----------
    cell
        The raw cell: a number, text, or ``None``.
    rules
        The cleaning rules (missing markers).

    Returns
    -------
    float or None
        The number; ``None`` for a blank cell or a missing marker ("—", "－", "…", "/" …).

    Raises
    ------
    NumberFormatError
        If the text is not a number, e.g. ``"12.3.4"`` or ``"abc"``.

    Examples
    --------
    >>> from zoneanalysis.cleaning.rules import load_cleaning_rules
    >>> parse_number("1,234.56", load_cleaning_rules())
    1234.56
    >>> parse_number("-3.5%", load_cleaning_rules()) is None
    False
    """
    if isinstance(cell, bool):
        raise NumberFormatError(str(cell))
    if isinstance(cell, int | float):
        value = float(cell)
        return None if math.isnan(value) else value
    if is_blank(cell):
        return None
    raw = str(cell).strip()
    if raw in rules.missing_markers:
        return None
    text = unicodedata.normalize("NFKC", raw).replace(" ", "")
    if text in rules.missing_markers:
        return None
    if text.endswith("%"):
        text = text[:-1]
    if "," in text:
        if not _GROUPED.match(text):
            raise NumberFormatError(raw)
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise NumberFormatError(raw)
    return float(text)


def is_number_like(cell: object, rules: CleaningRules) -> bool:
    """True if the cell holds a number (not blank, not a missing marker, parsable)."""
    try:
        return parse_number(cell, rules) is not None
    except NumberFormatError:
        return False
