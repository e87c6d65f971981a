#!/usr/bin/env bash
# Builds ttyd 1.7.7, the C web terminal the bench compares against, and installs it as
# /usr/local/bin/ttyd. Debian 12 has no ttyd package: the source comes from Debian's own archive
# (the upstream tarball of sid's package, fetched through a deb-src entry that is removed again) and
# is built with CMake against bookworm's libwebsockets, libuv and json-c. Needs root.
#
#   e2e-tests/bench/install-ttyd.sh
set -euo pipefail

if command -v ttyd >/dev/null && ttyd --version 2>&1 | grep -q '1\.7\.7'; then
  echo "ttyd 1.7.7 is already installed: $(command -v ttyd)"
  exit 0
fi

apt-get install -y -qq build-essential cmake pkg-config libwebsockets-dev libuv1-dev \
  libjson-c-dev zlib1g-dev libssl-dev xz-utils >/dev/null

work="$(mktemp -d)"
sources=/etc/apt/sources.list.d/ccc-bench-sid-src.sources
trap 'rm -rf "$work"; rm -f "$sources"; apt-get update -qq >/dev/null 2>&1 || true' EXIT
cat >"$sources" <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
apt-get update -qq >/dev/null
# Only the upstream tarball is wanted; the Debian packaging files may already have moved on in sid.
(cd "$work" && apt-get source --download-only ttyd >/dev/null 2>&1 || true)
tarball="$(ls "$work"/ttyd_1.7.7.orig.tar.* 2>/dev/null | head -1)"
[[ -n "$tarball" ]] || { echo "ttyd_1.7.7.orig.tar.* not found in Debian's sid sources" >&2; exit 1; }

tar -xf "$tarball" -C "$work"
cmake -S "$work/ttyd-1.7.7" -B "$work/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" -j "$(nproc)" >/dev/null
install -m 0755 "$work/build/ttyd" /usr/local/bin/ttyd
echo "installed $(/usr/local/bin/ttyd --version 2>&1)"
