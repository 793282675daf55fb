"""Errors that services raise and every front end (GUI, CLI) shows as a clear message."""

from __future__ import annotations

from desktop_crm.core.i18n import _


class CrmError(Exception):
    """Base: the message is meant for the user, already translated."""


class ValidationError(CrmError):
    """Bad input. `errors` maps a field key to its problem; nothing was saved. As text, each problem
    follows the field's name in the reader's language ("Years: must be between 1 and 50")."""

    def __init__(self, errors: dict[str, str], warnings: dict[str, str] | None = None):
        self.errors = dict(errors)
        self.warnings = dict(warnings or {})
        super().__init__(self.errors)

    def __str__(self) -> str:
        from desktop_crm.core.services.field_names import label  # the names live with the records

        return _("; ").join(_("{field}: {problem}").format(field=label(k), problem=v) for k, v in self.errors.items())


class PermissionDenied(CrmError):
    def __init__(self, message: str | None = None):
        super().__init__(message or _("You do not have permission to do this."))


class NotFound(CrmError):
    pass


class ConflictError(CrmError):
    """Optimistic concurrency: the record changed since the user opened it."""


class DuplicateWarning(CrmError):
    """Create found likely duplicates; callers may confirm and retry with `allow_duplicates`."""

    def __init__(self, matches: list[dict]):
        self.matches = matches
        names = ", ".join(f"{m['code']} {m['name']}" for m in matches[:5])
        super().__init__(_("Possible duplicate of: {names}").format(names=names))


class WorkflowError(CrmError):
    """A move a state machine does not allow, or lacks what it needs."""


class Cancelled(CrmError):
    def __init__(self) -> None:
        super().__init__(_("Cancelled."))
