"""The audit trail cannot be rewritten from the admin, not even by a superuser: the transition log
(django-fsm-log StateLog and our TransitionRecord), issued documents, expert draws, the history of
applied changes, daily job runs and django-axes' login records are view-only; a person is
deactivated, never deleted (deleting would blank their name on the steps they took)."""

from datetime import date

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django_fsm_log.models import StateLog

from bases.models import BaseChange
from portal.documents.models import IssuedDocument
from portal.scheduling.models import JobRun
from portal.workflow.models import TransitionRecord
from portal.workflow.services import log_creation
from reviews.models import Panel, PanelDraw
from tests.factories import PilotBaseFactory, UserFactory

pytestmark = pytest.mark.django_db

AUDIT_MODELS = [
    StateLog,
    TransitionRecord,
    IssuedDocument,
    PanelDraw,
    BaseChange,
    JobRun,
    AccessLog,
    AccessFailureLog,
]


@pytest.fixture
def superuser(people):
    return UserFactory(
        username="root", organisation=people.bureau.organisation, is_staff=True, is_superuser=True
    )


@pytest.fixture
def records(people):
    """One row of every audit model, written as the services write them."""
    base = PilotBaseFactory(host=people.host_a)
    state_log = log_creation(instance=base, actor=people.staff_a, comment="新建申请")
    panel = Panel.objects.create(
        title="评审组",
        purpose="establishment",
        template_name="立项评审",
        due_on=date(2026, 10, 1),
        created_by=people.bureau,
    )
    return {
        StateLog: state_log,
        TransitionRecord: state_log.record,
        IssuedDocument: IssuedDocument.objects.create(
            kind="application_form",
            title="申请书",
            content_type=ContentType.objects.get_for_model(base),
            object_id=base.pk,
            base=base,
            file=ContentFile(b"%PDF-1.7 test", name="doc.pdf"),
            size=13,
            sha256="0" * 64,
            issued_by=people.bureau,
        ),
        PanelDraw: PanelDraw.objects.create(
            panel=panel, kind="initial", seed=42, requested=5, picked=[1, 2, 3], drawn_by=people.bureau
        ),
        BaseChange: BaseChange.objects.create(
            base=base, field="name", old_value="旧名称", new_value="新名称", changed_on=date(2026, 1, 5)
        ),
        JobRun: JobRun.objects.create(job="close_notices", as_of=date(2026, 1, 5), trigger="command"),
        AccessLog: AccessLog.objects.create(
            username="staff_a", ip_address="10.0.0.1", user_agent="pytest", http_accept="*/*", path_info="/"
        ),
        AccessFailureLog: AccessFailureLog.objects.create(
            username="staff_a", ip_address="10.0.0.1", user_agent="pytest", http_accept="*/*", path_info="/"
        ),
    }


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def snapshot(obj):
    obj.refresh_from_db()
    return model_to_dict(obj)


@pytest.mark.parametrize("model", AUDIT_MODELS, ids=lambda m: m.__name__)
def test_a_superuser_may_read_an_audit_record_in_the_admin_but_never_add_change_or_delete_it(
    client, superuser, records, model
):
    obj = records[model]
    before = snapshot(obj)
    client.force_login(superuser)

    assert client.get(admin_url(model, "changelist")).status_code == 200
    page = client.get(admin_url(model, "change", obj.pk))
    assert page.status_code == 200  # read-only view
    assert 'name="_save"' not in page.content.decode()
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "add"), {}).status_code == 403
    # a forged POST to the change form: refused, the row unchanged
    forged = {field: "篡改" for field in before if field != "id"}
    assert client.post(admin_url(model, "change", obj.pk), forged).status_code == 403
    assert client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    # the changelist's bulk delete is not offered, and forcing it deletes nothing
    client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert model.objects.filter(pk=obj.pk).exists()
    assert snapshot(obj) == before


def test_every_audit_model_is_registered_view_only(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    for model in AUDIT_MODELS:
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        assert "delete_selected" not in model_admin.get_actions(request)


def test_a_person_is_deactivated_never_deleted_so_the_trail_keeps_their_name(
    client, superuser, people, records
):
    client.force_login(superuser)
    staff = people.staff_a
    assert client.get(admin_url(type(staff), "delete", staff.pk)).status_code == 403
    assert client.post(admin_url(type(staff), "delete", staff.pk), {"post": "yes"}).status_code == 403
    records[StateLog].refresh_from_db()
    assert records[StateLog].by_id == staff.pk


def test_no_code_of_ours_updates_or_deletes_audit_rows():
    """Outside migrations, nothing calls .update() or .delete() on an audit model's rows (directly or
    through a base's `history`, `issued_documents` or a panel's `draws`): only their services create them."""
    import re
    from pathlib import Path

    from django.conf import settings

    names = "|".join(model.__name__ for model in AUDIT_MODELS)
    pattern = re.compile(
        rf"\b(?:(?:{names})\.objects|\.(?:history|issued_documents|draws))\b[^\n]*\.(?:update|delete|bulk_update)\("
    )
    offending = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
        for package in ("portal", "bases", "reviews", "assessments")
        for path in (Path(settings.BASE_DIR) / package).rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offending == []
    assert pattern.search("StateLog.objects.filter(pk=1).delete()")
    assert pattern.search("base.history.all().update(new_value='x')")
