"""make screenshots: the README's pictures of the portal (docs/screenshots/<name>.png).

Seeds the demo data (manage.py seed_demo) into a throw-away SQLite database, serves it with
`manage.py runserver` on a free local port, and lets Playwright drive Debian's Chromium
(/usr/bin/chromium, never a downloaded browser) through the public home page and the workspace of
every role, in Chinese, at 1366×768 (the first screen, as a user sees it). Each picture is reduced to
a 256-colour PNG with Pillow so that the repository stays small. Nothing outside docs/screenshots/ is
changed.

    uv run python scripts/screenshots.py
"""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from demo_env import ROOT, seeded_demo
from PIL import Image
from playwright.sync_api import sync_playwright

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "screenshots-2024"
VIEWPORT = {"width": 1366, "height": 768}
# name, demo user (None: not signed in), page
SHOTS = [
    ("public-home", None, "/"),
    ("host-workspace", "host", "/workspace/"),
    ("host-base", "host", None),  # the host's base under construction: the lifecycle bar
    ("county-workspace", "xinfu", "/workspace/"),
    ("bureau-workspace", "bureau", "/workspace/"),
    ("expert-workspace", "expert1", "/workspace/"),
    ("admin-workspace", "admin", "/workspace/"),
]


def main():
    _work, env = seeded_demo("screenshots", DEMO_PASSWORD=PASSWORD)
    base_path = _base_under_construction(env)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox"]
            )
            for name, username, path in SHOTS:
                context = browser.new_context(locale="zh-CN", viewport=VIEWPORT)
                page = context.new_page()
                if username:
                    page.goto(f"{url}/accounts/login/")
                    page.fill("#id_username", username)
                    page.fill("#id_password", PASSWORD)
                    page.locator("main button[type=submit]").click()
                    page.wait_for_url("**/workspace/")
                page.goto(url + (path or base_path))
                target = OUT / f"{name}.png"
                page.screenshot(path=target)
                _shrink(target)
                print(f"docs/screenshots/{name}.png  {target.stat().st_size // 1024} KiB")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def _base_under_construction(env) -> str:
    """The page of the host's base under construction (its deadline on the lifecycle bar)."""
    code = (
        "import django; django.setup()\n"
        "from bases.models import PilotBase, Status\n"
        "b = PilotBase.objects.filter(status=Status.UNDER_CONSTRUCTION).order_by('pk').first()\n"
        "print(f'/bases/{b.pk}/' if b else '/bases/')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the development server did not answer at {url}")


def _shrink(path: Path):
    """256 colours are plenty for a screen of text and flat colour; about a quarter of the size."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    small.save(path, optimize=True)


if __name__ == "__main__":
    main()
