"""One source of rights: each app's permissions.py names its predicates in rules' shared rule set, and
templates ask them through rules' one tag, test_rule. Each named rule is checked here for every role
(in scope and out of scope, and the public), and the pages that ask them show or hide their links."""

import re
from pathlib import Path

import pytest
import rules
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import reverse
from rules.rulesets import default_rules

from tests.factories import PEOPLE, PilotBaseFactory

pytestmark = pytest.mark.django_db

HOSTS = {"staff_a", "approver_a", "staff_b", "approver_b"}

# Rules about the person alone: name -> the people of make_people() for whom it holds.
ROLE_RULES = {
    "accounts.is_host": HOSTS,
    "accounts.is_supervisor": {"supervisor_a", "supervisor_b"},
    "accounts.is_bureau": {"bureau"},
    "accounts.is_expert": {"expert"},
    "accounts.is_admin": {"admin"},
    "bases.review": {"bureau"},
    "reviews.review": {"bureau"},
    "reviews.keep_pool": {"bureau"},
    "reviews.decide": {"bureau"},
    "reviews.score": {"expert"},
    "assessments.assess": {"bureau"},
}

# Rules about a person and a base of host unit A: only A's own people hold them (Art. 6).
BASE_RULES = {
    "bases.edit_application": {"staff_a", "approver_a"},
    "bases.is_host_of": {"staff_a", "approver_a"},
}


def test_every_named_rule_is_checked_here():
    assert set(default_rules) == set(ROLE_RULES) | set(BASE_RULES)


@pytest.mark.parametrize("name", sorted(ROLE_RULES))
def test_role_rule_holds_for_its_roles_only(people, name):
    holds = {who for who in PEOPLE if rules.test_rule(name, getattr(people, who))}
    assert holds == ROLE_RULES[name]
    assert not rules.test_rule(name, AnonymousUser())


@pytest.mark.parametrize("name", sorted(BASE_RULES))
def test_base_rule_holds_for_the_base_own_host_only(people, name):
    base = PilotBaseFactory(host=people.host_a)
    holds = {who for who in PEOPLE if rules.test_rule(name, getattr(people, who), base)}
    assert holds == BASE_RULES[name]
    assert not rules.test_rule(name, AnonymousUser(), base)


def test_the_tag_answers_as_the_predicate(people):
    template = Template(
        '{% load rules %}{% test_rule "bases.review" user as may %}{% if may %}yes{% else %}no{% endif %}'
    )
    assert template.render(Context({"user": people.bureau})) == "yes"
    assert template.render(Context({"user": people.supervisor_a})) == "no"
    assert template.render(Context({"user": AnonymousUser()})) == "no"


def _page(client, user, url):
    client.force_login(user)
    return client.get(url).content.decode()


def test_bases_list_shows_the_bureau_tools_to_the_bureau_only(client, people):
    legacy_import = reverse("bases:legacy_import")
    assert legacy_import in _page(client, people.bureau, reverse("bases:list"))
    assert legacy_import not in _page(client, people.supervisor_a, reverse("bases:list"))
    assert legacy_import not in _page(client, people.staff_a, reverse("bases:list"))


@pytest.mark.parametrize(
    ("who", "url_name", "shown"),
    [
        ("bureau", "reviews:panel_list", True),
        ("supervisor_a", "reviews:panel_list", False),
        ("admin", "reviews:panel_list", False),
        ("expert", "reviews:my_panels", True),
        ("bureau", "reviews:my_panels", False),
        ("admin", "operations:index", True),
        ("bureau", "operations:index", False),
    ],
)
def test_navigation_links_follow_the_role_rules(client, people, who, url_name, shown):
    assert (reverse(url_name) in _page(client, getattr(people, who), reverse("workspace"))) is shown


def test_dashboard_link_hidden_from_experts(client, people):
    assert reverse("dashboard") in _page(client, people.supervisor_a, reverse("workspace"))
    assert reverse("dashboard") not in _page(client, people.expert, reverse("workspace"))


# What templates asked before the one tag: properties of the user, role strings, the perms proxy.
# A template that asks so again repeats a rule of a permissions module (and a misspelt or removed
# property would fail silently, as an empty string).
OLD_WAYS = re.compile(r"is_(bureau|host|supervisor)_user|is_portal_admin|user\.role\s*[!=]=|\bperms\.")


def test_templates_ask_rights_through_the_one_tag():
    offending = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OLD_WAYS.search(line)
    ]
    assert offending == []
