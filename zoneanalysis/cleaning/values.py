"""Parse numeric cells: missing and footnote markers, signs, thousands separators, ``%``."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

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


@dataclass(frozen=True)
class ParsedNumber:
    """A numeric cell read: its value and the footnote markers taken off it.

    Attributes
    ----------
    value
        The number, or ``None`` for a blank cell or a missing marker.
    note
        The footnote markers found before or after the number (``"①"``, ``"*"``), in the order
        written; ``""`` if none.
    """

    value: float | None
    note: str = ""


def parse_number(cell: object, rules: CleaningRules) -> float | None:
    """Parse a numeric cell.

    Parameters
    ----------
    cell
        The raw cell: a number, text, or ``None``.
    rules
        The cleaning rules (missing markers, footnote markers, minus signs).

    Returns
    -------
    float or None
        The number; ``None`` for a blank cell or a missing marker ("—", "－", "…", "/" …).
        Footnote markers are ignored (see :func:`parse_number_note` to keep them).

    Raises
    ------
    NumberFormatError
        If the text is not a finite number, e.g. ``"12.3.4"``, ``"abc"``, ``"inf"`` or ``"1e999"``.

    Examples
    --------
    >>> from zoneanalysis.cleaning.rules import load_cleaning_rules
    >>> parse_number("1,234.56", load_cleaning_rules())
    1234.56
    >>> parse_number("1082①", load_cleaning_rules())
    1082.0
    >>> parse_number("−3.5%", load_cleaning_rules())
    -3.5
    """
    return parse_number_note(cell, rules).value


def parse_number_note(cell: object, rules: CleaningRules) -> ParsedNumber:
    """Parse a numeric cell and keep its footnote markers as a note.

    Digits are Unicode decimal digits only (ASCII or full-width): a circled ①, a superscript ²
    or any other character that merely has a numeric value is never read as a digit. Such
    characters, and the rules' ``footnote_markers``, are taken off when they stand before or
    after the number; anywhere else they make the cell unreadable.

    Parameters
    ----------
    cell
        The raw cell: a number, text, or ``None``.
    rules
        The cleaning rules.

    Returns
    -------
    ParsedNumber
        The value (``None`` if blank or missing) and the markers taken off.

    Raises
    ------
    NumberFormatError
        If the text is not a finite number.
    """
    if isinstance(cell, bool):
        raise NumberFormatError(str(cell))
    if isinstance(cell, int | float):
        value = float(cell)
        if math.isnan(value):
            return ParsedNumber(None)
        if not math.isfinite(value):
            raise NumberFormatError(str(cell))
        return ParsedNumber(value)
    if is_blank(cell):
        return ParsedNumber(None)
    raw = str(cell).strip()
    if raw in rules.missing_markers:
        return ParsedNumber(None)
    core, note = _take_off_markers(raw, rules)
    if not core or core in rules.missing_markers:
        if core and note:
            return ParsedNumber(None, note)
        raise NumberFormatError(raw)
    return ParsedNumber(_to_float(core, raw, rules), note)


def _is_marker(ch: str, rules: CleaningRules) -> bool:
    return ch in rules.footnote_markers or unicodedata.category(ch) == "No"


def _take_off_markers(text: str, rules: CleaningRules) -> tuple[str, str]:
    """Split ``text`` into the number's text and the markers around it (whitespace dropped).

    One ``%`` may stand before or after trailing markers (``12.3%①``, ``12.3①%``); it is kept.
    """
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or _is_marker(text[start], rules)):
        start += 1
    percent = False
    while end > start:
        ch = text[end - 1]
        if ch in "%％" and not percent:
            percent = True
        elif not (ch.isspace() or _is_marker(ch, rules)):
            break
        end -= 1
    markers = [c for c in text[:start] + text[end:] if not c.isspace() and c not in "%％"]
    return text[start:end] + ("%" if percent else ""), "".join(markers)


def _to_float(core: str, raw: str, rules: CleaningRules) -> float:
    """Read the number's text: decimal digits, one sign, ``.``, thousands commas, ``%``, exponent."""
    chars: list[str] = []
    for i, ch in enumerate(core):
        if ch.isspace():
            continue
        if unicodedata.category(ch) == "Nd":
            chars.append(str(unicodedata.digit(ch)))
        elif ch in rules.minus_signs and (not chars or chars[-1] in "eE"):
            chars.append("-")
        elif ch in "+＋" and (not chars or chars[-1] in "eE"):
            chars.append("+")
        elif ch in ".．":
            chars.append(".")
        elif ch in ",，":
            chars.append(",")
        elif ch in "eE" and chars:
            chars.append(ch)
        elif ch in "%％" and i == len(core) - 1:
            continue
        else:
            raise NumberFormatError(raw)
    text = "".join(chars)
    if "," in text:
        if not _GROUPED.match(text):
            raise NumberFormatError(raw)
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise NumberFormatError(raw)
    value = float(text)
    if not math.isfinite(value):
        raise NumberFormatError(raw)
    return value


def is_number_like(cell: object, rules: CleaningRules) -> bool:
    """True if the cell holds a number (not blank, not a missing marker, parsable)."""
    try:
        return parse_number(cell, rules) is not None
    except NumberFormatError:
        return False
