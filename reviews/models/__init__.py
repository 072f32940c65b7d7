"""The reviews app's records: preliminary review and site visits, the expert pool, panels with their
draws and scoring, public notices with objections, and Party-group decisions."""

from reviews.models.decisions import MeetingDecision, MeetingOutcome, PartyGroupMeeting
from reviews.models.experts import DeclaredConflict, Expert, Specialty
from reviews.models.notices import NoticeBase, NoticePeriodChange, Objection, PublicNotice
from reviews.models.panels import (
    CriterionScore,
    Panel,
    PanelBase,
    PanelCriterion,
    PanelDraw,
    PanelMember,
    PanelPurpose,
    Recommendation,
    ScoreSheet,
    ScoringTemplate,
    TemplateCriterion,
)
from reviews.models.preliminary import (
    CHECKLIST_SECTIONS,
    SECTION_CHOICES,
    ChecklistItem,
    Decision,
    PreliminaryCheck,
    PreliminaryCheckItem,
    SiteVisit,
    VisitPurpose,
)

__all__ = [
    "CHECKLIST_SECTIONS",
    "SECTION_CHOICES",
    "ChecklistItem",
    "CriterionScore",
    "Decision",
    "DeclaredConflict",
    "Expert",
    "MeetingDecision",
    "MeetingOutcome",
    "NoticeBase",
    "NoticePeriodChange",
    "Objection",
    "Panel",
    "PanelBase",
    "PanelCriterion",
    "PanelDraw",
    "PanelMember",
    "PanelPurpose",
    "PartyGroupMeeting",
    "PreliminaryCheck",
    "PreliminaryCheckItem",
    "PublicNotice",
    "Recommendation",
    "ScoreSheet",
    "ScoringTemplate",
    "SiteVisit",
    "Specialty",
    "TemplateCriterion",
    "VisitPurpose",
]
