"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A page that signs a document or renders a PDF after a submit can take well over Playwright's
# default 5 s on a 2-core machine that also runs the rest of the suite. This is how long a journey
# waits for what it expects, not a claim on speed (timing belongs in `make bench`).
expect.set_options(timeout=20_000)

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing: run `make test` (it installs it) or apt-get install chromium"
        )
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
