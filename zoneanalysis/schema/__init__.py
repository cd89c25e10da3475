"""The field dictionary and the table schemas built from it.

``fields.yaml`` describes every column once and every table once; :func:`schema_for` builds the
pandera schema of a table, :func:`validate_table` checks a table before it is written, and
:mod:`zoneanalysis.schema.contracts` writes the table sections of ``docs/contracts.md``.
"""

from zoneanalysis.schema.build import schema_for
from zoneanalysis.schema.dictionary import (
    FIELDS_FILE,
    UNIT_IN_COLUMN,
    FieldSpec,
    load_dictionary,
    table_fields,
)
from zoneanalysis.schema.validate import validate_table

__all__ = [
    "FIELDS_FILE",
    "UNIT_IN_COLUMN",
    "FieldSpec",
    "load_dictionary",
    "schema_for",
    "table_fields",
    "validate_table",
]
