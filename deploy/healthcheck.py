"""Health check of the web container (Dockerfile HEALTHCHECK, docker-compose.yml): GET /healthz on
gunicorn with a Host header that ALLOWED_HOSTS admits, as a real request through the proxy would
carry (a bare 127.0.0.1 would be refused with 400 once ALLOWED_HOSTS names the public host).
Exit status 0 when the portal and its database answer, 1 otherwise. Standard library only."""

import os
import sys
import urllib.request


def allowed_host() -> str:
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        entry = entry.strip()
        if entry and entry != "*":
            return entry.lstrip(".")  # ".example.gov.cn" admits example.gov.cn itself
    return "localhost"


def main(url: str) -> int:
    request = urllib.request.Request(url, headers={"Host": allowed_host()})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/healthz"))
