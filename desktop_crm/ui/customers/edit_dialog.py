"""Create or edit a customer: tabs built from customer_fields (basic, region, enterprise,
individual, more), inline messages under each field, duplicate and conflict handling."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import CUSTOMER_STATUS
from desktop_crm.core.errors import ConflictError, CrmError, DuplicateWarning, ValidationError
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.services import customers
from desktop_crm.core.services.customer_fields import CUSTOMER_FIELDS, EDITABLE, clean_value
from desktop_crm.core.services.customers import CustomerDetail
from desktop_crm.ui.customers.common import FieldGrid, error_label, user_choices
from desktop_crm.ui.customers.duplicate_dialog import DuplicateDialog

GROUPS = [("basic", N_("Basic")), ("region", N_("Region")), ("enterprise", N_("Enterprise")),
          ("individual", N_("Individual")), ("more", N_("More"))]


class CustomerDialog(QDialog):
    """`saved` holds the CustomerDetail after a successful save."""

    def __init__(self, ctx, customer_id: int | None = None, nav=None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav, self.customer_id = ctx, nav, customer_id
        self.saved: CustomerDetail | None = None
        self.detail: CustomerDetail | None = customers.get_customer(ctx, customer_id) if customer_id else None
        self.setWindowTitle(_("Edit customer {code}").format(code=self.detail.code) if self.detail
                            else _("New customer"))
        self.resize(820, 500)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.grids: dict[str, FieldGrid] = {}
        self.group_of: dict[str, int] = {}
        for i, (group, title) in enumerate(GROUPS):
            fields = [f for f in CUSTOMER_FIELDS if f.group == group and f.key in EDITABLE]
            page = QWidget()
            page_layout = QVBoxLayout(page)
            extra = self._header_rows() if group == "basic" else ()
            grid = FieldGrid(fields, ctx, columns=2, extra=extra)
            page_layout.addWidget(grid, 1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.NoFrame)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, _(title))
            self.grids[group] = grid
            for f in fields:
                self.group_of[f.key] = i
                editor = grid.editors[f.key].widget
                if isinstance(editor, QLineEdit):
                    editor.editingFinished.connect(lambda k=f.key: self.check_field(k))
        layout.addWidget(self.tabs, 1)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if self.detail is not None:
            self.load(self.detail)
        else:
            self.editor("kind").set_value("enterprise")
        self.editor("name").widget.setFocus()

    def _header_rows(self) -> list[tuple[str, str, QWidget]]:
        self.status = self.owner = None
        if self.detail is not None:
            code = QLabel(self.detail.code)
            code.setObjectName("code_label")
            return [("code", _("Code"), code)]
        self.status = QComboBox()
        for key in CUSTOMER_STATUS.keys:
            self.status.addItem(CUSTOMER_STATUS.label(key), key)
        self.owner = QComboBox()
        self.owner.addItem(_("Me"), "self")
        for value, label in user_choices(self.ctx):
            if value != self.ctx.actor.id:
                self.owner.addItem(label, value)
        if self.ctx.actor.role == "admin":
            self.owner.setCurrentIndex(max(self.owner.findData("pool"), 0))
        return [("status", _("Status"), self.status), ("owner", _("Owner"), self.owner)]

    # -- values ------------------------------------------------------------------------------
    def editor(self, key: str):  # noqa: ANN201
        for grid in self.grids.values():
            if key in grid.editors:
                return grid.editors[key]
        raise KeyError(key)

    def message_label(self, key: str) -> QLabel | None:
        for grid in self.grids.values():
            if key in grid.messages:
                return grid.messages[key]
        return None

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for grid in self.grids.values():
            out.update(grid.values())
        return out

    def load(self, detail: CustomerDetail) -> None:
        self.detail = detail
        for grid in self.grids.values():
            grid.set_values(detail.values)
            grid.clear_messages()

    def check_field(self, key: str) -> None:
        """Inline check when leaving a field (the service checks again on save)."""
        grid = self.grids[GROUPS[self.group_of[key]][0]]
        msg = grid.messages[key]
        msg.setVisible(False)
        try:
            _value, warning = clean_value(grid.editors[key].f, grid.editors[key].value())
        except ValueError as exc:
            grid.show_messages({key: str(exc)})
            return
        if warning:
            grid.show_messages({}, {key: warning})

    # -- save ------------------------------------------------------------------------------
    def clear_messages(self) -> None:
        self.error.clear()
        for grid in self.grids.values():
            grid.clear_messages()

    def show_errors(self, errors: dict[str, str], warnings: dict[str, str]) -> None:
        first_tab = None
        rest = []
        for grid in self.grids.values():
            grid.show_messages({k: v for k, v in errors.items() if k in grid.messages},
                               {k: v for k, v in warnings.items() if k in grid.messages})
        for key, text in errors.items():
            if key in self.group_of:
                first_tab = self.group_of[key] if first_tab is None else min(first_tab, self.group_of[key])
            elif key in self.grids["basic"].messages:
                first_tab = 0
            else:
                rest.append(f"{key}: {text}")
        if first_tab is not None:
            self.tabs.setCurrentIndex(first_tab)
        self.error.setText(_("Please correct the marked fields.") + ("  " + "; ".join(rest) if rest else ""))

    def save(self, allow_duplicates: bool = False) -> bool:
        self.clear_messages()
        data = self.values()
        try:
            if self.detail is None:
                self.saved = customers.create_customer(
                    self.ctx, data, owner=self.owner.currentData(), status=self.status.currentData(),
                    allow_duplicates=allow_duplicates)
            else:
                self.saved = customers.update_customer(self.ctx, self.detail.id, data,
                                                       expected_version=self.detail.version)
        except ValidationError as exc:
            self.show_errors(exc.errors, exc.warnings)
            return False
        except DuplicateWarning as exc:
            return self._duplicates(exc)
        except ConflictError as exc:
            self._conflict(str(exc))
            return False
        except CrmError as exc:
            self.error.setText(str(exc))
            return False
        if self.saved.warnings:
            self.show_errors({}, self.saved.warnings)
            self.tell_warnings("\n".join(f"{self.editor(k).f.title if k in self.group_of else k}: {v}"
                                          for k, v in self.saved.warnings.items()))
        self.accept()
        return True

    def tell_warnings(self, text: str) -> None:
        QMessageBox.information(self, _("Saved with warnings"), text)

    def _duplicates(self, exc: DuplicateWarning) -> bool:
        dialog = self.duplicate_dialog(exc.matches)
        if dialog.choice == "save":
            return self.save(allow_duplicates=True)
        if dialog.choice == "open" and dialog.chosen_id is not None:
            if self.nav is not None:
                self.nav.open_customer(dialog.chosen_id)
            self.reject()
        return False

    def duplicate_dialog(self, matches: list[dict]) -> DuplicateDialog:
        dialog = DuplicateDialog(matches, self)
        dialog.exec()
        return dialog

    def _conflict(self, message: str) -> None:
        if self.ask_reload(message):
            self.reload()
        else:
            self.error.setText(message)

    def ask_reload(self, message: str) -> bool:
        box = QMessageBox(QMessageBox.Warning, _("Changed by someone else"), message, QMessageBox.Cancel, self)
        reload_button = box.addButton(_("Reload"), QMessageBox.AcceptRole)
        box.exec()
        return box.clickedButton() is reload_button

    def reload(self) -> None:
        if self.detail is not None:
            self.load(customers.get_customer(self.ctx, self.detail.id))
            self.error.setText(_("Reloaded the saved version; your changes were discarded."))
