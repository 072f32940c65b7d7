"""Many bases with their history, inserted set-based: shared by the all-pages scale guard
(tests/portal/test_all_pages_scale.py) and `make bench` (scripts/bench.py), so that both measure
the same kind of data.

Each base gets the rows a real one of its state has: its log steps, and when recognised its award,
ledger entries, annual grades, and a report in an open reporting round; some recognised bases are in
an open evaluation round; the people named get notifications. Bulk inserts, so 100,000 bases take
about a minute on PostgreSQL and a thousand well under a second on SQLite.
"""

import random
from datetime import date, timedelta

# The states of the bases seeded and their weights: the mix a province has after a few years.
WEIGHTS = (
    ("draft", 8),
    ("submitted", 6),
    ("recommended", 4),
    ("expert_review", 3),
    ("approved", 3),
    ("under_construction", 20),
    ("recognized", 40),
    ("rejected", 8),
    ("revoked", 8),
)
NOT_APPROVED = {"draft", "submitted", "recommended", "expert_review", "rejected"}


def _approved_on(status, today, rng):
    """An approval date coherent with the state on `today`, as the daily jobs of Art. 8-4 would have
    left it: a base waiting for its task book was approved within two months; one under construction
    within its two years (its deadline at most a month past, in the acceptance window, or ahead); a
    recognised or revoked one years ago."""
    if status in NOT_APPROVED:
        return None
    if status == "approved":
        return today - timedelta(days=rng.randrange(1, 60))
    if status == "under_construction":
        return today - timedelta(days=rng.randrange(60, 763))
    return today - timedelta(days=rng.randrange(800, 2000))


def seed_bases(
    count,
    *,
    hosts,
    creator,
    bureau_user,
    today,
    seed=20261129,
    report_round=None,
    evaluation_round=None,
    notify=(),
    name_prefix="基准",
):
    """`count` bases spread over `hosts` (in turn), each with its history; returns the bases.

    `report_round` / `evaluation_round`: rounds to which the recognised bases' reports and
    evaluations are added; `notify`: users who get one notification per base."""
    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog

    from assessments.models import AnnualGrade, AnnualReport, Evaluation
    from bases.models import Award, LedgerEntry, PilotBase
    from portal.notifications.models import Notification

    rng = random.Random(seed)
    states = [s for s, w in WEIGHTS for _ in range(w)]
    start = PilotBase.objects.count()
    batch = []
    for i in range(count):
        status = rng.choice(states)
        host = hosts[i % len(hosts)]
        approved = _approved_on(status, today, rng)
        recognized = approved + timedelta(days=700) if status in ("recognized", "revoked") else None
        n = start + i
        batch.append(
            PilotBase(
                name=f"忻州市{name_prefix}方向{n:06d}中试基地",
                rd_direction=f"{name_prefix}方向{n:06d}",
                host=host,
                supervising_unit_id=host.supervising_unit_id,
                status=status,
                application_year=today.year - rng.randrange(0, 5),
                applied_on=today - timedelta(days=rng.randrange(30, 2200)),
                approved_on=approved,
                construction_deadline=approved + timedelta(days=730) if approved else None,
                recognized_on=recognized,
                revoked_on=(
                    max(recognized + timedelta(days=1), today - timedelta(days=rng.randrange(1, 300)))
                    if status == "revoked"
                    else None
                ),
                revocation_reason="bureau_decision" if status == "revoked" else "",
                created_by=creator,
            )
        )
    bases = PilotBase.objects.bulk_create(batch, batch_size=5000)
    content_type = ContentType.objects.get_for_model(PilotBase)

    def logs():
        for base in bases:
            yield StateLog(
                content_type=content_type,
                object_id=base.pk,
                source_state=None,
                state="draft",
                transition="create",
                by=creator,
            )
            if base.status != "draft":
                yield StateLog(
                    content_type=content_type,
                    object_id=base.pk,
                    source_state="draft",
                    state="submitted",
                    transition="submit",
                    by=creator,
                )
                yield StateLog(
                    content_type=content_type,
                    object_id=base.pk,
                    source_state="submitted",
                    state=base.status,
                    transition="bench",
                    by=bureau_user,
                )

    log_rows = StateLog.objects.bulk_create(logs(), batch_size=10000)
    recognised = [b for b in bases if b.status == "recognized"]
    AnnualGrade.objects.bulk_create(
        (
            AnnualGrade(
                base=b,
                year=year,
                grade=rng.choice(["excellent", "good", "pass", "basic_pass"]),
                graded_by=bureau_user,
                graded_on=date(year + 1, 3, 1),
            )
            for b in recognised
            for year in (today.year - 3, today.year - 2)
        ),
        batch_size=10000,
    )
    Award.objects.bulk_create(
        (Award(base=b, amount=200000, granted_on=b.recognized_on) for b in recognised), batch_size=10000
    )
    LedgerEntry.objects.bulk_create(
        (
            LedgerEntry(
                base=b,
                direction=d,
                category=c,
                entry_on=b.recognized_on,
                amount=a,
                payee="基准",
                recorded_by=bureau_user,
            )
            for b in recognised
            for d, c, a in (("receipt", "", 200000), ("expenditure", "construction", 50000))
        ),
        batch_size=10000,
    )
    if report_round is not None:
        AnnualReport.objects.bulk_create(
            (AnnualReport(base=b, round=report_round, created_by=creator) for b in recognised),
            batch_size=10000,
        )
    if evaluation_round is not None:
        Evaluation.objects.bulk_create(
            (
                Evaluation(base=b, round=evaluation_round, due_on=b.recognized_on, created_by=creator)
                for b in recognised[::3]
            ),
            batch_size=10000,
        )
    Notification.objects.bulk_create(
        (
            Notification(recipient=user, title=f"提醒{b.pk}", url=f"/bases/{b.pk}/")
            for user in notify
            for b in bases
        ),
        batch_size=10000,
    )
    return bases, len(log_rows)
