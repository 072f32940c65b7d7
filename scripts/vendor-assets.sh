#!/usr/bin/env bash
# Re-fetch the vendored front-end assets in static/vendor/ (no CDN: the portal runs on government
# intranets). Exact versions, fetched with `npm pack` from the npm registry, each tarball checked
# against the integrity hash npm publishes before anything is copied. Needs node/npm and network.
#
# To update: change a version below, run the script once with VERIFY=0 to print the new integrity
# (`npm view <pkg>@<version> dist.integrity`), paste it here, run again, then update
# static/vendor/README.md, read the release notes, and run the test suite and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

BOOTSTRAP_VERSION=5.3.9
BOOTSTRAP_INTEGRITY="sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w=="
HTMX_VERSION=2.0.11
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
# axe-core is used only by the browser tests (tests/e2e/), which inject it into the page; no template
# loads it.
AXE_VERSION=4.14.1
AXE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
VERIFY="${VERIFY:-1}"

command -v npm >/dev/null || { echo "!! npm is required (apt-get install npm)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# fetch <package> <version> <expected integrity> <dir>: the package's files end up in <dir>.
fetch() {
  local pkg="$1" version="$2" expected="$3" dest="$4" tarball actual
  tarball="$(cd "$work" && npm pack --silent "$pkg@$version")"
  actual="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
  echo "==> $pkg@$version  $actual"
  if [ "$VERIFY" = 1 ] && [ "$actual" != "$expected" ]; then
    echo "!! integrity mismatch for $pkg@$version: expected $expected" >&2
    exit 1
  fi
  mkdir -p "$dest"
  tar -xzf "$work/$tarball" -C "$dest" --strip-components=1
}

fetch bootstrap "$BOOTSTRAP_VERSION" "$BOOTSTRAP_INTEGRITY" "$work/bootstrap"
fetch htmx.org "$HTMX_VERSION" "$HTMX_INTEGRITY" "$work/htmx"
fetch axe-core "$AXE_VERSION" "$AXE_INTEGRITY" "$work/axe-core"

out=static/vendor
rm -rf "$out/bootstrap" "$out/htmx" "$out/axe-core"
mkdir -p "$out/bootstrap/css" "$out/bootstrap/js" "$out/htmx" "$out/axe-core"

# The .map files are copied too: the files keep their sourceMappingURL comments (so they stay
# byte-identical to the published ones), and collectstatic's manifest storage requires the
# referenced maps to exist.
cp "$work/bootstrap/dist/css/bootstrap.min.css" "$work/bootstrap/dist/css/bootstrap.min.css.map" "$out/bootstrap/css/"
cp "$work/bootstrap/dist/js/bootstrap.bundle.min.js" "$work/bootstrap/dist/js/bootstrap.bundle.min.js.map" "$out/bootstrap/js/"
cp "$work/bootstrap/LICENSE" "$out/bootstrap/LICENSE"
cp "$work/htmx/dist/htmx.min.js" "$out/htmx/"
cp "$work/htmx/LICENSE" "$out/htmx/LICENSE"
cp "$work/axe-core/axe.min.js" "$work/axe-core/LICENSE" "$work/axe-core/LICENSE-3RD-PARTY.txt" "$out/axe-core/"

echo "==> static/vendor updated: bootstrap $BOOTSTRAP_VERSION, htmx.org $HTMX_VERSION, axe-core $AXE_VERSION"
(cd "$out" && find . -type f ! -name README.md -print0 | sort -z | xargs -0 sha256sum)
