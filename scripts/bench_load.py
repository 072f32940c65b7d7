"""The pages' p50/p95 under load: gunicorn as production runs it, with CLIENTS concurrent clients
from wrk when it is installed, else from Python threads."""

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from bench_settings import CLIENTS, ENV, PORT, REQUESTS, SECONDS, WORKERS
from demo_env import ROOT


def load(cookies, pages_):
    """p50/p95 latency of each page through gunicorn with CLIENTS concurrent clients."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--config",
            "deploy/gunicorn.conf.py",  # production's settings, access log included
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**ENV, "WEB_CONCURRENCY": str(WORKERS)},
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        if shutil.which("wrk"):
            return {name: wrk(path, cookies[role]) for name, path, role in pages_}
        return {name: threads(path, cookies[role]) for name, path, role in pages_}
    finally:
        server.terminate()
        server.wait(timeout=30)


def threads(path, cookie):
    """p50/p95 of one page with CLIENTS Python threads, each requesting it again and again for
    SECONDS seconds (at most REQUESTS requests in all) after one warm-up request per client."""

    def one():
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            assert response.status == 200, (path, response.status)
        return (time.perf_counter() - started) * 1000

    def client(_i):
        times = []
        ends = time.perf_counter() + SECONDS
        while not times or (time.perf_counter() < ends and len(times) < REQUESTS // CLIENTS):
            times.append(one())
        return times

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(lambda _i: one(), range(CLIENTS)))  # warm every worker
        times = sorted(t for ts in pool.map(client, range(CLIENTS)) for t in ts)
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)]


WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.1f %d %d\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.requests, errors))
end
"""


def wrk(path, cookie):
    """p50/p95 of one page with wrk (Debian's package; a C load generator, so the clients take little
    of the two cores the server needs): CLIENTS connections for SECONDS seconds after a warm-up."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_REPORT)
        script.flush()
        command = ["wrk", "-t", "2", "-c", str(CLIENTS), "-H", f"Cookie: {cookie}", "-s", script.name]
        url = f"http://127.0.0.1:{PORT}{path}"
        subprocess.run([*command, "-d", "3s", url], check=True, capture_output=True)  # warm every worker
        output = subprocess.run(
            [*command, "-d", f"{SECONDS}s", "--timeout", "30s", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    _tag, p50, p95, requests, errors = line.split()
    if int(errors):
        raise SystemExit(f"{path}: {errors} of {requests} requests failed under load")
    return float(p50), float(p95)
