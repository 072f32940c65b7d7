"""What the bench times in a process of its own: the roster export (its peak memory is that process's
alone), the daily jobs (twice: things due, then nothing due) and the rendering of an official
document against bare WeasyPrint."""

import subprocess
import sys

from bench_seed import empty_redis
from bench_settings import ENV
from demo_env import ROOT

EXPORT = """
import os, tempfile, time, django
django.setup()
from bases.exports import ROSTER_COLUMNS, roster_rows
from bases.models import PilotBase
from portal.documents.excel import write_workbook
started = time.perf_counter()
with tempfile.TemporaryFile() as handle:
    rows = write_workbook(handle, "roster", ROSTER_COLUMNS, roster_rows(PilotBase.objects.all()))
# VmHWM, this process's own peak resident set: ru_maxrss would include the parent's peak at the fork
# (Linux keeps it across exec), and the parent holds the 100,000 seeded bases.
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(rows, time.perf_counter() - started, peak)
"""

JOBS = """
import time, django
django.setup()
from datetime import date, timedelta
from portal.scheduling.jobs import run_daily_jobs
# The seed's own day: its dates are those the daily jobs would have left (tests/scale.py), so today a
# province's working day falls due — construction deadlines and acceptance windows of the bases whose
# dates come round, a few revocations — and, on top, the open reporting round's 30-day reminder to
# every host that owes a report (the round is due in 30 days): the busiest regular day of the year.
as_of = date.today()
started = time.perf_counter()
results = run_daily_jobs(as_of=as_of)
print(time.perf_counter() - started, sum(len(r.lines) for r in results), [r.name for r in results if r.error])
"""
# The same day's run again: everything due today was done by the first (reminders sent, bases
# revoked), so nothing is due; the jobs still look, and that look must be cheap.


def in_subprocess(code, **extra):
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**ENV, **extra},
        capture_output=True,
        text=True,
        check=True,
    )
    return output.stdout.strip().splitlines()[-1].split(" ", 2)


def run_jobs():
    """The daily jobs as production runs them: in a process whose e-mails go to the Redis broker for
    the workers to send, so the figure is the jobs' own work, not the sending of thousands of e-mails
    (the queue is emptied afterwards). Twice: with things due, then the same day with nothing due."""
    try:
        due = in_subprocess(JOBS)
        nothing = in_subprocess(JOBS)
        return due, nothing
    finally:
        empty_redis()


# --- documents: the portal's PDF rendering against bare WeasyPrint (no database needed) ---------------
DOCUMENTS = """
import os, statistics, sys, tempfile, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["DOCUMENT_SIGNING_DEV_DIR"] = tempfile.mkdtemp()
import django
django.setup()
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from portal.documents.pdf import render_pdf
from portal.documents.signing import sign_pdf
paragraph = ("根据《市中试基地建设与运行管理办法》（忻科规〔2024〕2号）第八条规定，经依托单位申请、"
    "归口管理单位推荐、市科技局初审、专家评审和社会公示，同意立项建设。")
context = dict(title="关于同意忻州市硅基新材料中试基地立项建设的通知", addressee="依托单位，归口管理单位",
    paragraphs=[paragraph] * 12 + ["特此通知。"], copy_to="市科技局办公室", date_cn="2026年3月5日",
    printed_cn="2026年3月5日", year=2026, number="忻科字〔2026〕1号", draft=False)
html = render_to_string("pdf/official.html", context)
def timed(work, n=5):
    work()
    runs = []
    for _ in range(n):
        start = time.perf_counter(); work(); runs.append(time.perf_counter() - start)
    return statistics.median(runs)
bare = timed(lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())
ours = timed(lambda: render_pdf("pdf/official.html", context))
pdf = render_pdf("pdf/official.html", context)
signed = timed(lambda: sign_pdf(pdf))
print(f"documents {bare:.3f} {ours:.3f} {signed:.3f}")
"""


def documents_report() -> str:
    """One official document (two pages): bare WeasyPrint, the portal's render_pdf, the signature."""
    bare, ours, signed = (float(x) for x in " ".join(in_subprocess(DOCUMENTS)[1:]).split())
    return (
        f"documents: bare WeasyPrint {bare * 1000:.0f} ms, portal render {ours * 1000:.0f} ms "
        f"({ours / bare:.2f}× bare, target ≤ 1.5×), PAdES signature +{signed * 1000:.0f} ms "
        f"(render + sign {(ours + signed) / bare:.2f}× bare)"
    )
