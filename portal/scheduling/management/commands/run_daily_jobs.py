"""python manage.py run_daily_jobs [--date YYYY-MM-DD] [--dry-run]: run every daily job as of a date
and print what it did, one line per action (the beat task runs the same code)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.scheduling.jobs import run_daily_jobs


class Command(BaseCommand):
    help = "运行每日定时任务（提醒与自动办理）。默认按今天（北京时间）；--dry-run 只列出将要做的事。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="业务日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要处理的事项，不做任何修改")

    def handle(self, *args, **options):
        as_of = None
        if options["date"]:
            try:
                as_of = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        results = run_daily_jobs(as_of=as_of, dry_run=options["dry_run"], trigger="command")
        prefix = "[试运行] " if options["dry_run"] else ""
        failed = []
        for result in results:
            for line in result.lines:
                self.stdout.write(f"{prefix}{result.name}: {line}")
            if result.error:
                failed.append(result.name)
                self.stderr.write(f"{result.name} 失败：{result.error}")
        total = sum(len(r.lines) for r in results)
        self.stdout.write(self.style.SUCCESS(f"{prefix}完成：{len(results)} 个任务，{total} 项处理。"))
        if failed:
            raise CommandError(f"以下任务失败：{', '.join(failed)}")
