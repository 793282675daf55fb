"""All models, imported so that `Base.metadata` knows every table.

One module per aggregate; each area adds its import here.
"""

from desktop_crm.core.models.audit import AuditEntry, AuditHead
from desktop_crm.core.models.complaint import Complaint, ComplaintEvent, Phrase
from desktop_crm.core.models.customer import Contact, Customer, StatusChange, Transfer
from desktop_crm.core.models.leads import Lead, LeadEvent  # noqa: F401
from desktop_crm.core.models.pool import HoldingLimit, PoolPin, PoolRule  # noqa: F401
from desktop_crm.core.models.sales import Contract, Opportunity, OpportunityAction, OpportunityStage, Order  # noqa: F401
from desktop_crm.core.models.search import CustomerSearch
from desktop_crm.core.models.setting import SavedFilter, Sequence, Setting
from desktop_crm.core.models.user import Department, User
from desktop_crm.core.models.visits import (  # noqa: F401
    Interaction,
    PoolClaim,
    ReminderDismissal,
    VisitAnswer,
    VisitPlan,
    VisitQuestion,
)
from desktop_crm.core.models.workplan import (  # noqa: F401
    InboxEntry,
    JobLease,
    JobRun,
    Task,
    TaskParticipant,
    TaskReminder,
)

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Complaint",
    "ComplaintEvent",
    "Contact",
    "Customer",
    "CustomerSearch",
    "Department",
    "Phrase",
    "SavedFilter",
    "Sequence",
    "Setting",
    "StatusChange",
    "Transfer",
    "User",
]
