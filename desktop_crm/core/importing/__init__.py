"""Importing files into the archive: one engine, one spec per kind of record.

Public API (see spec.py for how to add an importer):

    run_import(ctx, spec_or_name, path, mode="create", dry_run=False, errors_out=None, progress=None)
        -> ImportResult
    ImportSpec, ImportColumn, Planned, RowContext, RowError, get_spec, spec_names, register, SPEC_MODULES
    open_sheet(path) / read_rows(path), ImportFileError
    write_template(spec, path)  (templates.py)
"""

from desktop_crm.core.importing.engine import ImportResult, run_import
from desktop_crm.core.importing.headers import ImportColumn, map_headers
from desktop_crm.core.importing.readers import ImportFileError, open_sheet, read_rows
from desktop_crm.core.importing.spec import (
    CREATE,
    CREATED,
    MODES,
    SKIP,
    SKIPPED,
    SPEC_MODULES,
    UPDATE,
    UPDATED,
    UPSERT,
    ImportSpec,
    Planned,
    RowContext,
    RowError,
    get_spec,
    register,
    spec_names,
)

__all__ = [
    "CREATE", "CREATED", "MODES", "SKIP", "SKIPPED", "SPEC_MODULES", "UPDATE", "UPDATED", "UPSERT",
    "ImportColumn", "ImportFileError", "ImportResult", "ImportSpec", "Planned", "RowContext", "RowError",
    "get_spec", "map_headers", "open_sheet", "read_rows", "register", "run_import", "spec_names",
]
