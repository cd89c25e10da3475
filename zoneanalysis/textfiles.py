"""Read every text file the suite reads: bureau CSVs, reference CSVs, sidecars and YAML rules.

One place decides the encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK/GB18030 as saved by
Excel on Chinese Windows), the CSV dialect (comma, tab or semicolon), and turns every problem into
one Chinese message that names the file and the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections import Counter
from pathlib import Path

from zoneanalysis.errors import ConfigError, ZoneAnalysisError

MAX_CELL_CHARS = 131_072  # Python's csv field limit; a longer cell is refused, not truncated
CSV_DELIMITERS = (",", "\t", ";")
DELIMITER_NAMES_ZH = {",": "逗号", "\t": "制表符", ";": "分号"}
SNIFF_LINES = 200
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FALLBACK_ENCODINGS = ("utf-8", "gb18030")

ErrorType = type[ZoneAnalysisError]


def display_name(path: str | os.PathLike[str] | bytes) -> str:
    r"""A file name people can read, whatever encoding it was written in on disk.

    A name saved by a Chinese Windows tool (GBK bytes) reaches Python as lone surrogates; it is
    decoded as UTF-8, then GB18030, else its undecodable bytes are shown as ``\\xNN``.

    Parameters
    ----------
    path
        A path (``str``, ``Path`` or raw ``bytes``).

    Returns
    -------
    str
        A printable name (never holds surrogates).
    """
    raw = path if isinstance(path, bytes) else os.fsencode(os.fspath(path))
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="backslashreplace")


def decode_text(data: bytes, *, label: str, error: ErrorType = ConfigError) -> str:
    """Decode the bytes of a text file.

    Parameters
    ----------
    data
        The file's bytes.
    label
        The file's name for messages.
    error
        The error class raised (``InputDataError`` for bureau tables, ``ConfigError`` otherwise).

    Returns
    -------
    str
        The text, without a byte-order mark.

    Raises
    ------
    ZoneAnalysisError
        (of class ``error``) if the bytes are neither UTF-8/UTF-16 with BOM, UTF-8, nor GB18030,
        or hold NUL characters (a binary file, or UTF-16 saved without its BOM).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as exc:
                raise _undecodable(label, error, data, exc.start, encoding) from None
    if b"\x00" in data:
        raise error(
            "文件中含有空字符（NUL），不是普通文本文件（可能是没有 BOM 的 UTF-16 文件或二进制文件）",
            file=label,
            hint="用 Excel 或文本编辑器把它另存为“CSV UTF-8”或 UTF-8 文本后重试。",
        )
    last: UnicodeDecodeError | None = None
    for encoding in _FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            last = exc  # GB18030 is tried last: where it fails, no supported encoding fits
    assert last is not None
    raise _undecodable(label, error, data, last.start, "UTF-8/GBK/GB18030") from None


def _undecodable(
    label: str, error: ErrorType, data: bytes, start: int, tried: str
) -> ZoneAnalysisError:
    line = data.count(b"\n", 0, start) + 1
    return error(
        f"文件编码无法识别：既不是 UTF-8（含 BOM）、UTF-16（含 BOM），也不是 GBK/GB18030（按 {tried} "
        "解码失败）",
        file=label,
        location=f"第 {line} 行",
        hint="用 Excel 或文本编辑器把它另存为“CSV UTF-8”或 UTF-8 文本后重试。",
    )


def read_text_file(
    path: str | os.PathLike[str], *, label: str | None = None, error: ErrorType = ConfigError
) -> str:
    """Read a whole text file (YAML rules, sidecars, CSVs), whatever its encoding.

    Parameters
    ----------
    path
        The file.
    label
        Its name in messages; by default :func:`display_name` of ``path``.
    error
        The error class raised.

    Returns
    -------
    str
        The decoded text.

    Raises
    ------
    ZoneAnalysisError
        (of class ``error``) if the file cannot be opened or decoded.
    """
    label = label or display_name(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise error(
            f"无法打开文件：{exc.strerror or type(exc).__name__}",
            file=label,
            hint="检查文件是否存在、是否有读取权限、是否被其他程序占用。",
        ) from None
    return decode_text(data, label=label, error=error)


def sniff_delimiter(text: str) -> str:
    r"""The CSV delimiter (comma, tab or semicolon) that gives the most regular table.

    Each candidate splits the first lines; the score is the number of rows with the most common
    width times that width (rows of one cell, such as titles, do not count). Ties go to the comma.

    Parameters
    ----------
    text
        The decoded file.

    Returns
    -------
    str
        ``","``, ``"\\t"`` or ``";"``.
    """
    sample = "\n".join(text.splitlines()[:SNIFF_LINES])
    best, best_score = ",", 0
    for delimiter in CSV_DELIMITERS:
        widths: Counter[int] = Counter()
        try:  # a faulty row is reported by the real parse, with its line
            for row in csv.reader(io.StringIO(sample), delimiter=delimiter):
                if len(row) > 1:
                    widths[len(row)] += 1
        except csv.Error:
            pass
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda wc: (wc[1] * wc[0], wc[0]))
        if width * count > best_score:
            best, best_score = delimiter, width * count
    return best


