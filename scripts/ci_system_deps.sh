#!/usr/bin/env bash
# System packages the test suite needs that pip cannot provide: headless Chromium and its
# driver (Debian packages) for the review UI's browser tests. Idempotent and quiet: does nothing
# when /usr/bin/chromium is already there. Called by .ci/run; needs root (or sudo) and apt.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ci_system_deps: no apt-get here; install chromium and chromium-driver by hand" >&2
    exit 0  # the browser tests then skip with that reason
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
        echo "ci_system_deps: not root and no sudo; cannot install chromium" >&2
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq \
        chromium chromium-driver; } >"$log" 2>&1; then
    echo "ci_system_deps: apt-get install chromium chromium-driver failed:" >&2
    tail -n 20 "$log" >&2
    rm -f "$log"
    exit 1
fi
rm -f "$log"
echo "ci_system_deps: installed $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
