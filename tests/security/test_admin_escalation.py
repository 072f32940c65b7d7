"""No escalation through the admin: the portal's administrator role cannot make anyone (itself
included) a superuser or staff, cannot change its own role, unit or status (which would give it, say,
the bureau's right to read objectors' identities), cannot touch a superuser (nor their password),
and cannot edit groups or permissions. The user admin shows only what the role may change; a
forged POST of the missing fields changes nothing (portal/accounts/admin.py)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from bases.permissions import REVIEW_PERMISSION
from portal.accounts.models import Role, User

pytestmark = pytest.mark.django_db

FORGED = {"is_superuser": "on", "is_staff": "on", "groups": [], "user_permissions": []}


def _change_data(user, **changes):
    data = {
        "username": user.username,
        "full_name": user.full_name or "某人",
        "email": user.email,
        "phone": "",
        "organisation": user.organisation_id or "",
        "role": user.role or "",
        "is_active": "on",
    }
    return {**data, **changes}


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def _identity_permission():
    app_label, codename = REVIEW_PERMISSION.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_the_user_form_shows_no_superuser_or_staff_box_and_not_ones_own_role(admin_client, people):
    own = admin_client.get(reverse("admin:accounts_user_change", args=[people.admin.pk])).content.decode()
    other = admin_client.get(reverse("admin:accounts_user_change", args=[people.staff_a.pk])).content.decode()
    for html in (own, other):
        assert 'name="is_superuser"' not in html and 'name="is_staff"' not in html
        assert 'name="groups"' not in html and 'name="user_permissions"' not in html
    assert 'name="role"' not in own and 'name="organisation"' not in own and 'name="is_active"' not in own
    assert 'name="role"' in other  # managing other people's roles is the administrator's job


def test_an_administrator_cannot_raise_itself(admin_client, people):
    perm = _identity_permission()
    bureau_group = Group.objects.get(name="role:bureau_staff")
    data = _change_data(
        people.admin,
        role=Role.BUREAU_STAFF,
        **{**FORGED, "groups": [bureau_group.pk], "user_permissions": [perm.pk]},
    )
    response = admin_client.post(reverse("admin:accounts_user_change", args=[people.admin.pk]), data)
    assert response.status_code == 302
    me = User.objects.get(pk=people.admin.pk)
    assert (me.is_superuser, me.is_staff, me.role) == (False, True, Role.ADMIN)
    assert not me.user_permissions.exists() and bureau_group not in me.groups.all()
    assert not me.has_perm(REVIEW_PERMISSION)
    # nor through the groups: the administrator has no right to edit them
    assert admin_client.get(reverse("admin:auth_group_change", args=[bureau_group.pk])).status_code == 403
    role_admin = Group.objects.get(name="role:admin")
    response = admin_client.post(
        reverse("admin:auth_group_change", args=[role_admin.pk]),
        {"name": "role:admin", "permissions": [perm.pk]},
    )
    assert response.status_code == 403 and perm not in role_admin.permissions.all()


def test_an_administrator_cannot_make_anyone_superuser_or_staff(admin_client, people):
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[people.staff_a.pk]),
        _change_data(people.staff_a, **FORGED),
    )
    assert response.status_code == 302
    staff = User.objects.get(pk=people.staff_a.pk)
    assert (staff.is_superuser, staff.is_staff) == (False, False)
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_person",
            "password1": "Xz9!long-enough-pw",
            "password2": "Xz9!long-enough-pw",
            "usable_password": "true",
            "full_name": "新人",
            "organisation": people.host_a.pk,
            "role": Role.BASE_STAFF,
            **FORGED,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = User.objects.get(username="new_person")
    assert (new.is_superuser, new.is_staff) == (False, False)


def test_an_administrator_cannot_touch_a_superuser_or_their_password(admin_client, people):
    root = User.objects.create_superuser(username="root", password="Root-pw-2026!")
    before = root.password
    assert admin_client.get(reverse("admin:accounts_user_change", args=[root.pk])).status_code in (200, 403)
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[root.pk]), _change_data(root, is_active="")
    )
    assert response.status_code == 403
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Taken-over-2026!", "password2": "Taken-over-2026!", "usable_password": "true"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.password == before and root.is_active


def test_even_a_superuser_makes_no_superuser_in_the_admin(client, people):
    root = User.objects.create_superuser(username="root", password="Root-pw-2026!")
    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_user_change", args=[people.staff_a.pk]),
        _change_data(people.staff_a, is_superuser="on"),
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=people.staff_a.pk).is_superuser
