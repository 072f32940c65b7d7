"""Public notices and objections (Art. 8-3).

The period counts working days (portal/workdays.py); objections are accepted from the start date
until 24:00 Asia/Shanghai of the end date, under a real name with contact details. Closing a notice
settles each base: no objection upheld → notice_cleared, an objection upheld → rejected; a base with
a pending objection waits, and is settled as soon as its last objection is resolved.
"""

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bases import services as base_services
from bases.exceptions import TransitionRefused
from bases.models import PilotBase, Status
from bases.selectors import bureau_users
from portal import workdays
from portal.accounts.models import User
from portal.documents.models import verification_code
from portal.documents.services import attachment_create
from portal.documents.verification import normalise_code
from portal.notifications.services import in_portal_language, notify
from portal.parameters import get_parameter
from portal.text import join_list, local_date, visible_text
from reviews.models import NoticeBase, NoticePeriodChange, Objection, PublicNotice
from reviews.permissions import require_notice_keeper

MAX_WORKING_DAYS = 30
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
ANONYMOUS = ("匿名", "无名", "不具名", "某某", "群众", "知情人", "anonymous")


class ObjectionRefused(Exception):
    """A member of the public's objection is not accepted; errors maps form fields to messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass
class Period:
    starts_on: date
    working_days: int
    ends_on: date
    estimated: bool
    warning: str


def notice_period(starts_on: date, working_days: int) -> Period:
    """The end date of a notice of N working days starting on `starts_on`, with the warning to show
    when a year on the way is not covered by a confirmed holiday calendar."""
    end = workdays.notice_end_date(starts_on, working_days)
    estimated = bool(getattr(end, "is_estimate", False))
    warning = workdays.uncovered_years_warning(end) if estimated else ""
    return Period(starts_on, working_days, date(end.year, end.month, end.day), estimated, str(warning or ""))


def _local_date(now: datetime | None) -> date:
    return timezone.localdate(now or timezone.now())


def objection_window(notice: PublicNotice, now: datetime | None = None) -> str:
    """ "before", "open" or "after": objections are accepted from the start date to 24:00 of the end
    date, Asia/Shanghai."""
    today = _local_date(now)
    if today < notice.starts_on:
        return "before"
    if today > notice.ends_on:
        return "after"
    return "open"


@transaction.atomic
def notice_publish(
    *,
    actor: User,
    title: str,
    body: str,
    starts_on: date | None,
    working_days: int | None,
    bases: Sequence[PilotBase],
    contact: str = "",
    today: date | None = None,
) -> PublicNotice:
    """Art. 8-3: publish a notice of bases whose expert review passed; each base moves to in_notice."""
    require_notice_keeper(actor)
    today = today or timezone.localdate()
    errors = []
    if not (title or "").strip():
        errors.append(_("请填写公示标题。"))
    if not (body or "").strip():
        errors.append(_("请填写公示内容。"))
    if starts_on is None or starts_on < today:
        errors.append(_("公示开始日期不能早于今天。"))
    if not working_days or not 1 <= working_days <= MAX_WORKING_DAYS:
        errors.append(_("公示期须为 1 至 %(max)d 个工作日。") % {"max": MAX_WORKING_DAYS})
    locked = list(PilotBase.objects.select_for_update().filter(pk__in=[b.pk for b in bases]).order_by("pk"))
    if not locked:
        errors.append(_("请选择至少一个公示基地。"))
    wrong = [b.name for b in locked if b.status != Status.REVIEW_PASSED]
    if wrong:
        errors.append(_("以下基地不在“评审通过”状态：%(names)s。") % {"names": join_list(wrong)})
    if errors:
        raise TransitionRefused(" ".join(str(e) for e in errors))
    period = notice_period(starts_on, working_days)
    notice = PublicNotice.objects.create(
        title=title.strip(),
        body=body.strip(),
        starts_on=starts_on,
        working_days=working_days,
        ends_on=period.ends_on,
        calendar_estimated=period.estimated,
        contact=(contact or "").strip(),
        published_by=actor,
    )
    NoticeBase.objects.bulk_create(NoticeBase(notice=notice, base=base) for base in locked)
    for base in locked:
        base_services.base_publish_notice(actor=actor, base=base, notice_title=notice.title)
    return notice


def notices_recompute(years: frozenset[int]) -> list[PublicNotice]:
    """Art. 8-3: the calendar of ``years`` changed — recompute every open notice whose
    period was estimated or touches those years. A moved end date is recorded (NoticePeriodChange)
    and told to the bureau and to the host units and supervisors of the bases in the notice; a date
    only confirmed (no longer estimated, same day) is recorded without a message. A closed notice is
    history and stays as it was. Registered with portal.workdays in ReviewsConfig.ready()."""
    first, last = date(min(years), 1, 1), date(max(years), 12, 31)
    open_notices = (
        PublicNotice.objects.select_for_update()
        .filter(state=PublicNotice.State.PUBLISHED)
        .filter(Q(calendar_estimated=True) | Q(starts_on__lte=last, ends_on__gte=first))
        .order_by("pk")
    )
    changed = []
    for notice in open_notices:
        period = notice_period(notice.starts_on, notice.working_days)
        if (period.ends_on, period.estimated) == (notice.ends_on, notice.calendar_estimated):
            continue
        old_ends_on, was_estimated = notice.ends_on, notice.calendar_estimated
        notice.ends_on, notice.calendar_estimated = period.ends_on, period.estimated
        notice.save(update_fields=["ends_on", "calendar_estimated"])
        NoticePeriodChange.objects.create(
            notice=notice,
            old_ends_on=old_ends_on,
            new_ends_on=notice.ends_on,
            was_estimated=was_estimated,
            is_estimated=notice.calendar_estimated,
            years=",".join(str(y) for y in sorted(years)),
        )
        changed.append(notice)
        if old_ends_on == notice.ends_on:
            continue
        bases = list(PilotBase.objects.filter(notice_entries__notice=notice))
        recipients = {user.pk: user for user in bureau_users()}
        for base in bases:
            recipients.update((u.pk, u) for u in base_services.host_and_supervisor(base))
        notify(
            recipients=list(recipients.values()),
            title=(gettext_lazy("公示截止日期调整：%(title)s"), {"title": notice.title}),
            body=(
                gettext_lazy(
                    "节假日安排录入后重新计算：公示期由 %(old)s 24:00 "
                    "调整为 %(new)s 24:00 止（第八条第（三）项）。"
                ),
                {"old": old_ends_on.isoformat(), "new": notice.ends_on.isoformat()},
            ),
            url=reverse("notices:detail", args=[notice.pk]),
            target=notice,
            kind="deadline",
        )
    return changed


# --- objections from the public --------------------------------------------------------------------
def _receipt_no(objection: Objection) -> str:
    """受理编号 YY-YYYYMMDD-NNNN: the day lodged and the row's id (unique; more digits past 9999)."""
    return f"YY-{timezone.localdate(objection.submitted_at):%Y%m%d}-{objection.pk:04d}"


