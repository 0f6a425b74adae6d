#!/usr/bin/env bash
# The dashboard's browser tests drive Debian's Chromium through playwright-core (issue 8). On a
# fresh machine (root, apt) install it; otherwise say how, and fail: the tests are never skipped.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (apt-get, about 25 s)..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Debian's Chromium at /usr/bin/chromium: sudo apt-get install -y chromium" >&2
exit 1
