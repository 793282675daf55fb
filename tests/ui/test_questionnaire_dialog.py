"""Managers edit the return-visit questionnaire in the GUI; the visit dialog then asks the new questions."""

import pytest
from PySide6.QtWidgets import QTableWidgetItem

from desktop_crm.core import i18n
from desktop_crm.core.errors import PermissionDenied
from desktop_crm.core.services import visits
from desktop_crm.ui.visits.questionnaire_dialog import QuestionnaireDialog


def test_edit_reorder_and_save(qtbot, team, tmp_path):
    mgr = team["manager"]
    dialog = QuestionnaireDialog(mgr)
    qtbot.addWidget(dialog)
    shipped = dialog.table.rowCount()
    assert shipped >= 3
    dialog.add()
    row = dialog.table.rowCount() - 1
    dialog.table.setItem(row, 0, QTableWidgetItem("Would you recommend us?"))
    dialog.table.setItem(row, 1, QTableWidgetItem("您愿意推荐我们吗？"))
    dialog.table.cellWidget(row, 2).setCurrentIndex(2)
    dialog.table.setCurrentCell(row, 0)
    dialog.move(-1)
    dialog.table.setCurrentCell(0, 0)
    dialog.remove()
    dialog.grab().save(str(tmp_path / "questionnaire.png"))
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = visits.questionnaire(mgr)
    assert len(saved) == shipped
    assert saved[-2] == {"key": "would_you_recommend_us", "en": "Would you recommend us?", "zh": "您愿意推荐我们吗？",
                         "kind": "yesno"}
    i18n.set_language("zh_CN")
    assert "您愿意推荐我们吗？" in [q.text for q in visits.questions(mgr)]


def test_empty_question_is_refused_and_staff_cannot_edit(qtbot, team):
    dialog = QuestionnaireDialog(team["manager"])
    qtbot.addWidget(dialog)
    dialog.add()
    dialog.save()
    assert dialog.error.text() and dialog.result() != dialog.DialogCode.Accepted
    with pytest.raises(PermissionDenied):
        visits.save_questions(team["rep1"], visits.questionnaire(team["rep1"]))
