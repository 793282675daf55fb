"""The phrasebook beside the intake (seed 002 §2.3): pick the situation, read what to say and what not to."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.i18n import _, current_language
from desktop_crm.core.services import phrasebook
from desktop_crm.core.services.phrasebook import PhraseView


class PhrasePanel(QWidget):
    """Situation buttons (Alt+1…5) over the phrases of the chosen situation in the UI language."""

    def __init__(self, ctx, parent=None, *, company: str = "", agent: str = ""):  # noqa: ANN001
        super().__init__(parent)
        self.setObjectName("phrase_panel")
        self.company, self.agent, self.surname = company, agent, ""
        lang = "zh_CN" if current_language() == "zh_CN" else "en"
        try:
            self.phrases: list[PhraseView] = phrasebook.phrases(ctx, lang)
        except Exception:  # noqa: BLE001 - the intake must open even if the phrasebook cannot load
            self.phrases = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QLabel(_("Phrasebook"))
        head.setStyleSheet("font-weight: bold;")
        layout.addWidget(head)
        grid = QGridLayout()
        grid.setSpacing(4)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        for i, key in enumerate(phrasebook.SITUATIONS):
            b = QPushButton(f"{phrasebook.situation_label(key)}  Alt+{i + 1}")
            b.setCheckable(True)
            b.setShortcut(f"Alt+{i + 1}")
            b.setFocusPolicy(Qt.NoFocus)  # the keyboard stays in the intake form
            b.setObjectName(f"situation_{key}")
            self.group.addButton(b, i)
            grid.addWidget(b, i // 2, i % 2)
            self.buttons[key] = b
            b.clicked.connect(lambda _c=False, k=key: self.show_situation(k))
        layout.addLayout(grid)
        self.text = QTextBrowser()
        self.text.setObjectName("phrase_text")
        self.text.setOpenLinks(False)
        self.text.setFocusPolicy(Qt.NoFocus)
        layout.addWidget(self.text, 1)
        self.current = "greeting"
        self.show_situation("greeting")

    def set_surname(self, surname: str) -> None:
        self.surname = surname
        self.show_situation(self.current)

    def show_situation(self, key: str) -> None:
        self.current = key
        if key in self.buttons:
            self.buttons[key].setChecked(True)
        parts = []
        for p in self.phrases:
            if p.situation != key:
                continue
            say = escape(phrasebook.fill(p.say, company=self.company, agent=self.agent, surname=self.surname))
            parts.append(f"<p style='margin:4px 0 2px 0;'><span style='color:#1b7f3b;'>✔ {escape(_('Say'))}:</span>"
                         f" {say}</p>")
            if p.avoid:
                parts.append(f"<p style='margin:0 0 10px 0;color:#b00020;'>✘ {escape(_('Never say'))}: "
                             f"{escape(p.avoid)}</p>")
        if not parts:
            parts.append(f"<p style='color:#888;'>{escape(_('No phrases for this situation.'))}</p>")
        self.text.setHtml("".join(parts))
