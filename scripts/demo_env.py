"""What the scripts under scripts/ share: the repository's root, a throw-away demo site to draw from,
and Django set up inside the script's own process.

A script, run as `python scripts/<name>.py`, finds this module beside it (its folder is first on the
path), so it imports it as `import demo_env`.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]


def seeded_demo(name: str, **extra: str) -> tuple[Path, dict[str, str]]:
    """A new temporary folder and the environment of a site on a throw-away SQLite database in it,
    migrated and seeded with the demo data (manage.py seed_demo). The caller's DATABASE_URL and
    REDIS_URL are left out, so that nothing reaches a real database or cache; `extra` adds variables
    (e.g. DEMO_PASSWORD)."""
    work = Path(tempfile.mkdtemp(prefix=f"portal-{name}-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DATABASE_URL": f"sqlite:///{work / f'{name}.sqlite3'}",
        "DEBUG": "true",
        **extra,
        "MEDIA_ROOT": str(work / "media"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "LOG_LEVEL": "WARNING",
    }
    for command in (["migrate", "-v0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
    return work, env


def django_setup(env: dict[str, str]):
    """Django set up in this process against `env` (the project's packages importable from here)."""
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    django.setup()