def _objection_code() -> str:
    """The objector's query code: letters not mistaken when read off paper (as a document's
    verification code, portal.documents.models.CODE_ALPHABET)."""
    return verification_code()


def objection_lookup(receipt_no: str, code: str) -> Objection | None:
    """The objection with this receipt number whose query code matches, else None — the same None
    for an unknown number and a wrong code, so that nobody learns which numbers exist."""
    receipt_no = (receipt_no or "").strip().upper()
    objection = (
        Objection.objects.select_related("entry__base", "entry__notice").filter(receipt_no=receipt_no).first()
    )
    if objection is None:
        # Hash anyway, so an unknown number takes as long to refuse as a wrong code.
        Objection(code_hash="").set_code(code or "")
        return None
    return objection if objection.code_matches(normalise_code(code or "")) else None


def _check_identity(name: str, phone: str, content: str) -> dict[str, str]:
    errors = {}
    # checked on what shows: "匿\u200b名" or two full-width spaces are no real name
    shown = "".join(visible_text(name).split())
    if len(shown) < 2 or any(word in shown.lower() for word in ANONYMOUS):
        errors["name"] = _("请填写真实姓名。根据公示规定，匿名异议不予受理。")
    if not PHONE.match(phone.replace(" ", "")):
        errors["phone"] = _("请填写有效的联系电话（手机号或带区号的固定电话），以便核实情况。")
    if len(content) < 10:
        errors["content"] = _("请写明异议的具体内容和理由（不少于 10 个字）。")
    return errors


