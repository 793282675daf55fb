"""The import engine: one algorithm for every importer (customers, contacts, complaints, orders).

`run_import(ctx, spec, path, mode, dry_run, errors_out, progress)`:

1. **Check** (read-only): read the file, map the header row, validate every
   row with `spec.validate` and collect every row's errors. Nothing is written.
2. If any row failed, **nothing is saved**: the file is rejected as a whole
   (counts: failed rows, the other rows skipped, `rejected=True`) and the error
   workbook lists every failed row with its reasons. Fix the file (or the
   error workbook itself — it keeps the original columns) and import again.
3. Otherwise (and not a dry run) **write** in committed units of
   `spec.batch_size` rows, each one transaction. Each row is validated again in
   the write transaction just before it is written, so the plan always follows
   the database as it is then: re-running an import whose earlier run crashed
   or was cancelled finishes the job without duplicates (rows already saved
   are found by their key and skipped as identical).

With `skip_invalid` step 2 is left out: the rejected rows go to the error workbook and the good
rows are written. Counts always satisfy created + updated + skipped + failed + not_saved = rows
(`not_saved`: the good rows of a rejected file — nothing is "skipped" that was never tried). A dry run
stops after step 1 and reports what would happen. Cancel (through `progress`)
is honoured while checking (nothing saved) and between units while writing (the
committed units stay; `cancelled=True`, `rows` counts the rows handled).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from desktop_crm.core.errors import Cancelled, CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.importing.headers import HeaderMap, map_headers, score
from desktop_crm.core.importing.readers import ImportFileError, open_sheet
from desktop_crm.core.importing.spec import (
    CREATE,
    CREATED,
    SKIP,
    SKIPPED,
    UPDATE,
    UPDATED,
    ImportSpec,
    RowContext,
    RowError,
    get_spec,
)
from desktop_crm.core.progress import Progress, check
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import require_write

log = logging.getLogger(__name__)
HEADER_SEARCH_ROWS = 10
TICK = 1000
KEEP_ROWS = 200_000  # files up to this many rows are read once; larger ones are read again to write


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    rows: int = 0
    errors: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)  # (row number or None, message)
    spec: str = ""
    mode: str = CREATE
    dry_run: bool = False
    rejected: bool = False  # rows failed: nothing was saved
    not_saved: int = 0  # good rows not saved because the file was rejected (never "skipped")
    cancelled: bool = False
    stopped: str = ""  # a unit failed while writing (rare: the data changed meanwhile); earlier units stay
    total_rows: int = 0  # data rows in the file
    errors_path: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed == 0 and not self.cancelled

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "skipped": self.skipped, "failed": self.failed,
                "not_saved": self.not_saved}

    def summary(self) -> str:
        """One line a person reads: what was saved, and what was not and why."""
        if self.rejected:
            return _("Nothing was saved: {failed} rows have errors, so the other {rest} rows were not imported "
                     "either. Correct the rows (the error workbook lists them) and import again, or choose to import "
                     "the good rows (--skip-invalid).").format(failed=self.failed, rest=self.not_saved)
        text = _("Rows: {rows} · created {created} · updated {updated} · unchanged or existing {skipped}").format(
            rows=self.rows, created=self.created, updated=self.updated, skipped=self.skipped)
        if self.failed:
            text += " · " + _("rejected {n} (not saved: see the error workbook)").format(n=self.failed)
        return text

    def error_lines(self) -> list[str]:
        return [_("row {n}: {problems}").format(n=n, problems="; ".join(f"{k}: {v}" for k, v in errs.items()))
                for n, errs in self.errors]

    def warning_lines(self) -> list[str]:
        return [(_("row {n}: {problem}").format(n=n, problem=w) if n is not None else w) for n, w in self.warnings]


@dataclass
class _Source:
    hmap: HeaderMap
    header_row: int
    total: int | None
    rows: Iterator[tuple[int, list[object]]]


def _open(path: str | os.PathLike, spec: ImportSpec, mode: str = CREATE) -> _Source:
    """Open the file and find the header row (the first of the first rows that names known columns)."""
    sheet = open_sheet(path)
    buffered: list[tuple[int, list[object]]] = []
    chosen: tuple[int, list[object]] | None = None
    for no, row in sheet.rows:
        if not any(v is not None for v in row):
            continue
        buffered.append((no, row))
        hits = score(row, spec.columns)
        if hits >= min(2, len(spec.columns)):
            chosen = (no, row)
            break
        if len(buffered) >= HEADER_SEARCH_ROWS:
            break
    if not buffered:
        raise ImportFileError(_("{name} has no rows.").format(name=Path(path).name))
    if chosen is None:
        chosen = buffered[0]
        rest = iter(buffered[1:])
    else:
        rest = iter([])
    hmap = map_headers(chosen[1], spec.columns, spec.required_for(mode))

    def data() -> Iterator[tuple[int, list[object]]]:
        yield from rest
        for no, row in sheet.rows:
            if any(v is not None for v in row):
                yield no, row

    return _Source(hmap, chosen[0], sheet.total, data())


def _row_errors(exc: Exception) -> dict[str, str]:
    if isinstance(exc, (RowError, ValidationError)):
        return dict(exc.errors) or {"row": str(exc)}
    if isinstance(exc, CrmError):
        return {"row": str(exc)}
    log.exception("import: unexpected error in a row")
    return {"row": _("unexpected problem: {problem}").format(problem=f"{type(exc).__name__}: {exc}"[:300])}


def run_import(ctx: Ctx, spec: ImportSpec | str, path: str | os.PathLike, mode: str = CREATE, dry_run: bool = False,
               errors_out: str | os.PathLike | None = None, progress: Progress | None = None, *,
               skip_invalid: bool = False) -> ImportResult:
    """Import `path` with `spec` (see the module docstring for the rules). With `skip_invalid`, rows with
    errors do not stop the import: the good rows are saved, the rejected ones written to `errors_out`.

    Raises ImportFileError for a file that cannot be imported at all (unreadable,
    wrong type, required columns missing), ValidationError for a bad mode and
    PermissionDenied for a read-only user. Row problems never raise: they are in
    `result.errors` (and in the error workbook `errors_out`, when given)."""
    if isinstance(spec, str):
        try:
            spec = get_spec(spec)
        except KeyError:
            raise ValidationError({"target": _("unknown import '{name}'").format(name=spec)}) from None
    if mode not in spec.modes:
        raise ValidationError({"mode": _("'{value}' is not one of: {keys}").format(value=mode, keys=", ".join(spec.modes))})
    require_write(ctx.actor)
    source = Path(path).name
    result = ImportResult(spec=spec.name, mode=mode, dry_run=dry_run)
    src = _open(path, spec, mode)
    present = frozenset(src.hmap.index)
    if src.hmap.unknown:
        result.warnings.append((None, _("Columns ignored (not known): {names}").format(
            names=", ".join(src.hmap.unknown))))
    estimate = max((src.total or 0) - src.header_row, 1)
    failed_rows: list[tuple[int, list[object], dict[str, str]]] = []
    planned = {CREATED: 0, UPDATED: 0, SKIPPED: 0}
    kept: list[tuple[int, list[object], object]] | None = []  # rows with their parsed values

    # ---- phase 1: check every row, write nothing
    try:
        with ctx.db.read() as s:
            rc = RowContext(s, ctx, mode, 0, {}, source, present, phase="check")
            for row_no, row in src.rows:
                result.rows += 1
                rc.row_no = row_no
                try:
                    _no_lost_formulas(src.hmap, row)
                    data = spec.prepare(src.hmap.values(row))
                    if kept is not None:
                        kept.append((row_no, row, data))
                        if len(kept) > KEEP_ROWS:
                            kept = None
                    plan = spec.validate(rc, data)
                except Exception as exc:  # noqa: BLE001 - a bad row is reported, never a crash
                    errs = _row_errors(exc)
                    result.errors.append((row_no, errs))
                    failed_rows.append((row_no, row, errs))
                    continue
                planned[{CREATE: CREATED, UPDATE: UPDATED}.get(plan.action, SKIPPED)] += 1
                if plan.warning:
                    result.warnings.append((row_no, plan.warning))
                if result.rows % TICK == 0:
                    s.expunge_all()
                    check(progress, result.rows, 2 * estimate, _("Checking rows…"))
    except Cancelled:
        return ImportResult(spec=spec.name, mode=mode, dry_run=dry_run, cancelled=True, warnings=result.warnings)
    result.total_rows = result.rows
    result.failed = len(failed_rows)

    if failed_rows and errors_out is not None:
        from desktop_crm.core.importing.errors_book import write_error_workbook

        write_error_workbook(errors_out, src.hmap, failed_rows)
        result.errors_path = str(errors_out)
    if failed_rows and not skip_invalid:
        result.rejected = True
        result.not_saved = result.rows - result.failed
        return result
    if dry_run:
        result.created, result.updated, result.skipped = planned[CREATED], planned[UPDATED], planned[SKIPPED]
        return result

    # ---- phase 2: write in committed units (the rejected rows left out)
    bad = {no for no, _row, _errs in failed_rows}
    if kept is not None:
        src.rows = iter([k for k in kept if k[0] not in bad])
    else:
        src = _open(path, spec, mode)
        src.rows = ((no, row) for no, row in src.rows if no not in bad)
    rejected_rows, result.failed = result.failed, 0
    result.rows -= len(bad)
    _write_all(ctx, spec, src, mode, source, result, progress, errors_out if not bad else None)
    result.rows += len(bad)
    result.failed += rejected_rows
    if spec.after_import is not None and (result.created or result.updated):
        spec.after_import(ctx, result)
    return result


def _no_lost_formulas(hmap: HeaderMap, row: list[object]) -> None:
    """A formula without a saved value is a row error, never an empty value."""
    from desktop_crm.core.importing.readers import FormulaCell

    lost = {key: cell for key, cell in hmap.values(row).items() if isinstance(cell, FormulaCell)}
    if lost:
        raise RowError({key: _("holds a formula ({formula}) whose value was never saved: open the file in Excel "
                               "or WPS, save it, and import it again").format(formula=cell.formula)
                        for key, cell in lost.items()})


def _write_all(ctx: Ctx, spec: ImportSpec, src: _Source, mode: str, source: str, result: ImportResult,
               progress: Progress | None, errors_out: str | os.PathLike | None) -> None:
    present = frozenset(src.hmap.index)
    total = result.rows
    state: dict = {}
    done = 0
    result.rows = 0

    def commit(batch: list[tuple]) -> bool:
        nonlocal done
        try:
            check(progress, total + done, 2 * total, _("Saving rows…"))
        except Cancelled:
            result.cancelled = True
            return False
        counts = {CREATED: 0, UPDATED: 0, SKIPPED: 0}
        current: tuple[int, list[object]] | None = None
        try:
            with ctx.db.write() as s:
                rc = RowContext(s, ctx, mode, 0, state, source, present, phase="write")
                touched: list[int] = []
                for current in batch:
                    rc.row_no = current[0]
                    data = current[2] if len(current) > 2 else spec.prepare(src.hmap.values(current[1]))
                    plan = spec.validate(rc, data)
                    outcome = SKIPPED if plan.action == SKIP else spec.write(rc, plan)
                    counts[outcome] += 1
                    touched.extend(plan.touched)
                if spec.after_batch is not None:
                    spec.after_batch(rc, touched)
        except Exception as exc:  # noqa: BLE001 - this unit is rolled back; earlier units stay
            row_no, row = current[:2] if current is not None else (0, [])
            errs = _row_errors(exc)
            result.errors.append((row_no, errs))
            result.failed = 1
            result.rows = total
            result.skipped = total - result.created - result.updated - 1
            result.stopped = _("The import stopped at row {n}; the rows before its unit were saved. Fix the row and "
                               "import the file again: saved rows are skipped.").format(n=row_no)
            if errors_out is not None:
                from desktop_crm.core.importing.errors_book import write_error_workbook

                write_error_workbook(errors_out, src.hmap, [(row_no, row, errs)])
                result.errors_path = str(errors_out)
            return False
        result.created += counts[CREATED]
        result.updated += counts[UPDATED]
        result.skipped += counts[SKIPPED]
        result.rows += len(batch)
        done += len(batch)
        return True

    batch: list[tuple] = []
    for item in src.rows:
        batch.append(item)
        if len(batch) >= spec.batch_size:
            if not commit(batch):
                return
            batch = []
    if batch and not commit(batch):
        return
    if progress is not None:
        progress.step(2 * total, 2 * total, _("Done."))
