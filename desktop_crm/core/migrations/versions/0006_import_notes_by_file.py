"""Complaint timeline steps written by an import keep the file name only; the sentence around it
("Imported from …" / "从 … 导入") is said by the reader's language when shown.

Revision ID: 0006
Revises: 0005
"""

from alembic import op
from sqlalchemy import text

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_EN, _ZH_HEAD, _ZH_TAIL = "Imported from ", "从 ", " 导入"


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(text("SELECT id, note FROM complaint_events WHERE kind = 'import' AND note IS NOT NULL"))
    for event_id, note in list(rows):
        if note.startswith(_EN):
            file = note[len(_EN):]
        elif note.startswith(_ZH_HEAD) and note.endswith(_ZH_TAIL):
            file = note[len(_ZH_HEAD):-len(_ZH_TAIL)]
        else:
            continue
        bind.execute(text("UPDATE complaint_events SET note = :file WHERE id = :id"), {"file": file, "id": event_id})


def downgrade() -> None:
    op.get_bind().execute(text(
        "UPDATE complaint_events SET note = 'Imported from ' || note WHERE kind = 'import' AND note IS NOT NULL"))
