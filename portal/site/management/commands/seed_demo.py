"""Demo data for a newcomer: organisations, a user for every role, and bases in every state the
portal implements so far, each reached through the services (so each has its log). Idempotent.
The data itself is in portal.site.demo, one module per concern."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from portal.accounts.models import Role
from portal.site.demo import history, people, plan


class Command(BaseCommand):
    help = "创建演示数据（单位、各角色用户、各状态的基地）。仅限 DEBUG=true 的开发环境；可重复运行。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo 只能在开发演示环境（DEBUG=true）中运行，生产环境不得创建演示账号。")
        password = settings.DEMO_PASSWORD
        # Demo notifications are kept in the notification centre but not e-mailed to the console.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            orgs = people.organisations()
            users = people.users(orgs, password)
            people.experts(users)
            made = plan.bases(users)
            if made:
                # Added once, with the plan's bases: the conflict is declared on one of their panels.
                history.legacy_bases(users)
                history.operation_history(users)
                history.declared_conflict(users)
                history.triennial_evaluation(users)
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪：新建基地 {made} 个。"))
        self.stdout.write(f"演示账号（密码均为 {password}）：")
        for username, full_name, org, role in people.USERS:
            self.stdout.write(f"  {username:<15} {Role(role).label:<10} {org}  {full_name}")
