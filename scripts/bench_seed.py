"""The bench's database and Redis: emptied or recreated, then seeded with 1,000 host units, the
bench's people, the two open rounds and BASES bases with their history (tests/scale.py), or an earlier
seed found again (BENCH_REUSE=1)."""

import random
from datetime import date, timedelta

from bench_settings import BASES, DB_URL, REDIS, SMALL


def empty_redis():
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def recreate_database():
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed():
    """1,000 host units, the bench's people and the two open rounds; then SMALL bases with their
    history (tests/scale.py, shared with the all-pages guard of the test suite)."""
    from assessments.models import EvaluationRound, ReportingRound
    from portal.accounts.models import Organisation, Role
    from portal.accounts.services import user_create
    from tests.factories import make_uscc

    rng = random.Random(20261129)
    supervisors = list(Organisation.objects.filter(kind="supervisor"))
    hosts = Organisation.objects.bulk_create(
        Organisation(
            name=f"忻州基准测试企业{i:04d}有限公司",
            kind="host_unit",
            uscc=make_uscc(rng),
            supervising_unit=supervisors[i % len(supervisors)],
            region=supervisors[i % len(supervisors)].region,
        )
        for i in range(1000)
    )
    # Every unit has its people, as in production (the applicant's account created the base): the
    # reminders of the daily jobs reach someone in every unit.
    from portal.accounts.models import User

    User.objects.bulk_create(
        User(username=f"bench_unit_{unit.pk}", organisation=unit, role=role, password="!")
        for units, role in ((hosts, Role.BASE_STAFF), (supervisors, Role.SUPERVISOR))
        for unit in units
    )
    bureau = Organisation.objects.get(kind="bureau")
    users = {
        "bureau": user_create(
            username="bench_bureau", password="bench", organisation=bureau, role=Role.BUREAU_STAFF
        ),
        "supervisor": user_create(
            username="bench_supervisor", password="bench", organisation=supervisors[0], role=Role.SUPERVISOR
        ),
        "host": user_create(
            username="bench_host", password="bench", organisation=hosts[0], role=Role.BASE_STAFF
        ),
        "admin": user_create(username="bench_admin", password="bench", organisation=bureau, role=Role.ADMIN),
    }
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    today = date.today()
    seeding = {
        "hosts": hosts,
        "creator": users["host"],
        "bureau_user": users["bureau"],
        "today": today,
        "report_round": ReportingRound.objects.create(
            year=today.year - 1,
            due_on=today + timedelta(days=30),
            grace_ends_on=today + timedelta(days=60),
            opened_by=users["bureau"],
        ),
        "evaluation_round": EvaluationRound.objects.create(year=today.year, opened_by=users["bureau"]),
        "notify": [users["bureau"]],
    }
    return users, seeding


def seed_rest(seeding):
    """The other BASES - SMALL bases, their timestamps spread over the years, then vacuumed."""
    from django.contrib.contenttypes.models import ContentType

    from bases.models import PilotBase
    from tests.scale import seed_bases

    _bases, logs = seed_bases(BASES - SMALL, seed=2, **seeding)
    spread_timestamps(ContentType.objects.get_for_model(PilotBase).pk)
    return logs


def spread_timestamps(content_type_id):
    """Bulk inserts stamp every row with now: spread the state changes and the log over the years
    since each application, as real data would be (the list's and the activity's orderings depend on
    it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE bases_pilotbase SET status_changed_at = applied_on::timestamp AT TIME ZONE 'UTC'"
            " + (id %% 600) * interval '1 day' + (id %% 1440) * interval '1 minute'",
            [],
        )
        cursor.execute(
            "UPDATE django_fsm_log_statelog l SET timestamp = b.applied_on::timestamp AT TIME ZONE 'UTC'"
            " + (l.id %% 3) * interval '30 days' + (l.id %% 1440) * interval '1 minute'"
            " FROM bases_pilotbase b WHERE l.object_id = b.id AND l.content_type_id = %s",
            [content_type_id],
        )
        # What autovacuum does to a live database within minutes of such a batch: without it the
        # updated rows leave dead versions and an unset visibility map, and every count reads the heap
        # instead of an index alone (43 ms instead of 2 ms for the filtered list's count).
        cursor.execute("VACUUM ANALYZE")


def seeded():
    """The users and log count of an earlier seed (BENCH_REUSE=1), or None."""
    from django_fsm_log.models import StateLog

    from portal.accounts.models import User

    users = {
        role: User.objects.filter(username=f"bench_{role}").first()
        for role in ("bureau", "supervisor", "host", "admin")
    }
    if not all(users.values()):
        return None
    return users, StateLog.objects.count()
