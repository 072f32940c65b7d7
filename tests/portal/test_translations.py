"""English is the portal's second language and must be complete: no untranslated string on any page.

The msgids are Chinese (the default language is zh-hans). These tests check that the English
catalogue (locale/en/LC_MESSAGES/django.po) translates every message, that the committed .mo is the
compiled .po, that the catalogue covers every gettext call in the code and templates, and that the
pages render in English without Chinese characters, apart from data and the few proper nouns an
English page must keep (see ALLOWED_CHINESE).

After changing a msgid:
    DEBUG=true uv run python manage.py makemessages -l en --ignore=.venv --ignore=static \
        --ignore=staticfiles --ignore=test-artifacts --ignore=tests
    (translate the new entries, remove every "#, fuzzy")
    DEBUG=true uv run python manage.py compilemessages --ignore=.venv
"""

import ast
import gettext as gettext_module
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

from bases.completeness import SECTIONS
from bases.models import Status
from bases.services import base_revoke
from portal.accounts.models import Organisation, OrganisationKind, Role
from portal.models import CalendarDay, CalendarYear
from portal.notifications.models import Notification
from reviews.models import ScoringTemplate, Specialty, TemplateCriterion
from tests.factories import HostUnitFactory, PilotBaseFactory, SupervisorFactory, UserFactory, bureau_org

BASE_DIR = settings.BASE_DIR
PO_PATH = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.mo"
# The directories makemessages is told to ignore, and the uploads; hidden ones (.venv, .git) too.
IGNORED_DIRS = {"static", "staticfiles", "test-artifacts", "tests", "node_modules", "media"}

CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[sdifr%]")


# --- a tiny .po reader (polib is not a dependency) -----------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _unquote(token: str) -> str:
    return ast.literal_eval(token)  # a PO string is a valid Python string literal for our purposes


def read_po(path=PO_PATH) -> list[Entry]:
    """The entries of a .po file, the header included (msgid ""), obsolete (#~) entries excluded."""
    entries: list[Entry] = []
    entry, target = None, None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and target is not None:  # a comment after msgstr starts a new entry
                entries.append(entry)
                entry, target = None, None
            entry = entry or Entry(line=number)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                entries.append(entry)
                entry = None
            entry = entry or Entry(line=number)
            if keyword == "msgctxt":
                entry.msgctxt, target = value, ("msgctxt",)
            elif keyword == "msgid":
                entry.msgid, target = value, ("msgid",)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = value, ("msgid_plural",)
            else:
                number_index = int(index) if index is not None else 0
                entry.msgstr[number_index] = value
                target = ("msgstr", number_index)
            continue
        assert line.startswith('"'), f"{path}:{number}: cannot read {raw!r}"
        value = _unquote(line)
        if target[0] == "msgstr":
            entry.msgstr[target[1]] += value
        else:
            setattr(entry, target[0], getattr(entry, target[0]) + value)
    if entry is not None:
        entries.append(entry)
    return entries


def _messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid != ""]


def _key(msgctxt: str | None, msgid: str) -> str:
    return f"{msgctxt}\x04{msgid}" if msgctxt else msgid


# --- the catalogue itself ----------------------------------------------------------------------


def test_catalogue_has_an_english_header():
    header = [e for e in read_po() if e.msgid == ""]
    assert len(header) == 1, "the .po needs exactly one header entry"
    assert "fuzzy" not in header[0].flags, "a fuzzy header is ignored by msgfmt: remove '#, fuzzy'"
    text = header[0].msgstr[0]
    assert "Language: en\n" in text
    assert "Content-Type: text/plain; charset=UTF-8\n" in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in text


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = _messages(read_po())
    assert len(entries) > 500, "the catalogue looks truncated"
    problems = []
    for e in entries:
        where = f"django.po:{e.line} {e.msgid!r}"
        if "fuzzy" in e.flags:
            problems.append(f"{where}: fuzzy")
        expected = [0, 1] if e.msgid_plural is not None else [0]
        if sorted(e.msgstr) != expected:
            problems.append(f"{where}: msgstr forms {sorted(e.msgstr)}, expected {expected}")
        for index, text in e.msgstr.items():
            if not text.strip():
                problems.append(f"{where}: msgstr[{index}] is empty")
            elif CJK.search(text) and not _only_allowed_chinese(text):
                problems.append(f"{where}: msgstr[{index}] still has Chinese: {text!r}")
    assert not problems, "\n".join(problems)


