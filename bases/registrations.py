"""What bases registers with its own registries and the platform's once the apps are loaded
(BasesConfig.ready)."""

from bases.filing_kinds import register_filing_kind
from bases.services.filing_kinds import AcceptanceKind, ChangeRequestKind, ExtensionKind, TaskBookKind


def register_filing_kinds() -> None:
    """bases' four filings after approval, in the order lists and pages show them (Art. 8-4, 6-3, 14)."""
    for kind in (TaskBookKind(), ExtensionKind(), AcceptanceKind(), ChangeRequestKind()):
        register_filing_kind(kind)
