"""What the office hands on: the monthly ledger workbook (台账) and the drafted brief (简报).

Both are built from the same processed tables as the HTML pages (:mod:`zoneanalysis.office.sheets`
gathers them once), written by XlsxWriter (:mod:`.workbook`) and python-docx (:mod:`.brief`).
"""

from zoneanalysis.office.run import OFFICE_FORMATS, write_office_files

__all__ = ["OFFICE_FORMATS", "write_office_files"]
