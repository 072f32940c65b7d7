#!/usr/bin/env bash
# Everything the portal needs on a fresh Debian machine, installed by the project itself:
# system packages (apt-get, as root; otherwise the exact command is printed), uv, and the Python
# environment from uv.lock. Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# fonts-noto-cjk: Chinese in PDFs; libharfbuzz-subset0: WeasyPrint's font subsetting (without it a
# page takes ~30 s); pango: WeasyPrint's layout; graphviz: `make diagram`; gettext: translations;
# libmagic1: uploads are checked by their content (python-magic); poppler-utils: pdftoppm draws the
# README previews of the documents (`make documents`) and pdftotext reads them back in tests.
APT_PACKAGES=(fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 graphviz gettext libmagic1 poppler-utils)
if [ "${BOOTSTRAP_BENCH:-0}" = 1 ]; then
  APT_PACKAGES+=(wrk)  # make bench: the load generator (C, so the clients leave the cores to the server)
fi
if [ "${BOOTSTRAP_E2E:-0}" = 1 ]; then
  APT_PACKAGES+=(chromium)  # browser tests drive Debian's Chromium, never a downloaded browser
  # tests/deploy: a private nginx in front of the test server (protected media; openssl makes its
  # throw-away certificate), and pg_dump / pg_restore for the `make backup` / `make restore` round trip.
  APT_PACKAGES+=(nginx openssl postgresql-client)
  # tests/resilience: a private redis-server started and killed to test an outage of Redis.
  APT_PACKAGES+=(redis-server)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "!! 缺少系统软件包 / missing system packages. Run as root:"
    echo "   sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
  fi
fi

export PATH="$HOME/.local/bin:$PATH"
if ! command -v uv >/dev/null 2>&1; then
  echo "==> installing uv from PyPI"
  if ! python3 -m pip --version >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
    else
      echo "!! pip is missing. Run: sudo apt-get install -y python3-pip"; exit 1
    fi
  fi
  python3 -m pip install --user --quiet uv 2>/dev/null \
    || python3 -m pip install --user --quiet --break-system-packages uv
fi
uv sync --frozen --quiet
