"""A private nginx built from the committed deploy/nginx/ files, for the tests.

The committed site files are used as they are, except for the few values that name the production
machine (listen ports, the web upstream, the media and certificate directories, the include path).
Each of these must occur in the committed files exactly as written here, or the test fails: a test
can never silently run a different proxy than the one deployed.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from django.conf import settings

NGINX_DIR = Path(settings.BASE_DIR) / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _replace_once(text: str, old: str, new: str, source: str) -> str:
    assert text.count(old) == 1, f"{source}: expected exactly one {old!r}"
    return text.replace(old, new)


def write_config(
    prefix: Path,
    *,
    site: str = "portal",
    web: str,
    media_root: Path,
    http_port: int,
    https_port: int | None = None,
    certs: Path | None = None,
) -> Path:
    """Write nginx.conf (the main file, as the Debian nginx image has it) with the committed site
    `site`.conf and portal-common.conf under `prefix`; return the main file."""
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    common = (NGINX_DIR / "portal-common.conf").read_text()
    common = _replace_once(common, "alias /app/media/;", f"alias {media_root}/;", "portal-common.conf")
    (prefix / "portal-common.conf").write_text(common)

    text = (NGINX_DIR / f"{site}.conf").read_text()
    text = _replace_once(text, "server web:8000;", f"server {web};", site)
    text = text.replace("include /etc/nginx/portal-common.conf;", f"include {prefix}/portal-common.conf;")
    assert f"include {prefix}/portal-common.conf;" in text
    text = _replace_once(text, "listen 80;", f"listen 127.0.0.1:{http_port};", site)
    if https_port is not None:
        text = _replace_once(text, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;", site)
        text = text.replace("/etc/nginx/certs/", f"{certs}/")
    (prefix / "site.conf").write_text(text)

    tmp = prefix / "tmp"
    # The master runs as the test's user; as root, workers would otherwise become `nobody`, who
    # cannot enter pytest's private temporary directories.
    user = "user root;" if os.geteuid() == 0 else ""
    main = prefix / "nginx.conf"
    main.write_text(
        f"""{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    access_log {prefix}/logs/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {prefix}/site.conf;
}}
"""
    )
    return main


def check_config(prefix: Path, main: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NGINX, "-t", "-p", f"{prefix}/", "-e", f"{prefix}/logs/error.log", "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=30,
    )


class RunningProxy:
    def __init__(self, prefix: Path, main: Path, port: int):
        self.prefix, self.port = prefix, port
        self.process = subprocess.Popen(
            [
                NGINX,
                "-p",
                f"{prefix}/",
                "-e",
                f"{prefix}/logs/error.log",
                "-c",
                str(main),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.process.stdout.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("nginx did not start listening")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def error_log(self) -> str:
        path = self.prefix / "logs" / "error.log"
        return path.read_text() if path.exists() else ""

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
