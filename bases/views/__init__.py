from bases.views.application import base_create, evidence_delete, name_check, section_edit
from bases.views.detail import attachment_download, base_detail
from bases.views.lists import applications_export, base_export, base_list
from bases.views.steps import base_step

__all__ = [
    "applications_export",
    "attachment_download",
    "base_create",
    "base_detail",
    "base_export",
    "base_list",
    "base_step",
    "evidence_delete",
    "name_check",
    "section_edit",
]