def parse_csv_text(text: str, *, label: str, error: ErrorType = ConfigError) -> list[list[str]]:
    """Split decoded CSV text into rows, refusing quoting faults instead of losing rows.

    Parameters
    ----------
    text
        The decoded file.
    label
        The file's name for messages.
    error
        The error class raised.

    Returns
    -------
    list of list of str
        The rows as written (a cell may hold a line break if it was quoted).

    Raises
    ------
    ZoneAnalysisError
        (of class ``error``) for an unclosed quote (rows would be swallowed into one cell), a
        quote in the middle of a cell, or a cell longer than :data:`MAX_CELL_CHARS` characters.
    """
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    start = 1
    try:
        for row in reader:
            _check_row(row, start, reader.line_num, delimiter, label, error)
            rows.append(row)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _csv_error(str(exc), start, reader.line_num, label, error) from None
    return rows


def _check_row(
    row: list[str], start: int, end: int, delimiter: str, label: str, error: ErrorType
) -> None:
    for cell in row:
        if len(cell) > MAX_CELL_CHARS:
            raise error(
                f"单元格过长（{len(cell)} 个字符，上限 {MAX_CELL_CHARS}），不像统计数据",
                file=label,
                location=f"第 {start} 行",
                hint="检查该行是否混入了大段文本或未闭合的引号；删去多余内容后另存。",
            )
    if end > start and any(
        delimiter in line for cell in row if "\n" in cell for line in cell.splitlines()[1:]
    ):
        raise error(
            f"第 {start} 行有一个未闭合的引号，第 {start} 至 {end} 行被读成了同一个单元格"
            f"（其中含有{DELIMITER_NAMES_ZH[delimiter]}分隔的多行）",
            file=label,
            location=f"第 {start} 行",
            hint="请向报送单位索取正确导出的文件，或用 Excel 打开后另存为 CSV（Excel 会补全引号）。",
        )


def _csv_error(message: str, start: int, end: int, label: str, error: ErrorType) -> Exception:
    if "field larger than field limit" in message:
        return error(
            f"单元格过长（超过 {MAX_CELL_CHARS} 个字符），不像统计数据",
            file=label,
            location=f"第 {start} 行起",
            hint="检查该行是否混入了大段文本或未闭合的引号；删去多余内容后另存。",
        )
    if "unexpected end of data" in message or end > start:
        what = f"第 {start} 行的引号直到文件末尾（第 {end} 行）都没有闭合，其后的行会全部丢失"
    else:
        what = f"第 {end} 行的引号位置不对：引号后面紧跟着别的字符（{message}）"
    return error(
        what,
        file=label,
        location=f"第 {start} 行",
        hint="请向报送单位索取正确导出的文件，或用 Excel 打开后另存为 CSV（Excel 会补全引号）。",
    )


def read_csv_rows(
    path: str | os.PathLike[str], *, label: str | None = None, error: ErrorType = ConfigError
) -> list[list[str]]:
    """Read a CSV file into rows of text cells (any supported encoding and delimiter).

    Parameters
    ----------
    path
        The CSV file.
    label
        Its name in messages; by default :func:`display_name` of ``path``.
    error
        The error class raised.

    Returns
    -------
    list of list of str
        The rows, as written.

    Raises
    ------
    ZoneAnalysisError
        (of class ``error``) if the file cannot be read, decoded or split (see
        :func:`parse_csv_text`).
    """
    label = label or display_name(path)
    return parse_csv_text(read_text_file(path, label=label, error=error), label=label, error=error)
