"""Check an .xlsx cheaply before its cells are read: sizes, used range, formulas, formats.

python-calamine builds the whole used range in memory and aborts the process (a Rust panic,
exit 134) when a stray cell sits at XFD200000; a shared string of hundreds of megabytes costs
minutes and gigabytes. This module reads the zip directory and streams the sheet XML with
expat, keeping only a few facts per sheet, and refuses a workbook beyond sane bounds with one
Chinese message before calamine sees it. The same pass finds what calamine does not report:
formula cells without a cached value, percent and month number formats, hidden rows, columns
and sheets.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from zoneanalysis.errors import InputDataError

MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_SHEET_XML_BYTES = 128 * 2**20
MAX_SHARED_STRINGS_BYTES = 64 * 2**20
MAX_PART_BYTES = 16 * 2**20  # workbook.xml, styles.xml, relationships
MAX_CELL_TEXT = 32_767  # Excel's own limit for one cell
MAX_LISTED = 20  # formula cells kept for the message

FORMAT_PERCENT = "percent"
FORMAT_MONTH = "month"  # a date shown without its day ("2016年6月"): a period
FORMAT_DATE = "date"

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_BUILTIN_FORMATS = {9: FORMAT_PERCENT, 10: FORMAT_PERCENT, 17: FORMAT_MONTH}
_BUILTIN_FORMATS |= dict.fromkeys((27, 36, 50, 52, 57), FORMAT_MONTH)  # yyyy"年"m"月" (zh-CN)
_BUILTIN_DATES = (*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59))


@dataclass
class SheetScan:
    """What the scan found in one worksheet (rows and columns 0-based).

    Attributes
    ----------
    name, hidden
        Sheet name and whether it is hidden in the workbook.
    n_rows, n_columns
        Extent of the cells that hold a value or a formula.
    formats
        ``(row, column)`` → ``percent`` or ``month`` for numeric cells with such a format.
    formulas
        The first formula cells as ``(row, column, formula)``; ``n_formulas`` counts all.
    uncached
        The first formula cells without a cached value; ``n_uncached`` counts all.
    hidden_rows, hidden_columns
        Hidden rows; hidden column ranges ``(first, last)``.
    """

    name: str
    hidden: bool = False
    n_rows: int = 0
    n_columns: int = 0
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: list[tuple[int, int, str]] = field(default_factory=list)
    n_formulas: int = 0
    uncached: list[tuple[int, int, str]] = field(default_factory=list)
    n_uncached: int = 0
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class WorkbookScan:
    """The sheets of a workbook in tab order, and whether it asks Excel to recalculate on open."""

    sheets: list[SheetScan]
    full_calc_on_load: bool = False


def cell_ref(row: int, col: int) -> str:
    """0-based row and column → an A1 reference ("C7")."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def format_kind(code: str) -> str | None:
    """Classify an Excel number format code: ``percent``, ``month``, ``date`` or ``None``.

    Quoted text, escaped characters and bracketed parts (colours, locales) are ignored, so
    ``yyyy"年"m"月"`` is a month and ``0.0"%"`` is not a percent.

    Examples
    --------
    >>> format_kind("0.0%"), format_kind('yyyy"年"m"月"'), format_kind("yyyy-mm-dd")
    ('percent', 'month', 'date')
    """
    bare = _QUOTED.sub("", code.split(";")[0]).lower().replace("general", "")
    bare = re.sub(r"e[+-]", "", bare)
    if "%" in bare:
        return FORMAT_PERCENT
    if not any(ch in bare for ch in "ymdhs"):
        return None
    return FORMAT_DATE if ("d" in bare or "h" in bare or "s" in bare) else FORMAT_MONTH


