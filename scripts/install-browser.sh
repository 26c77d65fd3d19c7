#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium; never a browser build downloaded by a test tool.
# A CJK font makes the tests' screenshots readable (the pages themselves use system fonts only).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
  need+=(fonts-noto-cjk)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the browser tests: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing for the browser tests: ${need[*]} (needs root and apt-get to install);"
  echo "without chromium the browser tests are skipped. Install with: sudo apt-get install ${need[*]}"
fi