def test_translations_keep_every_placeholder():
    problems = []
    for e in _messages(read_po()):
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            wanted, got = sorted(PLACEHOLDER.findall(source)), sorted(PLACEHOLDER.findall(text))
            if wanted != got:
                problems.append(f"django.po:{e.line} {e.msgid!r} msgstr[{index}]: {got} != {wanted}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_accepts_the_catalogue_and_counts_everything_translated():
    result = subprocess.run(
        [shutil.which("msgfmt"), "--check", "--statistics", "-o", os.devnull, str(PO_PATH)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""},
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "translated message" in report, report
    assert "untranslated" not in report, report
    assert "fuzzy" not in report, report


def test_compiled_catalogue_is_the_po_compiled():
    """The committed .mo says exactly what the .po says (compare content, not bytes: msgfmt versions
    lay out the hash table differently)."""
    assert MO_PATH.exists(), "locale/en/LC_MESSAGES/django.mo is missing: run compilemessages"
    with MO_PATH.open("rb") as fp:
        compiled = gettext_module.GNUTranslations(fp)._catalog
    expected: dict = {}
    for e in read_po():
        if e.msgid == "":
            continue
        key = _key(e.msgctxt, e.msgid)
        if e.msgid_plural is None:
            expected[key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(key, index)] = text
    compiled = {k: v for k, v in compiled.items() if k != ""}
    stale = sorted(str(k) for k in expected.keys() | compiled.keys() if expected.get(k) != compiled.get(k))
    assert not stale, "django.mo is out of date, run compilemessages; differing messages:\n" + "\n".join(
        stale[:40]
    )


# --- the catalogue covers the code ------------------------------------------------------------

# xgettext's keywords as makemessages passes them: name -> (context arg, msgid args)
PY_KEYWORDS = {
    "_": (None, (0,)),
    "gettext": (None, (0,)),
    "gettext_lazy": (None, (0,)),
    "gettext_noop": (None, (0,)),
    "ngettext": (None, (0, 1)),
    "ngettext_lazy": (None, (0, 1)),
    "pgettext": (0, (1,)),
    "pgettext_lazy": (0, (1,)),
    "npgettext": (0, (1, 2)),
    "npgettext_lazy": (0, (1, 2)),
}
TEMPLATE_CALL = re.compile(r"\b(gettext|ngettext|pgettext|npgettext)\(((?:\s*u?'(?:[^'\\]|\\.)*'\s*,?)+)")
TEMPLATE_STRING = re.compile(r"u?('(?:[^'\\]|\\.)*')")


def _project_files(suffixes: tuple[str, ...]):
    for root, dirs, files in os.walk(BASE_DIR):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(suffixes):
                path = Path(root) / name
                yield path, path.relative_to(BASE_DIR)


def _python_msgids() -> dict[str, str]:
    """msgid key -> where, for every literal gettext call in the project's Python code."""
    found: dict[str, str] = {}
    for path, relative in _project_files((".py",)):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in PY_KEYWORDS:
                continue
            context_index, msgid_indexes = PY_KEYWORDS[name]
            args = node.args
            if len(args) <= max(msgid_indexes):
                continue
            context = None
            if context_index is not None:
                if not (
                    isinstance(args[context_index], ast.Constant)
                    and isinstance(args[context_index].value, str)
                ):
                    continue
                context = args[context_index].value
            for index in msgid_indexes:
                arg = args[index]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                    found.setdefault(_key(context, arg.value), f"{relative}:{node.lineno}")
    return found


def _template_msgids() -> dict[str, str]:
    """msgid key -> where, for every translate/blocktranslate/_() in the templates, read the way
    makemessages reads them (Django's templatize)."""
    found: dict[str, str] = {}
    for path, relative in _project_files((".html", ".txt")):
        source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for number, line in enumerate(source.splitlines(), start=1):
            for call in TEMPLATE_CALL.finditer(line):
                strings = [ast.literal_eval(s) for s in TEMPLATE_STRING.findall(call.group(2))]
                context = strings.pop(0) if call.group(1).startswith(("pgettext", "npgettext")) else None
                for msgid in strings:
                    if msgid:
                        found.setdefault(_key(context, msgid), f"{relative}:~{number}")
    return found


def test_catalogue_covers_every_gettext_call():
    catalogue = set()
    for e in _messages(read_po()):
        catalogue.add(_key(e.msgctxt, e.msgid))
        if e.msgid_plural is not None:
            catalogue.add(_key(e.msgctxt, e.msgid_plural))
    python, templates = _python_msgids(), _template_msgids()
    assert len(templates) > 100, "the template scan found too little: is templatize's output read right?"
    missing = sorted(
        f"{where}: {key!r}" for key, where in {**python, **templates}.items() if key not in catalogue
    )
    assert not missing, (
        "messages in the code but not in the English catalogue; run makemessages, translate, "
        "compilemessages:\n" + "\n".join(missing)
    )


def test_catalogue_has_no_obsolete_entries():
    """An entry whose msgid left the code is kept by makemessages as '#~': drop it from the .po."""
    obsolete = [
        line for line in PO_PATH.read_text(encoding="utf-8").splitlines() if line.startswith("#~ msgid")
    ]
    assert not obsolete, "\n".join(obsolete)


# --- pages in English --------------------------------------------------------------------------

#: Chinese an English page keeps on purpose: the regulation's document number, and the literal parts
#: of a base's name, which Art. 18 fixes in Chinese (the naming rule must show what to type).
ALLOWED_CHINESE = ("忻科规〔2024〕2号", "忻州市新材料中试基地", "忻州市", "中试基地")
#: The language switcher names each language in that language (<button lang="zh-CN">简体中文</button>).
LANGUAGE_SWITCHER = re.compile(r'(<button\b[^>]*\blang="zh-CN"[^>]*>)\s*简体中文\s*(</button>)')


def _only_allowed_chinese(text: str) -> bool:
    for allowed in ALLOWED_CHINESE:
        text = text.replace(allowed, "")
    return not CJK.search(text)


def _chinese_left(html: str, data: list[str], pattern=re.compile(r"[\u4e00-\u9fff]+")) -> list[str]:
    """Snippets of the page around each Chinese character left once data and allowed nouns are gone."""
    html = LANGUAGE_SWITCHER.sub(r"\1\2", html)
    for text in sorted({d for d in data if d}, key=len, reverse=True) + list(ALLOWED_CHINESE):
        html = html.replace(text, "")
    snippets, covered = [], -1
    for match in pattern.finditer(html):
        if match.start() < covered:
            continue
        start, covered = max(0, match.start() - 60), min(len(html), match.end() + 30)
        snippets.append(re.sub(r"\s+", " ", html[start:covered]).strip())
    return snippets


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """LocaleMiddleware leaves the last request's language active in the thread: put the default back,
    or the tests that run next in this process would see English."""
    yield
    translation.deactivate()


@pytest.fixture
def english(db):
    """Latin-named organisations and people, three bases in the states the pages need."""
    bureau = bureau_org()
    bureau.name = "Test Municipal S&T Bureau"
    bureau.save(update_fields=["name"])
    supervisor_org = SupervisorFactory(name="Test County Bureau")
    host = HostUnitFactory(name="Acme Pilot Works Ltd", supervising_unit=supervisor_org)
    expert_org = Organisation.objects.create(name="Test University", kind=OrganisationKind.OTHER)
    users = {
        "staff": UserFactory(username="en_staff", organisation=host, role=Role.BASE_STAFF, full_name="Alice"),
        "approver": UserFactory(
            username="en_approver", organisation=host, role=Role.HOST_APPROVER, full_name="Bob"
        ),
        "supervisor": UserFactory(
            username="en_supervisor", organisation=supervisor_org, role=Role.SUPERVISOR, full_name="Carol"
        ),
        "bureau": UserFactory(
            username="en_bureau", organisation=bureau, role=Role.BUREAU_STAFF, full_name="Dave"
        ),
        "admin": UserFactory(
            username="en_admin", organisation=bureau, role=Role.ADMIN, full_name="Erin", is_staff=True
        ),
        "superuser": UserFactory(
            username="en_root",
            organisation=bureau,
            role=Role.ADMIN,
            full_name="Root",
            is_staff=True,
            is_superuser=True,
        ),
        "expert": UserFactory(
            username="en_expert", organisation=expert_org, role=Role.EXPERT, full_name="Frank"
        ),
    }
    bases = {
        "draft": PilotBaseFactory(host=host, created_by=users["staff"]),
        "submitted": PilotBaseFactory(host=host, created_by=users["staff"], status=Status.SUBMITTED),
        "recommended": PilotBaseFactory(host=host, created_by=users["staff"], status=Status.RECOMMENDED),
        "recognized": PilotBaseFactory(host=host, created_by=users["staff"], status=Status.RECOGNIZED),
    }
    bases["preliminary_passed"] = PilotBaseFactory(host=host, status=Status.PRELIMINARY_PASSED)
    bases["review_passed"] = PilotBaseFactory(host=host, status=Status.REVIEW_PASSED)
    reviews = _panel_and_notice(users, host, expert_org)
    reviews.update(_after_approval(users, host))
    with translation.override("en"):  # what the services store (log comments) is written in English
        bases["revoked"] = PilotBaseFactory(host=host, created_by=users["staff"], status=Status.RECOGNIZED)
        base_revoke(
            actor=users["bureau"],
            base=bases["revoked"],
            reason_code="bureau_decision",
            note="Test revocation.",
        )
    # A base's name and R&D direction are Chinese by rule (Art. 18): data, not interface text.
    data = [text for base in bases.values() for text in (base.name, base.rd_direction)]
    # So are the organisations the migrations load and the holiday library's names of holidays.
    data += list(Organisation.objects.values_list("name", flat=True))
    data += list(CalendarDay.objects.values_list("note", flat=True))
    data += list(CalendarYear.objects.values_list("note", flat=True))
    # The scoring templates the migrations ship, the specialties and the fixed seeded panel parts.
    data += [text for c in TemplateCriterion.objects.all() for text in (c.name, c.guidance)]
    data += list(ScoringTemplate.objects.values_list("name", flat=True))
    data += list(ScoringTemplate.objects.values_list("description", flat=True))
    data += list(Specialty.objects.values_list("name", flat=True))
    data += [
        text
        for key in ("in_review", "in_notice", "approved", "building", "recognised")
        for text in (reviews[key].name, reviews[key].rd_direction)
    ]
    bases.update(reviews)
    # The Measures are the bureau's published Chinese text: data on the English page.
    from portal.measures import measures

    text = measures()
    data += [*text.preamble, text.title]
    for chapter in text.chapters:
        data += [chapter.label, chapter.title]
        for article in chapter.articles:
            data += [article.label, *article.paragraphs]
    # Notifications are written in the portal's language whoever acted: data to the admin pages.
    for title, body in Notification.objects.values_list("title", "body"):
        data += [title, body]
    return users, bases, data


def _panel_and_notice(users, host, expert_org):
    """A panel with the expert accepted on a base in review, and a running notice with an objection."""
    from datetime import timedelta

    from django.utils import timezone

    from reviews.models import (
        Expert,
        Objection,
        Panel,
        PanelBase,
        PanelCriterion,
        PanelDraw,
        PanelMember,
        PublicNotice,
    )

    in_review = PilotBaseFactory(host=host, status=Status.EXPERT_REVIEW)
    profile = Expert.objects.create(
        user=users["expert"], title="Professor", affiliation=expert_org, phone="13600000000", email="f@x.cn"
    )
    panel = Panel.objects.create(
        title="Panel One",
        purpose="establishment",
        template_name="Template One",
        due_on=timezone.localdate() + timedelta(days=10),
        created_by=users["bureau"],
    )
    for c in ScoringTemplate.objects.get(purpose="establishment").criteria.all():
        PanelCriterion.objects.create(
            panel=panel,
            name=c.name,
            guidance=c.guidance,
            weight=c.weight,
            max_score=c.max_score,
            position=c.position,
        )
    entry = PanelBase.objects.create(panel=panel, base=in_review)
    draw = PanelDraw.objects.create(
        panel=panel,
        kind="initial",
        seed=1,
        requested=1,
        eligible=[profile.pk],
        picked=[profile.pk],
        drawn_by=users["bureau"],
    )
    draw.specialties.set(Specialty.objects.all()[:1])
    PanelMember.objects.create(
        panel=panel, expert=profile, draw=draw, state="accepted", declared_at=timezone.now(), declaration="-"
    )
    in_notice = PilotBaseFactory(host=host, status=Status.IN_NOTICE)
    today = timezone.localdate()
    notice = PublicNotice.objects.create(
        title="Notice One",
        body="Notice text.",
        starts_on=today - timedelta(days=1),
        working_days=7,
        ends_on=today + timedelta(days=9),
        published_by=users["bureau"],
    )
    notice_entry = notice.entries.create(base=in_notice)
    objection = Objection.objects.create(
        entry=notice_entry,
        receipt_no="YY202611290001",
        name="Grace",
        phone="13500000000",
        content="Objection text.",
    )
    template = ScoringTemplate.objects.get(purpose="establishment")
    return {
        "in_review": in_review,
        "in_notice": in_notice,
        "panel": panel,
        "entry": entry,
        "notice": notice,
        "objection": objection,
        "template": template,
    }


def _after_approval(users, host):
    """An approved base with a draft task book, one under construction, one recognised with its award
    disbursed and an expenditure booked."""
    from datetime import date

    from bases.services import filings, funds

    approved = PilotBaseFactory(host=host, status=Status.APPROVED, approved_on=date(2026, 6, 1))
    task_book = filings.filing_create(
        actor=users["staff"],
        base=approved,
        kind="task-book",
        data={
            "goals": "Goals.",
            "construction_content": "Work.",
            "staffing": "Staff.",
            "expected_outputs": "Out.",
        },
        milestones=[{"year": 2026, "content": "Build."}],
    )
    building = PilotBaseFactory(
        host=host,
        status=Status.UNDER_CONSTRUCTION,
        approved_on=date(2026, 1, 5),
        construction_deadline=date(2028, 1, 5),
    )
    recognised = PilotBaseFactory(host=host, status=Status.RECOGNIZED, recognized_on=date(2026, 2, 1))
    award = funds.award_create(base=recognised, today=date(2026, 2, 1))
    with translation.override("en"):
        funds.award_disburse(
            actor=users["bureau"],
            award=award,
            disbursed_on=date(2026, 2, 3),
            voucher_no="V-1",
            amount="200000",
        )
        funds.ledger_record(
            actor=users["staff"],
            base=recognised,
            direction="expenditure",
            entry_on=date(2026, 3, 1),
            amount="1000.00",
            payee="Acme Supplies",
            category="research",
            note="Reagents",
        )
    return {"approved": approved, "task_book": task_book, "building": building, "recognised": recognised}


def _pages():
    """(id, who, path): who is a key of the fixture's users or None (anonymous)."""
    pages = [
        ("home", None, lambda b: "/"),
        ("login", None, lambda b: "/accounts/login/"),
        ("home-signed-in", "staff", lambda b: "/"),
    ]
    pages += [
        (f"workspace-{who}", who, lambda b: "/workspace/")
        for who in ("staff", "approver", "supervisor", "bureau", "admin", "expert")
    ]
    pages += [
        ("bases-bureau", "bureau", lambda b: "/bases/"),
        ("bases-host", "staff", lambda b: "/bases/"),
        ("bases-new", "staff", lambda b: "/bases/new/"),
        ("detail-host-draft", "staff", lambda b: f"/bases/{b['draft'].pk}/"),
        ("detail-supervisor-submitted", "supervisor", lambda b: f"/bases/{b['submitted'].pk}/"),
        ("detail-bureau-recommended", "bureau", lambda b: f"/bases/{b['recommended'].pk}/"),
        ("detail-bureau-recognized", "bureau", lambda b: f"/bases/{b['recognized'].pk}/"),
    ]
    pages += [
        (f"edit-{s.key}", "staff", lambda b, key=s.key: f"/bases/{b['draft'].pk}/edit/{key}/")
        for s in SECTIONS
    ]
    pages += [
        ("act-submit", "approver", lambda b: f"/bases/{b['draft'].pk}/act/submit/"),
        ("act-recommend", "supervisor", lambda b: f"/bases/{b['submitted'].pk}/act/recommend/"),
        (
            "act-supervisor-return",
            "supervisor",
            lambda b: f"/bases/{b['submitted'].pk}/act/supervisor_return/",
        ),
        ("preliminary", "bureau", lambda b: f"/reviews/preliminary/{b['recommended'].pk}/"),
        ("site-visit-new", "bureau", lambda b: f"/reviews/site-visits/{b['recommended'].pk}/new/"),
        ("profile", "staff", lambda b: "/accounts/profile/"),
        ("password-change", "staff", lambda b: "/accounts/password-change/"),
        ("password-change-done", "staff", lambda b: "/accounts/password-change/done/"),
        ("detail-bureau-revoked", "bureau", lambda b: f"/bases/{b['revoked'].pk}/"),
        ("panels", "bureau", lambda b: "/reviews/panels/"),
        ("panel-new", "bureau", lambda b: "/reviews/panels/new/"),
        ("panel-detail", "bureau", lambda b: f"/reviews/panels/{b['panel'].pk}/"),
        ("templates", "bureau", lambda b: "/reviews/templates/"),
        ("template-new", "bureau", lambda b: "/reviews/templates/new/"),
        ("template-edit", "bureau", lambda b: f"/reviews/templates/{b['template'].pk}/edit/"),
        ("my-panels", "expert", lambda b: "/reviews/my-panels/"),
        ("my-panel", "expert", lambda b: f"/reviews/my-panels/{b['panel'].pk}/"),
        ("my-sheet", "expert", lambda b: f"/reviews/my-panels/{b['panel'].pk}/bases/{b['entry'].pk}/"),
        ("detail-expert", "expert", lambda b: f"/bases/{b['in_review'].pk}/"),
        ("notices", "bureau", lambda b: "/reviews/notices/"),
        ("notice-new", "bureau", lambda b: "/reviews/notices/new/"),
        ("notice-detail", "bureau", lambda b: f"/reviews/notices/{b['notice'].pk}/"),
        ("objection", "bureau", lambda b: f"/reviews/objections/{b['objection'].pk}/"),
        ("public-notices", None, lambda b: "/notices/"),
        ("roster", None, lambda b: "/roster/"),
        ("contact", None, lambda b: "/contact/"),
        ("measures", None, lambda b: "/measures/"),
        ("dashboard-bureau", "bureau", lambda b: "/dashboard/"),
        ("dashboard-supervisor", "supervisor", lambda b: "/dashboard/"),
        ("dashboard-host", "staff", lambda b: "/dashboard/"),
        ("task-book-new", "staff", lambda b: f"/bases/{b['approved'].pk}/filings/task-book/new/"),
        ("task-book-host", "staff", lambda b: f"/bases/filings/task-book/{b['task_book'].pk}/"),
        ("task-book-bureau", "bureau", lambda b: f"/bases/filings/task-book/{b['task_book'].pk}/"),
        ("extension-new", "staff", lambda b: f"/bases/{b['building'].pk}/filings/extension/new/"),
        ("acceptance-new", "staff", lambda b: f"/bases/{b['building'].pk}/filings/acceptance/new/"),
        ("change-new", "staff", lambda b: f"/bases/{b['building'].pk}/filings/change/new/"),
        ("detail-building", "staff", lambda b: f"/bases/{b['building'].pk}/"),
        ("detail-recognised", "bureau", lambda b: f"/bases/{b['recognised'].pk}/"),
        ("ledger-host", "staff", lambda b: f"/bases/{b['recognised'].pk}/funds/"),
        ("ledger-bureau", "bureau", lambda b: f"/bases/{b['recognised'].pk}/funds/"),
        ("notification-preferences", "staff", lambda b: "/notifications/preferences/"),
        ("operations", "admin", lambda b: "/operations/"),
        ("public-notice", None, lambda b: f"/notices/{b['notice'].pk}/"),
        ("admin-index", "superuser", lambda b: "/admin/"),
    ]
    pages += [
        (f"admin-{model}", "superuser", lambda b, model=model: f"/admin/{model}/")
        for model in (
            "bases/pilotbase",
            "accounts/user",
            "accounts/organisation",
            "portal/calendarday",
            "portal/parameter",
            "reviews/preliminarycheck",
            "reviews/panel",
            "reviews/publicnotice",
            "reviews/objection",
            "scheduling/jobrun",
            "reviews/sitevisit",
            "notifications/notification",
            "documents/attachment",
            "accounts/organisation/add",
            "portal/calendarday/add",
        )
    ]
    pages += [
        ("admin-base-change", "superuser", lambda b: f"/admin/bases/pilotbase/{b['draft'].pk}/change/"),
        (
            "admin-user-change",
            "superuser",
            lambda b: f"/admin/accounts/user/{b['draft'].created_by.pk}/change/",
        ),
    ]
    return pages


PAGES = _pages()


def _english_client(client, user=None):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    if user is not None:
        client.force_login(user)
    return client


def _assert_english(response, data):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert re.search(r'<html lang="en"[ >]', html), "the page was not rendered in English"
    left = _chinese_left(html, data)
    assert not left, "Chinese text left on the English page:\n" + "\n".join(f"  …{s}…" for s in left)


@pytest.mark.parametrize(("who", "path"), [(who, path) for _, who, path in PAGES], ids=[p[0] for p in PAGES])
def test_page_is_entirely_english(client, english, who, path):
    users, bases, data = english
    _english_client(client, users[who] if who else None)
    _assert_english(client.get(path(bases)), data)


#: Chinese punctuation and full-width forms: （）：，；、“”《》 (“” are U+201C/D and stay allowed).
CHINESE_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff00-\uffef]+")


@pytest.mark.parametrize(("who", "path"), [(who, path) for _, who, path in PAGES], ids=[p[0] for p in PAGES])
def test_page_has_no_chinese_punctuation(client, english, who, path):
    """Punctuation written into a template around a translated string (“{{ label }}：{{ value }}”)
    stays Chinese on an English page."""
    users, bases, data = english
    _english_client(client, users[who] if who else None)
    html = client.get(path(bases)).content.decode()
    left = _chinese_left(html, data, CHINESE_PUNCTUATION)
    assert not left, "Chinese punctuation left on the English page:\n" + "\n".join(f"  …{s}…" for s in left)


def test_refused_submission_lists_what_is_missing_in_english(client, english):
    """The approver submits an incomplete application: the refusal and every missing item in English."""
    users, bases, data = english
    _english_client(client, users["approver"])
    base = bases["draft"]
    response = client.post(
        f"/bases/{base.pk}/act/submit/", {"expected_status": base.status, "comment": "Looks fine."}
    )
    assert "The application is incomplete" in response.content.decode()
    _assert_english(response, data)


def test_preliminary_review_refusal_is_english(client, english):
    """The bureau tries to pass a preliminary review with nothing checked: the refusal lists the items."""
    users, bases, data = english
    _english_client(client, users["bureau"])
    base = bases["recommended"]
    assert client.get(f"/reviews/preliminary/{base.pk}/").status_code == 200
    check = base.preliminary_checks.get()
    response = client.post(
        f"/reviews/preliminary/{base.pk}/",
        {"check": check.pk, "status": base.status, "comment": "", "action": "pass"},
    )
    assert "Not checked" in response.content.decode()
    _assert_english(response, data)


def test_login_errors_lockout_and_logout_are_english(client, english):
    users, _bases, data = english
    _english_client(client)
    response = client.post("/accounts/login/", {"username": "en_staff", "password": "wrong"})
    assert response.status_code == 200
    _assert_english(response, data)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "en_staff", "password": "wrong"})
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    html = response.content.decode()
    assert "Too many failed login attempts" in html
    assert re.search(r'<html lang="en"[ >]', html)
    assert not _chinese_left(html, data)

    client.force_login(users["approver"])
    response = client.post("/accounts/logout/", follow=True)
    assert "You have been logged out securely." in response.content.decode()
    _assert_english(response, data)
