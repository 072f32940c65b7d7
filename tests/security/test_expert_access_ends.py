"""An expert's access ends with their task (an expert sees only what is assigned to them, Art. 8-2):
the materials of a base open to them only while their panel is scoring and only what the scoring
needs — the application and its evidence, not the funds ledger, its vouchers, the issued documents
or the archive dossier; after the panel concludes, 404, while their own score sheet stays readable."""

from datetime import date

import pytest
from django.urls import reverse

from bases.models import Status
from bases.services import evidence_attach
from portal.documents.services import attachment_create
from tests.factories import PilotBaseFactory
from tests.uploads import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(people):
    from reviews.models import Expert, Panel, PanelBase, PanelDraw, PanelMember
    from reviews.services.members import member_accept

    base = PilotBaseFactory(host=people.host_a, name="忻州市专家评审中中试基地")
    evidence = evidence_attach(actor=people.staff_a, base=base, condition=1, file=pdf())
    type(base).objects.filter(pk=base.pk).update(status=Status.EXPERT_REVIEW)  # as the review left it
    voucher = attachment_create(owner=base, purpose="voucher", file=pdf())
    profile = Expert.objects.create(
        user=people.expert, title="教授", affiliation=people.expert.organisation, phone="13600000000"
    )
    panel = Panel.objects.create(
        title="专家组",
        purpose="establishment",
        template_name="t",
        due_on=date(2026, 12, 31),
        created_by=people.bureau,
    )
    entry = PanelBase.objects.create(panel=panel, base=base)
    draw = PanelDraw.objects.create(panel=panel, kind="initial", seed=1, requested=1, drawn_by=people.bureau)
    member = PanelMember.objects.create(panel=panel, expert=profile, draw=draw)
    member_accept(actor=people.expert, member=member, declared=True)
    return base, evidence, voucher, panel, entry


def test_while_scoring_the_expert_reads_only_what_the_scoring_needs(client, people, assigned):
    base, evidence, voucher, panel, entry = assigned
    client.force_login(people.expert)
    assert client.get(reverse("bases:detail", args=[base.pk])).status_code == 200
    assert client.get(reverse("bases:attachment", args=[evidence.pk])).status_code == 200
    assert client.get(reverse("reviews:my_sheet", args=[panel.pk, entry.pk])).status_code == 200
    for url in (
        reverse("bases:ledger", args=[base.pk]),
        reverse("bases:ledger_export", args=[base.pk]),
        reverse("bases:dossier", args=[base.pk]),
        reverse("bases:document_preview", args=["application", base.pk]),
        reverse("bases:attachment", args=[voucher.pk]),
    ):
        assert client.get(url).status_code == 404, url
    # the bureau still sees all of it
    client.force_login(people.bureau)
    assert client.get(reverse("bases:ledger", args=[base.pk])).status_code == 200
    assert client.get(reverse("bases:attachment", args=[voucher.pk])).status_code == 200


def test_after_the_panel_concludes_the_materials_are_gone_but_the_own_sheet_stays(client, people, assigned):
    from reviews.models import Panel

    base, evidence, _voucher, panel, entry = assigned
    Panel.objects.filter(pk=panel.pk).update(state=Panel.State.CONCLUDED)
    client.force_login(people.expert)
    assert client.get(reverse("bases:detail", args=[base.pk])).status_code == 404
    assert client.get(reverse("bases:attachment", args=[evidence.pk])).status_code == 404
    assert base.name not in client.get(reverse("bases:list")).content.decode()
    assert client.get(reverse("reviews:my_sheet", args=[panel.pk, entry.pk])).status_code == 200
