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
from array import array
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
MAX_CELLS = 4_000_000  # rows × columns from A1, summed over the sheets (calamine's grids are dense)
MAX_TEXT_CHARS = (
    16 * 2**20
)  # characters of cell text in the workbook (a string shared by many cells)
MAX_LISTED = 20  # formula cells kept for the message
MAX_QUICK_BYTES = 8 * 2**20  # sheets up to this size may be settled by the regex pre-check

_QUICK_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_QUICK_STYLE = re.compile(rb'<c [^>]*? s="([0-9]+)"')
_QUICK_LONG_TEXT = re.compile(rb">[^<]{%d,}" % MAX_CELL_TEXT)

FORMAT_PERCENT = "percent"
FORMAT_MONTH = "month"  # a date shown without its day ("2016年6月"): a period
FORMAT_DATE = "date"

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
    budget = _Budget(label)
    for target in rels.by_type("sharedStrings"):
        budget.shared = _shared_string_lengths(zf, infos.get(target), label)
    formats: dict[int, str] = {}
    for target in rels.by_type("styles"):
        if target in infos:
            formats = _cell_formats(_small_xml(zf, infos, target, label))
    sheets: list[SheetScan] = []
    scanned: set[str] = set()
    for el in root.iter():
        if _local(el.tag) != "sheet":
            continue
        scan = SheetScan(name=el.get("name", ""), hidden=el.get("state", "visible") != "visible")
        rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), "")  # also Strict
        target = rels.targets.get(rid)
        if target in infos:
            _scan_sheet(zf, infos[target], scan, formats, budget)
            scanned.add(target)
        sheets.append(scan)
    for part in sorted(set(infos) - scanned):  # a worksheet no <sheet> points to: bound it too
        if part.startswith("xl/worksheets/") and part.endswith(".xml"):
            _scan_sheet(zf, infos[part], SheetScan(name=part), formats, budget)
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
        raise too_big_error(
            label, None, f"部件 {part} 解压后 {_mb(info.file_size)}", MAX_PART_BYTES
        )
    return ET.fromstring(zf.read(info))


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


def too_big_error(label: str, sheet: str | None, what: str, limit: int | str) -> InputDataError:
    """The Chinese refusal: file, sheet, what is too big and the bound (bytes or a text)."""
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


@dataclass
class _Budget:
    """What the whole workbook may cost once read: dense cells and characters of text."""

    label: str
    shared: array = field(default_factory=lambda: array("l"))  # length of each shared string
    cells: int = 0
    text: int = 0

    def add_cells(self, n: int, sheet: str) -> None:
        self.cells += n
        if self.cells > MAX_CELLS:
            what = "已用区域（从 A1 起的行数 × 列数，各工作表合计）过大"
            raise too_big_error(self.label, sheet, what, f"{MAX_CELLS} 个单元格")

    def add_text(self, n: int, sheet: str, ref: str) -> None:
        self.text += n
        if self.text > MAX_TEXT_CHARS:
            what = f"单元格文字合计过多（读到 {ref} 时）"
            raise too_big_error(self.label, sheet, what, f"{MAX_TEXT_CHARS} 个字符")


