"""The models of the pilot base, one module per concept; this package re-exports them because Django
and every importer reach them as ``bases.models``.

states       the states of a pilot base and the groups of them the rules name
base         the pilot base and its state machine (application to revocation)
application  what the application contains besides the base's own fields (Art. 3, 7)
filings      the filings after approval that share one state machine (Art. 8-4)
changes      the change request and the applied changes (Art. 6-3, 14)
funds        the award and the special-funds ledger (Art. 9–10)
object_permissions  guardian's direct foreign-key permission tables of the base
fields       base_field: how a record of any app points at its base (imported from here, not re-exported)
"""

from bases.models.application import (
    BackingKind,
    CoBuilder,
    Condition,
    ConditionAffirmation,
    EquipmentItem,
    RepresentativePaper,
    TechnicalBacking,
)
from bases.models.base import ConstructionMode, PilotBase
from bases.models.changes import BaseChange, ChangeKind, ChangeRequest
from bases.models.filings import (
    AcceptanceApplication,
    ExtensionRequest,
    Filing,
    FilingState,
    Milestone,
    TaskBook,
)
from bases.models.funds import Award, Category, Direction, FundCategory, LedgerEntry, category_names
from bases.models.object_permissions import PilotBaseGroupObjectPermission, PilotBaseUserObjectPermission
from bases.models.states import (
    EDITABLE_STATES,
    POST_APPROVAL_STATES,
    PRE_DECISION_STATES,
    TERMINAL_STATES,
    ApplicationKind,
    Status,
)

__all__ = [
    "EDITABLE_STATES",
    "POST_APPROVAL_STATES",
    "PRE_DECISION_STATES",
    "TERMINAL_STATES",
    "AcceptanceApplication",
    "ApplicationKind",
    "Award",
    "BackingKind",
    "BaseChange",
    "Category",
    "ChangeKind",
    "ChangeRequest",
    "CoBuilder",
    "Condition",
    "ConditionAffirmation",
    "ConstructionMode",
    "Direction",
    "EquipmentItem",
    "ExtensionRequest",
    "Filing",
    "FilingState",
    "FundCategory",
    "LedgerEntry",
    "Milestone",
    "PilotBase",
    "PilotBaseGroupObjectPermission",
    "PilotBaseUserObjectPermission",
    "RepresentativePaper",
    "Status",
    "TaskBook",
    "TechnicalBacking",
    "category_names",
]
