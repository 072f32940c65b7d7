"""The kinds of filing that run the chain of bases.models.filings.Filing, and their registry.

A kind is its model, its form and what the chain does for it (hooks of FilingKind, overridden per
kind). bases registers its own kinds (task book, extension, acceptance, change) and the apps above it
register theirs (assessments: annual report, evaluation) from their AppConfig.ready(), so the chain,
its pages and its lists never name an app above bases. The registry keeps the order of
registration: bases' kinds first (INSTALLED_APPS order), which is the order lists and pages show.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from bases.models import Filing, PilotBase
from bases.models.filings import OPEN_FILING_STATES


class FilingKind:
    """One kind of filing. The hooks' defaults are what most kinds do; a kind overrides the ones it
    differs in."""

    key: ClassVar[str]  # in URLs (/filings/<key>/...) and in folders of the base's files
    form: ClassVar[type]  # the ModelForm of its content; its Meta.fields are the content fields
    model: ClassVar[type[Filing]]  # the form's Meta.model, taken from it when the kind is declared
    opened_by_bureau: ClassVar[bool] = False  # the bureau opens it for the host, who fills and submits
    may_refuse: ClassVar[bool] = False  # the bureau may refuse it, not only approve or return it
    approved_by_panel: ClassVar[bool] = False  # accepted when the bureau forms its panel, not on its page
    hidden_steps: ClassVar[frozenset[str]] = frozenset()  # steps its page does not offer as buttons

    def __init_subclass__(cls, **kwargs):
        # A kind names its model once, in its form's Meta; the chain and the registry read it here.
        super().__init_subclass__(**kwargs)
        if "form" in cls.__dict__:
            cls.model = cls.form._meta.model

    @property
    def content_fields(self) -> list[str]:
        return list(self.form._meta.fields)

    def start_problem(self, base: PilotBase, today: date) -> str | None:
        """None when the host may start one for the base now, else why not (for the user)."""
        if self.opened_by_bureau:
            return _("由市科技局开启报送后填写。")
        if self.model.objects.filter(base=base, state__in=OPEN_FILING_STATES).exists():
            return _("该基地已有一份正在办理的%(what)s。") % {"what": self.model._meta.verbose_name}
        return None

    def clean(self, base: PilotBase, values: Mapping[str, Any]) -> dict[str, str]:
        """Errors of the content by field name (the form checked types; these are the rules)."""
        return {}

    def formset(self, data=None, *, base: PilotBase | None = None, filing: Filing | None = None):
        """The repeated rows its page edits with the content, or None."""
        return None

    def save_rows(self, filing: Filing, rows) -> None:
        """Store the rows of formset() with the filing."""

    def submit_problem(self, filing: Filing, today: date) -> str | None:
        """None when the host approver may submit it now, else why not."""
        return None

    def approval_changes(self, filing: Filing, months_granted: int | None) -> dict[str, Any]:
        """Fields the bureau's approval sets on the filing itself."""
        return {}

    def after_step(self, filing: Filing, action: str, actor, today: date) -> None:
        """What a step of the chain does to the base, in the same transaction."""

    def page_context(self, filing: Filing) -> dict[str, Any]:
        """What its page shows besides the filing (e.g. an annual report's figures from the ledger)."""
        return {}


FILING_KINDS: dict[str, FilingKind] = {}
#: key → model, in the same order (the lists and the base's files read every kind's table).
FILING_MODELS: dict[str, type[Filing]] = {}
_BY_MODEL: dict[type[Filing], FilingKind] = {}


def register_filing_kind(kind: FilingKind) -> None:
    """Add a kind of filing (from an AppConfig.ready()); registering a key again replaces it in place."""
    FILING_KINDS[kind.key] = kind
    FILING_MODELS[kind.key] = kind.model
    _BY_MODEL[kind.model] = kind


def kind_of(filing: Filing) -> FilingKind:
    return _BY_MODEL[type(filing)]