def scan_xlsx(path: str | Path, label: str) -> WorkbookScan | None:
    """Scan an .xlsx (or .xlsm) within bounds.

    Parameters
    ----------
    path
        The workbook.
    label
        Its name in messages (the path relative to the raw folder).

    Returns
    -------
    WorkbookScan or None
        ``None`` when the file is not a zip at all (the reader then reports it as corrupt).

    Raises
    ------
    InputDataError
        If a part is too big, the used range is too large, a cell text is too long, or the zip
        or XML is damaged.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            return _scan_zip(zf, label)
    except zipfile.BadZipFile as exc:
        if not zipfile.is_zipfile(path):
            return None
        raise _damaged(label, exc) from None
    except (zlib.error, EOFError, expat.ExpatError, ET.ParseError, KeyError, ValueError) as exc:
        raise _damaged(label, exc) from None


def _damaged(label: str, exc: Exception) -> InputDataError:
    return InputDataError(
        f"工作簿内部已损坏，无法读取（{type(exc).__name__}）",
        file=label,
        hint="用 Excel 打开确认文件完好，必要时重新下载或另存为 .xlsx。",
    )


def _scan_zip(zf: zipfile.ZipFile, label: str) -> WorkbookScan:
    infos = {info.filename.lstrip("/"): info for info in zf.infolist()}
    book_part = _office_document(zf, infos, label)
    root = _small_xml(zf, infos, book_part, label)
    rels = _relationships(zf, infos, book_part, label)
    calc = next((el for el in root.iter() if _local(el.tag) == "calcPr"), None)
    full_calc = calc is not None and calc.get("fullCalcOnLoad") in ("1", "true")
    for target in rels.by_type("sharedStrings"):
        _check_shared_strings(zf, infos.get(target), label)
    formats: dict[int, str] = {}
    for target in rels.by_type("styles"):
        if target in infos:
            formats = _cell_formats(_small_xml(zf, infos, target, label))
    sheets: list[SheetScan] = []
    for el in root.iter():
        if _local(el.tag) != "sheet":
            continue
        scan = SheetScan(name=el.get("name", ""), hidden=el.get("state", "visible") != "visible")
        target = rels.targets.get(el.get(f"{{{_REL_NS}}}id", ""))
        if target in infos:
            _scan_sheet(zf, infos[target], scan, formats, label)
        sheets.append(scan)
    return WorkbookScan(sheets=sheets, full_calc_on_load=full_calc)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2].rpartition(":")[2]


@dataclass
class _Rels:
    targets: dict[str, str]
    types: dict[str, str]

    def by_type(self, kind: str) -> list[str]:
        return [self.targets[i] for i, t in self.types.items() if t.endswith("/" + kind)]


def _office_document(zf: zipfile.ZipFile, infos: dict, label: str) -> str:
    if "_rels/.rels" in infos:
        rels = _parse_rels(_small_xml(zf, infos, "_rels/.rels", label), "")
        found = rels.by_type("officeDocument")
        if found:
            return found[0]
    return "xl/workbook.xml"


def _relationships(zf: zipfile.ZipFile, infos: dict, part: str, label: str) -> _Rels:
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if rels_part not in infos:
        return _Rels({}, {})
    return _parse_rels(_small_xml(zf, infos, rels_part, label), folder)


def _parse_rels(root: ET.Element, folder: str) -> _Rels:
    targets: dict[str, str] = {}
    types: dict[str, str] = {}
    for el in root:
        rid, target = el.get("Id", ""), el.get("Target", "")
        if el.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets[rid] = posixpath.normpath(path)
        types[rid] = el.get("Type", "")
    return _Rels(targets, types)


def _small_xml(zf: zipfile.ZipFile, infos: dict, part: str, label: str) -> ET.Element:
    info = infos[part]
    if info.file_size > MAX_PART_BYTES:
        raise _too_big(label, None, f"部件 {part} 解压后 {_mb(info.file_size)}", MAX_PART_BYTES)
    return ET.fromstring(zf.read(info))


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


def _too_big(label: str, sheet: str | None, what: str, limit: int | str) -> InputDataError:
    bound = _mb(limit) if isinstance(limit, int) else limit
    where = f"工作表“{sheet}”" if sheet else None
    return InputDataError(
        f"工作簿过大，拒绝读取：{what}，超过上限 {bound}",
        file=label,
        location=where,
        hint=(
            "多半是表格远处有误输入的单元格或粘贴进了超长文字：用 Excel 打开，按 Ctrl+End "
            "找到最后一个单元格，删除多余的行、列或文字后另存为新文件，放进原始数据目录"
            "（统计局原表另存备份）。"
        ),
    )


def _check_shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo | None, label: str) -> None:
    if info is None:
        return
    if info.file_size > MAX_SHARED_STRINGS_BYTES:
        what = f"共享字符串表解压后 {_mb(info.file_size)}"
        raise _too_big(label, None, what, MAX_SHARED_STRINGS_BYTES)
    if info.file_size <= MAX_CELL_TEXT:  # no string can be longer than the whole part
        return
    with zf.open(info) as fh:
        for number, (_, el) in enumerate(ET.iterparse(fh, events=("end",))):
            if _local(el.tag) != "si":
                continue
            length = sum(len(t.text or "") for t in el.iter() if _local(t.tag) == "t")
            if length > MAX_CELL_TEXT:
                what = f"第 {number + 1} 个共享字符串长 {length} 个字符"
                raise _too_big(label, None, what, f"{MAX_CELL_TEXT} 个字符（Excel 单元格上限）")
            el.clear()


def _cell_formats(styles: ET.Element) -> dict[int, str]:
    """Style index (``s`` of a cell) → ``percent`` / ``month`` / ``date``."""
    codes: dict[int, str] = {}
    xfs: list[ET.Element] = []
    for el in styles:
        tag = _local(el.tag)
        if tag == "numFmts":
            for fmt in el:
                if fmt.get("numFmtId", "").isdigit():
                    codes[int(fmt.get("numFmtId"))] = fmt.get("formatCode", "")
        elif tag == "cellXfs":
            xfs = list(el)
    kinds: dict[int, str] = {}
    for index, xf in enumerate(xfs):
        fmt_id = int(xf.get("numFmtId", "0")) if xf.get("numFmtId", "0").isdigit() else 0
        kind = format_kind(codes[fmt_id]) if fmt_id in codes else _BUILTIN_FORMATS.get(fmt_id)
        if kind is None and fmt_id not in codes and fmt_id in _BUILTIN_DATES:
            kind = FORMAT_DATE
        if kind is not None:
            kinds[index] = kind
    return kinds


def _scan_sheet(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, scan: SheetScan, formats: dict, label: str
) -> None:
    if info.file_size > MAX_SHEET_XML_BYTES:
        what = f"工作表 XML 解压后 {_mb(info.file_size)}"
        raise _too_big(label, scan.name, what, MAX_SHEET_XML_BYTES)
    walker = _SheetWalker(scan, formats, label)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = walker.start
    parser.EndElementHandler = walker.end
    parser.CharacterDataHandler = walker.text
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


class _SheetWalker:
    """expat handlers: follow rows and cells, keep only the facts :class:`SheetScan` holds."""

    def __init__(self, scan: SheetScan, formats: dict[int, str], label: str) -> None:
        self.scan, self.formats, self.label = scan, formats, label
        self.row = self.col = -1
        self.cell_type = self.style = None
        self.formula: list[str] | None = None
        self.value: list[str] | None = None
        self.text_len: int | None = None
        self.has_formula = self.has_value = False
        self.capture: list[str] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(":")[2]
        if tag == "c":
            self._start_cell(attrs)
        elif tag == "row":
            self.row = int(attrs["r"]) - 1 if attrs.get("r", "").isdigit() else self.row + 1
            self.col = -1
            if attrs.get("hidden") in ("1", "true"):
                self.scan.hidden_rows.add(self.row)
        elif tag == "f":
            self.has_formula, self.formula = True, []
            self.capture = self.formula
        elif tag == "v":
            self.value = []
            self.capture = self.value
        elif tag == "t":
            self.text_len = 0
        elif tag == "col" and attrs.get("hidden") in ("1", "true"):
            first, last = int(attrs.get("min", "1")), int(attrs.get("max", "1"))
            self.scan.hidden_columns.append((first - 1, last - 1))

    def _start_cell(self, attrs: dict[str, str]) -> None:
        m = _CELL_REF.match(attrs.get("r", ""))
        if m:
            col = 0
            for ch in m.group(1).upper():
                col = col * 26 + ord(ch) - 64
            self.col, self.row = col - 1, int(m.group(2)) - 1
        else:
            self.col += 1
        self.cell_type, self.style = attrs.get("t"), attrs.get("s")
        self.has_formula = self.has_value = False
        self.formula = self.value = None

    def text(self, data: str) -> None:
        if self.capture is not None:
            if len(self.capture) < 64:
                self.capture.append(data)
        elif self.text_len is not None:
            self.text_len += len(data)
            if self.text_len > MAX_CELL_TEXT:
                what = f"单元格 {cell_ref(self.row, self.col)} 的文字超过 {MAX_CELL_TEXT} 个字符"
                raise _too_big(self.label, self.scan.name, what, f"{MAX_CELL_TEXT} 个字符")

    def end(self, name: str) -> None:
        tag = name.rpartition(":")[2]
        if tag in ("f", "v"):
            self.capture = None
        elif tag == "t":
            self.has_value = self.has_value or bool(self.text_len)
            self.text_len = None
        elif tag == "c":
            self._end_cell()

    def _end_cell(self) -> None:
        value = "".join(self.value or ())
        self.has_value = self.has_value or bool(value.strip())
        if not (self.has_value or self.has_formula):
            return
        scan, r, c = self.scan, self.row, self.col
        if r >= MAX_ROWS:
            raise _too_big(
                self.label, scan.name, f"单元格 {cell_ref(r, c)} 在第 {r + 1} 行", f"{MAX_ROWS} 行"
            )
        if c >= MAX_COLUMNS:
            raise _too_big(
                self.label,
                scan.name,
                f"单元格 {cell_ref(r, c)} 在第 {c + 1} 列",
                f"{MAX_COLUMNS} 列",
            )
        scan.n_rows, scan.n_columns = max(scan.n_rows, r + 1), max(scan.n_columns, c + 1)
        if self.has_formula:
            formula = "".join(self.formula or ())[:80]
            scan.n_formulas += 1
            if len(scan.formulas) < MAX_LISTED:
                scan.formulas.append((r, c, formula))
            # no <v>, or an empty one that is not a text result (openpyxl writes <v></v>)
            if self.value is None or (not value and self.cell_type != "str"):
                scan.n_uncached += 1
                if len(scan.uncached) < MAX_LISTED:
                    scan.uncached.append((r, c, formula))
        if self.style and self.cell_type in (None, "n") and value.strip():
            kind = self.formats.get(int(self.style)) if self.style.isdigit() else None
            if kind in (FORMAT_PERCENT, FORMAT_MONTH):
                scan.formats[(r, c)] = kind