@transaction.atomic
def objection_lodge(
    *,
    notice: PublicNotice,
    entry_id: int | None,
    name: str,
    organisation: str,
    phone: str,
    email: str,
    content: str,
    files: Iterable = (),
    ip_address: str | None = None,
    now: datetime | None = None,
) -> Objection:
    """A member of the public lodges a real-name objection to a base of the notice, inside its period."""
    now = now or timezone.now()
    window = objection_window(notice, now)
    if window == "before":
        raise ObjectionRefused(
            {
                "__all__": _("公示期尚未开始（%(on)s 开始），暂不受理异议。")
                % {"on": local_date(notice.starts_on)}
            }
        )
    if window == "after":
        raise ObjectionRefused(
            {
                "__all__": _("公示期已于 %(on)s 24:00 结束，不再受理异议。")
                % {"on": local_date(notice.ends_on)}
            }
        )
    name, phone, content = (name or "").strip(), (phone or "").strip(), (content or "").strip()
    errors = _check_identity(name, phone, content)
    entry = notice.entries.filter(pk=entry_id).select_related("base").first() if entry_id else None
    if entry is None:
        errors["entry"] = _("请选择异议涉及的基地。")
    limit = get_parameter("objection_hourly_limit")
    if ip_address and (
        Objection.objects.filter(ip_address=ip_address, submitted_at__gte=now - timedelta(hours=1)).count()
        >= limit
    ):
        errors["__all__"] = _("提交过于频繁，请一小时后再试，或通过公示中的联系方式反映。")
    if errors:
        raise ObjectionRefused(errors)
    objection = Objection.objects.create(
        entry=entry,
        receipt_no=f"TMP{uuid.uuid4().hex[:24]}",  # replaced below once the row has its id
        name=name,
        organisation=(organisation or "").strip(),
        phone=phone,
        email=(email or "").strip(),
        content=content,
        ip_address=ip_address,
    )
    Objection.objects.filter(pk=objection.pk).update(submitted_at=now)
    objection.submitted_at = now
    objection.receipt_no = _receipt_no(objection)
    code = _objection_code()
    objection.set_code(code)
    objection.save(update_fields=["receipt_no", "code_hash"])
    objection.code = code  # shown once on the receipt page, never stored in clear
    try:
        for file in files:
            attachment_create(owner=objection, purpose="objection", file=file)
    except ValidationError as exc:
        transaction.set_rollback(True)
        raise ObjectionRefused({"files": " ".join(exc.messages)}) from exc
    notify(
        recipients=list(bureau_users()),
        title=(gettext_lazy("收到公示异议：%(name)s"), {"name": entry.base.name}),
        body=in_portal_language(
            (gettext_lazy("受理编号 %(no)s，请及时核查处理。"), {"no": objection.receipt_no})
        ),
        url=reverse("reviews:objection_detail", args=[objection.pk]),
        target=objection,
        kind="notice",
    )
    return objection


@transaction.atomic
def objection_investigate(
    *, actor: User, objection: Objection, notes: str, files: Iterable = ()
) -> Objection:
    """The bureau records what it found, with evidence; the objection stays pending."""
    require_notice_keeper(actor)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.state != Objection.State.PENDING:
        raise TransitionRefused(_("该异议已处理完毕。"))
    objection.investigation = (notes or "").strip()
    objection.save(update_fields=["investigation"])
    for file in files:
        attachment_create(owner=objection, purpose="investigation", file=file, uploaded_by=actor)
    return objection


@transaction.atomic
def objection_resolve(
    *, actor: User, objection: Objection, upheld: bool, resolution: str, now: datetime | None = None
) -> Objection:
    """Uphold or dismiss an objection with reasons. If the notice has ended, the base is settled now."""
    require_notice_keeper(actor)
    objection = Objection.objects.select_for_update().select_related("entry__notice").get(pk=objection.pk)
    if objection.state != Objection.State.PENDING:
        raise TransitionRefused(_("该异议已处理完毕。"))
    resolution = (resolution or "").strip()
    if not resolution:
        raise TransitionRefused(_("请填写处理意见及理由。"))
    now = now or timezone.now()
    objection.state = Objection.State.UPHELD if upheld else Objection.State.DISMISSED
    objection.resolution = resolution
    objection.resolved_by = actor
    objection.resolved_at = now
    objection.save(update_fields=["state", "resolution", "resolved_by", "resolved_at"])
    notice = objection.entry.notice
    if notice.state == PublicNotice.State.CLOSED or objection_window(notice, now) == "after":
        _settle(objection.entry, actor=actor, actor_label="")
        _close_if_settled(notice, now)
    return objection