def _shared_string_lengths(zf: zipfile.ZipFile, info: zipfile.ZipInfo | None, label: str) -> array:
    """Length of every shared string, streamed: a long string is refused while it is read."""
    lengths = array("l")
    if info is None:
        return lengths
    if info.file_size > MAX_SHARED_STRINGS_BYTES:
        what = f"共享字符串表解压后 {_mb(info.file_size)}"
        raise too_big_error(label, None, what, MAX_SHARED_STRINGS_BYTES)
    state = {"length": 0, "in_t": False, "in_phonetic": False}

    def start(name: str, _attrs: dict) -> None:
        tag = name.rpartition(":")[2]
        if tag == "si":
            state["length"] = 0
        elif tag == "t":
            state["in_t"] = not state["in_phonetic"]
        elif tag == "rPh":  # phonetic guide: not part of the cell text
            state["in_phonetic"] = True

    def end(name: str) -> None:
        tag = name.rpartition(":")[2]
        if tag == "si":
            lengths.append(state["length"])
        elif tag == "t":
            state["in_t"] = False
        elif tag == "rPh":
            state["in_phonetic"] = False

    def text(data: str) -> None:
        if state["in_t"]:
            state["length"] += len(data)
            if state["length"] > MAX_CELL_TEXT:
                what = f"第 {len(lengths) + 1} 个共享字符串过长"
                raise too_big_error(
                    label, None, what, f"{MAX_CELL_TEXT} 个字符（Excel 单元格上限）"
                )

    _stream(zf, info, start, end, text)
    return lengths


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, start, end, text) -> None:
    """Feed a zip member to expat in 1 MB pieces."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


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
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, scan: SheetScan, formats: dict, budget: _Budget
) -> None:
    if info.file_size > MAX_SHEET_XML_BYTES:
        what = f"工作表 XML 解压后 {_mb(info.file_size)}"
        raise too_big_error(budget.label, scan.name, what, MAX_SHEET_XML_BYTES)
    if info.file_size <= MAX_QUICK_BYTES and _quick_scan(zf.read(info), scan, formats, budget):
        return
    walker = _SheetWalker(scan, formats, budget)
    _stream(zf, info, walker.start, walker.end, walker.text)
    budget.add_cells(scan.n_rows * scan.n_columns, scan.name)


def _quick_scan(data: bytes, scan: SheetScan, formats: dict, budget: _Budget) -> bool:
    """Settle a plain sheet with a few C-speed regex passes; ``False`` sends it to the full walk.

    Plain means: every cell carries its reference, no formula, nothing hidden, no percent or
    month format in use, no text run that could be too long, and bounds well inside the limits.
    Each test errs on the side of the full walk, which decides exactly.
    """
    if b"<f" in data or b"hidden=" in data:
        return False
    refs = _QUICK_REF.findall(data)
    if len(refs) != data.count(b"<c ") + data.count(b"<c>"):
        return False  # a cell without reference, or a prefixed tag
    if formats and not {int(i) for i in _QUICK_STYLE.findall(data)}.isdisjoint(
        k for k, kind in formats.items() if kind != FORMAT_DATE
    ):
        return False
    if len(data) > MAX_CELL_TEXT and _QUICK_LONG_TEXT.search(data):
        return False
    n_cols = 0
    for letters in {letters for letters, _ in refs}:
        col = 0
        for ch in letters.decode():
            col = col * 26 + ord(ch) - 64
        n_cols = max(n_cols, col)
    n_rows = max((int(row) for _, row in refs), default=0)
    inline = len(data) if b"<is>" in data else 0  # no inline text can be longer than the XML
    text = inline + max(budget.shared, default=0) * data.count(b't="s"')
    area = budget.cells + n_rows * n_cols
    if n_rows > MAX_ROWS or n_cols > MAX_COLUMNS or area > MAX_CELLS:
        return False
    if budget.text + text > MAX_TEXT_CHARS:
        return False
    scan.n_rows, scan.n_columns = n_rows, n_cols
    budget.cells, budget.text = area, budget.text + text
    return True


class _SheetWalker:
    """expat handlers: follow rows and cells, keep only the facts :class:`SheetScan` holds."""

    def __init__(self, scan: SheetScan, formats: dict[int, str], budget: _Budget) -> None:
        self.scan, self.formats, self.budget, self.label = scan, formats, budget, budget.label
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
                what = f"单元格 {cell_ref(self.row, self.col)} 的文字过长"
                raise too_big_error(self.label, self.scan.name, what, f"{MAX_CELL_TEXT} 个字符")

    def end(self, name: str) -> None:
        tag = name.rpartition(":")[2]
        if tag in ("f", "v"):
            self.capture = None
        elif tag == "t":
            self.has_value = self.has_value or bool(self.text_len)
            if self.text_len:
                self.budget.add_text(self.text_len, self.scan.name, cell_ref(self.row, self.col))
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
            raise too_big_error(
                self.label, scan.name, f"单元格 {cell_ref(r, c)} 在第 {r + 1} 行", f"{MAX_ROWS} 行"
            )
        if c >= MAX_COLUMNS:
            raise too_big_error(
                self.label,
                scan.name,
                f"单元格 {cell_ref(r, c)} 在第 {c + 1} 列",
                f"{MAX_COLUMNS} 列",
            )
        if r >= scan.n_rows or c >= scan.n_columns:
            scan.n_rows, scan.n_columns = max(scan.n_rows, r + 1), max(scan.n_columns, c + 1)
            if self.budget.cells + scan.n_rows * scan.n_columns > MAX_CELLS:
                self.budget.add_cells(scan.n_rows * scan.n_columns, scan.name)
        if self.cell_type == "s" and value.strip().isdigit():
            index = int(value)
            if index < len(self.budget.shared):
                self.budget.add_text(self.budget.shared[index], scan.name, cell_ref(r, c))
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
