"""Check the tidy table: schema, overlaps between files, year-to-date decreases.

The pandera schema is built from the indicator catalogue; overlaps are duplicates, conflicts and
revisions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from types import SimpleNamespace

import pandas as pd
import pandera.pandas as pa

from zoneanalysis.errors import InputDataError
from zoneanalysis.indicators import Indicator
from zoneanalysis.periods import period_label_zh
from zoneanalysis.schema import schema_for, table_fields

STATS_COLUMNS = [name for name, _ in table_fields("zone_stats")]
REPORT_COLUMNS = [name for name, _ in table_fields("cleaning_report")]
SEVERITIES = dict(table_fields("cleaning_report"))["severity"].allowed
KEY = ["zone_id", "year", "month", "indicator"]
FLAG_REVISED = "revised"
FLAG_YTD_DECREASE = "ytd_decrease"
RELATIVE_TOLERANCE = 1e-6


def values_agree(a: float, b: float) -> bool:
    """True if two values agree: ``|a - b| <= 1e-6 * max(1, |a|, |b|)``."""
    return abs(a - b) <= RELATIVE_TOLERANCE * max(1.0, abs(a), abs(b))


def _growth_agrees(a: float, b: float) -> bool:
    """Growth rates agree when equal, or when either file left it blank."""
    if pd.isna(a) or pd.isna(b):
        return True
    return values_agree(float(a), float(b))


def build_stats_schema(catalogue: dict[str, Indicator]) -> pa.DataFrameSchema:
    """The pandera schema of ``zone_stats``, with ranges and units from the indicator catalogue.

    Parameters
    ----------
    catalogue
        The indicator catalogue.

    Returns
    -------
    pandera.DataFrameSchema
        The dictionary's schema (``schema_for("zone_stats")``: columns, dtypes, nullability,
        key) plus the catalogue's indicator codes, per-indicator value range and canonical unit.
    """
    mins = {code: ind.min for code, ind in catalogue.items()}
    maxs = {code: ind.max for code, ind in catalogue.items()}
    units = {code: ind.unit for code, ind in catalogue.items()}
    base = schema_for("zone_stats")
    schema = base.update_columns(
        {
            "indicator": {
                "checks": [*base.columns["indicator"].checks, pa.Check.isin(list(catalogue))]
            },
            "value": {
                "checks": [
                    *base.columns["value"].checks,
                    pa.Check(lambda s: s.map(math.isfinite), element_wise=False, name="finite"),
                ]
            },
        }
    )
    return pa.DataFrameSchema(
        schema.columns,
        checks=[
            *schema.checks,
            pa.Check(
                lambda df: df["value"].between(
                    df["indicator"].map(mins).astype("float64"),
                    df["indicator"].map(maxs).astype("float64"),
                ),
                name="value_in_catalogue_range",
            ),
            pa.Check(lambda df: df["unit"] == df["indicator"].map(units), name="canonical_unit"),
        ],
        strict=True,
        unique=KEY,
        name="zone_stats",
    )


def validate_stats(stats: pd.DataFrame, catalogue: dict[str, Indicator]) -> pd.DataFrame:
    """Validate ``zone_stats`` against :func:`build_stats_schema`.

    Raises
    ------
    InputDataError
        Naming the file, row, indicator and value of the first failure (a value outside the
        catalogue's range is bad input; the message says how to fix it).
    """
    for code, ind in catalogue.items():
        sub = stats[(stats["indicator"] == code) & ~stats["value"].between(ind.min, ind.max)]
        if not sub.empty:
            bad = sub.iloc[0]
            raise InputDataError(
                f"“{ind.name_zh}”的值 {bad['value']:g}{ind.unit} 超出允许范围 "
                f"[{ind.min:g}, {ind.max:g}]（集聚区 {bad['zone_name']}，"
                f"{period_label_zh(int(bad['year']), int(bad['month']))}）",
                file=bad["source_file"],
                location=f"第 {int(bad['source_row'])} 行",
                hint=(
                    "核对原表该单元格与单位行/表头中的单位；若数值确实正确，调整 "
                    "data/raw/reference/indicators.yaml 中该指标的 min/max。"
                ),
            )
    try:
        return build_stats_schema(catalogue).validate(stats, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        first = cases.iloc[0]
        location = None
        file = None
        idx = first.get("index")
        if idx is not None and not pd.isna(idx) and idx in stats.index:
            row = stats.loc[idx]
            file, location = row["source_file"], f"第 {int(row['source_row'])} 行"
        raise InputDataError(
            f"清洗结果未通过校验：{first['column']} 列检查“{first['check']}”失败"
            f"（值 {first['failure_case']}，共 {len(cases)} 处）",
            file=file,
            location=location,
            hint="这通常说明报表格式与预期不符；核对该行，或把文件与这条信息一起交给维护者。",
        ) from None


def resolve_overlaps(
    records: pd.DataFrame, catalogue: dict[str, Indicator]
) -> tuple[pd.DataFrame, list[dict]]:
    """Keep one record per zone × year × month × indicator.

    A revised release wins over earlier files (the others are ``superseded``; the kept record is
    flagged ``revised`` when its value or growth changed). Otherwise equal records from several
    files are ``duplicate`` and the first file in sorted path order is kept.

    Parameters
    ----------
    records
        Records with the ``zone_stats`` columns (``quality_flag`` may be absent) plus
        ``is_revision``, ``raw_text`` and ``file_order``.
    catalogue
        The indicator catalogue (names for messages).

    Returns
    -------
    tuple
        ``(kept records with quality_flag, cleaning-report rows)``.

    Raises
    ------
    InputDataError
        If two non-revised files (or two revisions) give different values; the message names
        both files and rows.
    """
    records = records.sort_values(["file_order", "source_row"], kind="stable")
    records = records.reset_index(drop=True)
    flags = pd.Series(None, index=records.index, dtype=object)
    dup = records.duplicated(KEY, keep=False)
    groups: dict[tuple, list[SimpleNamespace]] = defaultdict(list)
    subset = records[dup]
    for idx, rec in zip(subset.index, subset.to_dict("records"), strict=True):
        groups[tuple(rec[k] for k in KEY)].append(SimpleNamespace(Index=idx, **rec))
    dropped: list[int] = []
    notes: dict[tuple, list[str]] = defaultdict(list)
    for rows in groups.values():
        revisions = [r for r in rows if r.is_revision]
        keep = revisions[0] if revisions else rows[0]
        for other in rows:
            if other.Index == keep.Index:
                continue
            same = values_agree(other.value, keep.value) and _growth_agrees(
                other.yoy_pct, keep.yoy_pct
            )
            name = catalogue[other.indicator].name_zh
            if keep.is_revision and not other.is_revision:
                severity = "superseded"
                if not same:
                    flags[keep.Index] = FLAG_REVISED
                text = "数值未变" if same else f"{other.value:g} → {keep.value:g}"
                detail = f"{name}：{text}"
            elif same:
                severity = "duplicate_same_file" if same_file(other, keep) else "duplicate"
                detail = name
                if pd.isna(keep.yoy_pct) and not pd.isna(other.yoy_pct):
                    # one file prints the growth, the other does not: keep the reported growth
                    records.at[keep.Index, "yoy_pct"] = other.yoy_pct
                    keep.yoy_pct = other.yoy_pct
                    detail = f"{name}（增速取自该行）"
            else:
                _raise_conflict(keep, other, name)
            where = f"{keep.source_file} 第 {keep.source_row} 行"
            notes[(other.source_file, other.source_row, other.raw_text, severity, where)].append(
                detail
            )
            dropped.append(other.Index)
    records = records.assign(quality_flag=flags).drop(index=dropped)
    return records, _overlap_report(notes)


def _overlap_report(notes: dict[tuple, list[str]]) -> list[dict]:
    """One cleaning-report row per dropped record: superseded by a revision, or a duplicate."""
    report: list[dict] = []
    for (file, row, raw_text, severity, where), details in notes.items():
        if severity == "superseded":
            reason = f"被修订版 {where} 取代（{'；'.join(details)}）"
        elif severity == "duplicate_same_file":
            severity = "duplicate"
            reason = f"同一集聚区在本文件中出现两次，与 {where} 数值一致，保留前者（{'、'.join(details)}）"
        else:
            reason = f"与 {where} 重复，保留前者（{'、'.join(details)}）"
        report.append(
            {
                "source_file": file,
                "source_row": row,
                "raw_text": raw_text,
                "reason": reason,
                "severity": severity,
            }
        )
    return report


def same_file(a: object, b: object) -> bool:
    """True if two records come from one file (sheets of a workbook are ``file!sheet``)."""
    return _file_part(a.source_file) == _file_part(b.source_file)


def _file_part(source_file: str) -> str:
    return str(source_file).split("!", 1)[0]


def _raise_conflict(keep: object, other: object, name: str) -> None:
    period = period_label_zh(int(keep.year), int(keep.month))
    if same_file(keep, other):
        if keep.source_file == other.source_file:
            where = f"第 {keep.source_row} 行与第 {other.source_row} 行"
        else:
            where = (
                f"{keep.source_file} 第 {keep.source_row} 行与 "
                f"{other.source_file} 第 {other.source_row} 行"
            )
        raise InputDataError(
            f"同一集聚区在一个文件中出现两次，数值不一致：{keep.zone_name}，{period}，{name}："
            f"第 {keep.source_row} 行为 {keep.value:g}（增速 {keep.yoy_pct}），"
            f"第 {other.source_row} 行为 {other.value:g}（增速 {other.yoy_pct}）",
            file=_file_part(other.source_file),
            location=where,
            hint=(
                "不要改动原表：请报送单位确认哪一行是对的并重新发送（可作为修订版，文件名注明"
                "“（修订）”）。若两行其实是两个不同的集聚区，检查 data/raw/reference/zone_aliases.csv "
                "中这两个名称对应的 zone_id。"
            ),
        )
    if keep.is_revision and other.is_revision:
        hint = (
            "两个文件都标为修订版：确认哪一个是最新的，把另一个移出 --raw 目录（或在它的 "
            "<文件名>.layout.yaml 中写 revision: false）；不要改动原表。"
        )
    else:
        hint = (
            "确认哪个数是对的。不要改动原表：若其中一个是修订版，在它的文件名中加上“（修订）”，"
            "或在同目录放一个 <文件名>.layout.yaml 写 revision: true；否则移走有误的文件。"
        )
    raise InputDataError(
        f"两个文件对同一集聚区、期间和指标给出了不同的数值：{keep.zone_name}，{period}，{name}："
        f"{keep.source_file} 第 {keep.source_row} 行为 {keep.value:g}（增速 {keep.yoy_pct}），"
        f"{other.source_file} 第 {other.source_row} 行为 {other.value:g}（增速 {other.yoy_pct}）",
        file=other.source_file,
        location=f"第 {other.source_row} 行",
        hint=hint,
    )


def flag_ytd_decreases(
    stats: pd.DataFrame, catalogue: dict[str, Indicator]
) -> tuple[pd.DataFrame, list[dict]]:
    """Flag year-to-date flows that fall within a year (``ytd_decrease``); keep the rows.

    Parameters
    ----------
    stats
        Records with ``quality_flag`` and ``raw_text``.
    catalogue
        The indicator catalogue (``kind == "ytd_flow"`` selects the indicators).

    Returns
    -------
    tuple
        ``(stats with flags added, warning rows for the cleaning report)``.
    """
    flows = [code for code, ind in catalogue.items() if ind.kind == "ytd_flow"]
    part = stats[stats["indicator"].isin(flows)].sort_values(KEY)
    previous = part.groupby(["zone_id", "indicator", "year"], sort=False)["value"].shift()
    tolerance = RELATIVE_TOLERANCE * previous.abs().clip(lower=1.0)
    falling = part.index[(part["value"] < previous - tolerance).to_numpy()]
    stats = stats.copy(deep=False)  # copy-on-write: only a flagged column is copied
    report: list[dict] = []
    for idx in falling:
        row = stats.loc[idx]
        old = row["quality_flag"]
        stats.at[idx, "quality_flag"] = (
            FLAG_YTD_DECREASE if old is None or pd.isna(old) else f"{old};{FLAG_YTD_DECREASE}"
        )
        name = catalogue[row["indicator"]].name_zh
        report.append(
            {
                "source_file": row["source_file"],
                "source_row": int(row["source_row"]),
                "raw_text": row["raw_text"],
                "reason": (
                    f"{name}的年内累计值 {previous[idx]:g} → {row['value']:g} 比上一期减少"
                    f"（已保留并标记 {FLAG_YTD_DECREASE}，可能是修订或统计范围变化）"
                ),
                "severity": "warning",
            }
        )
    return stats, report
