"""Errors that reach the user as one clear message (no traceback)."""

from __future__ import annotations

from pathlib import Path


class ZoneAnalysisError(Exception):
    """A problem with the user's input or configuration.

    The CLI prints ``str(error)`` on stderr and exits with status 1.

    Parameters
    ----------
    message
        What is wrong, in the reader's words.
    file
        The file at fault, if any.
    location
        Where in the file: a row, column, cell, key or value.
    hint
        What the user should do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        location: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = None if file is None else _readable(file)
        self.location = location
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.location:
                where += f"（{self.location}）"
            where += "："
        elif self.location:
            where = f"{self.location}："
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n  处理办法：{self.hint}"
        return text


def _readable(file: str | Path) -> str:
    """The file's name as printable text (a GBK-encoded name on disk is decoded, never surrogates)."""
    from zoneanalysis.textfiles import display_name  # late: textfiles imports this module

    return display_name(file)


class InputDataError(ZoneAnalysisError):
    """A raw data file cannot be read or contradicts another one."""


class ConfigError(ZoneAnalysisError):
    """A reference or configuration file (zones, indicators, targets, criteria) is invalid."""


class PeriodError(ZoneAnalysisError):
    """A requested period is malformed, in the future, or has no data."""
