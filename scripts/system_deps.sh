#!/usr/bin/env bash
# Install the Debian packages the tests use, when they are missing:
# chromium (browser tests and screenshots) and postgresql (database tests).
# Needs root or sudo; without either it says what is missing and carries on,
# and the tests that need a missing part skip (or fail in CI, which requires them).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
  || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "system_deps: missing ${missing[*]} and no root/sudo to install them; related tests will skip" >&2
  exit 0
fi
echo "system_deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null || true
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
