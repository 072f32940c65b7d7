"""What bases registers with its own registries and the platform's once the apps are loaded
(BasesConfig.ready)."""

from bases.filing_kinds import register_filing_kind
from bases.migrations_support import DEFAULT_FUND_CATEGORIES
from bases.models import FundCategory
from bases.services.filing_kinds import AcceptanceKind, ChangeRequestKind, ExtensionKind, TaskBookKind


def register_filing_kinds() -> None:
    """bases' four filings after approval, in the order lists and pages show them (Art. 8-4, 6-3, 14)."""
    for kind in (TaskBookKind(), ExtensionKind(), AcceptanceKind(), ChangeRequestKind()):
        register_filing_kind(kind)


def ensure_default_fund_categories(sender, **kwargs) -> None:
    """Art. 10's three named uses are always there as expense categories: after every migrate and
    after a database flush (which re-emits post_migrate), not only after the data migration."""
    for code, name, name_en, position in DEFAULT_FUND_CATEGORIES:
        FundCategory.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position, "active": True}
        )
