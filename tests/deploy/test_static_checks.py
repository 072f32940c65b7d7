"""The production stack checked without a Docker engine: hadolint on the Dockerfile, the compose file
against the compose specification (check-jsonschema's vendored schema) after the interpolation
`docker compose` would do from .env.example, and the rules the stack must keep."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from portal.parameters import DEFINITIONS

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
PORTAL_SERVICES = ("migrate", "web", "worker", "beat")
NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, $VAR; $$ is a "$".
INTERPOLATION = re.compile(rf"\$(?:(\$)|\{{({NAME})(?:(:?[-?+])([^}}]*))?\}}|({NAME}))")


def dotenv(path: Path, commented: bool = False) -> dict[str, str]:
    """KEY=VALUE lines of an env file (with `commented`, also the `# KEY=VALUE` examples)."""
    pattern = re.compile(rf"^{'#? ?' if commented else ''}({NAME})=(.*)$")
    return {
        m[1]: m[2].strip() for line in path.read_text().splitlines() if (m := pattern.match(line.strip()))
    }


def interpolate(value, env: dict[str, str]):
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(m):
        if m[1]:
            return "$"
        name, op, arg = m[2] or m[5], m[3], m[4]
        current = env.get(name)
        missing = current is None or (current == "" and op is not None and op.startswith(":"))
        if op in ("-", ":-"):
            return arg if missing else current
        if op in ("?", ":?"):
            if missing:
                raise AssertionError(f"docker compose would refuse: {name} unset ({arg})")
            return current
        if op in ("+", ":+"):
            return "" if missing else arg
        assert current is not None, f"{name} is used without a default and .env.example does not set it"
        return current

    return INTERPOLATION.sub(substitute, value)


@pytest.fixture(scope="module")
def raw_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def compose(raw_compose):
    return interpolate(raw_compose, dotenv(ROOT / ".env.example"))


def test_the_dockerfile_passes_hadolint_with_explained_ignores():
    result = subprocess.run(
        [BIN / "hadolint", "--config", ROOT / ".hadolint.yaml", ROOT / "Dockerfile"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = (ROOT / ".hadolint.yaml").read_text().splitlines()
    for i, line in enumerate(lines):
        if re.match(r"\s*- DL\d{4}", line):
            assert lines[i - 1].strip().startswith("#"), f"{line.strip()} is ignored without a reason"


def test_the_compose_file_is_valid_against_the_compose_specification(compose, tmp_path):
    interpolated = tmp_path / "docker-compose.json"
    interpolated.write_text(json.dumps(compose))
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", interpolated],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_service_is_health_checked_or_waits_for_healthy_ones(compose):
    services = compose["services"]
    assert set(PORTAL_SERVICES) | {"proxy", "db", "redis"} <= set(services)
    for name, service in services.items():
        if "healthcheck" in service:
            assert service["healthcheck"]["test"], name
            assert service["restart"] == "unless-stopped", name
            continue
        # One-shot jobs (migrate, backup, restore) start only once what they need is healthy.
        assert service["restart"] == "no", name
        conditions = {dep["condition"] for dep in service["depends_on"].values()}
        assert conditions <= {"service_healthy", "service_completed_successfully"}, name
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name
    assert services["proxy"]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_data_lives_on_named_volumes_and_only_the_proxy_is_published(compose):
    declared = set(compose["volumes"])
    used = set()
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name}: volume {source} is not declared"
                used.add(source)
        if name != "proxy":
            assert "ports" not in service, f"{name} must not publish ports: only the proxy does"
    assert declared == used == {"media", "pgdata", "redisdata"}
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "redisdata:/data" in compose["services"]["redis"]["volumes"]
    assert compose["services"]["proxy"]["ports"] == ["80:80", "443:443"]


def test_the_proxy_the_portal_and_the_image_agree(compose):
    services = compose["services"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    common = (ROOT / "deploy" / "nginx" / "portal-common.conf").read_text()
    media_root = re.search(r"MEDIA_ROOT=(\S+)", dockerfile)[1]
    for name in PORTAL_SERVICES:
        assert f"media:{media_root}" in services[name]["volumes"], name
        environment = services[name]["environment"]
        # X-Forwarded-For is believed from the proxy's fixed address only
        assert environment["TRUSTED_PROXIES"] == services["proxy"]["networks"]["default"]["ipv4_address"]
        internal = re.search(r"location (\S+) \{\s*internal;\s*alias (\S+);", common)
        assert environment["PROTECTED_MEDIA_URL"] == internal[1]
    assert internal[2] == f"{media_root}/"
    assert f"media:{media_root}:ro" in services["proxy"]["volumes"]  # the proxy only reads
    # The upstream is the web service on gunicorn's port.
    gunicorn = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    assert '"deploy/gunicorn.conf.py"' in dockerfile
    assert services["web"]["expose"] == ["8000"] and 'bind = "0.0.0.0:8000"' in gunicorn
    for site in ("portal", "portal-tls"):
        text = (ROOT / "deploy" / "nginx" / f"{site}.conf").read_text()
        assert "server web:8000;" in text and "include /etc/nginx/portal-common.conf;" in text
    assert "./deploy/nginx/portal.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]
    # A form carrying a file of the largest size allowed passes the proxy.
    body_limit = int(re.search(r"client_max_body_size (\d+)m;", common)[1])
    assert body_limit >= DEFINITIONS["upload_max_mb"].default
    # Debian images throughout.
    for name in ("proxy", "db", "redis", "backup", "restore"):
        assert services[name]["image"].endswith("-bookworm"), name


def test_the_image_is_debian_with_cjk_fonts_and_runs_unprivileged():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", dockerfile, re.M)
    for package in ("fonts-noto-cjk", "libharfbuzz-subset0"):
        assert package in dockerfile
    collect = dockerfile.index("collectstatic --noinput")
    user = re.search(r"^USER (\d+)(?::(\d+))?$", dockerfile, re.M)
    assert user and int(user[1]) != 0 and collect < user.start()
    healthcheck = re.search(r"^HEALTHCHECK .*$", dockerfile, re.M)[0]
    assert healthcheck.endswith('CMD ["python", "deploy/healthcheck.py"]')
    assert (ROOT / "deploy" / "healthcheck.py").exists()
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".env", "backups/", "media/", ".venv/"} <= set(ignored)


def test_no_secret_is_committed(raw_compose):
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert ".env" not in tracked and not any(
        path.startswith(("backups/", "deploy/certs/")) for path in tracked
    )
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()

    # .env.example holds placeholders only.
    example = dotenv(ROOT / ".env.example", commented=True)
    for key, value in example.items():
        if re.search(r"SECRET|PASSWORD|_KEY", key):
            assert value.startswith("change-me"), key
    assert "//user:password@" in example["EMAIL_URL"]

    # The compose file takes every secret from .env: no literal password, also not inside a URL.
    for name, service in raw_compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if "PASSWORD" in key or "SECRET" in key:
                assert str(value).startswith("${"), (name, key)
            for password in re.findall(r"://[^/:@]+:([^@]+)@", str(value)):
                assert password.startswith("${"), (name, key)

    # No private key or cloud access key in any committed file.
    private_key = "-----BEGIN " + r"(?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"
    access_key = r"\bAKIA" + r"[0-9A-Z]{16}\b"
    for path in tracked:
        file = ROOT / path
        if not file.is_file() or file.stat().st_size > 2_000_000:
            continue
        text = file.read_bytes().decode("utf-8", errors="ignore")
        assert not re.search(private_key, text), path
        assert not re.search(access_key, text), path


def test_every_variable_is_documented():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(rf"`({NAME})`", readme))
    read_by_settings = set(
        re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', (ROOT / "portal" / "settings.py").read_text())
    )
    compose_text = (ROOT / "docker-compose.yml").read_text()
    read_by_compose = {m[2] for m in INTERPOLATION.finditer(compose_text) if m[2]}
    read_by_scripts = {
        "DATABASE_URL",
        "MEDIA_ROOT",
        "BACKUP_DIR",
        "RESTORE_CONFIRM",
        "AWS_STORAGE_BUCKET_NAME",
    }
    read_by_image = {"WEB_CONCURRENCY"}  # gunicorn's number of workers
    known = read_by_settings | read_by_compose | read_by_scripts | read_by_image
    assert {"PROTECTED_MEDIA_URL", "AWS_STORAGE_BUCKET_NAME", "POSTGRES_PASSWORD"} <= known
    assert not known - documented, f"not documented in README.md: {sorted(known - documented)}"
    example = dotenv(ROOT / ".env.example", commented=True)
    assert not set(example) - known, f".env.example names variables nothing reads: {set(example) - known}"


def test_gunicorn_runs_one_worker_per_cpu_unless_told_and_logs_no_query_strings(monkeypatch):
    import runpy

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert config["workers"] == len(os.sched_getaffinity(0))
    assert "%(U)s" in config["access_log_format"] and "%(r)s" not in config["access_log_format"]
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    assert runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["workers"] == 5


def test_gunicorn_starts_its_logging_from_this_configuration():
    """gunicorn lays logconfig_dict over its own defaults; a root logger left naming a handler the
    dictionary replaced stops gunicorn at start ("Unable to configure root logger")."""
    import copy
    import logging.config
    import runpy

    from gunicorn import glogging

    config = copy.deepcopy(glogging.CONFIG_DEFAULTS)
    config.update(runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["logconfig_dict"])
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        logging.config.dictConfig(config)
        assert any(getattr(h, "filters", None) for h in root.handlers)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