# --- closing -------------------------------------------------------------------------------------
def _settle(entry: NoticeBase, *, actor: User | None, actor_label: str) -> bool:
    """Clear or reject one base of an ended notice; False when a pending objection blocks it."""
    entry = NoticeBase.objects.select_for_update().select_related("base").get(pk=entry.pk)
    if entry.outcome:
        return True
    objections = list(entry.objections.all())
    if any(o.state == Objection.State.PENDING for o in objections):
        return False
    upheld = [o for o in objections if o.state == Objection.State.UPHELD]
    if upheld:
        reason = in_portal_language(
            (
                gettext_lazy("公示期间异议经核查成立（受理编号 %(nos)s）：%(why)s"),
                {
                    "nos": "、".join(o.receipt_no for o in upheld),
                    "why": "；".join(o.resolution for o in upheld),
                },
            )
        )
        base_services.base_objection_upheld(
            actor=actor, base=entry.base, reason=reason, actor_label=actor_label
        )
        entry.outcome = NoticeBase.Outcome.REJECTED
    else:
        dismissed = len(objections)
        message = (
            gettext_lazy("%(title)s 公示期满，%(n)d 件异议经核查不成立。")
            if dismissed
            else gettext_lazy("%(title)s 公示期满，无异议。")
        )
        comment = in_portal_language((message, {"title": entry.notice.title, "n": dismissed}))
        base_services.base_clear_notice(
            actor=actor, base=entry.base, comment=comment, actor_label=actor_label
        )
        entry.outcome = NoticeBase.Outcome.CLEARED
    entry.settled_at = timezone.now()
    entry.save(update_fields=["outcome", "settled_at"])
    return True


def _close_if_settled(notice: PublicNotice, now: datetime) -> None:
    if not notice.entries.filter(outcome="").exists() and notice.state != PublicNotice.State.CLOSED:
        PublicNotice.objects.filter(pk=notice.pk).update(state=PublicNotice.State.CLOSED, closed_at=now)


@dataclass
class CloseResult:
    cleared: list[str]
    rejected: list[str]
    blocked: list[str]


@transaction.atomic
def notice_close(
    *, actor: User | None, notice: PublicNotice, now: datetime | None = None, actor_label: str = ""
) -> CloseResult:
    """Close a notice whose period has ended (the bureau, or the daily job with actor None and an
    actor_label naming the rule): settle every base not blocked by a pending objection."""
    if actor is not None:
        require_notice_keeper(actor)
    now = now or timezone.now()
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    if objection_window(notice, now) != "after":
        raise TransitionRefused(
            _("公示期至 %(on)s 24:00 结束，期满后才能办结。") % {"on": local_date(notice.ends_on)}
        )
    result = CloseResult([], [], [])
    for entry in notice.entries.select_related("base").order_by("pk"):
        if entry.outcome:
            continue
        if not _settle(entry, actor=actor, actor_label=actor_label):
            result.blocked.append(entry.base.name)
            continue
        entry.refresh_from_db()
        (result.cleared if entry.outcome == NoticeBase.Outcome.CLEARED else result.rejected).append(
            entry.base.name
        )
    _close_if_settled(notice, now)
    if result.blocked:
        notify(
            recipients=list(bureau_users()),
            title=in_portal_language(
                (gettext_lazy("公示有待处理的异议：%(title)s"), {"title": notice.title})
            ),
            body=in_portal_language(
                (gettext_lazy("以下基地的异议尚未处理完毕：%(names)s"), {"names": "、".join(result.blocked)})
            ),
            url=reverse("reviews:notice_detail", args=[notice.pk]),
            target=notice,
            dedup_key=f"notice-blocked-{notice.pk}",
            kind="notice",
        )
    return result
